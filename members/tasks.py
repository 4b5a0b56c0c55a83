"""Celery tasks of the members app: thin, idempotent, recorded (style.md rule 9).

The dues tasks take a month as an ISO string ("2026-03" or "2026-03-01"; none means the
current month), call one service and record their run in JobRun.

The file-job tasks (imports, exports) take ids and re-check the actor (security.md D8). Each
is enqueued with transaction.on_commit and is safe to run twice: a finished job is left alone,
and an import that died half-way wrote nothing (its rows and the job's end go in one
transaction). tests/test_worker_crash.py kills a real worker mid-task to prove it (H6).
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from unionportal.core.audit import audit_event
from unionportal.core.jobs import run_recorded
from unionportal.core.models import FileJob

from . import access, exports, imports, services
from .dues import add_months, first_of_month, parse_month
from .models import User


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


@shared_task(name="members.tasks.dues_partitions_task")
def dues_partitions_task(ahead: int | None = None) -> int:
    """Monthly: create the dues partitions of the coming months (members/partitions.py), so
    dues paid in advance land in their own month's partition. Idempotent; nothing on SQLite."""
    from . import partitions

    months = partitions.AHEAD_MONTHS if ahead is None else ahead
    until = add_months(first_of_month(timezone.localdate()), months)
    run = run_recorded(
        "dues_partitions",
        lambda: len(partitions.ensure_partitions(until=until)),
        argument=f"{until:%Y-%m}",
    )
    return run.rows


# --- Imports and exports (FileJob) ------------------------------------------------------------


def _load(job_id: int, user_id: int, kind: str) -> tuple[FileJob, User]:
    job = FileJob.objects.select_related("organisation").get(pk=job_id, kind=kind)
    actor = User.objects.get(pk=user_id)
    return job, actor


def _require_import_actor(job: FileJob, actor: User) -> None:
    if (
        actor.pk != job.created_by_id
        or not actor.is_active
        or not access.can(actor, "member.edit", job.organisation)
    ):
        job.mark(FileJob.Status.FAILED, error="permission denied")
        raise PermissionDenied


@shared_task(name="members.tasks.import_check_task")
def import_check_task(job_id: int, user_id: int) -> int:
    """Check an uploaded member file and store the row-by-row report on its job."""
    job, actor = _load(job_id, user_id, FileJob.Kind.IMPORT)
    if job.params.get("stage") != "checking":
        return 0
    _require_import_actor(job, actor)

    def work() -> int:
        check = imports.import_job_check(job, actor=actor)
        return check.rows if check else 0

    return run_recorded("members.import_check", work, argument=str(job_id)).rows


@shared_task(name="members.tasks.import_members_task")
def import_members_task(job_id: int, user_id: int) -> int:
    """Import a checked member file: all rows or none."""
    job, actor = _load(job_id, user_id, FileJob.Kind.IMPORT)
    if job.status == FileJob.Status.DONE or job.params.get("stage") != "importing":
        return 0
    _require_import_actor(job, actor)
    run = run_recorded(
        "members.import",
        lambda: imports.import_job_run(job, actor=actor),
        argument=str(job_id),
    )
    return run.rows


@shared_task(name="members.tasks.export_members_task")
def export_members_task(job_id: int, user_id: int) -> int:
    """Build a large register export; raises PermissionDenied (writing no file) when the
    user may not export the job's organisation."""
    job, actor = _load(job_id, user_id, FileJob.Kind.EXPORT)
    if job.status == FileJob.Status.DONE:
        return job.total
    run = run_recorded(
        "members.export", lambda: exports.export_job_run(job, actor=actor), argument=str(job_id)
    )
    return run.rows
