from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessment import demo as assessment_demo
from competitions import demo as competitions_demo
from congress import demo as congress_demo
from members import demo, demo_people
from members.mfa import devices
from rights import contract_demo
from rights import demo as rights_demo
from selfservice import demo as selfservice_demo
from unionportal.reporting import demo as reporting_demo
from welfare import demo as welfare_demo


class Command(BaseCommand):
    help = "Load the demo city (idempotent: running it twice changes nothing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-demo-passwords",
            action="store_true",
            help=(
                "Seed even with DEBUG off (a test or staging database): the demo accounts get "
                "the published password and must change it at their first login."
            ),
        )

    def handle(self, *args, **options) -> None:
        # security.md B4: no account with a published password on a production system.
        if not settings.DEBUG and not options["allow_demo_passwords"]:
            raise CommandError(
                "DEBUG is off: seed_demo would create accounts such as 'admin' with the "
                "published demo password. Use createsuperuser for a real system, or pass "
                "--allow-demo-passwords for a test or staging database."
            )
        made = demo.seed_organisations()
        users = demo.seed_users(made)
        two_step = demo.seed_two_step(users)
        members = demo_people.seed_members(timezone.localdate())
        cards = demo_people.seed_cards(timezone.localdate())
        transfers = demo_people.seed_transfers(made)
        dues = demo_people.seed_dues(timezone.localdate())
        funds = demo_people.seed_funds(timezone.localdate(), made)
        self.stdout.write(
            f"Members added: {members}, cards: {cards}, transfers: {transfers}, "
            f"dues records: {dues}, fund records: {funds}"
        )
        # The domain apps build on the members; each seeds itself, idempotently.
        for label, seed in (
            ("welfare", welfare_demo.seed),
            ("congress", congress_demo.seed),
            ("competitions", competitions_demo.seed),
            ("rights", rights_demo.seed),
            ("contracts", contract_demo.seed),
            ("assessment", assessment_demo.seed),
            ("online joining", selfservice_demo.seed),
            # Last: the reports and statistics read every app's records.
            ("reporting", reporting_demo.seed),
        ):
            self.stdout.write(f"{label}: {seed(timezone.localdate())} rows added")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}):")
        if not settings.DEBUG:
            self.stdout.write("  (DEBUG is off: each must change the password at its first login)")
        for user in users:
            role = user.roles.first()
            self.stdout.write(
                f"  {user.username:<8} {role.organisation.name} · {role.get_role_display()}"
            )
        if two_step:
            self.stdout.write(
                f"Two-step login: {two_step} demo accounts enrolled with the demo key "
                f"{devices.DEMO_SECRET} (it is asked only when MFA_ENFORCED=true)"
            )
