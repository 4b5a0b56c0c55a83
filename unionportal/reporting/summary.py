"""The Excel summary of a period for an organisation's subtree (issue 7, item 7).

One workbook, written by unionportal.core.excel.write_xlsx from rows the functions below yield
(style.md rule 10): the KPIs of the quarter's last month, one row per reporting union, the
consolidated quarterly reports, relief payments, motions, competitions and honours. Every
query is limited to the subtree of `scope` (path__startswith) and streamed in chunks, so the
whole city fits the budget of performance.md (60 s, 300 MB). Totals rows are literal values,
summed while the rows stream past (never formulas).

The other apps are read through their own query functions (welfare.stats, congress.stats,
competitions.stats), as the rest of reporting does.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from competitions import stats as competition_stats
from competitions.models import CompetitionKind, CompetitionStatus, Field, HonourLevel
from congress import stats as congress_stats
from congress.models import MotionStatus, Verdict
from members import access
from members.models import GRASSROOTS_KINDS, Organisation, User
from unionportal.core.audit import audit_event
from unionportal.core.excel import (
    COUNT_FORMAT,
    DATE_FORMAT,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    Column,
    Progress,
    TotalsRow,
    write_xlsx,
)
from unionportal.core.models import FileJob
from welfare import stats as welfare_stats
from welfare.models import ReliefKind

from . import rollup
from .indicators import INDICATORS, KPIS
from .models import SNAPSHOT_MONEY, QuarterlyReport, ReportPeriod, ReportStatus, StatSnapshot
from .services import from_json
from .sources import TERRITORIAL

JOB_NAME = "reporting.summary"
CHUNK = 2_000
# Reports whose figures count: submitted ones (awaiting review) and accepted ones.
COUNTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)

# The numerator and denominator of each KPI, as the summary names them (domain.md C).
_l = gettext_lazy
KPI_PARTS = {
    "establishment_rate": (_l("Grassroots unions"), _l("Employers that should have a union")),
    "membership_rate": (_l("Members"), _l("Employees")),
    "migrant_membership_rate": (_l("Migrant members"), _l("Migrant employees")),
    "card_activation_rate": (_l("Cards activated"), _l("Valid cards")),
    "dues_collection_rate": (_l("Dues collected"), _l("Dues due")),
    "motion_answer_rate": (
        _l("Motions answered (year to date)"),
        _l("Motions filed (year to date)"),
    ),
    "motion_satisfaction_rate": (_l("Satisfied or basically satisfied"), _l("Verdicts given")),
}


def _money(value) -> Decimal:
    """A money figure as Decimal with two places (SQLite hands back floats)."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _in(scope: Organisation, field: str = "") -> Q:
    return Q(**{f"{field}path__startswith": scope.path})


def snapshot_month(period: ReportPeriod) -> date:
    return period.ends_on.replace(day=1)


def ensure_snapshots(period: ReportPeriod) -> bool:
    """Run the statistics rollup for the quarter's last month when no snapshot exists for it,
    so the KPI sheet is never empty. Returns whether it ran."""
    month = snapshot_month(period)
    if StatSnapshot.objects.filter(month=month).exists():
        return False
    rollup.stats_rollup(month=month)
    return True


# --- Sheet 1: KPI summary ---------------------------------------------------------------------


def kpi_sheet(period: ReportPeriod, scope: Organisation):
    month = snapshot_month(period)
    headers = [Column(_("Organisation"), 30), Column(_("Month"), 10)]
    for kpi in KPIS:
        num, den = KPI_PARTS[kpi.code]
        fmt = MONEY_FORMAT if kpi.numerator in SNAPSHOT_MONEY else COUNT_FORMAT
        headers += [
            Column(str(num), 14, fmt),
            Column(str(den), 14, fmt),
            Column(str(kpi.label), 12, PERCENT_FORMAT),
        ]

    def rows() -> Iterator[tuple]:
        orgs = Organisation.objects.filter(
            Q(pk=scope.pk) | Q(path__startswith=scope.path, depth=scope.depth + 1, active=True)
        ).order_by("path")
        snaps = {
            s.organisation_id: s
            for s in StatSnapshot.objects.filter(month=month, organisation__in=orgs)
        }
        if not snaps:
            yield (
                _("No statistics for %(month)s yet: run the statistics rollup for that month.")
                % {"month": f"{month:%Y-%m}"},
            )
            return
        for org in orgs.only("pk", "name", "path"):
            snap = snaps.get(org.pk)
            row: list = [org.name, f"{month:%Y-%m}"]
            for kpi in KPIS:
                if snap is None:
                    row += [None, None, None]
                    continue
                num = getattr(snap, kpi.numerator) or 0
                den = getattr(snap, kpi.denominator) or 0
                if kpi.denominator_plus:
                    den += getattr(snap, kpi.denominator_plus) or 0
                if kpi.numerator in SNAPSHOT_MONEY:
                    num, den = _money(num), _money(den)
                rate = kpi.rate(snap)
                row += [num, den, rate / 100 if rate is not None else None]
            yield tuple(row)

    return _("KPI summary"), headers, rows()


