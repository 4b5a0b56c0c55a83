"""auditlog's `auditlogflush`, refused in production (security.md G2): the audit trail is kept
for at least 180 days and shipped off the host; nobody empties it from the portal. With DEBUG on
(a developer's own database) the library's command runs as usual."""

from __future__ import annotations

from auditlog.management.commands.auditlogflush import Command as LibraryCommand
from django.conf import settings
from django.core.management.base import CommandError


class Command(LibraryCommand):
    help = "Deletes log entries (development only; refused when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "auditlogflush is disabled in production: the audit trail is append-only "
                "(security.md G2)."
            )
        return super().handle(*args, **options)
