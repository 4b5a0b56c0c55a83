from celery import shared_task

from .jobs import run_recorded


@shared_task(name="unionportal.tasks.heartbeat")
def heartbeat(note: str = "") -> int:
    """Proves a worker picks up work: writes one JobRun row."""
    return run_recorded("heartbeat", lambda: 0, argument=note[:100]).pk
