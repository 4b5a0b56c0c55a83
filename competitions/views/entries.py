"""Entering a member or a team for one's own union."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members import access
from members.models import GRASSROOTS_KINDS, Member, Organisation
from members.views.common import apply_service_errors, is_id

from .. import services
from ..forms import (
    EntryForm,
)
from ..models import (
    Competition,
    CompetitionStatus,
)
from .common import _competition

# --- Entries -------------------------------------------------------------------------------


def _enter_unions(user, competition: Competition):
    return access.scope(
        user,
        Organisation.objects.active().filter(
            path__startswith=competition.organiser.path, kind__in=GRASSROOTS_KINDS
        ),
        capability="competition.enter",
    )


@login_required
def entry_create(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    access.require(request.user, "competition.enter")
    if competition.status != CompetitionStatus.REGISTERING:
        messages.error(request, _("The competition is not taking entries."))
        return redirect(competition)
    unions = _enter_unions(request.user, competition)
    union_pk = request.POST.get("organisation") or request.GET.get("union")
    union = unions.filter(pk=union_pk).first() if is_id(union_pk) else None
    if union is None and unions.count() == 1:
        union = unions.first()
    members = (
        Member.objects.current().filter(organisation=union).order_by("name")
        if union
        else Member.objects.none()
    )
    form = EntryForm(
        request.POST or None,
        unions=unions,
        members=members,
        initial={"organisation": union},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.entry_register(
                actor=request.user,
                competition=competition,
                organisation=data["organisation"],
                member=data["member"],
                team_name=data["team_name"],
                team_members=data["team_members"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The entry has been registered."))
            return redirect(competition)
    return render(
        request,
        "competitions/entry_form.html",
        {"form": form, "competition": competition, "unions": unions, "union": union},
    )
