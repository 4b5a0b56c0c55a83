"""Per-organisation competition figures for a window of dates (see members/stats.py for the
shape): competitions organised, entries, honours."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, QuerySet

from members.models import Organisation
from members.stats import within_subtree

from .models import Competition, Entry, Honour


def competitions(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """competitions: those the organisation organises that start in the window."""
    qs = Competition.objects.filter(starts_on__range=(start, end))
    return (
        within_subtree(qs, within, "organiser")
        .order_by()
        .values(organisation_id=F("organiser_id"))
        .annotate(competitions=Count("pk"))
    )


def entries(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    qs = Entry.objects.filter(registered_on__range=(start, end))
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(competition_entries=Count("pk"))
    )


def honours(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """honours: recorded in the window (an honour carries its year, not a day)."""
    qs = Honour.objects.filter(created_at__date__range=(start, end))
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(honours=Count("pk"))
    )


def competition_rows(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """The competitions starting in the window, organised within `within`, one row each with
    their number of entries: organiser, name, field and kind (codes), starts on, ends on,
    status (a code), entries; ordered by organiser and start."""
    qs = Competition.objects.filter(starts_on__range=(start, end))
    return (
        within_subtree(qs, within, "organiser")
        .order_by("organiser__path", "starts_on", "pk")
        .annotate(entry_count=Count("entries"))
        .values_list(
            "organiser__name",
            "name",
            "field",
            "kind",
            "starts_on",
            "ends_on",
            "status",
            "entry_count",
        )
    )


def honour_rows(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """The honours recorded in the window (as `honours` counts them), one row each: union,
    honour, level (a code), year, awarding body, member's name, team name, recorded at;
    ordered by union and recording time."""
    qs = Honour.objects.filter(created_at__date__range=(start, end))
    return (
        within_subtree(qs, within)
        .order_by("organisation__path", "created_at", "pk")
        .values_list(
            "organisation__name",
            "kind__name",
            "level",
            "year",
            "awarding_body",
            "member__name",
            "team_name",
            "created_at",
        )
    )
