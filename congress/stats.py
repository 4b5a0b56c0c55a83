"""Per-organisation congress figures for a window of dates (see members/stats.py for the
shape): sessions held, items reviewed, motions filed and answered, proposers' verdicts,
suggestions."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from members.models import Organisation
from members.stats import within_subtree

from .models import (
    CongressSession,
    Motion,
    MotionStatus,
    ReviewedItem,
    Suggestion,
    SuggestionStatus,
    Verdict,
)

S = MotionStatus
# Motions accepted as motions (立案): everything past review except rejected, converted or
# merged ones.
FILED_STATUSES = (S.FILED, S.ASSIGNED, S.ANSWERED, S.REOPENED, S.CLOSED)
SATISFIED = (Verdict.SATISFIED, Verdict.BASICALLY)


def sessions(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    qs = CongressSession.objects.filter(held_on__range=(start, end))
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(congress_sessions=Count("pk"))
    )


def reviewed_items(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """reviewed_items: the items (审议事项) reviewed by congress sessions held in the window, in
    the organisation whose session reviewed them (a flow: the window's sessions only)."""
    qs = ReviewedItem.objects.filter(session__held_on__range=(start, end))
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(reviewed_items=Count("pk"))
    )


def motions(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """Of the motions submitted in the window and filed: how many, how many answered by
    `end`, how many have the proposer's verdict, and how many of those are satisfied or
    basically satisfied (满意率)."""
    answered = Q(answered_on__isnull=False, answered_on__lte=end)
    qs = Motion.objects.filter(submitted_on__range=(start, end), status__in=FILED_STATUSES)
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            motions_filed=Count("pk"),
            motions_answered=Count("pk", filter=answered),
            motions_feedback=Count("pk", filter=answered & ~Q(verdict="")),
            motions_satisfied=Count("pk", filter=answered & Q(verdict__in=SATISFIED)),
        )
    )


def suggestions(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    qs = Suggestion.objects.filter(received_on__range=(start, end))
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            suggestions=Count("pk"),
            suggestions_adopted=Count("pk", filter=Q(status=SuggestionStatus.ADOPTED)),
        )
    )


def motion_rows(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """Every motion submitted in the window (whatever its status), one row each, for listings
    and exports (the reporting summary): union, number, title, submitted on, status (a code),
    answer due, answered on, verdict (a code); ordered by union, date and number."""
    qs = Motion.objects.filter(submitted_on__range=(start, end))
    return (
        within_subtree(qs, within)
        .order_by("organisation__path", "submitted_on", "number", "pk")
        .values_list(
            "organisation__name",
            "number",
            "title",
            "submitted_on",
            "status",
            "due_on",
            "answered_on",
            "verdict",
        )
    )
