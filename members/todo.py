"""The members app's items on the dashboard's to-do panel (unionportal.reporting.todo)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from unionportal.reporting.todo import PROVIDERS, TodoItem

from . import services


def transfers_to_decide(user) -> list[TodoItem]:
    """Open transfers that the other union started and the user's union must answer."""
    count = services.transfers_awaiting_decision(user).count()
    url = reverse("members:transfer_list") + "?tab=decide&status=requested"
    return [TodoItem(label=_("Transfers waiting for my decision"), count=count, url=url)]


def register() -> None:
    if transfers_to_decide not in PROVIDERS:
        PROVIDERS.append(transfers_to_decide)
