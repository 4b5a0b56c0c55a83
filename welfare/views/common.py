"""What the welfare pages share: scoped querysets, the period filter and the Excel response."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.utils import timezone

from members import access
from members.models import Member, Organisation
from unionportal.core.excel import xlsx_download

from .. import forms as f
from ..models import (
    Campaign,
    ReliefStatus,
)

S = ReliefStatus
ORG = "organisation"


def _scoped(user, qs):
    return access.scope(user, qs, org_field=ORG)


def _members(user):
    return access.scope(
        user,
        Member.objects.filter(status__in=["applied", "active", "retained"]),
        org_field=ORG,
        capability="relief.draft",
    )


def _campaigns(user):
    """Campaigns a record of this user's unions may be linked to: those owned by the user's
    scope or by an organisation above it."""
    paths = access.scope_paths(user)
    owners = {
        p[:i] for p in paths for i in range(Organisation.steplen, len(p) + 1, Organisation.steplen)
    }
    return Campaign.objects.filter(organisation__path__in=owners) | _scoped(
        user, Campaign.objects.all()
    )


def _period(request) -> tuple[date, date]:
    form = f.PeriodForm(request.GET)
    today = timezone.localdate()
    start, end = date(today.year, 1, 1), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return start, end


def _xlsx(request, sheets, filename: str, *, event: str, **data) -> HttpResponse:
    return xlsx_download(request, sheets, filename, event=event, **data)
