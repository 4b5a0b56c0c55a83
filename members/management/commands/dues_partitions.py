from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from members import partitions
from members.dues import add_months, first_of_month, parse_month
from members.tasks import dues_partitions_task


class Command(BaseCommand):
    help = (
        "Create the monthly dues partitions (PostgreSQL) of the coming months, and of earlier "
        "months with --since; rows of those months in the default partition move in. Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--ahead", type=int, default=partitions.AHEAD_MONTHS, help="months ahead (12)"
        )
        parser.add_argument("--since", help="YYYY-MM: also create partitions from this month")

    def handle(self, *args, ahead: int, since: str | None = None, **options) -> None:
        if not partitions.is_partitioned():
            self.stdout.write("dues_partitions: the dues table is not partitioned (SQLite)")
            return
        if ahead < 0:
            raise CommandError("--ahead cannot be negative")
        if since:
            try:
                start = parse_month(since)
            except ValueError as exc:
                raise CommandError(f"{exc}") from None
            until = add_months(first_of_month(timezone.localdate()), ahead)
            created = len(partitions.ensure_partitions(since=start, until=until))
        else:
            created = dues_partitions_task(ahead)
        self.stdout.write(f"dues_partitions: {created} partitions created")
