"""The dashboard's and the statistics page's reads (ux.md "Dashboard", performance.md).

Everything here reads StatSnapshot rows (written by the nightly rollup), never the apps'
records: the page costs the same few queries for a branch chair and for the city federation.
Per page: the organisation's recent snapshots (the month selector and the 12-month trend), the
KPI targets, and the snapshots of the organisations directly below it: three queries whatever
the size of the city.

`dashboard_context(user, ...)` builds the whole context of "/" for a user; the benchmark can
time it directly or time the page through the test client.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from members import access
from members.dues import add_months, last_day_of_month
from members.models import Organisation, OrgKind
from unionportal.core.templatetags.figures import money_text

from .indicators import KPI_BY_CODE, KPIS, Kpi
from .models import SNAPSHOT_MONEY, KpiTarget, StatSnapshot
from .summary.kpis import KPI_PARTS

TREND_MONTHS = 12
# The month selector offers the latest months with snapshots, this many at most.
SELECTABLE_MONTHS = 24
DEFAULT_RANK = "membership_rate"
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


# --- months ----------------------------------------------------------------------------------


def month_label(month: date) -> str:
    return f"{month:%Y-%m}"


def parse_month(value: str | None, months: list[date]) -> date | None:
    """The month asked for (YYYY-MM) when it has snapshots, else the latest one (or None)."""
    if value:
        wanted = value.strip()
        # Compared as text: a date is never built from what was typed (year 0 cannot be).
        for month in months:
            if month_label(month) == wanted:
                return month
    return months[0] if months else None


def parse_rank(value: str | None) -> Kpi:
    return KPI_BY_CODE.get((value or "").strip(), KPI_BY_CODE[DEFAULT_RANK])


# --- reads (one query each) ------------------------------------------------------------------


def top_organisations(user) -> list[Organisation]:
    """The organisations at the top of the user's scope, from the roles already read for the
    request (no query)."""
    paths = access.scope_paths(user)
    tops: dict[str, Organisation] = {}
    for role in access.roles_of(user):
        org = role.organisation
        if org.path in paths:
            tops.setdefault(org.path, org)
    return [tops[p] for p in sorted(tops)]


def recent_snapshots(org: Organisation) -> list[StatSnapshot]:
    """The organisation's latest snapshots, newest first: enough for the month selector
    (SELECTABLE_MONTHS) and the 12-month trend of any month it offers, in one query of a
    bounded number of rows."""
    limit = SELECTABLE_MONTHS + TREND_MONTHS - 1
    return list(StatSnapshot.objects.filter(organisation=org).order_by("-month")[:limit])


def targets_at(month: date) -> dict[str, Decimal]:
    """Each KPI's target in force in `month` (on its last day)."""
    return KpiTarget.in_force(last_day_of_month(month))


def children_snapshots(org: Organisation, month: date) -> list[StatSnapshot]:
    """The snapshots of the organisations directly below `org` for the month."""
    return list(
        StatSnapshot.objects.filter(
            month=month,
            organisation__path__startswith=org.path,
            organisation__depth=org.depth + 1,
        ).select_related("organisation")
    )


def scoped_ancestors(user, org: Organisation) -> list[Organisation]:
    """The organisation's ancestors that lie inside the user's scope, top first."""
    paths = access.scope_paths(user)
    step = Organisation.steplen
    prefixes = [org.path[: i * step] for i in range(1, org.depth)]
    wanted = [p for p in prefixes if any(p.startswith(s) for s in paths)]
    if not wanted:
        return []
    return list(Organisation.objects.filter(path__in=wanted).order_by("path"))


# --- what the page shows ---------------------------------------------------------------------


