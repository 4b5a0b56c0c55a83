"""Record a task's run: start, end, rows and error (architecture.md "Periodic and slow work")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from .models import JobRun


def run_recorded(task: str, work: Callable[[], int], *, argument: str = "") -> JobRun:
    """Run `work` (which returns the number of rows it wrote) and record the run.

    The JobRun row is written outside the work's transaction, so a failure is recorded too.
    """
    run = JobRun.objects.create(task=task, argument=argument)
    try:
        rows = work()
    except Exception as exc:
        run.status = JobRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.status = JobRun.Status.DONE
    run.rows = rows or 0
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "rows", "finished_at"])
    return run


# --- File jobs: keep personal data on disk no longer than needed ----------------------------

# An uploaded member file holds full ID numbers in clear: once imported it is deleted at once
# (members.imports); an abandoned one goes after a day, with the preview's rows. Export files
# go a week after they were made; the job and its counts stay.
IMPORT_UPLOAD_DAYS = 1
EXPORT_FILE_DAYS = 7
# A job or run still running after this lost its worker (the task time limit is 1 hour). The
# task itself runs again when its worker dies (security.md H6); the job it redoes is finished
# by the rerun, but the record of the killed attempt is left running until this cleanup.
STUCK_AFTER = timedelta(hours=3)


def file_jobs_cleanup(now=None) -> int:
    """Delete expired job files and fail jobs and runs a lost worker left running (security.md
    H6: never stuck RUNNING). Idempotent; returns the number of jobs and runs touched."""
    from django.utils.translation import gettext as _

    from .models import FileJob

    now = now or timezone.now()
    touched = 0
    # Imports: the upload (full ID numbers) and the preview's rows (names) go; the counts and
    # the error report stay.
    old_imports = (
        FileJob.objects.filter(
            kind=FileJob.Kind.IMPORT,
            created_at__lt=now - timedelta(days=IMPORT_UPLOAD_DAYS),
        )
        .exclude(status=FileJob.Status.RUNNING)
        .exclude(params__has_key="purged")
    )
    for job in old_imports:
        had_file = bool(job.file)
        if had_file:
            job.file.delete(save=False)
        job.result = {k: v for k, v in (job.result or {}).items() if k != "preview"}
        job.params = {**job.params, "purged": True, "file_expired": had_file}
        job.save(update_fields=["file", "result", "params"])
        touched += 1
    old_exports = (
        FileJob.objects.exclude(file="")
        .filter(kind=FileJob.Kind.EXPORT, created_at__lt=now - timedelta(days=EXPORT_FILE_DAYS))
        .exclude(status=FileJob.Status.RUNNING)
    )
    for job in old_exports:
        job.file.delete(save=False)
        job.params = {**job.params, "file_expired": True}
        job.save(update_fields=["file", "params"])
        touched += 1
    for job in FileJob.objects.filter(
        status=FileJob.Status.RUNNING, created_at__lt=now - STUCK_AFTER
    ):
        job.mark(FileJob.Status.FAILED, error=_("The job was interrupted; please start it again."))
        touched += 1
    touched += JobRun.objects.filter(
        status=JobRun.Status.RUNNING, started_at__lt=now - STUCK_AFTER
    ).update(
        status=JobRun.Status.FAILED,
        finished_at=now,
        error="Interrupted: the worker running it was lost.",
    )
    return touched
