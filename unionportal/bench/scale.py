"""Issue 22's two figures: a month's dues work with 24 months of history against 12, and the
primary's load when the summary and the export read on a streaming replica.

history: in one transaction that is rolled back at the end, the current month's dues generation
and rollup are timed with the data set's 12 months of history (month 12's work), then 12
earlier months are added (their partitions and rows, set-based) and the same work is timed
again (month 24's). Each figure is the median of `runs` runs, each rolled back.

replica: scripts/replica_pair.sh starts a throwaway primary and standby; the data set is copied
onto the primary (pg_dump) and replayed; then the Excel summary of the latest finished quarter
and the city's member export run in a child process (`bench replica-run`), alternately with all
reads on the primary and with their reads marked for the replica. The figure is the primary's
pg_stat_database tup_returned + tup_fetched delta during the work, medians of the runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from .timing import Result, in_rolled_back_transaction


class _Rollback(Exception):
    pass


def dues_history(runs: int, log=print) -> list[Result]:
    from members import partitions
    from members.dues import add_months
    from members.services.dues import dues_generate, dues_rollup

    month = timezone.localdate().replace(day=1)  # the data set leaves it unbilled

    def generate() -> None:
        dues_generate(month=month)

    def generate_and_roll_up() -> None:
        dues_generate(month=month)
        dues_rollup(month=month)

    def rollup_only() -> float:
        # The rollup on the month's rows, its generation done but not timed.
        def work():
            dues_generate(month=month)
            began = time.perf_counter()
            dues_rollup(month=month)
            return time.perf_counter() - began

        box = {}
        in_rolled_back_transaction(lambda: box.setdefault("s", work()))
        return box["s"]

    def once() -> tuple[float, float]:
        return in_rolled_back_transaction(generate), rollup_only()

    samples: dict[int, list[tuple[float, float]]] = {12: [], 24: []}
    try:
        from django.db import transaction

        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(DISTINCT month) FROM members_duesrecord")
                have = cursor.fetchone()[0]
            first = add_months(month, -have)
            earlier = [add_months(first, -k) for k in range(1, 13)]
            partitioned = partitions.is_partitioned()
            if partitioned:
                partitions.ensure_partitions(since=earlier[-1], until=month)
            with connection.cursor() as cursor:
                for m in earlier:
                    cursor.execute(
                        """
                        INSERT INTO members_duesrecord
                            (member_id, organisation_id, month, wage_base, amount, paid_on,
                             paid_how)
                        SELECT m.id, m.organisation_id, %s, m.wage_base,
                               FLOOR(m.wage_base / 10) * 0.05, %s::date + 20, 'payroll'
                        FROM members_member m WHERE m.status = 'active'
                        """,
                        [m, m],
                    )
                cursor.execute("ANALYZE members_duesrecord")
                cursor.execute("SELECT COUNT(DISTINCT month), COUNT(*) FROM members_duesrecord")
                months, rows = cursor.fetchone()
            log(f"  dues history: {have} months against {months} months ({rows} rows)")
            # Alternate the two histories run by run, so the machine's drift cancels: the 12
            # earlier months' partitions are detached for month 12's runs and attached again.
            in_rolled_back_transaction(generate_and_roll_up)  # warm
            for _ in range(runs):
                samples[24].append(once())
                if partitioned:
                    with connection.cursor() as cursor:
                        for m in earlier:
                            cursor.execute(
                                f"ALTER TABLE members_duesrecord DETACH PARTITION "
                                f'"{partitions.partition_name(m)}"'
                            )
                samples[12].append(once())
                if partitioned:
                    with connection.cursor() as cursor:
                        for m in earlier:
                            cursor.execute(
                                f"ALTER TABLE members_duesrecord ATTACH PARTITION "
                                f'"{partitions.partition_name(m)}" FOR VALUES FROM (%s) TO (%s)',
                                [m, add_months(m, 1)],
                            )
            raise _Rollback
    except _Rollback:
        pass
    figures = {
        k: (statistics.median(g for g, _r in v), statistics.median(r for _g, r in v))
        for k, v in samples.items()
    }
    note = "partitioned" if partitioned else "one table: both runs with 24 months"
    (g12, r12), (g24, r24) = figures[12], figures[24]
    return [
        Result(
            "month 24's dues generation", g24, "s", g12, "month 12's", "<= 1.2x",
            g24 / g12 <= 1.2, f"{note}, medians of {runs}",
        ),
        Result(
            "month 24's dues rollup", r24, "s", r12, "month 12's", "<= 1.2x",
            r24 / r12 <= 1.2, f"{note}, medians of {runs}",
        ),
    ]  # fmt: skip


# --- The replica --------------------------------------------------------------------------


def _url(settings_dict: dict) -> str:
    user = settings_dict.get("USER") or "postgres"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"


def _psql(url: str, sql: str, timeout: int = 60) -> str:
    # psql and pg_dump from PATH, as the Makefile's targets use them.
    command = ["psql", url, "-Atqc", sql]
    done = subprocess.run(  # noqa: S603
        command, check=True, timeout=timeout, capture_output=True, text=True
    )
    return done.stdout.strip()


def primary_tuples(url: str) -> int:
    """tup_returned + tup_fetched of the database, from a new connection (a fresh snapshot)."""
    return int(
        _psql(
            url,
            "SELECT tup_returned + tup_fetched FROM pg_stat_database "
            "WHERE datname = current_database()",
        )
    )


def replica_load(runs: int, log=print) -> list[Result]:
    from unionportal.bench.pair import start_pair, stop_pair

    db = connections["default"].settings_dict
    proc, primary, standby = start_pair()
    try:
        base = primary.rsplit("/", 1)[0]
        _psql(primary, "ALTER SYSTEM SET autovacuum = off")
        _psql(primary, "SELECT pg_reload_conf()")
        _psql(primary, "CREATE DATABASE bench")
        began = time.perf_counter()
        dump = subprocess.Popen(  # noqa: S603
            ["pg_dump", "--no-owner", "--no-privileges", _url(db)],  # noqa: S607
            stdout=subprocess.PIPE,
        )
        subprocess.run(  # noqa: S603
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{base}/bench"],  # noqa: S607
            stdin=dump.stdout, check=True, timeout=1200, capture_output=True,
        )  # fmt: skip
        dump.wait(timeout=60)
        _psql(f"{base}/bench", "VACUUM ANALYZE", timeout=600)
        log(f"  replica: data set copied to the pair in {time.perf_counter() - began:.0f} s")
        env = {
            **os.environ,
            "DATABASE_URL": f"{base}/bench",
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings"),
            "CELERY_BROKER_URL": "",
        }
        replica_env = {**env, "DATABASE_REPLICA_URL": standby.rsplit("/", 1)[0] + "/bench"}
        samples: dict[str, list[dict]] = {"primary": [], "replica": []}
        for _ in range(runs):
            for mode, child_env in (("primary", env), ("replica", replica_env)):
                done = subprocess.run(  # noqa: S603
                    [sys.executable, str(settings.BASE_DIR / "manage.py"), "bench",
                     "replica-run", "--size", "smoke"],
                    env=child_env, timeout=1200, capture_output=True, text=True,
                )  # fmt: skip
                if done.returncode:
                    raise RuntimeError(f"bench replica-run ({mode}) failed: {done.stderr[-3000:]}")
                samples[mode].append(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        stop_pair(proc)
    on_primary = statistics.median(s["tuples"] for s in samples["primary"])
    on_replica = statistics.median(s["tuples"] for s in samples["replica"])
    routed = all(s["alias"] == "replica" for s in samples["replica"])
    same = len(
        {(s["summary_rows"], s["export_rows"]) for s in samples["primary"] + samples["replica"]}
    )
    return [
        Result(
            "primary load, summary and export on the replica", on_replica, "tuples",
            on_primary, "the same on the primary", "<= 0.2x",
            routed and same == 1 and on_replica / max(on_primary, 1) <= 0.2,
            f"tup_returned+tup_fetched, medians of {runs}; rows "
            f"{samples['primary'][0]['summary_rows']}+{samples['primary'][0]['export_rows']}"
            + ("" if same == 1 else "; the row counts differ!")
            + ("" if routed else "; the replica was not used!"),
        )
    ]  # fmt: skip


def replica_run() -> dict:
    """The child's side: the summary and the city's export, reads marked as the portal marks
    them; the primary's tuple counters around them."""
    import tempfile

    from members.exports import EXPORT_COLUMNS, SHEET_TITLE, member_rows
    from members.models import Member, Organisation
    from unionportal.core.excel import write_xlsx
    from unionportal.core.replica import reads_from_replica
    from unionportal.reporting.summary import write_summary

    from .reports import latest_period

    url = _url(connections["default"].settings_dict)
    period = latest_period()
    scope = Organisation.objects.filter(depth=1).order_by("path").first()
    connections.close_all()
    before = primary_tuples(url)
    with tempfile.TemporaryDirectory() as tmp:
        with reads_from_replica(caught_up=True) as alias:
            summary_rows = write_summary(period, scope, os.path.join(tmp, "s.xlsx"))
        with reads_from_replica():
            members = Member.objects.filter(organisation__path__startswith=scope.path)
            export_rows = write_xlsx(
                [(SHEET_TITLE, EXPORT_COLUMNS, member_rows(members.order_by("name", "pk")))],
                os.path.join(tmp, "e.xlsx"),
            )
    connections.close_all()  # a backend's counters are flushed when it ends
    time.sleep(1.5)
    after = primary_tuples(url)
    return {
        "tuples": after - before,
        "alias": alias or "default",
        "summary_rows": summary_rows,
        "export_rows": export_rows,
        "when": str(timezone.now() - timedelta(0)),
    }
