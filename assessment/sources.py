"""Computed items: where the portal already knows the answer, an item is scored from the
records, through each app's own query functions (architecture.md), and shown with its source.

Each source takes the union and the window (1 January of the round's year up to the day it is
read, at most 31 December) and returns a `Finding`: met or not, or None when the portal cannot
know (shown as "no data", scored 0 until a reviewer scores it by hand with a reason).

Hook: the collective-contract register (the `rights` app, built in parallel) registers its
source here with `register("collective_contract", label, fn)` from its AppConfig.ready; until
then the default standard scores that item by hand (yes/no), and this module never imports
rights."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from competitions import stats as competition_stats
from congress import stats as congress_stats
from members import stats as member_stats
from members.models import Organisation, Role, RoleName
from welfare import stats as welfare_stats

MEMBERSHIP_THRESHOLD = Decimal("95.0")
DUES_THRESHOLD = Decimal("90.0")


@dataclass(frozen=True)
class Finding:
    met: bool | None
    text: str


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    compute: Callable[[Organisation, date, date], Finding]


SOURCES: dict[str, Source] = {}


def register(code: str, label, compute: Callable[[Organisation, date, date], Finding]) -> None:
    SOURCES[code] = Source(code, label, compute)


def _sum(qs, *names: str) -> dict:
    totals = dict.fromkeys(names, 0)
    for row in qs:
        for name in names:
            totals[name] += row.get(name) or 0
    return totals


def _percent(num, den) -> Decimal:
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def no_data() -> str:
    return pgettext("rate", "No data")


def membership_rate(union: Organisation, start: date, end: date) -> Finding:
    """入会率 ≥ 95% (全总 六有 1): active members of the union (its branches included) ÷ the
    employees it reported, as members.stats counts them on `end`."""
    if not union.employees:
        return Finding(None, _("Membership rate: no data (employees not reported)"))
    counted = _sum(member_stats.membership(start, end, union), "members_counted")
    rate = _percent(counted["members_counted"], union.employees)
    text = _("Membership rate %(rate)s%% (%(members)s members of %(employees)s employees)") % {
        "rate": rate,
        "members": counted["members_counted"],
        "employees": union.employees,
    }
    return Finding(rate >= MEMBERSHIP_THRESHOLD, text)


def elected_chair(union: Organisation, start: date, end: date) -> Finding:
    """A chair (a current chair's role) and a committee term in force on `end`."""
    chair = Role.objects.current(end).filter(organisation=union, role=RoleName.BRANCH_CHAIR)
    has_chair = chair.exists()
    in_term = bool(union.term_start and union.term_end and union.term_start <= end < union.term_end)
    if not in_term:
        return Finding(False, _("No committee term in force"))
    if not has_chair:
        return Finding(False, _("No chair on record"))
    return Finding(True, _("Chair on record, term until %(day)s") % {"day": union.term_end})


def audit_committee(union: Organisation, start: date, end: date) -> Finding:
    if union.has_audit_committee:
        return Finding(True, _("The organisation record has an audit committee"))
    return Finding(False, _("The organisation record has no audit committee"))


def women_committee(union: Organisation, start: date, end: date) -> Finding:
    if union.has_women_committee:
        return Finding(True, _("The organisation record has a women workers' committee"))
    return Finding(False, _("The organisation record has no women workers' committee"))


def congress_held(union: Organisation, start: date, end: date) -> Finding:
    n = _sum(congress_stats.sessions(start, end, union), "congress_sessions")["congress_sessions"]
    return Finding(n > 0, _("Congress sessions held this year: %(n)s") % {"n": n})


def dues_collected(union: Organisation, start: date, end: date) -> Finding:
    """Dues collected this year ÷ dues due ≥ 90%; no dues due: no data."""
    d = _sum(member_stats.dues(start, end, union), "dues_expected", "dues_collected")
    if not d["dues_expected"]:
        return Finding(None, _("Dues collection rate: no data (no dues due)"))
    rate = _percent(d["dues_collected"], d["dues_expected"])
    return Finding(
        rate >= DUES_THRESHOLD, _("Dues collection rate this year %(rate)s%%") % {"rate": rate}
    )


def activities(union: Organisation, start: date, end: date) -> Finding:
    """Activities recorded this year: condolence visits (campaigns included), competitions
    organised and competition entries."""
    visits = _sum(welfare_stats.visits(start, end, union), "visits_count")["visits_count"]
    organised = _sum(competition_stats.competitions(start, end, union), "competitions")[
        "competitions"
    ]
    entries = _sum(competition_stats.entries(start, end, union), "competition_entries")[
        "competition_entries"
    ]
    text = _("This year: %(visits)s visits, %(competitions)s competitions, %(entries)s entries") % {
        "visits": visits,
        "competitions": organised,
        "entries": entries,
    }
    return Finding(visits + organised + entries > 0, text)


register("membership_rate", gettext_lazy("Membership rate ≥ 95%"), membership_rate)
register("elected_chair", gettext_lazy("Elected chair with a term in force"), elected_chair)
register("audit_committee", gettext_lazy("Audit committee (organisation record)"), audit_committee)
register(
    "women_committee",
    gettext_lazy("Women workers' committee (organisation record)"),
    women_committee,
)
register("congress_held", gettext_lazy("Workers' congress held this year"), congress_held)
register("dues_collected", gettext_lazy("Dues collection rate ≥ 90%"), dues_collected)
register("activities", gettext_lazy("Activities recorded this year"), activities)


def window(year: int, today: date) -> tuple[date, date]:
    return date(year, 1, 1), min(today, date(year, 12, 31))


def find(code: str, union: Organisation, start: date, end: date) -> Finding:
    source = SOURCES.get(code)
    if source is None:
        return Finding(None, _("Source not available yet: scored by hand"))
    return source.compute(union, start, end)


def source_choices() -> list[tuple[str, str]]:
    return [(s.code, s.label) for s in SOURCES.values()]
