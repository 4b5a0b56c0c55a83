"""The collective-contract reminders on the dashboard's to-do panel, for the union and every
level above it (the user's whole subtree where they may manage contracts): contracts whose
term ends within the renewal reminder (90 days), signed but not sent by the sending deadline
(10 days), and sent with no outcome yet; and mediation cases past their 15 days."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from unionportal.core.todo import PROVIDERS, TodoItem

from .models import MediationOutcome
from .services import (
    contracts_awaiting_outcome,
    contracts_in_scope,
    contracts_not_sent,
    contracts_to_renew,
    mediation_cases_in_scope,
)


def contracts_to_act(user) -> list[TodoItem]:
    if not access.can(user, "contract.manage"):
        return []
    today = timezone.localdate()
    qs = contracts_in_scope(user, "contract.manage")
    url = reverse("contracts:contract_list")
    items = [
        TodoItem(
            label=_("Collective contracts to renew (expiring within 90 days)"),
            count=contracts_to_renew(qs, today).count(),
            url=url + "?due=renew",
        ),
        TodoItem(
            label=_("Signed contracts not sent to the labour bureau in time"),
            count=contracts_not_sent(qs, today).count(),
            url=url + "?due=send",
        ),
        TodoItem(
            label=_("Contracts sent with no outcome yet"),
            count=contracts_awaiting_outcome(qs, today).count(),
            url=url + "?due=outcome",
        ),
    ]
    if access.can(user, "mediation.manage"):
        items.append(
            TodoItem(
                label=_("Mediation cases past their 15 days"),
                count=mediation_cases_in_scope(user, "mediation.manage")
                .filter(status=MediationOutcome.OPEN, settle_by__lt=today)
                .count(),
                url=reverse("contracts:mediation_list") + "?overdue=1",
            )
        )
    return items


def register() -> None:
    if contracts_to_act not in PROVIDERS:
        PROVIDERS.append(contracts_to_act)
