"""Writes of the reporting app: opening periods, saving, submitting and reviewing quarterly
reports, and the reminders. The report state machine lives here, in TRANSITIONS and `_move`;
every step is recorded as a ReportEvent (who, when, from, to, comment)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import GRASSROOTS_KINDS, Organisation, Role, RoleName
from unionportal.core.audit import audit_event

from .indicators import BY_CODE, TERRITORY, UNION, indicators_for, whole_of
from .models import (
    Notification,
    NotificationKind,
    QuarterlyReport,
    ReportEvent,
    ReportPeriod,
    ReportStatus,
    quarter_bounds,
)
from .sources import TERRITORIAL, figures_for

RS = ReportStatus

TRANSITIONS: dict[str, set[str]] = {
    RS.DRAFT: {RS.SUBMITTED},
    RS.SUBMITTED: {RS.ACCEPTED, RS.RETURNED},
    RS.RETURNED: {RS.SUBMITTED},
    RS.ACCEPTED: set(),
}

# Reminders: a report due within this many days, overdue, or returned.
REMIND_DAYS_BEFORE = 5


# --- Who files, and what ----------------------------------------------------------------------


def filer_kind(report: QuarterlyReport) -> str:
    """UNION for a grassroots union's report, TERRITORY for a county, township or park
    union's (the only others that file one)."""
    return UNION if report.organisation.kind in GRASSROOTS_KINDS else TERRITORY


def reporting_organisations():
    """Every active organisation that files a quarterly report."""
    return Organisation.objects.filter(active=True).filter(
        Q(kind__in=GRASSROOTS_KINDS) | TERRITORIAL
    )


def report_indicators(report: QuarterlyReport):
    return indicators_for(filer_kind(report))


# --- Values: JSON holds ints and money as "1234.50" --------------------------------------------


def to_json(code: str, value) -> int | str | None:
    if value is None or value == "":
        return None
    if BY_CODE[code].money:
        # + 0 turns a typed "-0" into 0 (never "¥-0.00")
        return str(Decimal(value).quantize(Decimal("0.01")) + 0)
    return int(value)


def from_json(code: str, value):
    if value is None:
        return None
    if BY_CODE[code].money:
        try:
            return Decimal(value)
        except (InvalidOperation, TypeError):
            return None
    return int(value)


def report_values(report: QuarterlyReport, key: str = "values") -> dict:
    raw = getattr(report, key) or {}
    return {code: from_json(code, v) for code, v in raw.items() if code in BY_CODE}


def computed_codes(report: QuarterlyReport) -> list[str]:
    """The computed indicators this report carries (a territorial report: the casework)."""
    return [i.code for i in report_indicators(report) if i.computed]


def _counted_now(report: QuarterlyReport) -> dict:
    figures = figures_for(report.organisation, report.period.starts_on, report.period.ends_on)
    if filer_kind(report) == UNION:
        return figures
    return {code: figures[code] for code in computed_codes(report)}


def live_computed(report: QuarterlyReport) -> dict:
    """The computed figures as the records stand now; a frozen report keeps its own."""
    if report.frozen or not computed_codes(report):
        return report_values(report, "computed")
    return _counted_now(report)


def changed_since_frozen(report: QuarterlyReport) -> list[dict]:
    """For an accepted report filed by a union: the computed figures the records give for
    its quarter now that differ from those frozen in it (a record dated in the quarter was
    corrected after it was accepted). The report keeps its figures; the page shows these
    beside them."""
    if not report.frozen or not computed_codes(report):
        return []
    frozen = report_values(report, "computed")
    if not frozen:
        return []
    now = _counted_now(report)
    return [
        {"ind": BY_CODE[code], "frozen": frozen[code], "now": now[code]}
        for code in now
        if code in frozen and frozen[code] is not None and frozen[code] != now[code]
    ]


# --- Periods ----------------------------------------------------------------------------------


