from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from competitions import demo as competitions_demo
from congress import demo as congress_demo
from members import demo, demo_people
from unionportal.reporting import demo as reporting_demo
from welfare import demo as welfare_demo


class Command(BaseCommand):
    help = "Load the demo city (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options) -> None:
        made = demo.seed_organisations()
        users = demo.seed_users(made)
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
            # Last: the reports and statistics read every app's records.
            ("reporting", reporting_demo.seed),
        ):
            self.stdout.write(f"{label}: {seed(timezone.localdate())} rows added")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}):")
        for user in users:
            role = user.roles.first()
            self.stdout.write(
                f"  {user.username:<8} {role.organisation.name} · {role.get_role_display()}"
            )
