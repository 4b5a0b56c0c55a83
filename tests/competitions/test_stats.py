"""competitions/stats.py: per-organisation figures for a window. Honours count by the day they
were awarded, by kind and level; innovation studios by level and the year they were named."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from competitions import services, stats
from competitions.models import HonourKind
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

Q3 = (date(2026, 7, 1), date(2026, 9, 30))
Q4 = (date(2026, 10, 1), date(2026, 12, 31))


def figures(fn, window, within=None):
    return {row["organisation_id"]: row for row in fn(*window, within)}


def honour(org, code, level, awarded_on, **kw):
    kind = HonourKind.objects.get(code=code)
    member = MemberFactory(organisation=org) if kind.recipient == "member" else None
    return services.honour_create(
        actor=None, kind=kind, level=level, year=awarded_on.year, awarded_on=awarded_on,
        awarding_body="宜昌市总工会", organisation=org, member=member, **kw,
    )  # fmt: skip


def test_honours_typed_in_december_count_in_the_quarter_they_were_awarded(city):
    """Before: counted by the day they were recorded, all in Q4 and none in Q3."""
    with time_machine.travel("2026-12-02 10:00 +0800"):
        for _ in range(3):
            honour(city.union_a, "may_day_medal", "city", date(2026, 9, 30))  # Q3's last day
        honour(city.union_a, "may_day_medal", "city", date(2026, 10, 1))  # Q4's first
    assert figures(stats.honours, Q3)[city.union_a.pk]["honours"] == 3
    assert figures(stats.honours, Q4)[city.union_a.pk]["honours"] == 1
    rows = list(stats.honour_rows(*Q3, city.county_a))
    assert len(rows) == 3 and all(r[-1].date() == date(2026, 12, 2) for r in rows)
    awarded = list(stats.honour_award_rows(*Q3, city.county_a))
    assert [r[7] for r in awarded] == [date(2026, 9, 30)] * 3


def test_honours_by_kind_and_level(city):
    day = date(2026, 4, 28)
    for code, level, n in [
        ("national_model_worker", "national", 2),
        ("provincial_model_worker", "provincial", 1),
        ("national_advanced_worker", "national", 1),
        ("may_day_medal", "national", 1),
        ("may_day_medal", "provincial", 2),
        ("may_day_medal", "city", 3),
        ("may_day_award", "provincial", 1),
        ("pioneer_team", "city", 1),
        ("may_day_medal", "county", 1),
        ("skills_champion", "city", 1),
    ]:
        for _ in range(n):
            honour(city.union_a, code, level, day, team_name="焊接班")
    row = figures(stats.honours, (date(2026, 4, 1), date(2026, 6, 30)))[city.union_a.pk]
    assert {k: v for k, v in row.items() if v and k != "organisation_id"} == {
        "honours": 14,
        "honours_national": 4,
        "honours_provincial": 4,
        "honours_city": 5,
        "honours_county": 1,
        "model_workers_national": 2,
        "advanced_workers_national": 1,
        "model_workers_provincial": 1,
        "may_day_medals_national": 1,
        "may_day_medals_provincial": 2,
        "may_day_medals_city": 3,
        "may_day_awards_provincial": 1,
        "pioneer_teams_city": 1,
    }
    assert set(row) == {"organisation_id", "honours", *stats.HONOUR_FIGURES}


def test_honour_figures_stay_in_the_subtree_asked_for(city):
    honour(city.union_a, "may_day_medal", "city", date(2026, 8, 1))
    honour(city.union_b, "may_day_medal", "city", date(2026, 8, 1))
    assert set(figures(stats.honours, Q3, city.county_a)) == {city.union_a.pk}
    assert set(figures(stats.honours, Q3)) == {city.union_a.pk, city.union_b.pk}


# --- Innovation studios --------------------------------------------------------------------


def studio(org, level, named, exemplary=None):
    return services.studio_create(
        actor=None, organisation=org, name=f"{level}工作室", field="innovation", level=level,
        recognised_on=named, exemplary_on=exemplary, today=date(2026, 12, 31),
    )  # fmt: skip


def test_studios_by_level_and_the_year_they_were_named(city):
    """A city-level studio named 示范 counts as city-level and as exemplary (before: one level
    each, "exemplary" instead of city)."""
    studio(city.union_a, "city", date(2025, 4, 28), exemplary=date(2026, 4, 28))
    studio(city.union_a, "city", date(2026, 1, 1))
    studio(city.union_a, "provincial", date(2026, 12, 31), exemplary=date(2026, 12, 31))
    studio(city.union_a, "national", date(2024, 5, 1))
    studio(city.union_b, "city", date(2026, 6, 1))  # another union's
    year_2026 = figures(stats.studios, (date(2026, 1, 1), date(2026, 12, 31)))[city.union_a.pk]
    assert {k: v for k, v in year_2026.items() if k != "organisation_id"} == {
        "studios_named": 2,
        "studios_named_city": 1,
        "studios_named_provincial": 1,
        "studios_named_national": 0,
        "exemplary_studios_named": 2,
        "studios": 4,
        "studios_city": 2,
        "studios_provincial": 1,
        "studios_national": 1,
        "exemplary_studios": 2,
    }
    year_2025 = figures(stats.studios, (date(2025, 1, 1), date(2025, 12, 31)))[city.union_a.pk]
    assert (year_2025["studios_named_city"], year_2025["exemplary_studios_named"]) == (1, 0)
    assert (year_2025["studios"], year_2025["exemplary_studios"]) == (2, 0)
    county_b = figures(stats.studios, (date(2026, 1, 1), date(2026, 12, 31)), city.county_b)
    assert set(county_b) == {city.union_b.pk} and county_b[city.union_b.pk]["studios_city"] == 1


def test_a_studio_is_not_named_in_the_future(city):
    with pytest.raises(ValidationError):
        studio(city.union_a, "city", date(2026, 1, 1), exemplary=date(2027, 1, 1))
