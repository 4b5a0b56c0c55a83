"""The Celery app. With no CELERY_BROKER_URL, settings make every task run eagerly."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")

app = Celery("unionportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Schedules are reviewed code (style.md rule 9); times are Asia/Shanghai (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    # A heartbeat every 10 minutes: the job-runs page shows the worker and beat are alive.
    "heartbeat": {
        "task": "unionportal.tasks.heartbeat",
        "schedule": crontab(minute="*/10"),
    },
    # Daily at 04:30: delete expired import uploads (full ID numbers) and export files, and
    # fail jobs a lost worker left running (unionportal.jobs.file_jobs_cleanup).
    "cleanup-file-jobs": {
        "task": "unionportal.tasks.cleanup_file_jobs",
        "schedule": crontab(hour=4, minute=30),
    },
}
