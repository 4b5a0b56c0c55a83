"""The data migrations of competitions: award dates backfilled from the local recording day,
the built-in kinds renamed to Chinese (names the administrator changed are kept), exemplary
studios given a level. Run on the historical models inside the test's transaction
(PostgreSQL rolls the schema back too)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db

BEFORE = [("competitions", "0005_honour_awarded_on")]
AFTER = [("competitions", "0008_awarded_on_required")]
LATEST = [("competitions", "0012_exemplary_studios")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def immediate():
    """Rows written in the test must not leave deferred checks pending before an ALTER TABLE."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_award_dates_come_from_the_local_recording_day_and_kinds_are_renamed(city):
    immediate()
    apps = migrate(BEFORE)
    Honour = apps.get_model("competitions", "Honour")
    HonourKind = apps.get_model("competitions", "HonourKind")
    HonourKind.objects.filter(code="top_ten_star").update(name="宜昌十佳")  # renamed by hand
    HonourKind.objects.filter(code="may_day_medal").update(name="May-Day labour medal")
    honour = Honour.objects.create(
        kind=HonourKind.objects.get(code="may_day_medal"), level="city", year=2026,
        awarding_body="市总", organisation_id=city.union_a.pk, team_name="焊接班",
    )  # fmt: skip
    # 2026-09-30 23:30 in Beijing is still the 30th there, the 30th 15:30 in UTC.
    Honour.objects.filter(pk=honour.pk).update(created_at="2026-09-30T23:30:00+08:00")
    late = Honour.objects.create(
        kind=HonourKind.objects.get(code="may_day_medal"), level="city", year=2026,
        awarding_body="市总", organisation_id=city.union_a.pk, team_name="焊接班",
    )  # fmt: skip
    Honour.objects.filter(pk=late.pk).update(created_at="2026-10-01T00:30:00+08:00")
    apps = migrate(AFTER)
    Honour = apps.get_model("competitions", "Honour")
    HonourKind = apps.get_model("competitions", "HonourKind")
    assert Honour.objects.get(pk=honour.pk).awarded_on == date(2026, 9, 30)
    assert Honour.objects.get(pk=late.pk).awarded_on == date(2026, 10, 1)
    names = dict(HonourKind.objects.values_list("code", "name"))
    assert names["may_day_medal"] == "五一劳动奖章"
    assert names["national_model_worker"] == "全国劳动模范"
    assert names["top_ten_star"] == "宜昌十佳"
    levels = dict(HonourKind.objects.values_list("code", "level"))
    assert (levels["national_model_worker"], levels["may_day_medal"]) == ("national", "")


def test_an_exemplary_studio_keeps_the_distinction_and_takes_the_city_level(city):
    immediate()
    apps = migrate([("competitions", "0011_studio_exemplary_apart_from_level")])
    Studio = apps.get_model("competitions", "InnovationStudio")
    kw = dict(organisation_id=city.union_a.pk, field="innovation", recognised_on=date(2024, 4, 28))
    exemplary = Studio.objects.create(name="示范工作室", level="exemplary", **kw)
    provincial = Studio.objects.create(name="省级工作室", level="provincial", **kw)
    apps = migrate(LATEST)
    Studio = apps.get_model("competitions", "InnovationStudio")
    assert Studio.objects.filter(pk=exemplary.pk).values_list("level", "exemplary_on").get() == (
        "city", date(2024, 4, 28),
    )  # fmt: skip
    assert Studio.objects.filter(pk=provincial.pk).values_list("level", "exemplary_on").get() == (
        "provincial", None,
    )  # fmt: skip