# --- Sheet 2: one row per union ----------------------------------------------------------------


def _indicator_columns() -> list[Column]:
    return [Column(str(i.label), 14, MONEY_FORMAT if i.money else COUNT_FORMAT) for i in INDICATORS]


def reporting_units(scope: Organisation):
    """The organisations in the subtree that file a quarterly report (active grassroots,
    county, township and park unions), ordered by the tree."""
    return (
        Organisation.objects.filter(_in(scope), active=True)
        .filter(Q(kind__in=GRASSROOTS_KINDS) | TERRITORIAL)
        .order_by("path")
    )


def union_sheet(period: ReportPeriod, scope: Organisation):
    headers = [
        Column(_("Union name"), 30),
        Column(_("Report status"), 10),
        Column(_("Submitted on"), 12, DATE_FORMAT),
        Column(_("Accepted on"), 12, DATE_FORMAT),
        *_indicator_columns(),
    ]
    labels = dict(ReportStatus.choices)
    codes = [i.code for i in INDICATORS]

    def rows() -> Iterator[tuple]:
        report = QuarterlyReport.objects.filter(period=period, organisation=OuterRef("pk"))
        units = (
            Organisation.objects.filter(_in(scope))
            .filter(
                Q(active=True, kind__in=GRASSROOTS_KINDS)
                | Q(TERRITORIAL, active=True)
                | Q(pk__in=QuarterlyReport.objects.filter(period=period).values("organisation"))
            )
            .order_by("path")
            .annotate(
                r_status=Subquery(report.values("status")[:1]),
                r_submitted=Subquery(report.values("submitted_at")[:1]),
                r_reviewed=Subquery(report.values("reviewed_at")[:1]),
                r_values=Subquery(report.values("values")[:1]),
            )
            .values_list("name", "r_status", "r_submitted", "r_reviewed", "r_values")
        )
        totals = {c: 0 for c in codes}
        count = counted = 0
        for name, status, submitted, reviewed, values in units.iterator(chunk_size=CHUNK):
            count += 1
            row = [name, str(labels[status]) if status in labels else _("No report")]
            if status in COUNTED:
                counted += 1
                if isinstance(values, str):  # a JSON subquery read back as text
                    values = json.loads(values)
                values = values or {}
                figures = [from_json(c, values.get(c)) for c in codes]
                for c, v in zip(codes, figures, strict=True):
                    if v is not None:
                        totals[c] += v
                accepted = _day(reviewed) if status == ReportStatus.ACCEPTED else None
                yield (*row, _day(submitted), accepted, *figures)
            else:
                yield (*row, None, None)
        yield TotalsRow(
            (
                _("Total: %(count)s unions, %(counted)s reports counted")
                % {"count": f"{count:,}", "counted": f"{counted:,}"},
                None,
                None,
                None,
                *(_money(totals[i.code]) if i.money else totals[i.code] for i in INDICATORS),
            )
        )

    return _("Unions"), headers, rows()


# --- Sheet 3: the consolidated quarterly report -------------------------------------------------


def consolidated_sheet(period: ReportPeriod, scope: Organisation):
    headers = [
        Column(_("Section"), 24),
        Column(_("Indicator"), 36),
        Column(_("Unit"), 8),
        Column(_("Total"), 16),
        Column(_("Reports included"), 12, COUNT_FORMAT),
        Column(_("Reports that overrode it"), 14, COUNT_FORMAT),
    ]

    def rows() -> Iterator[tuple]:
        totals: dict[str, int | Decimal] = {i.code: 0 for i in INDICATORS}
        included = dict.fromkeys(totals, 0)
        overridden = dict.fromkeys(totals, 0)
        reports = (
            QuarterlyReport.objects.filter(period=period, status__in=COUNTED)
            .filter(_in(scope, "organisation__"))
            .order_by()
            .values_list("values", "reasons")
        )
        for values, reasons in reports.iterator(chunk_size=CHUNK):
            for code, raw in (values or {}).items():
                if code in totals and raw is not None:
                    totals[code] += from_json(code, raw)
                    included[code] += 1
            for code in reasons or {}:
                if code in overridden:
                    overridden[code] += 1
        for i in INDICATORS:
            total = _money(totals[i.code]) if i.money else totals[i.code]
            yield (
                str(i.section),
                str(i.label),
                _("yuan") if i.money else _("count"),
                total,
                included[i.code],
                overridden[i.code],
            )

    return _("Consolidated report"), headers, rows()


