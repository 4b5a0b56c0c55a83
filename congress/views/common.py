"""What the congress pages share: the manage capability, page size, session and motion lookups."""

from __future__ import annotations

from django.http import HttpRequest

from members import access

from ..models import CongressSession, Motion

MANAGE = "congress.manage"
PAGE_SIZE = 50


def _session(request: HttpRequest, pk: int, capability: str | None = None) -> CongressSession:
    return access.get_object_for_user(
        request.user,
        CongressSession.objects.select_related("organisation"),
        org_field="organisation",
        capability=capability,
        pk=pk,
    )


def _motion(request: HttpRequest, pk: int, capability: str | None = None) -> Motion:
    return access.get_object_for_user(
        request.user,
        Motion.objects.select_related("session", "organisation", "proposer__member", "merged_into"),
        org_field="organisation",
        capability=capability,
        pk=pk,
    )
