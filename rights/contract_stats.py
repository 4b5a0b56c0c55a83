"""Per-organisation figures of collective contracts and mediation for a window of dates (see
members/stats.py for the shape; one aggregate row per organisation):

- coverage(): by the employer covered (a contract's own union, or each employer a regional or
  industry contract lists), for the contracts in force at the window's end (in force from
  `in_force_on`, within their term): contract_employers (1: each employer counts once however
  many contracts cover it) and contract_workers (the largest number of its workers any one of
  them covers: the same workers are never counted twice); the same by kind,
  contract_employers_<kind> and contract_workers_<kind>;
- signed(): contracts_signed, the contracts a union signed in the window;
- mediation(): of the cases applied for in the window, by the union whose committee received
  them: mediation_received, mediation_settled_in_time (settled by the window's end and within
  the 15 days of the application) and mediation_referred (referred to arbitration by the
  window's end).

Each figure reads dated fields that later events never move, so a past window stays as it
was."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce

from members.models import Organisation
from members.stats import within_subtree

from .models import (
    CollectiveContract,
    ContractEmployer,
    ContractKind,
    MediationCase,
    MediationOutcome,
)

KINDS = tuple(ContractKind.values)


def in_force_at(day: date) -> Q:
    """The contracts in force on `day` (as a Q on CollectiveContract)."""
    return Q(in_force_on__lte=day, starts_on__lte=day, ends_on__gte=day)


def coverage(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    live = CollectiveContract.objects.filter(in_force_at(end)).values("pk")
    qs = ContractEmployer.objects.filter(contract__in=live)
    figures = {
        "contract_employers": Count("organisation_id", distinct=True),
        "contract_workers": Coalesce(Max("workers"), 0),
    }
    for kind in KINDS:
        of_kind = Q(contract__kind=kind)
        figures[f"contract_employers_{kind}"] = Count(
            "organisation_id", distinct=True, filter=of_kind
        )
        figures[f"contract_workers_{kind}"] = Coalesce(Max("workers", filter=of_kind), 0)
    return within_subtree(qs, within).order_by().values("organisation_id").annotate(**figures)


def signed(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    qs = CollectiveContract.objects.filter(signed_on__range=(start, end))
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(contracts_signed=Count("pk"))
    )


def mediation(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    qs = MediationCase.objects.filter(applied_on__range=(start, end))
    settled = Q(status=MediationOutcome.SETTLED, closed_on__lte=end)
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            mediation_received=Count("pk"),
            mediation_settled_in_time=Count(
                "pk", filter=settled & Q(closed_on__lte=F("settle_by"))
            ),
            mediation_referred=Count(
                "pk", filter=Q(status=MediationOutcome.REFERRED, closed_on__lte=end)
            ),
        )
    )


def contract_rows(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """The contracts of the register (signed in the window, or still negotiating), for the
    Excel export, ordered by union and date."""
    qs = CollectiveContract.objects.filter(
        Q(signed_on__range=(start, end)) | Q(signed_on__isnull=True)
    )
    return (
        within_subtree(qs, within)
        .select_related("organisation")
        .order_by("organisation__path", "signed_on", "pk")
    )


def covered_by_contract(union: Organisation, day: date) -> bool:
    """Whether the union is covered by a collective contract in force on `day` (its own, or
    a regional or industry contract listing it)."""
    live = CollectiveContract.objects.filter(in_force_at(day)).values("pk")
    return ContractEmployer.objects.filter(contract__in=live, organisation=union).exists()
