"""The monthly dues rollup (security.md H5): checked against a SUM() oracle written here in
raw SQL, idempotent, safe to retry after a failure halfway, and the same on PostgreSQL."""

import threading
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from celery.schedules import crontab
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from members import services
from members.models import DuesRecord, DuesRollup, Organisation, OrgKind
from members.tasks import generate_dues_task, rollup_dues_task, rollup_recent_dues_task
from unionportal.celery import app
from unionportal.core.models import JobRun

from .dues_helpers import MARCH, member, record

pytestmark = pytest.mark.django_db
APRIL = date(2025, 4, 1)
FIGURES = (
    "members_liable",
    "expected",
    "collected",
    "arrears",
    "subtree_members_liable",
    "subtree_expected",
    "subtree_collected",
    "subtree_arrears",
)


def oracle(month: date) -> dict[int, tuple]:
    """Own and subtree figures of every organisation, straight from members_duesrecord."""
    cents = Decimal("0.01")
    out = {}
    with connection.cursor() as cur:
        cur.execute("SELECT id, path FROM members_organisation")
        for org_id, path in cur.fetchall():
            cur.execute(
                "SELECT COUNT(*), SUM(amount),"
                " SUM(CASE WHEN paid_on IS NULL THEN 0 ELSE amount END),"
                " SUM(CASE WHEN paid_on IS NULL THEN amount ELSE 0 END)"
                " FROM members_duesrecord WHERE month = %s AND organisation_id = %s",
                [month, org_id],
            )
            own = cur.fetchone()
            cur.execute(
                "SELECT COUNT(*), SUM(r.amount),"
                " SUM(CASE WHEN r.paid_on IS NULL THEN 0 ELSE r.amount END),"
                " SUM(CASE WHEN r.paid_on IS NULL THEN r.amount ELSE 0 END)"
                " FROM members_duesrecord r"
                " JOIN members_organisation d ON d.id = r.organisation_id"
                " WHERE r.month = %s AND d.path LIKE %s",
                [month, path + "%"],
            )
            sub = cur.fetchone()
            out[org_id] = tuple(
                v if i % 4 == 0 else Decimal(str(v or 0)).quantize(cents)
                for i, v in enumerate(own + sub)
            )
    return out


def rollup_rows(month: date) -> dict[int, tuple]:
    rows = DuesRollup.objects.filter(month=month).values_list("organisation_id", *FIGURES)
    return {r[0]: tuple(r[1:]) for r in rows}


@pytest.fixture
def dues(city):
    """Members across both counties, three months of dues, some paid."""
    made = []
    for org, wage in [
        (city.union_a, "4567.89"),
        (city.union_a, "12345.67"),
        (city.branch_a, "3000.00"),
        (city.branch_a, "9.99"),
        (city.union_b, "8888.88"),
        (city.branch_b, "5005.00"),
    ]:
        made.append(member(org, wage))
    for month in (date(2025, 2, 1), MARCH, APRIL):
        services.dues_generate(month=month)
    DuesRecord.objects.filter(month=MARCH, member__in=made[::2]).update(
        paid_on=date(2025, 3, 31), paid_how="payroll"
    )
    return made


def test_the_rollup_equals_the_sum_oracle_for_every_organisation(city, dues):
    services.dues_rollup(month=MARCH)
    assert rollup_rows(MARCH) == oracle(MARCH)
    city_row = DuesRollup.objects.get(organisation=city.city, month=MARCH)
    assert city_row.subtree_members_liable == 6
    # 22.80 + 61.70 + 15.00 + 0.00 + 44.40 + 25.00
    assert city_row.subtree_expected == Decimal("168.90")
    assert city_row.subtree_collected + city_row.subtree_arrears == city_row.subtree_expected


def test_running_the_rollup_twice_gives_the_same_rows(city, dues):
    services.dues_rollup(month=MARCH)
    first = rollup_rows(MARCH)
    services.dues_rollup(month=MARCH)
    assert rollup_rows(MARCH) == first == oracle(MARCH)
    assert DuesRollup.objects.filter(month=MARCH).count() == Organisation.objects.count()


