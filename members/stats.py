"""Per-organisation figures of members, cards, dues and unions for a window of dates, for the
quarterly reports and statistics snapshots (unionportal/reporting reads them through these
functions). Each returns one aggregate row per organisation (`organisation_id` plus named
figures) as a queryset, so the reporting app can run it for one union's subtree or compose it
into one set-based statement for every organisation.

Past windows are rebuilt from dates: a member counts at a date when they joined on or before
it and either still hold that status or changed it after the date. Members count where they
are now (a member transferred since counts in the new union).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum, Value

from .models import (
    GRASSROOTS_KINDS,
    CardStatus,
    DuesRecord,
    Gender,
    Member,
    MemberStatus,
    Organisation,
    ServiceCard,
)

M = MemberStatus
LEFT_STATUSES = (M.RETAINED, M.TRANSFERRED_OUT, M.WITHDRAWN, M.LAPSED, M.EXPELLED)


def within_subtree(
    qs: QuerySet, within: Organisation | None, field: str = "organisation"
) -> QuerySet:
    """The rows whose organisation (reached through `field`) lies in `within`'s subtree; all
    rows when `within` is None (the rollup, for every organisation)."""
    if within is None:
        return qs
    return qs.filter(**{f"{field}__path__startswith": within.path})


def membership(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """members: active at `end` (retained and applicants excluded, domain.md C); women and
    migrant members among them; retained members at `end`; new members who joined in the
    window and are not mere applicants."""
    active = Q(status=M.ACTIVE) | Q(status__in=LEFT_STATUSES, status_changed_on__gt=end)
    retained = Q(status=M.RETAINED) & (
        Q(status_changed_on__isnull=True) | Q(status_changed_on__lte=end)
    )
    qs = Member.objects.filter(joined_on__lte=end).exclude(status=M.APPLIED)
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            members=Count("pk", filter=active),
            women_members=Count("pk", filter=active & Q(gender=Gender.FEMALE)),
            migrant_members=Count("pk", filter=active & Q(is_migrant=True)),
            retained_members=Count("pk", filter=retained),
            new_members=Count("pk", filter=Q(joined_on__gte=start)),
        )
    )


def cards(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """cards_valid and cards_active at `end` (by the card's present status: lost, replaced
    and cancelled cards are out); cards_issued and cards_activated in the window."""
    valid = Q(status__in=(CardStatus.ISSUED, CardStatus.ACTIVE))
    qs = ServiceCard.objects.filter(issued_on__lte=end)
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            cards_valid=Count("pk", filter=valid),
            cards_active=Count("pk", filter=Q(status=CardStatus.ACTIVE, activated_on__lte=end)),
            cards_issued=Count("pk", filter=Q(issued_on__gte=start)),
            cards_activated=Count("pk", filter=Q(activated_on__range=(start, end))),
        )
    )


def dues(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """dues_expected and dues_collected for the months in the window (paid at any time)."""
    qs = DuesRecord.objects.filter(month__gte=start.replace(day=1), month__lte=end)
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            dues_expected=Sum("amount"),
            dues_collected=Sum("amount", filter=Q(paid_on__isnull=False)),
        )
    )


def unions(end: date, within: Organisation | None = None) -> QuerySet:
    """Each grassroots union active at `end`: unions = 1, with its employees and migrant
    employees (branches and groups share their union's workforce, so they add nothing)."""
    qs = Organisation.objects.filter(kind__in=GRASSROOTS_KINDS).filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=end),
        Q(active=True) | Q(dissolved_on__gt=end),
    )
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return qs.order_by().values(
        "employees", "migrant_employees", organisation_id=F("id"), unions=Value(1)
    )
