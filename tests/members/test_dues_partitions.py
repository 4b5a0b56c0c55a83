"""Dues records partitioned by month (issue 22 item 1): the migration on a populated table, the
partitions ahead and the default partition, and the same figures on every dues page, the
rollup and the statistics before and after."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from members import partitions, services, stats
from members.dues import add_months
from members.models import DuesRecord, DuesRollup

from .dues_helpers import MARCH, member, record

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

BEFORE = [("members", "0007_auditor_confirmation")]
AFTER = [("members", "0008_dues_partitioned")]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
MONTHS = [date(2023, 11, 1), date(2025, 2, 1), MARCH, date(2025, 4, 1)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("partitioning is PostgreSQL's (SQLite keeps one table)")


@pytest.fixture
def frozen():
    with time_machine.travel("2025-04-15 10:00 +0800", tick=False):
        yield


def _migrate(target):
    with connection.cursor() as cursor:  # no deferred FK checks pending before the rebuild
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _where(pk: int) -> str:
    """The table a row is physically stored in."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM members_duesrecord WHERE id = %s", [pk]
        )
        return cursor.fetchone()[0]


def _primary_key_columns() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
            "AND a.attnum = ANY(c.conkey) WHERE c.conrelid = 'members_duesrecord'::regclass "
            "AND c.contype = 'p' ORDER BY a.attnum"
        )
        return [r[0] for r in cursor.fetchall()]


@pytest.fixture
def history(city, frozen):
    """Dues of six members over four months (one long ago), some paid, some not."""
    made = [
        member(city.union_a, "4567.89"),
        member(city.union_a, "12345.67"),
        member(city.branch_a, "3000.00"),
        member(city.union_b, "8888.88"),
        member(city.branch_b, "5005.00"),
        member(city.branch_b, "9.99"),
    ]
    for month in MONTHS[1:]:
        services.dues_generate(month=month)
    record(made[0], MONTHS[0], "22.80", paid_on=date(2023, 11, 20))
    DuesRecord.objects.filter(month=MARCH, member__in=made[::2]).update(
        paid_on=date(2025, 3, 31), paid_how="payroll"
    )
    DuesRecord.objects.filter(month=date(2025, 2, 1), member=made[3]).update(
        paid_on=date(2025, 4, 2), paid_how="cash"
    )
    return made


def _page(response) -> str:
    """The page's main part, less its per-request CSRF tokens."""
    return CSRF.sub("", response.content.decode().split("<main", 1)[-1])


def figures(city, chair, as_user, made) -> dict:
    """Everything a user reads of dues: the rollups, the statistics, the pages, the export of
    the month's records, and an independent GROUP BY written here."""
    for month in MONTHS:
        services.dues_rollup(month=month)
    rollups = sorted(
        DuesRollup.objects.values_list(
            "organisation_id",
            "month",
            "members_liable",
            "expected",
            "collected",
            "arrears",
            "subtree_members_liable",
            "subtree_expected",
            "subtree_collected",
            "subtree_arrears",
        )
    )
    window = sorted(
        (r["organisation_id"], r["dues_expected"], r["dues_collected"])
        for r in stats.dues(date(2025, 1, 1), date(2025, 3, 31))
    )
    client = as_user(chair)
    pages = []
    for month in ("2023-11", "2025-02", "2025-03", "2025-04"):
        url = f"{reverse('members:dues_union')}?org={city.union_a.pk}&month={month}"
        response = client.get(url)
        assert response.status_code == 200
        pages.append(_page(response))
    lapse = f"{reverse('members:dues_lapse_candidates')}?org={city.union_a.pk}"
    assert client.get(lapse).status_code == 200
    pages.append(_page(client.get(lapse)))
    for m in made[:2]:
        response = client.get(reverse("members:dues_member", args=[m.pk]))
        assert response.status_code == 200
        pages.append(_page(response))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT organisation_id, month, COUNT(*), SUM(amount), "
            "SUM(CASE WHEN paid_on IS NOT NULL THEN amount ELSE 0 END) "
            "FROM members_duesrecord GROUP BY organisation_id, month ORDER BY 1, 2"
        )
        by_hand = cursor.fetchall()
    records = sorted(
        DuesRecord.objects.values_list("id", "member_id", "month", "amount", "paid_on", "paid_how")
    )
    return {
        "rollups": rollups,
        "window": window,
        "pages": pages,
        "by_hand": by_hand,
        "records": records,
    }


