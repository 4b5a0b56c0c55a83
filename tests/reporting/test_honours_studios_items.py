"""Honours by kind and level, innovation studios, items reviewed by congress sessions and the
送温暖 figures in the quarterly report and the statistics snapshots (issue 13 items 6, 13):
flows are the window's, studios held are a stock as of the window's end."""

from __future__ import annotations

from datetime import date

import pytest

from competitions.models import Honour, HonourKind, InnovationStudio
from congress import stats as congress_stats
from congress.models import CongressSession, ReviewedItem
from unionportal.reporting.indicators import BY_CODE, INDICATORS
from unionportal.reporting.models import SNAPSHOT_COLUMNS, StatSnapshot
from unionportal.reporting.rollup import stats_rollup
from unionportal.reporting.sources import figures_for

pytestmark = pytest.mark.django_db

Q3 = (date(2026, 7, 1), date(2026, 9, 30))
Q4 = (date(2026, 10, 1), date(2026, 12, 31))
TODAY = date(2026, 11, 20)


def _session(org, held_on, number):
    return CongressSession.objects.create(
        organisation=org, term=1, session_number=number, held_on=held_on,
        collection_opens=held_on, collection_closes=held_on, delegates_expected=30,
        delegates_present=30,
    )  # fmt: skip


def _item(session, n):
    return ReviewedItem.objects.create(
        session=session, organisation=session.organisation, title=f"事项{n}", kind="plan",
        votes_for=20, votes_against=5, votes_abstain=5, outcome="adopted",
    )  # fmt: skip


def test_items_count_by_the_day_their_session_was_held(city):
    last_day = _session(city.union_a, date(2026, 9, 30), 1)
    next_day = _session(city.union_a, date(2026, 10, 1), 2)
    for n in range(3):
        _item(last_day, n)
    _item(next_day, 9)
    assert list(congress_stats.reviewed_items(*Q3, city.city)) == [
        {"organisation_id": city.union_a.pk, "reviewed_items": 3}
    ]
    assert figures_for(city.city, *Q3)["reviewed_items"] == 3
    assert figures_for(city.county_a, *Q4)["reviewed_items"] == 1
    assert figures_for(city.county_b, *Q3)["reviewed_items"] == 0


def _studio(org, n, level, recognised_on, exemplary_on=None):
    return InnovationStudio.objects.create(
        organisation=org, name=f"工作室{n}", field="innovation", level=level,
        recognised_on=recognised_on, exemplary_on=exemplary_on,
    )  # fmt: skip


def test_studios_held_are_a_stock_named_ones_a_flow(city):
    _studio(city.union_a, 1, "city", date(2026, 8, 31), date(2026, 8, 31))  # city-level and 示范
    _studio(city.branch_a, 2, "provincial", date(2026, 9, 1))
    _studio(city.union_b, 3, "national", date(2026, 10, 1))  # next quarter
    for month in (8, 9, 10):
        stats_rollup(month=date(2026, month, 1), today=TODAY)
    snaps = {s.month.month: s for s in StatSnapshot.objects.filter(organisation=city.city)}
    assert [snaps[m].studios for m in (8, 9, 10)] == [1, 2, 3]
    assert [snaps[m].studios_named for m in (8, 9, 10)] == [1, 1, 1]
    assert [snaps[m].exemplary_studios for m in (8, 9, 10)] == [1, 1, 1]
    assert [snaps[m].exemplary_studios_named for m in (8, 9, 10)] == [1, 0, 0]
    assert (snaps[9].studios_city, snaps[9].studios_provincial) == (1, 1)
    q3 = figures_for(city.city, *Q3)
    assert (q3["studios"], q3["studios_named"], q3["exemplary_studios"]) == (2, 2, 1)
    assert (q3["studios_city"], q3["studios_provincial"], q3["studios_national"]) == (1, 1, 0)


def test_honours_by_kind_and_level_in_the_report_and_snapshot(city):
    kinds = {k.code: k for k in HonourKind.objects.all()}
    for code, level, on in (
        ("national_model_worker", "national", date(2026, 7, 1)),
        ("provincial_model_worker", "provincial", date(2026, 9, 30)),
        ("may_day_award", "provincial", date(2026, 8, 1)),
        ("may_day_medal", "city", date(2026, 8, 1)),
        ("may_day_medal", "city", date(2026, 10, 1)),  # next quarter
    ):
        Honour.objects.create(
            kind=kinds[code], level=level, year=2026, awarded_on=on, awarding_body="总工会",
            organisation=city.union_a, team_name="班组",
        )  # fmt: skip
    q3 = figures_for(city.city, *Q3)
    assert q3["honours"] == 4
    assert (q3["honours_national"], q3["honours_provincial"], q3["honours_city"]) == (1, 2, 1)
    assert q3["model_workers_national"] == q3["model_workers_provincial"] == 1
    assert q3["may_day_awards_provincial"] == q3["may_day_medals_city"] == 1
    stats_rollup(month=date(2026, 8, 1), today=TODAY)
    aug = StatSnapshot.objects.get(organisation=city.city, month=date(2026, 8, 1))
    assert (aug.honours, aug.may_day_awards_provincial, aug.may_day_medals_city) == (2, 1, 1)


def test_every_figure_of_the_snapshot_and_report_is_an_indicator_with_its_whole():
    computed = {i.code for i in INDICATORS if i.computed}
    for code in (
        "reviewed_items", "warmth_amount", "warmth_households", "warmth_enterprises",
        "studios", "exemplary_studios", "studios_named", "may_day_medals_provincial",
    ):  # fmt: skip
        assert code in computed and code in SNAPSHOT_COLUMNS, code
    assert BY_CODE["warmth_amount"].money and BY_CODE["warmth_amount"].part_of == "visits_amount"
    assert BY_CODE["exemplary_studios"].part_of == "studios"
    assert BY_CODE["model_workers_national"].part_of == "honours_national"
    assert BY_CODE["honours_national"].part_of == "honours"
    for i in INDICATORS:
        parts = i.part_of if isinstance(i.part_of, tuple) else (i.part_of,)
        assert all(p is None or p in BY_CODE for p in parts), i.code
