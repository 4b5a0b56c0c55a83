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
    # Dues, 1st of the month at 02:00: create the month's dues records of every active member,
    # then roll the month up (the task chains the rollup after generating). Both are
    # idempotent, so a redelivered or hand-run task changes nothing.
    "dues-monthly": {
        "task": "members.tasks.generate_dues_task",
        "schedule": crontab(minute=0, hour=2, day_of_month=1),
        "kwargs": {"then_rollup": True},
    },
    # Dues partitions (PostgreSQL), 1st of the month at 01:00, before the month's dues: the
    # partitions of the next 12 months exist (members/partitions.py). Idempotent.
    "dues-partitions": {
        "task": "members.tasks.dues_partitions_task",
        "schedule": crontab(minute=0, hour=1, day_of_month=1),
    },
    # Nightly at 02:30: bill members who joined since the 1st, then roll up the current and
    # the previous month again, so the figures catch up with payments even if the refresh a
    # payment enqueues was lost.
    "dues-rollup-recent": {
        "task": "members.tasks.rollup_recent_dues_task",
        "schedule": crontab(minute=30, hour=2),
    },
    # Daily at 01:30: append the audit and login rows settled since the last run to the
    # hash-chained trail in AUDIT_EXPORT_DIR, for shipping off the host
    # (unionportal.core.audit_export). Idempotent: a rerun finds nothing new.
    "audit-export": {
        "task": "unionportal.tasks.audit_export",
        "schedule": crontab(hour=1, minute=30),
    },
    # Daily at 04:30: delete expired import uploads (full ID numbers) and export files, and
    # fail jobs and runs a lost worker left running (unionportal.core.jobs.file_jobs_cleanup).
    "cleanup-file-jobs": {
        "task": "unionportal.tasks.cleanup_file_jobs",
        "schedule": crontab(hour=4, minute=30),
    },
    # Daily at 07:30, before the working day: count the hardship files due for review (the
    # dashboard lists them; the run is recorded).
    "welfare-files-due": {
        "task": "welfare.tasks.files_due_for_review",
        "schedule": crontab(hour=7, minute=30),
    },
    # Nightly at 03:00, after the dues rollup: the statistics snapshots of every organisation
    # for the previous and the current month (the dashboard reads only these).
    "stats-rollup-recent": {
        "task": "reporting.tasks.rollup_recent_stats_task",
        "schedule": crontab(minute=0, hour=3),
    },
    # Daily at 08:00: remind unions whose quarterly report is due within 5 days, overdue or
    # returned (in the portal; by email too when EMAIL_ENABLED).
    "report-reminders": {
        "task": "reporting.tasks.report_reminders_task",
        "schedule": crontab(minute=0, hour=8),
    },
}