@transaction.atomic
def period_open(*, actor, year: int, quarter: int, due_on: date | None = None) -> ReportPeriod:
    """Open a period and create a draft report for every active organisation that files one.
    Opening it again adds drafts for unions founded since, and touches nothing else."""
    if due_on is not None and due_on < quarter_bounds(year, quarter)[1]:
        raise ValidationError(
            {"due_on": _("The due date cannot be before the end of the quarter.")}
        )
    period, created = ReportPeriod.objects.get_or_create(
        year=year,
        quarter=quarter,
        defaults={"due_on": due_on or ReportPeriod.default_due(year, quarter), "opened_by": actor},
    )
    have = set(period.reports.values_list("organisation_id", flat=True))
    new = [
        QuarterlyReport(period=period, organisation_id=pk)
        for pk in reporting_organisations().values_list("pk", flat=True)
        if pk not in have
    ]
    QuarterlyReport.objects.bulk_create(new, batch_size=1000)
    audit_event(period, "report.period_open", actor=actor, period=period.code, drafts=len(new))
    return period


def period_set_due(*, actor, period: ReportPeriod, due_on: date) -> None:
    if due_on < period.ends_on:
        raise ValidationError(
            {"due_on": _("The due date cannot be before the end of the quarter.")}
        )
    old = period.due_on
    period.due_on = due_on
    period.save(update_fields=["due_on"])
    audit_event(period, "report.period_due", actor=actor, old=str(old), new=str(due_on))


def period_progress(period: ReportPeriod, reports, today: date | None = None) -> dict:
    """Counts per status for the reviewer's page: submitted, missing, returned, overdue."""
    today = today or timezone.localdate()
    counts = {s.value: 0 for s in RS}
    per_status = reports.filter(period=period).order_by().values_list("status")
    counts.update(per_status.annotate(n=Count("pk")))
    missing = counts[RS.DRAFT] + counts[RS.RETURNED]
    return {
        **counts,
        "total": sum(counts.values()),
        "missing": missing,
        "overdue": missing if today > period.due_on else 0,
    }


# --- Saving -----------------------------------------------------------------------------------


def validate_values(report: QuarterlyReport, values: dict, reasons: dict, computed: dict) -> None:
    """Raise a ValidationError keyed by indicator code: no negative counts, parts never
    exceed wholes, an overridden computed figure needs a reason."""
    errors: dict[str, list[str]] = {}
    for ind in report_indicators(report):
        v = values.get(ind.code)
        if v is None:
            continue
        if v < 0:
            errors.setdefault(ind.code, []).append(_("A figure cannot be negative."))
            continue
        if ind.part_of:
            whole = whole_of(ind, values)
            if whole is not None and v > whole:
                wholes = ind.part_of if isinstance(ind.part_of, tuple) else (ind.part_of,)
                names = "、".join(str(BY_CODE[c].label) for c in wholes)
                errors.setdefault(ind.code, []).append(
                    _("“%(part)s” (%(value)s) cannot exceed %(whole)s (%(total)s).")
                    % {"part": ind.label, "value": v, "whole": names, "total": whole}
                )
        if ind.computed and computed.get(ind.code) is not None and v != computed[ind.code]:
            if not (reasons.get(ind.code) or "").strip():
                errors.setdefault(ind.code, []).append(
                    _("You changed the figure the portal counted (%(computed)s): give the reason.")
                    % {"computed": computed[ind.code]}
                )
    if errors:
        raise ValidationError(errors)


def check_values(report: QuarterlyReport, values: dict, reasons: dict) -> tuple[dict, dict]:
    """The figures of record (a computed figure left empty takes the portal's count) and the
    portal's counts, once validate_values passes them (else its ValidationError)."""
    computed = live_computed(report)
    final = {}
    for ind in report_indicators(report):
        v = values.get(ind.code)
        if v is None and ind.computed:
            v = computed.get(ind.code)
        final[ind.code] = v
    validate_values(report, final, reasons, computed)
    return final, computed


def _event(report, from_status, to_status, actor, comment=""):
    ReportEvent.objects.create(
        report=report, from_status=from_status, to_status=to_status, actor=actor, comment=comment
    )


