"""Per-organisation figures of members, cards, dues and unions for a window of dates, for the
quarterly reports and statistics snapshots (unionportal/reporting reads them through these
functions). Each returns one aggregate row per organisation (`organisation_id` plus named
figures) as a queryset, so the reporting app can run it for one union's subtree or compose it
into one set-based statement for every organisation.

Past windows are counted as of their end from dated records: members from the membership
history (MembershipSpell: the union, status and attributes a person held on each day), cards
from their issue, activation and end dates, dues payments by the day they were paid. Adding or
changing a record dated after a window never changes the window's figures.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Length, Substr

from unionportal.core.money import money_sum

from .models import (
    GRASSROOTS_KINDS,
    DuesRecord,
    Gender,
    MembershipSpell,
    MemberStatus,
    Organisation,
    ServiceCard,
    SpellStart,
)

M = MemberStatus


def within_subtree(
    qs: QuerySet, within: Organisation | None, field: str = "organisation"
) -> QuerySet:
    """The rows whose organisation (reached through `field`) lies in `within`'s subtree; all
    rows when `within` is None (the rollup, for every organisation)."""
    if within is None:
        return qs
    return qs.filter(**{f"{field}__path__startswith": within.path})


def held_at(day: date) -> Q:
    """The spells that hold on `day` (MembershipSpellQuerySet.at, as a Q to filter with)."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def unions_at(end: date) -> QuerySet:
    """The grassroots unions that stand at `end`: founded by then and not yet dissolved."""
    return Organisation.objects.filter(kind__in=GRASSROOTS_KINDS).filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=end),
        Q(active=True) | Q(dissolved_on__gt=end),
    )


def reporting(end: date, figure: str) -> QuerySet:
    """The ids of the organisations whose grassroots union stands at `end` and has reported
    `figure` (employees or migrant_employees): the union itself, its branches and groups.
    Members elsewhere (in a union without the figure, or held above the grassroots) are not
    counted within an employer of known workforce (domain.md C)."""
    union = unions_at(end).filter(
        **{f"{figure}__isnull": False},
        path=Substr(OuterRef("path"), 1, Length("path")),
    )
    return Organisation.objects.filter(Exists(union)).order_by().values("pk")


def membership(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """members: active at `end` (retained and applicants excluded, domain.md C); women and
    migrant members among them; retained members at `end`; new members, who joined (were
    approved) in the window, whatever happened to them afterwards. Each person counts in the
    union that held them at `end`. members_counted and migrant_members_counted are the
    numerators of the membership rates: the (migrant) members of unions that reported their
    (migrant) employees."""
    at_end = held_at(end)
    active = at_end & Q(status=M.ACTIVE)
    migrant = active & Q(is_migrant=True)
    qs = MembershipSpell.objects.overlapping(start, end)
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            members=Count("pk", filter=active),
            women_members=Count("pk", filter=active & Q(gender=Gender.FEMALE)),
            migrant_members=Count("pk", filter=migrant),
            retained_members=Count("pk", filter=at_end & Q(status=M.RETAINED)),
            new_members=Count("pk", filter=Q(started_by=SpellStart.JOIN, valid_from__gte=start)),
            members_counted=Count(
                "pk", filter=active & Q(organisation_id__in=reporting(end, "employees"))
            ),
            migrant_members_counted=Count(
                "pk",
                filter=migrant & Q(organisation_id__in=reporting(end, "migrant_employees")),
            ),
        )
    )


def cards(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """cards_valid and cards_active at `end` (a card is valid from its issue until the day it
    was reported lost, replaced or cancelled); cards_issued and cards_activated in the
    window."""
    valid = Q(ended_on__isnull=True) | Q(ended_on__gt=end)
    qs = ServiceCard.objects.filter(issued_on__lte=end)
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            cards_valid=Count("pk", filter=valid),
            cards_active=Count("pk", filter=valid & Q(activated_on__lte=end)),
            cards_issued=Count("pk", filter=Q(issued_on__gte=start)),
            cards_activated=Count("pk", filter=Q(activated_on__range=(start, end))),
        )
    )


def dues(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """dues_expected and dues_collected for the months in the window; collected means paid by
    `end` (a payment made later counts in the figures of the day it was made, not back)."""
    qs = DuesRecord.objects.filter(month__gte=start.replace(day=1), month__lte=end)
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            dues_expected=money_sum("amount"),
            dues_collected=money_sum("amount", filter=Q(paid_on__lte=end)),
        )
    )


def _missing(figure: str) -> Case:
    return Case(When(**{f"{figure}__isnull": True}, then=1), default=0)


def unions(end: date, within: Organisation | None = None) -> QuerySet:
    """Each grassroots union standing at `end`: unions = 1, employers_with_union = the
    employers it covers (a joint union covers several, domain.md B), its employees and migrant
    employees (None where not reported) and whether each is missing. Branches and groups
    share their union's workforce, so they add nothing."""
    qs = unions_at(end)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return qs.order_by().values(
        "employees",
        "migrant_employees",
        organisation_id=F("id"),
        unions=Value(1),
        employers_with_union=F("employers_covered"),
        unions_without_employees=_missing("employees"),
        unions_without_migrant_employees=_missing("migrant_employees"),
    )