# How each KPI is worked out, in words a union worker reads (the statistics page's
# explanation under each card; the numerator's and denominator's names are the summary's).
KPI_FORMULAS = {
    "establishment_rate": gettext_lazy(
        "Grassroots unions ÷ (grassroots unions + employers that should have a union and have "
        "none, as the county, township and park unions last reported) × 100%"
    ),
    "membership_rate": gettext_lazy("Members ÷ employees reported by the unions × 100%"),
    "migrant_membership_rate": gettext_lazy(
        "Migrant members ÷ migrant employees reported by the unions × 100%"
    ),
    "card_activation_rate": gettext_lazy(
        "Service cards activated ÷ valid service cards at the month's end × 100%"
    ),
    "dues_collection_rate": gettext_lazy("Dues collected ÷ dues due in the month × 100%"),
    "motion_answer_rate": gettext_lazy(
        "Motions answered ÷ motions filed since 1 January, by the month's end × 100%"
    ),
    "motion_satisfaction_rate": gettext_lazy(
        "Verdicts satisfied or basically satisfied ÷ verdicts given (year to date) × 100%"
    ),
    "contract_coverage_rate": gettext_lazy(
        "Grassroots unions covered by a collective contract in force at the month's end "
        "(their own, or a regional or industry contract listing them) ÷ grassroots unions × 100%"
    ),
    "case_closure_rate": gettext_lazy(
        "Requests closed ÷ requests accepted since 1 January, by the month's end × 100% "
        "(consultations apart; a case reopened for review stays closed when it first was)"
    ),
    "case_satisfaction_rate": gettext_lazy(
        "Petitioners satisfied or basically satisfied ÷ petitioners reached by a follow-up "
        "(year to date) × 100%"
    ),
    "standard_rate": gettext_lazy(
        "Grassroots unions whose latest confirmed assessment meets the 六有六好 standard ÷ all "
        "grassroots unions (an unassessed union has not passed) × 100%"
    ),
}


@dataclass
class KpiCard:
    kpi: Kpi
    rate: Decimal | None
    numerator: int | Decimal
    denominator: int | Decimal
    money: bool
    change: Decimal | None
    target: Decimal | None
    # Organisations left out of the rate for lack of data (unions without employees).
    missing: int = 0

    @property
    def missing_text(self) -> str:
        if not self.missing:
            return ""
        if self.kpi.missing == "unions_without_migrant_employees":
            text = ngettext(
                "%(n)d union has not reported its migrant employees",
                "%(n)d unions have not reported their migrant employees",
                self.missing,
            )
        else:
            text = ngettext(
                "%(n)d union has not reported its employees",
                "%(n)d unions have not reported their employees",
                self.missing,
            )
        return text % {"n": self.missing}

    # Of the organisations directly below, how many have no denominator (the rate can't be
    # known for them), and how many there are.
    lacking: int | None = None
    below: int = 0

    @property
    def formula(self) -> str:
        return str(KPI_FORMULAS.get(self.kpi.code, ""))

    @property
    def numerator_label(self) -> str:
        return str(KPI_PARTS[self.kpi.code][0])

    @property
    def denominator_label(self) -> str:
        return str(KPI_PARTS[self.kpi.code][1])

    @property
    def change_display(self) -> str:
        return f"{self.change:+}" if self.change is not None else ""

    @property
    def below_target(self) -> bool:
        if self.rate is None or self.target is None:
            return False
        if self.kpi.higher_is_better:
            return self.rate < self.target
        return self.rate > self.target


@dataclass
class CountCard:
    code: str
    label: str
    value: int | Decimal
    money: bool = False
    change: int | Decimal | None = None

    @property
    def change_display(self) -> str:
        if self.change is None:
            return ""
        if self.money:
            return ("+" if self.change >= 0 else "") + money_text(self.change)
        return f"{self.change:+,}"


def _denominator(kpi: Kpi, snap: StatSnapshot):
    den = getattr(snap, kpi.denominator) or 0
    if kpi.denominator_plus:
        den += getattr(snap, kpi.denominator_plus) or 0
    return den


def kpi_cards(
    current: StatSnapshot, previous: StatSnapshot | None, targets: dict[str, Decimal]
) -> list[KpiCard]:
    cards = []
    for kpi in KPIS:
        rate = kpi.rate(current)
        before = kpi.rate(previous) if previous is not None else None
        cards.append(
            KpiCard(
                kpi=kpi,
                rate=rate,
                numerator=getattr(current, kpi.numerator) or 0,
                denominator=_denominator(kpi, current),
                money=kpi.numerator in SNAPSHOT_MONEY,
                change=rate - before if rate is not None and before is not None else None,
                target=targets.get(kpi.code),
                missing=(getattr(current, kpi.missing) or 0) if kpi.missing else 0,
            )
        )
    return cards


