"""Kill the worker (security.md H6): a real Celery worker on the local Redis is killed with
SIGKILL in the middle of a dues rollup and of a member import, and the task runs again.

How a task is caught "in the middle" without any hook in the application: the test holds a
PostgreSQL lock in a connection of its own (LOCK TABLE ... IN SHARE MODE blocks the task's
INSERT, SELECT ... FOR UPDATE its update of the job row) and waits until pg_stat_activity
shows the task's statement waiting on that lock. Then the worker dies, the lock goes, and
the killed task's transaction, never committed, is rolled back by PostgreSQL.

Two ways a worker dies, two settings that bring the task back:
- the whole worker (main process and pool process) is killed, as when its container is: the
  message was never acknowledged (CELERY_TASK_ACKS_LATE), so Redis hands it to the next worker
  once the visibility timeout (CELERY_VISIBILITY_TIMEOUT, here a few seconds) has passed;
- only the pool process is killed, as by the OOM killer: the main process puts the message
  back in the queue at once (CELERY_TASK_REJECT_ON_WORKER_LOST) and runs it again.

The workers run tests/worker_settings.py: the production settings with every Redis key under
a prefix of this test's own. Every wait is bounded, and the workers are killed and the
test's Redis keys deleted whatever happens.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from members import imports, services
from members.models import DuesRecord, DuesRollup, Member, MemberStatusChange, WageBase
from members.tasks import import_members_task, rollup_dues_task
from tests.members.dues_helpers import MARCH, member
from tests.members.excel_helpers import person, upload, workbook_bytes
from unionportal.celery import app
from unionportal.core.jobs import STUCK_AFTER, file_jobs_cleanup
from unionportal.core.models import FileJob, JobRun

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]

# The worker's hard time limit (longer than any run here, the blocked one included) and the
# visibility timeout, which must be longer still (settings.py refuses it otherwise).
TIME_LIMIT = 6
VISIBILITY_TIMEOUT = 8
WAIT = 30  # seconds, the bound of every single wait below
IMPORT_ROWS = 30


# --- Workers ----------------------------------------------------------------------------------


class Workers:
    """Start, kill and always clean up worker processes of the test's own."""

    def __init__(self, tmp_path: Path, media: Path):
        db = connection.settings_dict
        self.prefix = f"crash-test-{os.getpid()}-{uuid.uuid4().hex[:8]}."
        self.tmp_path = tmp_path
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "UNIONPORTAL_TEST_BROKER_PREFIX": self.prefix,
            "DATABASE_URL": (
                f"postgres://{db['USER'] or ''}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
                f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "DEBUG": "false",
            "READ_DOT_ENV_FILE": "false",
            "SECRET_KEY": settings.SECRET_KEY,
            "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
            "PRIVATE_MEDIA_ROOT": str(media),
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.procs: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        """A prefork worker with one pool process on the production queues, once it is
        ready (it has declared its queues, so a message sent now is not lost)."""
        n = len(self.procs) + 1
        log = self.tmp_path / f"worker-{n}.log"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "unionportal",
                "worker",
                "-n",
                f"crash{n}@%h",
                "-Q",
                "default,rollups,exports",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "info",
                "--logfile",
                str(log),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches the pool too
        )
        proc.log = log
        self.procs.append(proc)
        wait_for(lambda: log.exists() and " ready." in log.read_text(), "the worker to start")
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        """kill -9 the worker and its pool process, as when its container is killed."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=WAIT)

    def kill_pool_process(self, proc: subprocess.Popen) -> int:
        """kill -9 only the worker's pool process (the one running the task)."""
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(children) == 1, children
        child = int(children[0])
        os.kill(child, signal.SIGKILL)
        return child

    def send(self, task, *args) -> None:
        """Send the task to the workers' Redis keys, routed as in production."""
        app.conf.task_always_eager = False
        try:
            options = {"global_keyprefix": self.prefix}
            with app.connection_for_write(transport_options=options) as conn:
                task.apply_async(args=args, connection=conn)
        finally:
            app.conf.task_always_eager = True

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.log.name}\n" + (p.log.read_text()[-3000:] if p.log.exists() else "")
            for p in self.procs
        )

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=WAIT)
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        try:
            keys = list(client.scan_iter(match=self.prefix + "*"))
            if keys:
                client.delete(*keys)
        finally:
            client.close()


@pytest.fixture
def workers(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which needs PostgreSQL")
    if not settings.CELERY_BROKER_URL:
        pytest.skip("no CELERY_BROKER_URL")
    media = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media, "base_url": None},
        },
    }
    pool = Workers(tmp_path, media)
    try:
        yield pool
    finally:
        pool.close()
        print(pool.logs())  # shown when the test failed


