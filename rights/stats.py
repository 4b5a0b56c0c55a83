"""Per-organisation casework figures for a window of dates (see members/stats.py for the
shape), counted by the union that received each case (a county's subtree sums carry the
cases it and the unions under it received):

- petition_visits / petition_people: visit cases (案次) and the people who came (人次);
- petition_letters, petition_calls (a call is one case and one person), petition_online:
  requests received by letter, call and online; consultations apart (`petition_consultations`);
- petitions_accepted: requests accepted in the window; petitions_closed: of those, closed (the
  first closure; a later review does not undo it) by the window's end;
  petitions_closed_on_time: of those, closed by their deadline. 办结率 = closed ÷ accepted
  (domain.md K);
- petitions_followed_up / petitions_satisfied: follow-ups that reached the petitioner in the
  window, and of them satisfied or basically satisfied;
- petitions_overdue: requests accepted by the window's end, not closed by then, whose conclusion
  deadline (of the first handling: a later review's deadline never reaches back) had passed at
  the end.

Every figure is read from dated fields that a later event never rewrites, so a past window's
figures stay as they were."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from members.models import Organisation
from members.stats import within_subtree

from .models import SATISFIED, Case, CaseKind, Channel, Satisfaction

REQUEST = Q(kind=CaseKind.REQUEST)


def received(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    qs = Case.objects.filter(received_on__range=(start, end))
    visits = REQUEST & Q(channel=Channel.VISIT)
    return (
        within_subtree(qs, within, "received_by")
        .order_by()
        .values(organisation_id=F("received_by_id"))
        .annotate(
            petition_visits=Count("pk", filter=visits),
            petition_people=Coalesce(Sum("people", filter=visits), 0),
            petition_letters=Count("pk", filter=REQUEST & Q(channel=Channel.LETTER)),
            petition_calls=Count("pk", filter=REQUEST & Q(channel=Channel.CALL)),
            petition_online=Count("pk", filter=REQUEST & Q(channel=Channel.ONLINE)),
            petition_consultations=Count("pk", filter=Q(kind=CaseKind.CONSULTATION)),
        )
    )


def closure(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    qs = Case.objects.filter(REQUEST, accepted_on__range=(start, end))
    closed = Q(first_closed_on__lte=end)
    return (
        within_subtree(qs, within, "received_by")
        .order_by()
        .values(organisation_id=F("received_by_id"))
        .annotate(
            petitions_accepted=Count("pk"),
            petitions_closed=Count("pk", filter=closed),
            petitions_closed_on_time=Count("pk", filter=closed & Q(first_closed_on_time=True)),
        )
    )


def follow_ups(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    qs = Case.objects.filter(REQUEST, followed_up_on__range=(start, end)).exclude(
        satisfaction=Satisfaction.UNREACHABLE
    )
    return (
        within_subtree(qs, within, "received_by")
        .order_by()
        .values(organisation_id=F("received_by_id"))
        .annotate(
            petitions_followed_up=Count("pk"),
            petitions_satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED)),
        )
    )


def overdue(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    qs = Case.objects.filter(REQUEST, accepted_on__lte=end, first_conclude_by__lt=end).filter(
        Q(first_closed_on__isnull=True) | Q(first_closed_on__gt=end)
    )
    return (
        within_subtree(qs, within, "received_by")
        .order_by()
        .values(organisation_id=F("received_by_id"))
        .annotate(petitions_overdue=Count("pk"))
    )


def case_rows(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """The cases received in the window, one row each, for the register's export and the
    reporting summary: never the petitioner's identity (the masked contact only)."""
    qs = Case.objects.filter(received_on__range=(start, end))
    return within_subtree(qs, within, "received_by").order_by(
        "received_by__path", "received_on", "pk"
    )
