"""The quarter's relief, motions, competitions and honours, one sheet each."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from competitions import stats as competition_stats
from competitions.models import CompetitionKind, CompetitionStatus, Field, HonourLevel
from congress import stats as congress_stats
from congress.models import MotionStatus, Verdict
from members.models import Organisation
from unionportal.core.excel import (
    COUNT_FORMAT,
    DATE_FORMAT,
    MONEY_FORMAT,
    Column,
    TotalsRow,
)
from welfare import stats as welfare_stats
from welfare.models import ReliefKind

from ..models import ReportPeriod
from .common import CHUNK, _day, _money

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
