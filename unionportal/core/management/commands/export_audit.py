"""Append the new audit and login rows to the shipped trail by hand (the beat schedule runs it
at 01:30)."""

from django.core.management.base import BaseCommand, CommandError

from unionportal.core.audit_export import ExportRefused, export_audit_rows
from unionportal.core.jobs import run_recorded


class Command(BaseCommand):
    help = "Export the settled new audit and login rows to a hash-chained file in AUDIT_EXPORT_DIR."

    def handle(self, *args, **options):
        written = []

        def work() -> int:
            export = export_audit_rows()
            if export:
                written.append(export)
            return export.lines if export else 0

        try:
            run_recorded("audit_export", work, argument="by hand")
        except ExportRefused as refused:  # recorded as a failed run; no traceback for this
            raise CommandError(str(refused)) from refused
        if written:
            export = written[0]
            self.stdout.write(
                f"{export.lines} lines written to {export.file_name} "
                f"(lines {export.first_seq}-{export.last_seq} of the trail)."
            )
        else:
            self.stdout.write("Nothing new to export.")