def wait_for(condition, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


# --- Locks in a connection of the test's own ----------------------------------------------


class Lock:
    """A transaction in a second connection that holds a lock until released."""

    def __init__(self, sql: str, params=()):
        db = connection.settings_dict
        self.conn = psycopg2.connect(
            dbname=db["NAME"],
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
        )
        self.pid = self.conn.get_backend_pid()
        with self.conn.cursor() as cursor:
            cursor.execute(sql, params)

    def waiting(self) -> tuple[int, str]:
        """The backend (pid, statement) waiting on this lock, once there is one."""

        def blocked():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid, query FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                    [self.pid],
                )
                return cursor.fetchone()

        return wait_for(blocked, "the task to wait on the test's lock")

    def release(self) -> None:
        if not self.conn.closed:
            self.conn.rollback()
            self.conn.close()


def in_open_transaction(pid: int) -> bool:
    """Whether the backend's statement runs in a transaction begun before it (not alone, as
    an autocommitted statement does)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_start < query_start FROM pg_stat_activity WHERE pid = %s", [pid]
        )
        return cursor.fetchone()[0]


def backend_gone(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is None


# --- The dues rollup ---------------------------------------------------------------------------

# The oracle: every figure of every organisation straight from the dues records, the subtree
# ones by path prefix (an organisation's subtree is the organisations whose path starts with
# its own), in plain GROUP BY SQL independent of the rollup's.
ORACLE_SQL = """
SELECT o.id,
       COUNT(r.id) FILTER (WHERE r.organisation_id = o.id),
       COALESCE(SUM(r.amount) FILTER (WHERE r.organisation_id = o.id), 0),
       COALESCE(SUM(r.amount) FILTER (WHERE r.organisation_id = o.id
                                        AND r.paid_on IS NOT NULL), 0),
       COALESCE(SUM(r.amount) FILTER (WHERE r.organisation_id = o.id AND r.paid_on IS NULL), 0),
       COUNT(r.id),
       COALESCE(SUM(r.amount), 0),
       COALESCE(SUM(r.amount) FILTER (WHERE r.paid_on IS NOT NULL), 0),
       COALESCE(SUM(r.amount) FILTER (WHERE r.paid_on IS NULL), 0)
