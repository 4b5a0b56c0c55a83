from celery import shared_task

from . import audit_export
from .jobs import file_jobs_cleanup, run_recorded


@shared_task(name="unionportal.tasks.heartbeat")
def heartbeat(note: str = "") -> int:
    """Proves a worker picks up work: writes one JobRun row."""
    return run_recorded("heartbeat", lambda: 0, argument=note[:100]).pk


@shared_task(name="unionportal.tasks.cleanup_file_jobs")
def cleanup_file_jobs() -> int:
    """Expired import and export files deleted; jobs left running by a lost worker failed."""
    return run_recorded("cleanup_file_jobs", file_jobs_cleanup).rows


@shared_task(name="unionportal.tasks.audit_export")
def export_audit_trail() -> int:
    """The settled new audit and login rows appended to the shipped trail (audit_export)."""
    return run_recorded("audit_export", audit_export.run_export).rows
