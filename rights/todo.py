"""The casework items on the dashboard's to-do panel: cases to accept, to handle and to
close at the user's own unions, and the overdue cases anywhere in the user's subtree (every
level above sees them)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from unionportal.core.todo import PROVIDERS, TodoItem

from .models import HANDLING, Case, CaseStatus
from .services import cases_in_scope, overdue_q


def _own(user, capability: str, field: str):
    """Cases whose `field` union is one where the user holds `capability` themselves."""
    orgs = [
        r.organisation_id
        for r in access.roles_of(user)
        if access.can(user, capability, r.organisation)
    ]
    return Case.objects.filter(**{f"{field}_id__in": orgs})


def cases_to_act(user) -> list[TodoItem]:
    if not access.can(user, "case.handle"):
        return []
    url = reverse("rights:case_list")
    today = timezone.localdate()
    return [
        TodoItem(
            label=_("Cases to accept or not"),
            count=_own(user, "case.manage", "received_by")
            .filter(status=CaseStatus.RECEIVED)
            .count(),
            url=url + "?status=received&mine=1",
        ),
        TodoItem(
            label=_("Cases to handle"),
            count=_own(user, "case.handle", "handler").filter(status__in=HANDLING).count(),
            url=url + "?status=handling&mine=1",
        ),
        TodoItem(
            label=_("Answered cases to close"),
            count=_own(user, "case.manage", "received_by")
            .filter(status=CaseStatus.ANSWERED)
            .count(),
            url=url + "?status=answered&mine=1",
        ),
        TodoItem(
            label=_("Overdue cases"),
            count=cases_in_scope(user).filter(overdue_q(today)).count(),
            url=url + "?overdue=1",
        ),
    ]


def register() -> None:
    if cases_to_act not in PROVIDERS:
        PROVIDERS.append(cases_to_act)
