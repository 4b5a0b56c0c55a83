from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from members.dues import first_of_month, parse_month
from unionportal.reporting.tasks import rollup_stats_task


class Command(BaseCommand):
    help = "Recompute the statistics snapshots of every organisation for a month (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: the current month)")

    def handle(self, *args, month: str | None = None, **options) -> None:
        try:
            when = parse_month(month) if month else first_of_month(timezone.localdate())
        except (ValueError, ValidationError) as exc:
            raise CommandError(f"{exc}") from None
        rows = rollup_stats_task(when.isoformat())
        self.stdout.write(f"rollup_stats {when:%Y-%m}: {rows} rows written")