# --- Sheets 4 to 7: relief, motions, competitions, honours --------------------------------------


def relief_sheet(period: ReportPeriod, scope: Organisation):
    headers = [
        Column(_("Union"), 30),
        Column(_("Full name"), 12),
        Column(_("Resident ID"), 22),
        Column(_("Relief kind"), 20),
        Column(_("Amount"), 14, MONEY_FORMAT),
        Column(pgettext("relief", "Paid on"), 12, DATE_FORMAT),
        Column(_("Payment reference"), 18),
    ]
    kinds = {k: str(v) for k, v in ReliefKind.choices}

    def rows() -> Iterator[tuple]:
        qs = welfare_stats.relief_payment_rows(period.starts_on, period.ends_on, scope)
        count, total = 0, Decimal("0.00")
        for union, name, masked, kind, amount, paid_on, ref in qs.iterator(chunk_size=CHUNK):
            amount = _money(amount)
            count += 1
            total += amount
            yield (union, name, masked, kinds.get(kind, kind), amount, paid_on, ref)
        yield TotalsRow(
            (
                _("Total"),
                _("%(count)s payments") % {"count": f"{count:,}"},
                None,
                None,
                total,
                None,
                None,
            )
        )

    return _("Relief"), headers, rows()


def motion_sheet(period: ReportPeriod, scope: Organisation):
    headers = [
        Column(_("Union"), 30),
        Column(_("Number"), 8),
        Column(_("Title"), 40),
        Column(_("Submitted on"), 12, DATE_FORMAT),
        Column(_("Status"), 12),
        Column(_("Answer due"), 12, DATE_FORMAT),
        Column(_("Answered on"), 12, DATE_FORMAT),
        Column(_("Verdict"), 12),
    ]
    statuses = {k: str(v) for k, v in MotionStatus.choices}
    verdicts = {k: str(v) for k, v in Verdict.choices}
    satisfied = set(congress_stats.SATISFIED)

    def rows() -> Iterator[tuple]:
        qs = congress_stats.motion_rows(period.starts_on, period.ends_on, scope)
        count = answered = with_verdict = happy = 0
        for union, number, title, submitted, status, due, answered_on, verdict in qs.iterator(
            chunk_size=CHUNK
        ):
            count += 1
            answered += answered_on is not None
            with_verdict += bool(verdict)
            happy += verdict in satisfied
            yield (
                union,
                number,
                title,
                submitted,
                statuses.get(status, status),
                due,
                answered_on,
                verdicts.get(verdict, verdict) if verdict else None,
            )
        yield TotalsRow(
            (
                _("Total"),
                None,
                _(
                    "%(count)s motions, %(answered)s answered, %(verdicts)s with a verdict, "
                    "%(satisfied)s satisfied or basically satisfied"
                )
                % {
                    "count": f"{count:,}",
                    "answered": f"{answered:,}",
                    "verdicts": f"{with_verdict:,}",
                    "satisfied": f"{happy:,}",
                },
            )
        )

    return _("Motions"), headers, rows()


def competition_sheet(period: ReportPeriod, scope: Organisation):
    headers = [
        Column(_("Organiser"), 30),
        Column(_("Competition"), 30),
        Column(_("Field"), 20),
        Column(_("Kind"), 14),
        Column(_("Starts on"), 12, DATE_FORMAT),
        Column(_("Ends on"), 12, DATE_FORMAT),
        Column(_("Status"), 10),
        Column(_("Entries"), 10, COUNT_FORMAT),
    ]
    fields = {k: str(v) for k, v in Field.choices}
    kinds = {k: str(v) for k, v in CompetitionKind.choices}
    statuses = {k: str(v) for k, v in CompetitionStatus.choices}

    def rows() -> Iterator[tuple]:
        qs = competition_stats.competition_rows(period.starts_on, period.ends_on, scope)
        count = entries = 0
        for org, name, field, kind, starts, ends, status, n in qs.iterator(chunk_size=CHUNK):
            count += 1
            entries += n or 0
            yield (
                org,
                name,
                fields.get(field, field),
                kinds.get(kind, kind),
                starts,
                ends,
                statuses.get(status, status),
                n or 0,
            )
        yield TotalsRow(
            (
                _("Total"),
                _("%(count)s competitions") % {"count": f"{count:,}"},
                None,
                None,
                None,
                None,
                None,
                entries,
            )
        )

    return _("Competitions"), headers, rows()


