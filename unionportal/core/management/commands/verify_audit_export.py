"""Check a directory of the shipped audit trail: every line's hash, the chain across files and,
unless --files-only, the hashes the exports recorded in the database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from unionportal.core.audit_export import verify_directory
from unionportal.core.models import AuditExport


class Command(BaseCommand):
    help = "Verify the hash chain of an audit-trail directory; exit status 1 at the first break."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", default=None, help="default: the AUDIT_EXPORT_DIR setting"
        )
        parser.add_argument(
            "--files-only",
            action="store_true",
            help="check the files alone, not against the exports recorded in the database "
            "(for a copy verified away from the portal's database)",
        )

    def handle(self, *args, directory=None, files_only=False, **options):
        path = Path(directory or settings.AUDIT_EXPORT_DIR)
        if not path.is_dir():
            raise CommandError(f"{path} is not a directory.")
        checkpoints = (
            {} if files_only else dict(AuditExport.objects.values_list("last_seq", "last_hash"))
        )
        result = verify_directory(path, checkpoints)
        counts = ", ".join(f"{source} {n}" for source, n in sorted(result.counts.items()))
        if result.broken:
            self.stderr.write(f"Line(s) in order before the break: {result.lines}.")
            raise CommandError(f"BROKEN: {result.broken}")
        self.stdout.write(
            f"OK: {result.files} files, {result.lines} lines ({counts or 'none'}); "
            f"last line {result.last_seq}, hash {result.last_hash[:16]}; "
            f"{result.checkpoints} recorded exports matched."
        )
