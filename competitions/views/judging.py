"""The judge's sheet and the scores a judge saves."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members import access

from .. import services
from ..models import (
    Entry,
    Judge,
)
from .common import _competition

# --- Judging -------------------------------------------------------------------------------


def _judge(request: HttpRequest, pk: int):
    competition = _competition(request, pk)
    judge = services.judge_for(request.user, competition)
    if judge is None:
        raise PermissionDenied
    return competition, judge


@login_required
@require_GET
def judge_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    competition, judge = _judge(request, pk)
    rows = services.judge_sheet(judge=judge)
    return render(
        request,
        "competitions/judge_sheet.html",
        {"competition": competition, "rows": rows, "open": competition.status == "judging"},
    )


@login_required
@require_POST
def score_save(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        Entry.objects.filter(competition__in=services.visible_competitions(request.user)), pk=pk
    )
    if not Judge.objects.filter(competition_id=entry.competition_id, user=request.user).exists():
        # Not a judge here: an entry outside the user's view does not exist for them.
        if not access.can(request.user, "view", entry.organisation):
            raise Http404
    competition, judge = _judge(request, entry.competition_id)
    values = {}
    try:
        for criterion in competition.criteria.all():
            raw = request.POST.get(f"c{criterion.pk}", "").strip()
            if raw:
                values[criterion.pk] = Decimal(raw)
        services.score_entry(actor=request.user, judge=judge, entry=entry, values=values)
    except InvalidOperation:
        messages.error(request, _("Scores must be numbers."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Scores saved for %(name)s.") % {"name": entry.display_name})
    return redirect("competitions:judge_sheet", competition.pk)