def test_a_rollup_that_fails_halfway_leaves_the_old_rows_and_a_retry_puts_it_right(city, dues):
    services.dues_rollup(month=MARCH)
    before = rollup_rows(MARCH)
    DuesRecord.objects.filter(month=MARCH, paid_on__isnull=True).update(
        paid_on=date(2025, 4, 2), paid_how="cash"
    )
    statements = []

    def crash_after_the_upsert(execute, sql, params, many, context):
        statements.append(sql)
        if sql.lstrip().startswith("DELETE FROM members_duesrollup"):
            raise RuntimeError("worker killed halfway")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(crash_after_the_upsert), pytest.raises(RuntimeError):
        services.dues_rollup(month=MARCH)
    assert any("INSERT INTO members_duesrollup" in s for s in statements)  # it got halfway
    assert rollup_rows(MARCH) == before  # nothing half-written
    services.dues_rollup(month=MARCH)
    assert rollup_rows(MARCH) == oracle(MARCH)
    assert DuesRollup.objects.get(organisation=city.city, month=MARCH).subtree_arrears == 0
    keys = DuesRollup.objects.values_list("organisation_id", "month")
    assert len(keys) == len(set(keys))


def test_a_failed_task_is_recorded_and_its_retry_succeeds(city, dues, monkeypatch):
    def boom(*, month):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "dues_rollup", boom)
    with pytest.raises(RuntimeError):
        rollup_dues_task.delay("2025-03")
    monkeypatch.undo()
    assert rollup_dues_task.delay("2025-03").get() == Organisation.objects.count()
    runs = list(JobRun.objects.filter(task="rollup_dues").order_by("started_at", "pk"))
    assert [r.status for r in runs] == [JobRun.Status.FAILED, JobRun.Status.DONE]
    assert rollup_rows(MARCH) == oracle(MARCH)


def test_a_subtree_is_its_own_figures_plus_its_childrens_subtrees(city, dues):
    services.dues_rollup(month=MARCH)
    rows = {r.organisation_id: r for r in DuesRollup.objects.filter(month=MARCH)}
    for org in Organisation.objects.all():
        kids = [rows[c.pk] for c in org.get_children()]
        me = rows[org.pk]
        for field in ("members_liable", "expected", "collected", "arrears"):
            assert getattr(me, f"subtree_{field}") == getattr(me, field) + sum(
                getattr(k, f"subtree_{field}") for k in kids
            ), (org.name, field)


def test_only_the_months_records_count(city, dues):
    services.dues_rollup(month=MARCH)
    services.dues_rollup(month=APRIL)
    assert rollup_rows(MARCH) == oracle(MARCH)
    assert rollup_rows(APRIL) == oracle(APRIL)
    april = DuesRollup.objects.get(organisation=city.city, month=APRIL)
    assert april.subtree_collected == 0 and april.subtree_members_liable == 6


def test_every_active_organisation_gets_a_row_even_without_dues(city):
    empty = Organisation.objects.get(pk=city.branch_a.pk)
    services.dues_rollup(month=MARCH)
    row = DuesRollup.objects.get(organisation=empty, month=MARCH)
    assert all(getattr(row, f) == 0 for f in FIGURES)


def test_a_dissolved_organisation_keeps_a_row_only_while_it_has_records(city):
    m = member(city.branch_b)
    record(m, MARCH)
    Organisation.objects.filter(pk__in=[city.branch_a.pk, city.branch_b.pk]).update(active=False)
    services.dues_rollup(month=MARCH)
    assert DuesRollup.objects.filter(organisation=city.branch_b, month=MARCH).exists()
    # A row left from when it was active is pruned on the next run.
    assert not DuesRollup.objects.filter(organisation=city.branch_a, month=MARCH).exists()
    DuesRollup.objects.create(organisation=city.branch_a, month=MARCH, expected=99)
    services.dues_rollup(month=MARCH)
    assert not DuesRollup.objects.filter(organisation=city.branch_a, month=MARCH).exists()
    assert rollup_rows(MARCH) == {k: v for k, v in oracle(MARCH).items() if k != city.branch_a.pk}


def test_a_transferred_members_past_dues_stay_with_the_old_union(city):
    m = member(city.union_a)
    services.dues_generate(month=MARCH)
    m.organisation = city.union_b
    m.save()
    services.dues_generate(month=APRIL)
    services.dues_rollup(month=MARCH)
    services.dues_rollup(month=APRIL)
    march = DuesRollup.objects.get(organisation=city.union_a, month=MARCH)
    april = DuesRollup.objects.get(organisation=city.union_b, month=APRIL)
    assert march.members_liable == 1 and april.members_liable == 1
    assert DuesRollup.objects.get(organisation=city.union_a, month=APRIL).members_liable == 0


