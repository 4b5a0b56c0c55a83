"""Per-organisation welfare figures for a window of dates (see members/stats.py for the
shape): open hardship files, relief paid, condolence visits, and the 送温暖 figures apart."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet

from members.models import Organisation
from members.stats import within_subtree
from unionportal.core.money import money_sum

from .models import CampaignKind, CondolenceVisit, FileStatus, HardshipFile, ReliefPayment


def hardship(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """hardship_files: approved files (households) open at `end`: approved now, or closed
    after `end`."""
    qs = HardshipFile.objects.filter(created_at__date__lte=end).filter(
        Q(status=FileStatus.APPROVED) | Q(status=FileStatus.CLOSED, closed_on__gt=end)
    )
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(hardship_files=Count("pk"))
    )


def relief(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """relief_count and relief_amount: payments made in the window."""
    qs = ReliefPayment.objects.filter(paid_on__range=(start, end))
    return (
        within_subtree(qs, within, "application__organisation")
        .order_by()
        .values(organisation_id=F("application__organisation_id"))
        .annotate(relief_count=Count("pk"), relief_amount=money_sum("amount"))
    )


def visits(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """visits_count and visits_amount: condolence visits made in the window."""
    qs = CondolenceVisit.objects.filter(visited_on__range=(start, end))
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(visits_count=Count("pk"), visits_amount=money_sum("amount"))
    )


def warmth(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """送温暖, reported apart from other relief: the visits made in the window within a
    campaign of the 送温暖 kind (CampaignKind.WINTER). warmth_amount: money paid or given;
    warmth_households: distinct persons visited (one household each, by the resident-ID blind
    index, so a person re-registered in another union of the same organisation counts once);
    warmth_enterprises: distinct employers visited (`CondolenceVisit.enterprise`, as typed;
    visits without one are not counted as enterprises). Distinct within each organisation
    (the visited member's union): an employer typed in the visits of two unions counts in
    each, as the subtree sums of reporting add the unions' figures."""
    qs = CondolenceVisit.objects.filter(
        visited_on__range=(start, end), campaign__kind=CampaignKind.WINTER
    )
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            warmth_amount=money_sum("amount"),
            warmth_households=Count("member__resident_id_index", distinct=True),
            warmth_enterprises=Count("enterprise", distinct=True, filter=~Q(enterprise="")),
        )
    )


def relief_payment_rows(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """The relief payments made in the window, one row each, for listings and exports (the
    reporting summary): union, member's name, masked resident ID, relief kind (a code),
    amount, paid on and payment reference; ordered by union and date. Same window and scope
    as `relief`, so the rows add up to its figures."""
    qs = ReliefPayment.objects.filter(paid_on__range=(start, end))
    return (
        within_subtree(qs, within, "application__organisation")
        .order_by("application__organisation__path", "paid_on", "pk")
        .values_list(
            "application__organisation__name",
            "application__member__name",
            "application__member__resident_id_masked",
            "application__kind",
            "amount",
            "paid_on",
            "reference",
        )
    )
