from django.conf import settings
from django.core.management.base import BaseCommand

from members import demo


class Command(BaseCommand):
    help = "Load the demo city (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options) -> None:
        made = demo.seed_organisations()
        users = demo.seed_users(made)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}):")
        for user in users:
            role = user.roles.first()
            self.stdout.write(
                f"  {user.username:<8} {role.organisation.name} · {role.get_role_display()}"
            )
