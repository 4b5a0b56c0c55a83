from celery import shared_task
from django.utils import timezone

from unionportal.core.jobs import run_recorded

from .models import FileStatus, HardshipFile


def count_files_due(today=None) -> int:
    """Approved hardship files whose periodic review is due (the dashboard lists them per
    user through welfare.todo); the daily run records the city-wide count."""
    today = today or timezone.localdate()
    return HardshipFile.objects.filter(status=FileStatus.APPROVED, review_due__lte=today).count()


@shared_task(name="welfare.tasks.files_due_for_review")
def files_due_for_review() -> int:
    return run_recorded("welfare_files_due_for_review", count_files_due).rows
