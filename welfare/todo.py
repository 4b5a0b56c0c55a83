"""The welfare items on the dashboard's to-do panel: relief to review or approve, and
hardship files due for their periodic review (computed daily from the review dates)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from unionportal.core.todo import PROVIDERS, TodoItem

from . import services


def relief_to_decide(user) -> list[TodoItem]:
    review, approve = services.relief_awaiting(user)
    url = reverse("welfare:relief_list")
    return [
        TodoItem(
            label=_("Relief applications to review"),
            count=review.count(),
            url=url + "?status=submitted",
        ),
        TodoItem(
            label=_("Relief applications to approve"),
            count=approve.count(),
            url=url + "?status=on_notice",
        ),
    ]


def files_to_review(user) -> list[TodoItem]:
    count = services.files_due_for_review(user).count()
    return [
        TodoItem(
            label=_("Hardship files due for review"),
            count=count,
            url=reverse("welfare:file_list") + "?due=1",
        )
    ]


def register() -> None:
    for provider in (relief_to_decide, files_to_review):
        if provider not in PROVIDERS:
            PROVIDERS.append(provider)
