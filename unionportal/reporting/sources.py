"""Where the reporting app's figures come from: each app's own query functions (members.stats,
welfare.stats, congress.stats, competitions.stats), never their tables directly
(architecture.md: "reporting reads the others through each app's own query functions").

Every source is a queryset of one aggregate row per organisation (`organisation_id` plus named
figures). A quarterly report sums them over one union's subtree (`figures_for`); the
statistics rollup composes them into one SQL statement for every organisation (rollup.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value

from assessment import stats as assessment_stats
from competitions import stats as competition_stats
from congress import stats as congress_stats
from members import stats as member_stats
from members.models import FederationLevel, Organisation, OrgKind
from rights import contract_stats
from rights import stats as rights_stats
from welfare import stats as welfare_stats

# Counties, townships and parks report the employers in their area without a union.
TERRITORIAL = Q(kind=OrgKind.FEDERATION, level=FederationLevel.COUNTY) | Q(
    kind__in=(OrgKind.TOWNSHIP_UNION, OrgKind.PARK_UNION)
)


def employers_without_union(end: date, within: Organisation | None = None) -> QuerySet:
    """Per county, township or park union: the employers without a union in force on `end`,
    from its latest accepted report for a quarter that has begun by then. A quarterly figure
    holds for the months of its quarter and after, until a newer one is accepted; a submitted
    figure not yet accepted is not in force. Unions with no figure in force have no row
    (territories_reporting counts those that have one)."""
    from .models import QuarterlyReport, ReportStatus

    latest = (
        QuarterlyReport.objects.filter(
            organisation=OuterRef("pk"),
            period__starts_on__lte=end,
            employers_without_union__isnull=False,
            status=ReportStatus.ACCEPTED,
        )
        .order_by("-period__ends_on")
        .values("employers_without_union")[:1]
    )
    qs = Organisation.objects.filter(TERRITORIAL)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return (
        qs.order_by()
        .annotate(ewu=Subquery(latest))
        .filter(ewu__isnull=False)
        .values(
            organisation_id=F("id"),
            employers_without_union=F("ewu"),
            territories_reporting=Value(1),
        )
    )


def sources(
    start: date, end: date, within: Organisation | None = None, *, year_to_date_motions=False
) -> list[QuerySet]:
    """The per-organisation aggregates for a window. Motion and casework figures can run from
    the 1st of January (snapshots: the answer and closure rates of the year so far)."""
    motions_from = date(end.year, 1, 1) if year_to_date_motions else start
    return [
        member_stats.membership(start, end, within),
        member_stats.cards(start, end, within),
        member_stats.dues(start, end, within),
        member_stats.unions(end, within),
        welfare_stats.hardship(start, end, within),
        welfare_stats.relief(start, end, within),
        welfare_stats.visits(start, end, within),
        welfare_stats.warmth(start, end, within),
        congress_stats.sessions(start, end, within),
        congress_stats.reviewed_items(start, end, within),
        congress_stats.motions(motions_from, end, within),
        congress_stats.suggestions(start, end, within),
        competition_stats.competitions(start, end, within),
        competition_stats.entries(start, end, within),
        competition_stats.honours(start, end, within),
        # Studios held are a stock: as of `end` (never summed over months).
        competition_stats.studios(start, end, within),
        rights_stats.received(motions_from, end, within),
        rights_stats.closure(motions_from, end, within),
        rights_stats.follow_ups(motions_from, end, within),
        # Overdue requests are a stock: as of `end`.
        rights_stats.overdue(start, end, within),
        # Contract coverage is a stock (as of `end`); signing and mediation are flows.
        contract_stats.coverage(start, end, within),
        contract_stats.signed(start, end, within),
        contract_stats.mediation(start, end, within),
        # The 六有六好 result of record at `end` (a stock).
        assessment_stats.standards(start, end, within),
    ]


def columns_of(qs: QuerySet) -> list[str]:
    """The output column names of a values() queryset, in SELECT order."""
    return [*qs.query.values_select, *qs.query.annotation_select]


def figures_for(union: Organisation, start: date, end: date) -> dict[str, int | Decimal]:
    """The computed indicators of one union (its whole subtree: branches and groups included)
    for a window, summed from every source. Figures with no records are 0."""
    from .indicators import BY_CODE, INDICATORS

    # Money sources sum with money_sum, so their figures are exact Decimals on every database.
    totals: dict[str, int | Decimal] = {
        i.code: Decimal("0.00") if BY_CODE[i.code].money else 0 for i in INDICATORS if i.computed
    }
    for qs in sources(start, end, union):
        names = [n for n in columns_of(qs) if n in totals]
        for row in qs:
            for name in names:
                totals[name] += row[name] or 0
    return totals
