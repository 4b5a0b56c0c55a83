"""What the competition pages share: the competition in scope, the organiser's check and the
Excel response."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from unionportal.core.excel import xlsx_download

from .. import services
from ..models import (
    Competition,
)


def _competition(request: HttpRequest, pk: int) -> Competition:
    return get_object_or_404(
        services.visible_competitions(request.user).select_related("organiser"), pk=pk
    )


def _managed(request: HttpRequest, pk: int) -> Competition:
    competition = _competition(request, pk)
    if not services.can_manage(request.user, competition):
        raise PermissionDenied
    return competition


def _xlsx(
    request, title: str, headers: list[str], rows: list, filename: str, *, event: str, **data
) -> HttpResponse:
    return xlsx_download(request, [(title, headers, rows)], filename, event=event, **data)


def _redirect_with_errors(request, competition, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)
    return redirect(competition)
