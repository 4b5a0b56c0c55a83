"""Celery: tasks run eagerly in tests and the embedded default; one test runs a real worker."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from unionportal.celery import app
from unionportal.core.models import JobRun
from unionportal.core.tasks import heartbeat

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_a_task_runs_eagerly_and_records_its_run():
    heartbeat.delay("eager")
    run = JobRun.objects.get(argument="eager")
    assert run.status == JobRun.Status.DONE and run.finished_at is not None


@pytest.mark.django_db
def test_a_failing_job_is_recorded_as_failed():
    from unionportal.core.jobs import run_recorded

    with pytest.raises(ZeroDivisionError):
        run_recorded("broken", lambda: 1 / 0)
    run = JobRun.objects.get(task="broken")
    assert run.status == JobRun.Status.FAILED and "ZeroDivisionError" in run.error


def test_the_beat_schedule_uses_the_city_time_zone():
    assert app.conf.timezone == "Asia/Shanghai"
    assert "heartbeat" in app.conf.beat_schedule


@pytest.mark.postgres
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_picks_up_a_task():
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which needs PostgreSQL")
    if not settings.CELERY_BROKER_URL:
        pytest.skip("no CELERY_BROKER_URL")
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or ''}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "READ_DOT_ENV_FILE": "false",
        "DJANGO_SETTINGS_MODULE": "unionportal.settings",
        "SECRET_KEY": "w" * 50,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    queue = f"test-{os.getpid()}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "unionportal",
            "worker",
            "-Q",
            queue,
            "--concurrency",
            "1",
            "--pool",
            "solo",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    try:
        heartbeat.apply_async(args=["from-a-real-worker"], queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if JobRun.objects.filter(
                argument="from-a-real-worker", status=JobRun.Status.DONE
            ).exists():
                break
            time.sleep(0.5)
        else:
            worker.kill()
            pytest.fail("the worker did not run the task:\n" + worker.stdout.read().decode())
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        worker.wait(timeout=20)
