"""Grant a portal's first auditor (security.md D7).

An auditor role is granted by one federation administrator and confirmed by a second. A
portal with a single administrator can't do that, so the operator grants the first auditor
here; the grant is written to the audit log. Once an auditor is in force, further grants go
through the accounts page and a second administrator.

    python manage.py grant_first_auditor USERNAME [--organisation PK]
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members import services
from members.models import Organisation, OrgKind, Role, RoleName, User
from unionportal.core.audit import audit_event


class Command(BaseCommand):
    help = "Grant the first auditor role (audited); later ones need two administrators."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--organisation", type=int, help="the federation's id (default: the city's)"
        )

    def handle(self, *args, username, organisation, **options):
        if Role.objects.current().filter(role=RoleName.AUDITOR).exists():
            raise CommandError(
                "An auditor is already in force: grant further auditors on the accounts page, "
                "confirmed by a second administrator."
            )
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active account named {username!r}.") from None
        orgs = Organisation.objects.filter(kind=OrgKind.FEDERATION, depth=1)
        if organisation is not None:
            orgs = Organisation.objects.filter(pk=organisation)
        org = orgs.first()
        if org is None:
            raise CommandError("No such federation.")
        try:
            role = services.role_grant(
                actor=None, user=user, organisation=org, role=RoleName.AUDITOR
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        audit_event(role, "role.first_auditor", via="operator command", account=username)
        self.stdout.write(f"{username} is the auditor of {org.name}.")
