"""Record a task's run: start, end, rows and error (architecture.md "Periodic and slow work")."""

from __future__ import annotations

from collections.abc import Callable

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
