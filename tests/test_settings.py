import re
import threading
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, connections, transaction
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_documents_every_setting_read_from_the_environment():
    settings_source = (ROOT / "unionportal" / "settings.py").read_text()
    read = set(re.findall(r"env(?:\.[a-z]+)?\(\s*\"([A-Z_]+)\"", settings_source))
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no env reads found: the pattern is stale"
    assert read - documented == set()


def test_the_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_commands = re.findall(r"^make [a-z]+$", readme, re.M)[:2]
    assert first_commands == ["make run", "make test"]


def test_a_visibility_timeout_not_above_the_time_limit_is_refused():
    """A visibility timeout at or below the task time limit would hand a task still running
    to a second worker (security.md H6): the settings refuse it at start-up."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "unionportal.settings",
        "READ_DOT_ENV_FILE": "false",
        "DEBUG": "true",
        "CELERY_TASK_TIME_LIMIT": "600",
        "CELERY_VISIBILITY_TIMEOUT": "600",
    }
    code = "import django; django.setup()"
    refused = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "CELERY_VISIBILITY_TIMEOUT must be longer" in refused.stderr
    env["CELERY_VISIBILITY_TIMEOUT"] = "601"
    accepted = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert accepted.returncode == 0, accepted.stderr


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_a_transaction_that_read_still_writes_beside_another_writer():
    """The embedded default with several people at once (settings: WAL, IMMEDIATE, timeout):
    a request that has read and then writes while another writes waits its turn, where a
    deferred transaction fails at once with "database is locked"."""
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default's SQLite locking")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    has_read = threading.Event()
    errors: list[Exception] = []

    def session(key: str) -> Session:
        return Session(session_key=key, session_data="", expire_date=timezone.now())

    def reads_then_writes():
        try:
            with transaction.atomic():
                Session.objects.count()
                has_read.set()
                time.sleep(0.5)  # the other one writes meanwhile
                session("a" * 32).save()
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    def writes():
        try:
            has_read.wait(timeout=10)
            session("b" * 32).save()
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reads_then_writes), threading.Thread(target=writes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert Session.objects.filter(session_key__in=["a" * 32, "b" * 32]).count() == 2