def _locked(report: QuarterlyReport, version: int | None) -> QuarterlyReport:
    locked = (
        QuarterlyReport.objects.select_for_update()
        .select_related("period", "organisation")
        .get(pk=report.pk)
    )
    if version is not None and locked.version != version:
        raise ValidationError(
            _("Someone else changed this report meanwhile. Reload the page and try again."),
            code="stale",
        )
    return locked


@transaction.atomic
def report_save(
    *,
    actor,
    report: QuarterlyReport,
    values: dict,
    reasons: dict,
    narrative: dict,
    version: int | None = None,
) -> QuarterlyReport:
    """Save a draft (or a returned report being fixed): the computed figures as the records
    stand now, the figures of record, the reasons for overrides and the narrative."""
    report = _locked(report, version)
    if not report.editable:
        raise ValidationError(_("This report is no longer open for editing."), code="closed")
    final, computed = check_values(report, values, reasons)
    indicators = report_indicators(report)
    kept_reasons = {
        ind.code: (reasons.get(ind.code) or "").strip()
        for ind in indicators
        if ind.computed
        and final.get(ind.code) is not None
        and final[ind.code] != computed.get(ind.code)
    }
    report.computed = {c: to_json(c, v) for c, v in computed.items()}
    report.values = {c: to_json(c, v) for c, v in final.items()}
    report.reasons = kept_reasons
    report.employers_without_union = final.get("employers_without_union")
    for field in ("work_done", "problems", "requests"):
        if field in narrative:
            setattr(report, field, (narrative[field] or "").strip())
    report.saved_by = actor
    report.saved_at = timezone.now()
    report.version += 1
    report.save()
    return report


def missing_for_submit(report: QuarterlyReport) -> list[str]:
    """Entered figures still empty: a report is submitted complete."""
    values = report.values or {}
    return [
        str(ind.label)
        for ind in report_indicators(report)
        if not ind.computed and values.get(ind.code) is None
    ]


@transaction.atomic
def report_submit(*, actor, report: QuarterlyReport, version: int | None = None) -> QuarterlyReport:
    report = _locked(report, version)
    if RS.SUBMITTED not in TRANSITIONS[report.status]:
        raise ValidationError(_("This report cannot be submitted now."), code="state")
    missing = missing_for_submit(report)
    if missing:
        raise ValidationError(
            _("Fill in every figure before submitting. Missing: %(names)s")
            % {"names": "、".join(missing)},
            code="incomplete",
        )
    if not report.work_done.strip():
        raise ValidationError(_("Describe the work done before submitting."), code="incomplete")
    # Recount on submit: the reviewer sees the figures as they stood when it was sent.
    computed = live_computed(report)
    final = report_values(report)
    validate_values(report, final, report.reasons or {}, computed)
    report.computed = {c: to_json(c, v) for c, v in computed.items()}
    previous = report.status
    report.status = RS.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.version += 1
    report.save()
    _event(report, previous, RS.SUBMITTED, actor)
    audit_event(report, "report.submit", actor=actor, period=report.period.code)
    return report


def reviewer_problem(actor, report: QuarterlyReport) -> str | None:
    """Why `actor` may not review `report` (four eyes), or None: nobody reviews a report they
    saved or submitted, nor one of an organisation where they hold any role."""
    if actor.pk in (report.submitted_by_id, report.saved_by_id):
        return _("You cannot review a report you filled in or submitted.")
    if any(r.organisation_id == report.organisation_id for r in access.roles_of(actor)):
        return _("You cannot review your own organisation's report.")
    return None


@transaction.atomic
def report_review(
    *, actor, report: QuarterlyReport, accept: bool, reason: str = "", version: int | None = None
) -> QuarterlyReport:
    """Accept (frozen from then on) or return with a reason."""
    report = _locked(report, version)
    target = RS.ACCEPTED if accept else RS.RETURNED
    if target not in TRANSITIONS[report.status]:
        raise ValidationError(_("Only a submitted report can be reviewed."), code="state")
    problem = reviewer_problem(actor, report)
    if problem:
        raise ValidationError(problem, code="four_eyes")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Say what needs fixing, so the union can act on it.")})
    previous = report.status
    report.status = target
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.return_reason = "" if accept else reason
    report.version += 1
    report.save()
    _event(report, previous, target, actor, reason)
    audit_event(
        report,
        "report.accept" if accept else "report.return",
        actor=actor,
        period=report.period.code,
    )
    if not accept:
        notify(report, NotificationKind.RETURNED)
    return report


