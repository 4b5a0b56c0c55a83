"""Reads on a real streaming standby (issue 22 items 2 and 3).

scripts/replica_pair.sh (through unionportal/bench/pair.py) starts a throwaway primary and
standby; the test database is copied onto the primary (pg_dump), rows are written there and
committed, the standby replays them within a time limit, and the marked reads (the export's
register rows, the statistics' dues figures) run on a connection where pg_is_in_recovery() is
true and agree with the primary. The freshness guard is checked against a standby whose replay
is paused. Every wait has a time limit, and the pair stops with the test process (its stdin
closes), so the test cannot hang.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import TransactionTestCase, override_settings

from members import exports, stats
from members.models import DuesRecord, Member, OrgKind
from tests.factories import MemberFactory, OrganisationFactory
from unionportal.bench.pair import start_pair, stop_pair
from unionportal.core import replica

pytestmark = pytest.mark.postgres

REPLAY_LIMIT = 20  # seconds for the standby to replay a commit
MARCH = date(2025, 3, 1)
PAIR = ("pair_primary", "pair_standby")


def _alias_settings(url: str, name: str) -> dict:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    base = dict(connections["default"].settings_dict)
    base.update(
        NAME=name, HOST=parsed.hostname, PORT=parsed.port, USER="postgres", PASSWORD="",
        CONN_MAX_AGE=0, ATOMIC_REQUESTS=False, TEST={},
    )  # fmt: skip
    return base


def _copy_test_database(primary_url: str) -> None:
    """The test database (schema and the rows migrations seed) onto the pair's primary."""
    db = connections["default"].settings_dict
    src = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    subprocess.run(  # noqa: S603
        ["psql", primary_url, "-qc", "CREATE DATABASE pair"], check=True, timeout=30
    )
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    dump = subprocess.run(  # noqa: S603
        ["pg_dump", "--no-owner", "--no-privileges", f"{src}/{db['NAME']}"],
        check=True, timeout=60, capture_output=True, env=env,
    )  # fmt: skip
    target = primary_url.rsplit("/", 1)[0] + "/pair"
    subprocess.run(  # noqa: S603
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", target],
        input=dump.stdout, check=True, timeout=60, capture_output=True,
    )  # fmt: skip


def _in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def _wait_for_replay(limit: float = REPLAY_LIMIT) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if replica.replica_lag_bytes() == 0:
            return
        time.sleep(0.05)
    raise AssertionError(f"the standby did not replay within {limit}s")


class Recorder:
    """The SQL one connection ran."""

    def __init__(self):
        self.sql: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.sql.append(sql)
        return execute(sql, params, many, context)


def _reads() -> dict:
    """The marked work's reads: the export's register rows and the statistics' dues figures."""
    members = Member.objects.order_by("name", "pk")
    return {
        "export": list(exports.member_rows(members)),
        "dues": sorted(
            (r["organisation_id"], r["dues_expected"], r["dues_collected"])
            for r in stats.dues(MARCH, date(2025, 3, 31))
        ),
        "count": DuesRecord.objects.filter(month=MARCH).count(),
    }


@pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_basebackup"),
    reason="needs PostgreSQL and its server binaries",
)
class ReplicaReadsTest(TransactionTestCase):
    databases = {"default"}
    # As conftest gives every transactional test: the flush leaves the seeded rows to reload.
    serialized_rollback = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.proc, primary, standby = start_pair()
        try:
            _copy_test_database(primary)
        except Exception:
            stop_pair(cls.proc)
            raise
        connections.settings["pair_primary"] = _alias_settings(primary, "pair")
        connections.settings["pair_standby"] = _alias_settings(standby, "pair")
        cls.databases = frozenset({"default", *PAIR})  # connections allowed (after validation)
        cls.routing = override_settings(
            REPLICA_DATABASE_ALIAS="pair_standby", REPLICA_PRIMARY_ALIAS="pair_primary"
        )
        cls.routing.enable()

    @classmethod
    def tearDownClass(cls):
        cls.routing.disable()
        for alias in PAIR:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]
        stop_pair(cls.proc)
        super().tearDownClass()

    @classmethod
    def _databases_names(cls, include_mirrors=True):
        # Flushed and set up between tests: the test database only (tearDown empties the pair).
        return ["default"]

    def _write(self, n: int = 3) -> None:
        """Committed rows on the primary: a union, members, their March dues, some paid."""
        token = replica._read_alias.set("pair_primary")  # what the saves read, too
        try:
            self._write_rows(n)
        finally:
            replica._read_alias.reset(token)

    def _write_rows(self, n: int) -> None:
        union = OrganisationFactory(kind=OrgKind.GRASSROOTS, name=f"测试工会{n}")
        for i in range(n):
            m = MemberFactory(organisation=union, wage_base=Decimal("5000.00") + i)
            DuesRecord.objects.create(
                member=m, organisation=union, month=MARCH, wage_base=m.wage_base,
                amount=Decimal("25.00"), paid_on=date(2025, 3, 20) if i % 2 else None,
            )  # fmt: skip

    def test_marked_reads_run_on_the_standby_and_agree_with_the_primary(self):
        assert not _in_recovery("pair_primary") and _in_recovery("pair_standby")
        self._write()
        assert DuesRecord.objects.using("pair_primary").count() == 3  # written there
        _wait_for_replay()
        standby, primary = Recorder(), Recorder()
        with (
            connections["pair_standby"].execute_wrapper(standby),
            connections["pair_primary"].execute_wrapper(primary),
            replica.reads_from_replica() as alias,
        ):
            assert alias == "pair_standby" == replica.current_read_alias()
            on_standby = _reads()
            assert _in_recovery(alias)
        assert any("members_member" in sql for sql in standby.sql)
        assert any("members_duesrecord" in sql for sql in standby.sql)
        # The primary answered only the guard's WAL position.
        assert primary.sql == ["SELECT pg_current_wal_lsn()::text"]
        token = replica._read_alias.set("pair_primary")
        try:
            on_primary = _reads()
        finally:
            replica._read_alias.reset(token)
        assert on_standby == on_primary
        assert on_standby["count"] == 3 and len(on_standby["export"]) == 3
        # An independent figure: 3 x 25.00 due, one of them paid by the 31st.
        assert [(e, c) for _org, e, c in on_standby["dues"]] == [
            (Decimal("75.00"), Decimal("25.00"))
        ]
        # Writes inside the mark still go to the primary.
        with replica.reads_from_replica():
            self._write_rows(1)
        assert DuesRecord.objects.using("pair_primary").count() == 4

    def test_a_standby_behind_the_limit_leaves_the_reads_on_the_primary(self):
        with connections["pair_standby"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_pause()")
        try:
            self._write(2)  # committed on the primary, not replayed
            lag = replica.replica_lag_bytes()
            assert lag is not None and lag > 0
            with override_settings(REPLICA_MAX_LAG_BYTES=lag - 1):
                with replica.reads_from_replica() as alias:
                    assert alias == "pair_primary"
                    assert DuesRecord.objects.count() == 2  # the primary's rows
            with override_settings(REPLICA_MAX_LAG_BYTES=lag + 10**6):
                with replica.reads_from_replica() as alias:
                    assert alias == "pair_standby"
                    assert DuesRecord.objects.count() == 0  # not replayed yet
            with override_settings(REPLICA_CATCH_UP_SECONDS=0.3):
                with replica.reads_from_replica(caught_up=True) as alias:
                    assert alias == "pair_primary"  # it must have the rows just written
        finally:
            with connections["pair_standby"].cursor() as cursor:
                cursor.execute("SELECT pg_wal_replay_resume()")
        _wait_for_replay()
        with replica.reads_from_replica(caught_up=True) as alias:
            assert alias == "pair_standby"
            assert DuesRecord.objects.count() == 2

    def tearDown(self):
        # Each test starts from empty union tables on the pair too.
        with connections["pair_primary"].cursor() as cursor:
            cursor.execute(
                "TRUNCATE members_duesrecord, members_member, members_organisation CASCADE"
            )
        super().tearDown()


def test_wal_positions_are_compared_as_byte_offsets():
    assert replica.parse_lsn("0/0") == 0
    assert replica.parse_lsn("16/B374D848") == (0x16 << 32) + 0xB374D848
    assert replica.parse_lsn("1/0") - replica.parse_lsn("0/FFFFFFFF") == 1


def test_without_a_replica_a_mark_changes_nothing(db):
    assert replica.replica_alias() is None  # DATABASE_REPLICA_URL is not set in the suite
    with replica.reads_from_replica() as alias:
        assert alias is None and replica.current_read_alias() is None
        assert DuesRecord.objects.count() == 0
    assert replica.ReplicaRouter().db_for_write(DuesRecord) is None


def test_a_decorated_view_gets_its_own_mark_per_call():
    seen = []

    @replica.reads_from_replica()
    def view(depth: int):
        seen.append(replica.current_read_alias())
        if depth:
            view(depth - 1)  # nested calls enter and leave their own mark
        return replica.current_read_alias()

    assert view(2) is None and seen == [None, None, None]
    assert replica.current_read_alias() is None


@pytest.mark.parametrize(
    "name, reader", [("dashboard", "dashboard_context"), ("statistics", "statistics_context")]
)
def test_the_dashboard_and_statistics_read_inside_the_mark(
    name, reader, staff_user, as_user, monkeypatch
):
    """Their reads run with the replica chosen (a stand-in replica that is always fresh: the
    test database itself), and the mark ends with the view."""
    from django.urls import reverse

    from unionportal.reporting import dashboard

    seen = []
    real = getattr(dashboard, reader)

    def spy(*args, **kwargs):
        seen.append(replica.current_read_alias())
        return real(*args, **kwargs)

    monkeypatch.setattr(dashboard, reader, spy)
    monkeypatch.setattr(replica, "replica_is_fresh", lambda **kw: True)
    with override_settings(REPLICA_DATABASE_ALIAS="default"):
        assert as_user(staff_user).get(reverse(name)).status_code == 200
    assert seen == ["default"]
    assert replica.current_read_alias() is None
