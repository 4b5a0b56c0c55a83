"""Celery tasks of the reporting app: thin, idempotent, recorded (style.md rule 9)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from members.dues import add_months, first_of_month
from members.tasks import month_from_iso
from unionportal.core import stale
from unionportal.core.audit import audit_event
from unionportal.core.jobs import run_recorded

from . import rollup, services


@shared_task(name="reporting.tasks.rollup_stats_task")
def rollup_stats_task(month_iso: str | None = None) -> int:
    """Recompute the month's StatSnapshot rows (an upsert: a re-run gives the same rows)."""
    month = month_from_iso(month_iso)
    run = run_recorded(
        "rollup_stats", lambda: rollup.stats_rollup(month=month), argument=f"{month:%Y-%m}"
    )
    # Written in bulk, past django-auditlog: leave an explicit trace (security.md G4).
    audit_event(run, "stats.rollup", month=f"{month:%Y-%m}", rows=run.rows)
    return run.rows


@shared_task(name="reporting.tasks.rollup_recent_stats_task")
def rollup_recent_stats_task() -> int:
    """Nightly: the previous and the current month, and every earlier month a change dated in
    the past has marked stale (core/stale.py), oldest first; the marks set before the run
    began are cleared once their month is recomputed. Marked months before the oldest
    snapshot are cleared without creating snapshots there."""
    from .models import StatSnapshot

    started = timezone.now()
    this_month = first_of_month(timezone.localdate())
    recent = [add_months(this_month, -1), this_month]
    oldest = StatSnapshot.objects.order_by("month").values_list("month", flat=True).first()
    marked = stale.marked_months()
    redo = sorted(m for m in marked if oldest is not None and oldest <= m < recent[0])
    rows = 0
    for month in [*redo, *recent]:
        rows += rollup_stats_task(month.isoformat())
        if month in marked:
            stale.clear([month], started)
    stale.clear([m for m in marked if m not in redo], started)
    return rows


@shared_task(name="reporting.tasks.report_reminders_task")
def report_reminders_task() -> int:
    """Daily: notify unions whose report is due within 5 days, overdue or returned."""
    return run_recorded("report_reminders", services.send_reminders).rows


@shared_task(name="reporting.tasks.export_summary_task")
def export_summary_task(job_id: int, user_id: int) -> int:
    """Build the Excel summary of a FileJob; raises PermissionDenied (writing no file) when
    the user may no longer export the job's organisation (security.md D8)."""
    from members.models import User
    from unionportal.core.models import FileJob

    from . import summary

    job = FileJob.objects.select_related("organisation").get(pk=job_id, kind=FileJob.Kind.EXPORT)
    if job.status == FileJob.Status.DONE:
        return job.total
    actor = User.objects.get(pk=user_id)
    run = run_recorded(
        "reporting.summary",
        lambda: summary.summary_job_run(job, actor=actor),
        argument=str(job_id),
    )
    return run.rows
