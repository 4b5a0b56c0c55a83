"""The assessment items on the to-do panels: self-assessments due, reviews and confirmations
waiting."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from members import access
from unionportal.core.todo import PROVIDERS, TodoItem

from .models import Assessment, AssessmentStatus, RoundStatus

S = AssessmentStatus


def _open(user, capability: str):
    return access.scope(
        user,
        Assessment.objects.filter(round__status=RoundStatus.OPEN),
        org_field="organisation",
        capability=capability,
    )


def assessment_todo(user) -> list[TodoItem]:
    url = reverse("assessment:assessment_list")
    items = []
    if access.can(user, "assessment.self"):
        n = _open(user, "assessment.self").filter(status__in=(S.DRAFT, S.RETURNED)).count()
        items.append(TodoItem(_("Self-assessments due"), n, f"{url}?status=open"))
    if access.can(user, "assessment.review"):
        n = _open(user, "assessment.review").filter(status=S.SUBMITTED).count()
        items.append(TodoItem(_("Assessments waiting for review"), n, f"{url}?status=submitted"))
    if access.can(user, "assessment.confirm"):
        n = _open(user, "assessment.confirm").filter(status=S.REVIEWED).count()
        items.append(
            TodoItem(_("Assessments waiting for confirmation"), n, f"{url}?status=reviewed")
        )
    return items


def register() -> None:
    if assessment_todo not in PROVIDERS:
        PROVIDERS.append(assessment_todo)
