"""Run the daily file-job cleanup by hand (the beat schedule runs it at 04:30)."""

from django.core.management.base import BaseCommand

from unionportal.core.jobs import file_jobs_cleanup, run_recorded


class Command(BaseCommand):
    help = "Delete expired import uploads and export files; fail jobs left running."

    def handle(self, *args, **options):
        run = run_recorded("cleanup_file_jobs", file_jobs_cleanup, argument="by hand")
        self.stdout.write(f"{run.rows} jobs cleaned up.")