FROM members_organisation o
LEFT JOIN members_organisation d ON LEFT(d.path, LENGTH(o.path)) = o.path
LEFT JOIN members_duesrecord r ON r.organisation_id = d.id AND r.month = %s
WHERE o.active
GROUP BY o.id
"""
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
    with connection.cursor() as cursor:
        cursor.execute(ORACLE_SQL, [month])
        return {row[0]: tuple(Decimal(v) for v in row[1:]) for row in cursor.fetchall()}


def rollup_rows(month: date) -> dict[int, tuple]:
    return {
        row[0]: tuple(Decimal(v) for v in row[1:])
        for row in DuesRollup.objects.filter(month=month).values_list("organisation", *FIGURES)
    }


def test_a_rollup_killed_with_its_worker_runs_again_and_its_totals_match_sql(city, workers):
    orgs = [city.union_a, city.branch_a, city.union_b, city.branch_b]
    for i in range(24):
        member(orgs[i % 4], wage=f"{3000 + 137 * i}.{i:02d}")
    services.dues_generate(month=MARCH)
    services.dues_rollup(month=MARCH)
    # Payments after the last rollup: the figures on record are stale until it runs again.
    paid = DuesRecord.objects.filter(month=MARCH).order_by("pk").values_list("pk", flat=True)
    DuesRecord.objects.filter(pk__in=list(paid)[::3]).update(
        paid_on=date(2025, 3, 20), paid_how="payroll"
    )
    stale = rollup_rows(MARCH)
    assert stale != oracle(MARCH) and len(stale) == len(oracle(MARCH)) == 7

    lock = Lock("LOCK TABLE members_duesrollup IN SHARE MODE")
    try:
        first = workers.start()
        workers.send(rollup_dues_task, MARCH.isoformat())
        backend, statement = lock.waiting()
        assert statement.strip().startswith("INSERT INTO members_duesrollup")
        workers.kill(first)
    finally:
        lock.release()
    # The killed run's transaction is rolled back: the figures are the stale ones, untouched.
    wait_for(lambda: backend_gone(backend), "PostgreSQL to end the killed worker's session")
    assert rollup_rows(MARCH) == stale
    lost = JobRun.objects.get(task="rollup_dues", argument="2025-03")
    assert lost.status == JobRun.Status.RUNNING

    workers.start()
    rerun = wait_for(
        lambda: JobRun.objects.filter(
            task="rollup_dues", argument="2025-03", status=JobRun.Status.DONE
        ).first(),
        "the rollup to run again",
        timeout=VISIBILITY_TIMEOUT + WAIT,
    )
    assert rerun.pk != lost.pk and rerun.rows == 7
    assert rollup_rows(MARCH) == oracle(MARCH)

    # The lost run is never left RUNNING: the daily cleanup fails it once no run can be alive.
    file_jobs_cleanup(now=timezone.now() + STUCK_AFTER + timedelta(minutes=1))
    lost.refresh_from_db()
    assert lost.status == JobRun.Status.FAILED and "worker" in lost.error
    assert not JobRun.objects.filter(status=JobRun.Status.RUNNING).exists()


# --- The member import ---------------------------------------------------------------------------


def importing_job(actor, organisation) -> tuple[FileJob, set[str]]:
    """A checked upload of IMPORT_ROWS good rows, confirmed as the commit view does."""
    rows = [person(n) for n in range(IMPORT_ROWS)]
    content = workbook_bytes(rows)
    layout = imports.read_layout(io.BytesIO(content))
    job = imports.import_job_create(
        actor=actor, organisation=organisation, upload=upload(content), layout=layout
    )
    imports.import_job_check(job, actor=actor)
    job.refresh_from_db()
    assert job.params["stage"] == "checked" and job.result["good_rows"] == IMPORT_ROWS
    job.mark(FileJob.Status.RUNNING, done=0, params={**job.params, "stage": "importing"})
    return job, {row["name"] for row in rows}


def assert_imported_once(job: FileJob, names: set[str]) -> None:
    job.refresh_from_db()
    assert job.status == FileJob.Status.DONE, (job.status, job.error, job.result.get("errors"))
    assert job.done == job.total == IMPORT_ROWS and job.result["created"] == IMPORT_ROWS
    members = Member.objects.filter(organisation=job.organisation)
    assert sorted(members.values_list("name", flat=True)) == sorted(names)
    assert members.values("resident_id_index").distinct().count() == IMPORT_ROWS
    assert MemberStatusChange.objects.filter(member__in=members).count() == IMPORT_ROWS
    assert WageBase.objects.filter(member__in=members).count() == IMPORT_ROWS
    assert not job.file  # the upload (full ID numbers) is gone


def test_an_import_killed_with_its_worker_runs_again_and_imports_each_row_once(
    city, chair_a, workers
):
    job, names = importing_job(chair_a, city.union_a)
    lock = Lock("LOCK TABLE members_member IN SHARE MODE")
    try:
        first = workers.start()
        workers.send(import_members_task, job.pk, chair_a.pk)
        backend, statement = lock.waiting()
        assert statement.startswith('INSERT INTO "members_member"')
        workers.kill(first)
    finally:
        lock.release()
    wait_for(lambda: backend_gone(backend), "PostgreSQL to end the killed worker's session")
    # All or nothing: the killed import wrote no member; its job was left running.
    assert not Member.objects.exists()
    job.refresh_from_db()
    assert job.status == FileJob.Status.RUNNING

    workers.start()
    wait_for(
        lambda: FileJob.objects.filter(
            pk=job.pk, status__in=[FileJob.Status.DONE, FileJob.Status.FAILED]
        ).exists(),
        "the import to run again",
        timeout=VISIBILITY_TIMEOUT + WAIT,
    )
    assert_imported_once(job, names)


def test_an_import_whose_pool_process_dies_at_its_last_step_runs_again_once(city, chair_a, workers):
    """The last step of an import marks its job done. It is a statement of the transaction
    that writes the members: a pool process killed there, all rows written, leaves neither
    members without a finished job (whose rerun would find them already registered) nor a
    finished job without members. The main process hands the task to a new pool process."""
    job, names = importing_job(chair_a, city.union_a)
    table = Lock("LOCK TABLE members_member IN SHARE MODE")
    row = None
    try:
        worker = workers.start()
        workers.send(import_members_task, job.pk, chair_a.pk)
        table.waiting()
        # The rows are being written; hold the job row, then let the rows go in.
        row = Lock("SELECT 1 FROM unionportal_filejob WHERE id = %s FOR UPDATE", [job.pk])
        table.release()
        backend, statement = row.waiting()
        assert statement.startswith('UPDATE "unionportal_filejob"')
        # The update waits inside the transaction that wrote the rows: none is visible yet.
        assert in_open_transaction(backend)
        assert not Member.objects.exists()
        workers.kill_pool_process(worker)
        # Whatever the dead process had not yet sent, PostgreSQL never runs: its session ends
        # now (left alone, it would end at the next read from the closed socket).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        table.release()
        if row is not None:
            row.release()
    wait_for(lambda: backend_gone(backend), "PostgreSQL to end the killed process's session")
    wait_for(
        lambda: FileJob.objects.filter(
            pk=job.pk, status__in=[FileJob.Status.DONE, FileJob.Status.FAILED]
        ).exists(),
        "the import to run again",
    )
    assert worker.poll() is None  # the same worker ran it again
    assert_imported_once(job, names)
