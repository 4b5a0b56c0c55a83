"""Celery tasks of the members app: thin, taking ids, re-checking the actor (security.md D8).

Each is enqueued with transaction.on_commit and is safe to run twice: a finished job is left
alone, and an import that died half-way wrote nothing (its rows go in one transaction).
"""

from __future__ import annotations

from celery import shared_task
from django.core.exceptions import PermissionDenied

from unionportal.jobs import run_recorded
from unionportal.models import FileJob

from . import access, exports, imports
from .models import User


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
