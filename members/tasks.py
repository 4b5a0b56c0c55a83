"""Celery tasks of the members app: thin, idempotent, recorded (style.md rule 9).

Each takes a month as an ISO string ("2026-03" or "2026-03-01"; none means the current
month), calls one service and records its run in JobRun.
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from unionportal.audit import audit_event
from unionportal.jobs import run_recorded

from . import services
from .dues import add_months, first_of_month, parse_month


def month_from_iso(month_iso: str | None) -> date:
    if not month_iso:
        return first_of_month(timezone.localdate())
    text = str(month_iso).strip()
    return parse_month(text[:7]) if len(text) >= 7 else parse_month(text)


@shared_task(name="members.tasks.generate_dues_task")
def generate_dues_task(month_iso: str | None = None, then_rollup: bool = False) -> int:
    """Create the month's dues records (a re-run inserts nothing); optionally roll the month
    up afterwards, as the monthly beat entry does."""
    month = month_from_iso(month_iso)
    run = run_recorded(
        "generate_dues", lambda: services.dues_generate(month=month), argument=f"{month:%Y-%m}"
    )
    if then_rollup:
        rollup_dues_task.delay(month.isoformat())
    return run.rows


@shared_task(name="members.tasks.rollup_dues_task")
def rollup_dues_task(month_iso: str | None = None) -> int:
    """Recompute the month's DuesRollup rows (an upsert: a re-run gives the same rows)."""
    month = month_from_iso(month_iso)
    run = run_recorded(
        "rollup_dues", lambda: services.dues_rollup(month=month), argument=f"{month:%Y-%m}"
    )
    # The rollup writes in bulk, past django-auditlog: leave an explicit trace (security.md G4).
    audit_event(run, "dues.rollup", month=f"{month:%Y-%m}", rows=run.rows)
    return run.rows


@shared_task(name="members.tasks.rollup_recent_dues_task")
def rollup_recent_dues_task() -> int:
    """Nightly: bill this month's dues of members who became active since the 1st (a member
    who joins during a month owes that month; generation skips those already billed), then
    roll up the previous and the current month -- a safety net for payment refreshes that
    never ran (a lost worker), since most payments land in those two months."""
    this_month = first_of_month(timezone.localdate())
    generate_dues_task(this_month.isoformat())
    return sum(
        rollup_dues_task(month.isoformat()) for month in (add_months(this_month, -1), this_month)
    )
