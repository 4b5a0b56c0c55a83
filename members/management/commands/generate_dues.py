from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from members.dues import first_of_month, parse_month
from members.tasks import generate_dues_task


class Command(BaseCommand):
    help = "Create the month's dues records for every liable member (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: the current month)")

    def handle(self, *args, month: str | None = None, **options) -> None:
        try:
            when = parse_month(month) if month else first_of_month(timezone.localdate())
            rows = generate_dues_task(when.isoformat())
        except (ValueError, ValidationError) as exc:
            raise CommandError(f"{exc}") from None
        self.stdout.write(f"generate_dues {when:%Y-%m}: {rows} rows inserted")
