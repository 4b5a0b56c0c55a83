"""Import members from an .xlsx file, as the system: all rows or none.

    python manage.py import_members members.xlsx --union 81420502MA4XXXXXXX

The file is checked exactly as on the import page. With any bad row the report is printed
(row, column, problem), nothing is written and the command exits with status 1.
"""

from __future__ import annotations

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.imports import member_import, member_import_check
from members.models import Organisation


class Command(BaseCommand):
    help = "Import members from an .xlsx file into a union (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the filled-in import template (.xlsx)")
        parser.add_argument("--union", required=True, help="the union's id or its USCC")
        parser.add_argument(
            "--check-only", action="store_true", help="print the report, import nothing"
        )

    def handle(self, *args, file: str, union: str, check_only: bool = False, **options):
        organisation = self._union(union)
        try:
            with open(file, "rb") as f:
                data = BytesIO(f.read())
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None
        run = member_import_check if check_only else member_import
        try:
            check = run(actor=None, organisation=organisation, fileobj=data)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if check.errors:
            self.stdout.write("row\tcolumn\tproblem")
            for error in check.sorted_errors():
                self.stdout.write(f"{error.row}\t{error.column}\t{error.message}")
            raise CommandError(
                f"{check.bad_rows} of {check.rows} rows have errors; nothing was imported.",
                returncode=1,
            )
        if check_only:
            self.stdout.write(f"{check.rows} rows are good; nothing was imported (--check-only).")
        else:
            self.stdout.write(f"{check.created} members imported into {organisation.name}.")

    @staticmethod
    def _union(value: str) -> Organisation:
        value = value.strip()
        lookup = {"pk": int(value)} if value.isdigit() else {"uscc": value.upper()}
        try:
            return Organisation.objects.get(**lookup)
        except Organisation.DoesNotExist:
            raise CommandError(f"no organisation with id or USCC {value}") from None