def honour_sheet(period: ReportPeriod, scope: Organisation):
    headers = [
        Column(_("Union"), 30),
        Column(_("Honour"), 24),
        Column(_("Level"), 12),
        Column(_("Year"), 8),
        Column(_("Awarding body"), 24),
        Column(pgettext("honour", "Recipient"), 20),
        Column(_("Recorded on"), 12, DATE_FORMAT),
    ]
    levels = {k: str(v) for k, v in HonourLevel.choices}

    def rows() -> Iterator[tuple]:
        qs = competition_stats.honour_rows(period.starts_on, period.ends_on, scope)
        count = 0
        for org, kind, level, year, body, member, team, created in qs.iterator(chunk_size=CHUNK):
            count += 1
            yield (
                org,
                kind,
                levels.get(level, level),
                year,
                body,
                member or team or org,
                _day(created),
            )
        yield TotalsRow(
            (_("Total"), _("%(count)s honours") % {"count": f"{count:,}"}, None, None, None)
        )

    return _("Honours"), headers, rows()


SHEETS = (
    kpi_sheet,
    union_sheet,
    consolidated_sheet,
    relief_sheet,
    motion_sheet,
    competition_sheet,
    honour_sheet,
)


def write_summary(
    period: ReportPeriod, scope: Organisation, target, *, progress: Progress | None = None
) -> int:
    """Write the period's summary for the subtree of `scope` to `target` (a path or a binary
    file). Returns the rows written (data, totals and note rows; headers not counted);
    `progress(rows_so_far)` as in unionportal.core.excel.write_xlsx."""
    sheets = (make(period, scope) for make in SHEETS)
    return write_xlsx(sheets, target, progress=progress)


def summary_total(period: ReportPeriod, scope: Organisation) -> int:
    """About how many rows write_summary will write: the progress bar's 100%."""
    start, end = period.starts_on, period.ends_on
    children = Organisation.objects.filter(
        path__startswith=scope.path, depth=scope.depth + 1, active=True
    ).count()
    return (
        1
        + children
        + reporting_units(scope).count()
        + 1
        + len(INDICATORS)
        + welfare_stats.relief_payment_rows(start, end, scope).count()
        + 1
        + congress_stats.motion_rows(start, end, scope).count()
        + 1
        + competition_stats.competition_rows(start, end, scope).count()
        + 1
        + competition_stats.honour_rows(start, end, scope).count()
        + 1
    )


def summary_filename(period: ReportPeriod, scope: Organisation) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"统计汇总-{period.code}-{scope.short_name or scope.name}-{stamp}.xlsx"


# --- The job, built in a Celery task (reporting.tasks.export_summary_task) ----------------------


def summary_job_create(*, actor: User, period: ReportPeriod, organisation: Organisation) -> FileJob:
    access.require(actor, "export", organisation)
    return FileJob.objects.create(
        kind=FileJob.Kind.EXPORT,
        name=JOB_NAME,
        created_by=actor,
        organisation=organisation,
        params={"period": period.pk, "filename": summary_filename(period, organisation)},
    )


def audit_summary(scope: Organisation, *, actor, period: ReportPeriod, rows: int, **data):
    audit_event(
        scope,
        "report.summary_export",
        actor=actor,
        period=period.code,
        rows=rows,
        **data,
    )


def summary_job_run(job: FileJob, *, actor: User) -> int:
    """Build the job's workbook. The actor is checked again here (security.md D8): a task may
    run long after the request, or be called with ids that were never checked."""
    try:
        if actor.pk != job.created_by_id or not actor.is_active:
            raise PermissionDenied
        access.require(actor, "export", job.organisation)
    except PermissionDenied:
        job.mark(FileJob.Status.FAILED, error=_("You may no longer export this summary."))
        raise
    scope = job.organisation
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        period = ReportPeriod.objects.get(pk=job.params.get("period"))
        ensure_snapshots(period)
        job.mark(FileJob.Status.RUNNING, total=summary_total(period, scope), done=0)
        written = write_summary(period, scope, path, progress=lambda n: job.report_progress(n))
        with open(path, "rb") as f:
            job.file.save("summary.xlsx", File(f), save=False)
    except Exception as exc:
        job.mark(FileJob.Status.FAILED, error=f"{type(exc).__name__}")
        raise
    finally:
        os.unlink(path)
    audit_summary(scope, actor=actor, period=period, rows=written, job=job.pk)
    job.mark(FileJob.Status.DONE, total=written, done=written, result={"rows": written})
    return written