COUNTS = (
    ("members", lambda: _("Members")),
    ("unions", lambda: _("Grassroots unions")),
    ("relief_count", lambda: _("Relief payments this month")),
    ("relief_amount", lambda: _("Relief paid this month")),
    ("motions_answered", lambda: _("Motions answered this year")),
    ("honours", lambda: _("Honours this month")),
    ("reviewed_items", lambda: _("Items reviewed by the congress this month")),
    ("warmth_amount", lambda: _("Sending warmth (送温暖) paid this month")),
    ("warmth_households", lambda: _("Households visited by 送温暖 this month")),
    ("studios", lambda: _("Innovation studios")),
    ("exemplary_studios", lambda: _("of which exemplary (示范)")),
    ("contract_workers", lambda: _("Workers covered by collective contracts")),
    ("petition_visits", lambda: _("Petition visits this year (cases)")),
    ("petition_people", lambda: _("People on petition visits this year")),
    ("petition_letters", lambda: _("Petition letters this year")),
    ("petition_calls", lambda: _("Petition calls this year")),
    ("petitions_overdue", lambda: _("Overdue cases")),
)


def count_cards(current: StatSnapshot, previous: StatSnapshot | None) -> list[CountCard]:
    cards = []
    for code, label in COUNTS:
        value = getattr(current, code) or 0
        change = None
        if previous is not None and code in ("members", "unions", "studios"):
            change = value - (getattr(previous, code) or 0)
        cards.append(CountCard(code, label(), value, code in SNAPSHOT_MONEY, change))
    return cards