def test_the_migration_partitions_a_populated_table_and_every_figure_stays(
    city, chair_a, as_user, history
):
    assert partitions.is_partitioned()  # the test database was built through 0008
    _migrate(BEFORE)
    assert not partitions.is_partitioned() and _primary_key_columns() == ["id"]
    before = figures(city, chair_a, as_user, history)
    assert len(before["records"]) == 1 + 6 + 6 + 6
    _migrate(AFTER)
    assert partitions.is_partitioned()
    assert _primary_key_columns() == ["id", "month"]
    # Every row lives in its month's partition; the months ahead and the default exist.
    for pk, _member, month, *_rest in before["records"]:
        assert _where(pk) == partitions.partition_name(month)
    have = partitions.existing_partitions()
    assert partitions.DEFAULT_PARTITION in have
    assert partitions.partition_name(add_months(date.today().replace(day=1), 12)) in have
    after = figures(city, chair_a, as_user, history)
    assert after == before
    # The independent aggregate agrees with the rollup's own figures (city row, March).
    city_march = DuesRollup.objects.get(organisation=city.city, month=MARCH)
    march = [r for r in after["by_hand"] if r[1] == MARCH]
    assert city_march.subtree_members_liable == sum(r[2] for r in march) == 6
    assert city_march.subtree_expected == sum(r[3] for r in march)
    # New rows get fresh ids after the copied ones (the identity sequence was carried on).
    new = record(history[0], date(2025, 5, 1), "22.80")
    assert new.pk > max(r[0] for r in before["records"])


def test_reversing_the_migration_gives_back_one_plain_table_with_the_rows(city, history):
    rows = sorted(DuesRecord.objects.values_list("id", "month", "amount", "paid_on"))
    _migrate(BEFORE)
    assert not partitions.is_partitioned()
    assert sorted(DuesRecord.objects.values_list("id", "month", "amount", "paid_on")) == rows
    _migrate(AFTER)
    assert sorted(DuesRecord.objects.values_list("id", "month", "amount", "paid_on")) == rows


def test_a_month_without_a_partition_lands_in_the_default_one_and_moves_when_it_gets_one(
    city, frozen
):
    m = member(city.union_a, "5000.00")
    far = date(2031, 6, 1)  # paid years ahead: beyond the partitions made in advance
    assert partitions.partition_name(far) not in partitions.existing_partitions()
    ahead = record(m, far, "25.00", paid_on=date(2025, 4, 15))
    assert _where(ahead.pk) == partitions.DEFAULT_PARTITION
    call_command("dues_partitions", "--since", "2031-05", "--ahead", "80", stdout=None)
    out = partitions.existing_partitions()
    assert partitions.partition_name(far) in out
    assert _where(ahead.pk) == partitions.partition_name(far)
    assert DuesRecord.objects.filter(member=m).count() == 1  # moved, not copied
    # A second run creates nothing.
    assert partitions.ensure_partitions(since=date(2031, 5, 1), until=date(2031, 12, 1)) == []


def test_the_monthly_task_creates_the_coming_months_and_is_recorded(city):
    from members.tasks import dues_partitions_task
    from unionportal.core.models import JobRun

    with time_machine.travel("2029-03-01 01:00 +0800", tick=False):
        assert dues_partitions_task() == 13  # March 2029 to March 2030
        have = partitions.existing_partitions()
        assert partitions.partition_name(date(2030, 3, 1)) in have
        assert partitions.partition_name(date(2030, 4, 1)) not in have
        assert dues_partitions_task() == 0
    run = JobRun.objects.filter(task="dues_partitions").latest("pk")
    assert run.status == JobRun.Status.DONE and run.argument == "2030-03"


def test_generation_and_rollup_read_only_the_months_partition(city, frozen):
    member(city.union_a, "5000.00")
    services.dues_generate(month=MARCH)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT organisation_id, SUM(amount) FROM members_duesrecord "
            "WHERE month = %s GROUP BY organisation_id",
            [MARCH],
        )
        plan = " ".join(r[0] for r in cursor.fetchall())
    assert partitions.partition_name(MARCH) in plan
    assert partitions.partition_name(date(2025, 2, 1)) not in plan
    assert partitions.DEFAULT_PARTITION not in plan
    assert DuesRecord.objects.get(month=MARCH).amount == Decimal("25.00")


def test_the_application_role_cannot_create_partitions_and_says_so_only_when_one_is_due(db):
    """Under the role of manage.py db_roles (no DDL) the task leaves partitions to the owner:
    nothing to do while the coming months have theirs; a clear failure when one is missing."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE scale2_dues_app NOLOGIN")  # rolled back with the test
        cursor.execute("SET ROLE scale2_dues_app")
    try:
        assert partitions.ensure_partitions() == []
        with time_machine.travel("2031-01-01 01:00 +0800", tick=False):
            with pytest.raises(PermissionError, match="2031-01"):
                partitions.ensure_partitions()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
