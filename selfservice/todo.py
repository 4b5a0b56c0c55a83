"""Join applications awaiting the union's decision, on the dashboard's to-do panel."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from members import access
from unionportal.core.todo import PROVIDERS, TodoItem


def pending_applications(user) -> list[TodoItem]:
    if not access.can(user, "join.decide"):
        return []
    from .services.applications import pending_for

    url = reverse("selfservice:application_list") + "?status=pending"
    return [
        TodoItem(
            label=_("Online join applications to decide"), count=pending_for(user).count(), url=url
        )
    ]


def register() -> None:
    if pending_applications not in PROVIDERS:
        PROVIDERS.append(pending_applications)
