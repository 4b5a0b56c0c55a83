import re

from django.core.management.base import BaseCommand, CommandError

from members.models import Organisation
from unionportal.core.replica import reads_from_replica
from unionportal.reporting import summary
from unionportal.reporting.models import ReportPeriod


class Command(BaseCommand):
    help = (
        "Write the Excel summary of a report period for an organisation's subtree "
        "(runs as the system; audited)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, help="YYYYQN, e.g. 2026Q3")
        parser.add_argument("--scope", required=True, help="the organisation's id")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")

    def handle(self, *args, period: str, scope: str, out: str, **options) -> None:
        match = re.fullmatch(r"\s*(\d{4})\s*[Qq]([1-4])\s*", period or "")
        if not match:
            raise CommandError(f"--period must look like 2026Q3, not {period!r}.")
        year, quarter = int(match[1]), int(match[2])
        found = ReportPeriod.objects.filter(year=year, quarter=quarter).first()
        if found is None:
            raise CommandError(f"The period {year}Q{quarter} has not been opened.")
        if not re.fullmatch(r"[0-9]{1,12}", str(scope).strip()):
            raise CommandError(f"--scope must be an organisation id (a number), not {scope!r}.")
        organisation = Organisation.objects.filter(pk=int(scope)).first()
        if organisation is None:
            raise CommandError(f"No organisation has the id {scope}.")
        if not out.lower().endswith(".xlsx"):
            raise CommandError("--out must name an .xlsx file.")
        if summary.ensure_snapshots(found):
            self.stdout.write(f"statistics rolled up for {summary.snapshot_month(found):%Y-%m}")
        try:
            with reads_from_replica(caught_up=True):  # the snapshots may be just written
                rows = summary.write_summary(found, organisation, out)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror or exc}") from None
        summary.audit_summary(organisation, actor=None, period=found, rows=rows, via="command")
        self.stdout.write(f"export_summary {found.code} {organisation.name}: {rows} rows -> {out}")
