"""The members app's items on the dashboard's to-do panel (unionportal.core.todo)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from unionportal.core.models import FileJob
from unionportal.core.todo import PROVIDERS, TodoItem

from . import access, services


def transfers_to_decide(user) -> list[TodoItem]:
    """Open transfers that the other union started and the user's union must answer."""
    count = services.transfers_awaiting_decision(user).count()
    url = reverse("members:transfer_list") + "?tab=decide&status=requested"
    return [TodoItem(label=_("Transfers waiting for my decision"), count=count, url=url)]


def imports_to_confirm(user) -> list[TodoItem]:
    """Member files checked without errors and waiting for the user's confirmation."""
    count = (
        access.file_jobs_of(user)
        .filter(
            kind=FileJob.Kind.IMPORT,
            status=FileJob.Status.PENDING,
            params__stage="checked",
            result__bad_rows=0,
        )
        .exclude(file="")
        .count()
    )
    url = reverse("members:job_list")
    return [TodoItem(label=_("Imports waiting for my confirmation"), count=count, url=url)]


def expulsions_to_acknowledge(user) -> list[TodoItem]:
    """Expulsions filed with a union the user acts for, not yet acknowledged."""
    filings = services.expulsions_filed_with(user, open_only=True)
    count = sum(1 for c in filings[:1000] if access.can(user, "member.edit", c.filed_with))
    url = reverse("members:expulsion_list") + "?open=1"
    return [TodoItem(label=_("Expulsions filed with us to acknowledge"), count=count, url=url)]


def register() -> None:
    for provider in (transfers_to_decide, imports_to_confirm, expulsions_to_acknowledge):
        if provider not in PROVIDERS:
            PROVIDERS.append(provider)
