"""The casework items on the dashboard's to-do panel: cases to accept, to handle and to
close at the user's own unions, and the overdue cases anywhere in the user's subtree (every
level above sees them). One query counts them all."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from unionportal.core.todo import PROVIDERS, TodoItem

from .models import HANDLING, CaseStatus
from .services import cases_in_scope, overdue_q


def _own(user, capability: str) -> list[int]:
    """The unions where the user holds `capability` through a role held there."""
    return [
        r.organisation_id
        for r in access.roles_of(user)
        if r.role in access.CAPABILITIES[capability]
    ]


def cases_to_act(user) -> list[TodoItem]:
    if not access.can(user, "case.handle"):
        return []
    manage, handle = _own(user, "case.manage"), _own(user, "case.handle")
    counts = cases_in_scope(user).aggregate(
        accept=Count("pk", filter=Q(received_by_id__in=manage, status=CaseStatus.RECEIVED)),
        handle=Count("pk", filter=Q(handler_id__in=handle, status__in=HANDLING)),
        close=Count("pk", filter=Q(received_by_id__in=manage, status=CaseStatus.ANSWERED)),
        overdue=Count("pk", filter=overdue_q(timezone.localdate())),
    )
    url = reverse("rights:case_list")
    return [
        TodoItem(_("Cases to accept or not"), counts["accept"], url + "?status=received&mine=1"),
        TodoItem(_("Cases to handle"), counts["handle"], url + "?status=handling&mine=1"),
        TodoItem(_("Answered cases to close"), counts["close"], url + "?status=answered&mine=1"),
        TodoItem(_("Overdue cases"), counts["overdue"], url + "?overdue=1"),
    ]


def register() -> None:
    if cases_to_act not in PROVIDERS:
        PROVIDERS.append(cases_to_act)
