"""The congress items on the dashboard's to-do panel: overdue motions the user can act on."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from members import access
from unionportal.core.todo import PROVIDERS, TodoItem

from .models import Motion


def overdue_motions(user) -> list[TodoItem]:
    if not access.can(user, "congress.manage"):
        return []
    count = (
        access.scope(
            user, Motion.objects.all(), org_field="organisation", capability="congress.manage"
        )
        .overdue()
        .count()
    )
    url = reverse("congress:motion_list") + "?overdue=1"
    return [TodoItem(label=_("Overdue motions"), count=count, url=url)]


def register() -> None:
    if overdue_motions not in PROVIDERS:
        PROVIDERS.append(overdue_motions)