def test_a_deeper_tree_rolls_up_through_every_level(city):
    township = Organisation.objects.get(pk=city.county_a.pk).add_child(
        kind=OrgKind.TOWNSHIP_UNION, name="某街道总工会"
    )
    joint = Organisation.objects.get(pk=township.pk).add_child(
        kind=OrgKind.JOINT_GRASSROOTS, name="某联合工会"
    )
    group = Organisation.objects.get(pk=joint.pk).add_child(kind=OrgKind.GROUP, name="某小组")
    for org in (joint, group, group):
        member(org, "10000.00")
    services.dues_generate(month=MARCH)
    services.dues_rollup(month=MARCH)
    assert rollup_rows(MARCH) == oracle(MARCH)
    assert DuesRollup.objects.get(organisation=township, month=MARCH).subtree_expected == 150


# --- Task, command and schedule --------------------------------------------------------------


def test_the_monthly_task_generates_then_rolls_up_and_records_both_runs(city):
    member(city.union_a, "4567.89")
    generate_dues_task.delay("2025-03-01", then_rollup=True)
    assert DuesRecord.objects.get().amount == Decimal("22.80")
    assert DuesRollup.objects.get(organisation=city.city, month=MARCH).subtree_expected == Decimal(
        "22.80"
    )
    assert set(JobRun.objects.values_list("task", "argument", "status")) == {
        ("generate_dues", "2025-03", JobRun.Status.DONE),
        ("rollup_dues", "2025-03", JobRun.Status.DONE),
    }


@time_machine.travel("2025-04-15 02:30 +0800", tick=False)
def test_the_nightly_task_bills_new_joiners_and_rolls_up_two_months(city, dues):
    newcomer = member(city.union_a, "10000.00", joined_on=date(2025, 4, 10))
    assert rollup_recent_dues_task.delay().get() == 2 * Organisation.objects.count()
    assert DuesRecord.objects.get(member=newcomer).month == APRIL
    assert rollup_rows(MARCH) == oracle(MARCH) and rollup_rows(APRIL) == oracle(APRIL)
    assert DuesRollup.objects.get(organisation=city.city, month=APRIL).subtree_members_liable == 7


def test_the_beat_schedule_generates_and_rolls_up_on_the_first_at_two(city):
    entry = app.conf.beat_schedule["dues-monthly"]
    assert entry["task"] == "members.tasks.generate_dues_task"
    assert entry["kwargs"] == {"then_rollup": True}
    assert entry["schedule"] == crontab(minute=0, hour=2, day_of_month=1)
    assert "members.tasks.rollup_recent_dues_task" in {
        e["task"] for e in app.conf.beat_schedule.values()
    }
    assert set(app.tasks) >= {"members.tasks.generate_dues_task", "members.tasks.rollup_dues_task"}


def test_the_rollup_command_prints_its_rows(city, dues):
    out = StringIO()
    call_command("rollup_dues", "--month", "2025-03", stdout=out)
    assert (
        out.getvalue().strip()
        == f"rollup_dues 2025-03: {Organisation.objects.count()} rows written"
    )
    assert rollup_rows(MARCH) == oracle(MARCH)
    out = StringIO()
    call_command("generate_dues", "--month", "2025-03", stdout=out)
    assert out.getvalue().strip() == "generate_dues 2025-03: 0 rows inserted"


def test_the_rollup_command_exits_0_on_success_and_1_on_a_bad_month(
    city, dues, capsys, monkeypatch
):
    # run_from_argv closes every connection at the end, the test's own included.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    ManagementUtility(["manage.py", "rollup_dues", "--month", "2025-03"]).execute()
    assert "rows written" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "rollup_dues", "--month", "2025-13"]).execute()
    assert exit_.value.code == 1
    assert "2025-13" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("generate_dues", "--month", "2099-01")


# --- PostgreSQL ------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_rollups_of_the_same_month_at_once_leave_one_row_per_organisation(city, dues):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            services.dues_rollup(month=MARCH)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert rollup_rows(MARCH) == oracle(MARCH)
    assert DuesRollup.objects.filter(month=MARCH).count() == Organisation.objects.count()