# --- Notifications and reminders -------------------------------------------------------------

FILER_ROLES = {
    UNION: (RoleName.BRANCH_CHAIR, RoleName.BRANCH_OFFICER),
    TERRITORY: (RoleName.UNION_STAFF,),
}


def recipients(report: QuarterlyReport):
    """The people who fill this report: current chairs and officers of the union (union
    staff of a county, township or park union)."""
    return [
        role.user
        for role in Role.objects.current()
        .filter(organisation_id=report.organisation_id, role__in=FILER_ROLES[filer_kind(report)])
        .filter(user__is_active=True)
        .select_related("user")
    ]


def notify(report: QuarterlyReport, kind: str, today: date | None = None) -> int:
    """One notification per recipient, kind, report and day (a second call the same day adds
    nothing). Emails them too when an email backend is configured. Returns how many are new."""
    today = today or timezone.localdate()
    new = 0
    for user in recipients(report):
        note, created = Notification.objects.get_or_create(
            recipient=user, kind=kind, report=report, day=today
        )
        if not created:
            continue
        new += 1
        if user.email and settings.EMAIL_ENABLED:
            # Only once the step that caused it is committed (a rolled-back review mails
            # nobody).
            transaction.on_commit(partial(_email, note.pk))
    return new


def _email(note_id: int) -> None:
    note = Notification.objects.select_related(
        "recipient", "report__period", "report__organisation"
    ).get(pk=note_id)
    text = notification_text(note)
    send_mail(text, text, None, [note.recipient.email], fail_silently=True)
    Notification.objects.filter(pk=note_id).update(emailed=True)


def notification_text(note: Notification) -> str:
    report = note.report
    params = {
        "period": report.period,
        "union": report.organisation.name,
        "due": report.period.due_on.isoformat(),
    }
    texts = {
        NotificationKind.DUE_SOON: _("The %(period)s report of %(union)s is due on %(due)s."),
        NotificationKind.OVERDUE: _(
            "The %(period)s report of %(union)s was due on %(due)s and is overdue."
        ),
        NotificationKind.RETURNED: _(
            "The %(period)s report of %(union)s was returned: fix it and submit it again."
        ),
        NotificationKind.REMINDER: _(
            "Reminder: please submit the %(period)s report of %(union)s (due %(due)s)."
        ),
    }
    return texts[note.kind] % params


def send_reminders(today: date | None = None) -> int:
    """The daily reminders: for every report still open (draft or returned) in a period due
    within REMIND_DAYS_BEFORE days or overdue, and every returned report, notify its union.
    Idempotent per day. Returns the notifications created."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=REMIND_DAYS_BEFORE)
    created = 0
    open_reports = (
        QuarterlyReport.objects.open()
        .filter(Q(period__due_on__lte=horizon) | Q(status=RS.RETURNED))
        .filter(period__ends_on__lt=today)
        .select_related("period", "organisation")
    )
    for report in open_reports.iterator(chunk_size=500):
        if report.status == RS.RETURNED:
            kind = NotificationKind.RETURNED
        elif today > report.period.due_on:
            kind = NotificationKind.OVERDUE
        else:
            kind = NotificationKind.DUE_SOON
        created += notify(report, kind, today)
    return created


def remind(*, actor, period: ReportPeriod, reports, today: date | None = None) -> int:
    """A reviewer's one-click reminder to every open report of the period in `reports`
    (already scoped)."""
    created = 0
    count = 0
    for report in reports.filter(period=period).open().select_related("period", "organisation"):
        created += notify(report, NotificationKind.REMINDER, today)
        count += 1
    audit_event(period, "report.remind", actor=actor, reports=count, notifications=created)
    return created
