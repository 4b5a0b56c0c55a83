"""Create or update the application's PostgreSQL role and its grants (security.md G2).

Run it as the owner of the portal's tables (the role migrations run as), after every migrate:

    DATABASE_URL=postgres://owner@host/db python manage.py db_roles --app-role unionportal_app

The password comes from an environment variable (never from the command line, which lands in
the shell history and the process list). `--print` writes the SQL instead, for a database
administrator to run by hand.
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from unionportal.core import db_roles


class Command(BaseCommand):
    help = "Create the application's database role: append-only audit tables, no DDL."

    def add_arguments(self, parser):
        parser.add_argument("--app-role", default=os.environ.get("APP_DB_ROLE", "unionportal_app"))
        parser.add_argument(
            "--password-env",
            default="APP_DB_PASSWORD",
            help="the environment variable holding the role's password (unset: keep it)",
        )
        parser.add_argument("--print", action="store_true", help="print the SQL, run nothing")

    def handle(self, *args, app_role, password_env, print, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only (DATABASE_URL).")
        if app_role == connection.settings_dict["USER"]:
            raise CommandError(
                "Connect as the owner role, not as the application role it grants to."
            )
        password = os.environ.get(password_env) or None
        connection.ensure_connection()
        raw = connection.connection
        texts = [
            s.as_string(raw)
            for s in db_roles.statements(
                app_role, connection.settings_dict["NAME"], password=password
            )
        ]
        if print:
            for text in texts:
                self.stdout.write(text + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for text in texts:
                cursor.execute(text)
        self.stdout.write(
            f"Role {app_role}: reads and writes the portal's tables; "
            f"{', '.join(db_roles.AUDIT_TABLES)} are append-only."
        )