def _num(value) -> float | int | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def trend_data(snapshots: dict[date, StatSnapshot], month: date) -> dict:
    """The charts' data for json_script: labels 2026-11 and one series per line or bar;
    months without a snapshot are gaps (null)."""
    months = [add_months(month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]

    def series(getter) -> list:
        return [_num(getter(snapshots[m])) if m in snapshots else None for m in months]

    def column(name):
        return series(lambda s: getattr(s, name))

    def rate(code):
        return series(lambda s: s.rate(code))

    return {
        "labels": [month_label(m) for m in months],
        "charts": [
            {
                "id": "chart-rates",
                "title": _("Membership rates (%)"),
                "unit": "%",
                "kind": "line",
                "series": [
                    {
                        "label": str(KPI_BY_CODE["membership_rate"].label),
                        "data": rate("membership_rate"),
                    },
                    {
                        "label": str(KPI_BY_CODE["migrant_membership_rate"].label),
                        "data": rate("migrant_membership_rate"),
                    },
                ],
            },
            {
                "id": "chart-dues",
                "title": _("Dues collected and due (¥)"),
                "unit": "¥",
                "kind": "bar",
                "series": [
                    {"label": _("Dues due"), "data": column("dues_expected")},
                    {"label": _("Dues collected"), "data": column("dues_collected")},
                ],
            },
            {
                "id": "chart-relief",
                "title": _("Relief payments (count) and amount (¥)"),
                "unit": "",
                "unit2": "¥",
                "kind": "bar",
                "series": [
                    {"label": _("Relief payments"), "data": column("relief_count")},
                    {
                        "label": _("Relief paid"),
                        "data": column("relief_amount"),
                        "axis": "y1",
                        "kind": "line",
                    },
                ],
            },
            {
                "id": "chart-members",
                "title": _("Members (people)"),
                "unit": "",
                "kind": "line",
                "series": [{"label": _("Members"), "data": column("members")}],
            },
        ],
    }


@dataclass
class RankedRow:
    organisation: Organisation
    snapshot: StatSnapshot
    rates: list[Decimal | None]
    rate: Decimal | None
    position: int | None = None
    below_target: bool = False
    bottom_quartile: bool = False

    @property
    def lagging(self) -> bool:
        return self.below_target or self.bottom_quartile


def ranked_rows(
    snapshots: list[StatSnapshot], rank: Kpi, targets: dict[str, Decimal]
) -> list[RankedRow]:
    """Rows ranked by the chosen KPI, best first; a missing rate (no denominator) sorts last.
    A row lags when it is below the KPI's target, or in the bottom quarter of the rated rows
    (with at least four of them)."""
    rows = [
        RankedRow(
            organisation=s.organisation,
            snapshot=s,
            rates=[k.rate(s) for k in KPIS],
            rate=rank.rate(s),
        )
        for s in snapshots
    ]
    sign = -1 if rank.higher_is_better else 1
    rows.sort(
        key=lambda r: (
            r.rate is None,
            sign * (r.rate or 0),
            r.organisation.name,
            r.organisation.pk,
        )
    )
    rated = [r for r in rows if r.rate is not None]
    target = targets.get(rank.code)
    quarter = len(rated) // 4 if len(rated) >= 4 else 0
    for i, row in enumerate(rated):
        row.position = i + 1
        if target is not None:
            row.below_target = row.rate < target if rank.higher_is_better else row.rate > target
        if quarter and i >= len(rated) - quarter:
            row.bottom_quartile = True
    return rows


def kind_counts(user) -> list[tuple[str, int]]:
    """The active organisations in the user's scope by kind (one GROUP BY over the tree):
    what the dashboard can show before the first rollup."""
    counts = dict(
        access.organisations_in_scope(user)
        .active()
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    return [(kind.label, counts[kind.value]) for kind in OrgKind if counts.get(kind)]


# --- the whole page --------------------------------------------------------------------------


@dataclass
class Statistics:
    organisation: Organisation
    months: list[date]
    month: date | None
    rank: Kpi
    kpi_cards: list[KpiCard] = field(default_factory=list)
    count_cards: list[CountCard] = field(default_factory=list)
    trend: dict = field(default_factory=dict)
    rows: list[RankedRow] = field(default_factory=list)
    targets: dict[str, Decimal] = field(default_factory=dict)

    @property
    def month_options(self) -> list[tuple[str, bool]]:
        return [(month_label(m), m == self.month) for m in self.months]

    @property
    def month_value(self) -> str:
        return month_label(self.month) if self.month else ""

    @property
    def rank_options(self) -> list[tuple[Kpi, bool]]:
        return [(k, k.code == self.rank.code) for k in KPIS]

    @property
    def rank_index(self) -> int:
        return next(i for i, k in enumerate(KPIS) if k.code == self.rank.code)


def statistics_for(
    org: Organisation, *, month: str | None = None, rank: str | None = None
) -> Statistics:
    """Cards, trends and the ranked organisations below `org`, from snapshots only: three
    queries (the organisation's recent snapshots, the targets, the children's snapshots)
    whatever the data size; one when there are no snapshots yet."""
    recent = recent_snapshots(org)
    months = [s.month for s in recent[:SELECTABLE_MONTHS]]
    chosen = parse_month(month, months)
    stats = Statistics(organisation=org, months=months, month=chosen, rank=parse_rank(rank))
    if chosen is None:
        return stats
    start = add_months(chosen, -(TREND_MONTHS - 1))
    snapshots = {s.month: s for s in recent if start <= s.month <= chosen}
    current = snapshots[chosen]
    previous = snapshots.get(add_months(chosen, -1))
    stats.targets = targets_at(chosen)
    stats.kpi_cards = kpi_cards(current, previous, stats.targets)
    stats.count_cards = count_cards(current, previous)
    stats.trend = trend_data(snapshots, chosen)
    stats.rows = ranked_rows(children_snapshots(org, chosen), stats.rank, stats.targets)
    for i, card in enumerate(stats.kpi_cards):
        card.below = len(stats.rows)
        card.lacking = sum(1 for row in stats.rows if row.rates[i] is None)
    return stats


def dashboard_context(
    user,
    *,
    month: str | None = None,
    rank: str | None = None,
    todo: Callable[..., list] | None = None,
) -> dict:
    """Everything "/" shows for the user: the statistics of the top of their scope (the first
    one, when they hold roles over several) and the other tops to switch to. An auditor (no
    "view") gets no figures. The to-do panel's live counts load separately (views.todo_panel),
    so the page itself reads snapshots only; pass `todo` to include them here (the bench)."""
    tops = top_organisations(user) if access.can(user, "view") else []
    stats = statistics_for(tops[0], month=month, rank=rank) if tops else None
    return {
        "tops": tops,
        "stats": stats,
        "kind_counts": kind_counts(user) if stats and not stats.month else [],
        "todo": todo(user) if todo else None,
        "is_auditor": not tops and access.can(user, "audit.read"),
        "can_run_rollup": access.can(user, "jobs.view"),
    }


def statistics_context(
    user, org: Organisation, *, month: str | None = None, rank: str | None = None
) -> dict:
    """Everything the statistics page shows for an organisation inside the user's scope."""
    return {
        "tops": top_organisations(user),
        "ancestors": scoped_ancestors(user, org),
        "stats": statistics_for(org, month=month, rank=rank),
        "can_run_rollup": access.can(user, "jobs.view"),
    }
