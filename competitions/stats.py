"""Per-organisation competition figures for a window of dates (see members/stats.py for the
shape): competitions organised, entries, honours by kind and level, innovation studios by
level and the year they were named.

Honours count by the day they were awarded (`Honour.awarded_on`), never by the day they were
typed in: the honours of 2026 entered in December count in the quarter they were awarded.
The honour figures (`honours`), one column each, all counted in the honour's organisation:

    honours                         every honour awarded in the window
    honours_national                at national level (全国), any kind
    honours_provincial              at provincial level (省级), any kind
    honours_city                    at city level (市级), any kind
    honours_county                  at county or district level (县区级), any kind
    model_workers_national          全国劳动模范 (kind national_model_worker)
    advanced_workers_national       全国先进工作者 (national_advanced_worker)
    model_workers_provincial        省劳动模范 (provincial_model_worker)
    advanced_workers_provincial     省先进工作者 (provincial_advanced_worker)
    model_workers_city              市劳动模范 (city_model_worker)
    advanced_workers_city           市先进工作者 (city_advanced_worker)
    may_day_awards_<level>          五一劳动奖状 (may_day_award) at national, provincial, city level
    may_day_medals_<level>          五一劳动奖章 (may_day_medal) at national, provincial, city level
    pioneer_teams_<level>           工人先锋号 (pioneer_team) at national, provincial, city level

The four level columns add up to `honours`; a kind the administrator adds counts in `honours`
and its level's column only. A May-Day honour or pioneer team at county level counts in
`honours_county` only.

The studio figures (`studios`), in the studio's organisation; a studio has one level (city,
provincial or national, named at it on `recognised_on`) and may be exemplary (示范,
`exemplary_on`) as well, so an exemplary city-level studio counts in both columns:

    studios_named                   innovation studios (创新工作室) named in the window
    studios_named_<level>           ... at city, provincial, national level
    exemplary_studios_named         named exemplary (示范) in the window
    studios                         every studio named by the window's end
    studios_<level>                 ... at city, provincial, national level
    exemplary_studios               exemplary by the window's end
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet

from members.models import Organisation
from members.stats import within_subtree

from .models import Competition, Entry, Honour, HonourLevel, InnovationStudio, StudioLevel

L = HonourLevel

# column -> which honours it counts (the module docstring lists them in Chinese).
HONOUR_FIGURES: dict[str, Q] = {
    "honours_national": Q(level=L.NATIONAL),
    "honours_provincial": Q(level=L.PROVINCIAL),
    "honours_city": Q(level=L.CITY),
    "honours_county": Q(level=L.COUNTY),
    "model_workers_national": Q(kind__code="national_model_worker"),
    "advanced_workers_national": Q(kind__code="national_advanced_worker"),
    "model_workers_provincial": Q(kind__code="provincial_model_worker"),
    "advanced_workers_provincial": Q(kind__code="provincial_advanced_worker"),
    "model_workers_city": Q(kind__code="city_model_worker"),
    "advanced_workers_city": Q(kind__code="city_advanced_worker"),
    **{
        f"{column}_{level}": Q(kind__code=code, level=level)
        for column, code in (
            ("may_day_awards", "may_day_award"),
            ("may_day_medals", "may_day_medal"),
            ("pioneer_teams", "pioneer_team"),
        )
        for level in (L.NATIONAL, L.PROVINCIAL, L.CITY)
    },
}


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
    """honours awarded in the window, and the figures by kind and level (HONOUR_FIGURES, the
    module docstring)."""
    qs = Honour.objects.filter(awarded_on__range=(start, end))
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            honours=Count("pk"),
            **{name: Count("pk", filter=q) for name, q in HONOUR_FIGURES.items()},
        )
    )


def studios(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """Innovation studios (创新工作室), in the studio's organisation. Named in the window, by the
    level they were named at (one level each: the studio's current level and the day it was
    named at it, `recognised_on`): studios_named, studios_named_city, studios_named_provincial,
    studios_named_national; exemplary_studios_named: named 示范 in the window (`exemplary_on`;
    a studio may be city-level and 示范 at once, so it counts in both). Held at the window's
    end: studios (every studio named by then), studios_city, studios_provincial,
    studios_national and exemplary_studios (示范 by then)."""
    qs = InnovationStudio.objects.filter(recognised_on__lte=end)
    named = Q(recognised_on__gte=start)
    exemplary_by_end = Q(exemplary_on__isnull=False, exemplary_on__lte=end)
    levels = (StudioLevel.CITY, StudioLevel.PROVINCIAL, StudioLevel.NATIONAL)
    return (
        within_subtree(qs, within)
        .order_by()
        .values("organisation_id")
        .annotate(
            studios_named=Count("pk", filter=named),
            **{f"studios_named_{lv}": Count("pk", filter=named & Q(level=lv)) for lv in levels},
            exemplary_studios_named=Count("pk", filter=Q(exemplary_on__range=(start, end))),
            studios=Count("pk"),
            **{f"studios_{lv}": Count("pk", filter=Q(level=lv)) for lv in levels},
            exemplary_studios=Count("pk", filter=exemplary_by_end),
        )
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


def _awarded(start: date, end: date, within: Organisation | None) -> QuerySet:
    qs = Honour.objects.filter(awarded_on__range=(start, end))
    return within_subtree(qs, within).order_by("organisation__path", "awarded_on", "pk")


def honour_rows(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """The honours awarded in the window (as `honours` counts them), one row each: union,
    honour, level (a code), year, awarding body, member's name, team name, recorded at;
    ordered by union and award date. (honour_award_rows adds the award date.)"""
    return _awarded(start, end, within).values_list(
        "organisation__name",
        "kind__name",
        "level",
        "year",
        "awarding_body",
        "member__name",
        "team_name",
        "created_at",
    )


def honour_award_rows(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    """honour_rows with the award date: union, honour, level (a code), year, awarding body,
    member's name, team name, awarded on, recorded at."""
    return _awarded(start, end, within).values_list(
        "organisation__name",
        "kind__name",
        "level",
        "year",
        "awarding_body",
        "member__name",
        "team_name",
        "awarded_on",
        "created_at",
    )
