"""What the assessment views share: scoped lookups and error messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from members import access

from ..models import Assessment, Round


def assessments_in_scope(user, capability: str = "view"):
    return access.scope(
        user,
        Assessment.objects.select_related("round", "organisation"),
        org_field="organisation",
        capability=capability,
    )


def rounds_in_scope(user):
    """Rounds holding an assessment the user may see, or opened over an organisation the user
    reaches: a round holding only another union's assessments is 404."""
    mine = assessments_in_scope(user).values("round_id")
    opened = access.scope(user, Round.objects.all(), org_field="organisation")
    return Round.objects.filter(Q(pk__in=mine) | Q(pk__in=opened.values("pk")))


def get_round(request: HttpRequest, pk: int, capability: str | None = None) -> Round:
    round_ = get_object_or_404(rounds_in_scope(request.user).select_related("organisation"), pk=pk)
    if capability:
        access.require(request.user, capability, round_.organisation)
    return round_


def get_assessment(request: HttpRequest, pk: int, capability: str | None = None) -> Assessment:
    return access.get_object_for_user(
        request.user,
        Assessment.objects.select_related("round", "organisation"),
        org_field="organisation",
        capability=capability,
        pk=pk,
    )


def show_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
