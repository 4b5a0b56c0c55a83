"""CI's guard against a suite that looks green while it skipped what matters.

With UNIONPORTAL_STRICT=1 (set by .ci/run) the run fails when
- a test marked `postgres` was skipped while the database is PostgreSQL,
- a test marked `worker` was skipped,
- the browser journeys (`e2e`) ran none, or skipped any,
- or no test ran at all.

With UNIONPORTAL_STRICT=money (`make test-money-sqlite`, the marked run of the money tests on
a SQLite file) it checks that run instead: the database is SQLite, and money tests ran, passed
and none was skipped (the PostgreSQL, worker and browser checks do not apply to it).
"""

from __future__ import annotations

import os

import pytest

_seen: dict[str, dict[str, int]] = {}


def _count(marker: str, outcome: str) -> None:
    _seen.setdefault(marker, {}).setdefault(outcome, 0)
    _seen[marker][outcome] += 1


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        for marker in ("postgres", "e2e", "worker", "money"):
            if marker in report.keywords:
                _count(marker, report.outcome)
        _count("all", report.outcome)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    mode = os.environ.get("UNIONPORTAL_STRICT")
    if mode not in ("1", "money"):
        return
    from django.db import connection

    problems = _money_problems(connection) if mode == "money" else _ci_problems(connection)
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for p in problems:
            reporter.write_line(f"STRICT CI CHECK FAILED: {p}", red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _money_problems(connection) -> list[str]:
    problems = []
    if connection.vendor != "sqlite":
        problems.append("the money run must be on SQLite, not " + connection.vendor)
    money = _seen.get("money", {})
    if not money.get("passed"):
        problems.append("no money test passed")
    if money.get("skipped"):
        problems.append(f"{money['skipped']} money test(s) were skipped")
    return problems


def _ci_problems(connection) -> list[str]:
    problems = []
    if connection.vendor != "postgresql":
        problems.append("CI must run on PostgreSQL (DATABASE_URL), not " + connection.vendor)
    if _seen.get("postgres", {}).get("skipped"):
        problems.append(f"{_seen['postgres']['skipped']} PostgreSQL test(s) were skipped")
    if _seen.get("worker", {}).get("skipped") or not _seen.get("worker", {}).get("passed"):
        problems.append("the Celery worker integration test did not run and pass")
    e2e = _seen.get("e2e", {})
    if not e2e.get("passed"):
        problems.append("no browser journey ran")
    if e2e.get("skipped"):
        problems.append(f"{e2e['skipped']} browser journey(s) were skipped")
    if not _seen.get("all", {}).get("passed"):
        problems.append("no test passed")
    return problems


def transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Transactional tests (browser journeys, concurrency, the worker) flush every table when
    they end, seeded rule defaults included: run them after all the others, as Django's own
    runner does, whatever order other plugins left."""
    items.sort(key=transactional)
