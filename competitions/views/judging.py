"""The judge's sheet and the scores a judge saves."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

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


FIELD = re.compile(r"^e(\d+)-c(\d+)$")


def _posted_sheet(post) -> tuple[dict[int, dict[int, Decimal | None]], dict[str, str]]:
    """The sheet's fields "e<entry>-c<criterion>": values by entry and criterion (None for
    a value that is not a number; a blank field left out), and the raw text as typed."""
    sheet: dict[int, dict[int, Decimal | None]] = {}
    typed = {}
    for name, raw in post.items():
        match = FIELD.match(name)
        if not match:
            continue
        entry_pk, criterion_pk = int(match[1]), int(match[2])
        values = sheet.setdefault(entry_pk, {})
        raw = raw.strip()
        typed[name] = raw
        if not raw:
            continue
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        values[criterion_pk] = value if value is not None and value.is_finite() else None
    return sheet, typed


def _rows_with_inputs(rows, typed=None, errors=None):
    """Each row's inputs: the criterion, the field name, the value shown, its error."""
    typed, errors = typed or {}, errors or {}
    for row in rows:
        entry_errors = errors.get(row["entry"].pk, {})
        row["error"] = entry_errors.get("__all__", "")
        row["has_error"] = bool(entry_errors)
        row["inputs"] = []
        for c, value in row["cells"]:
            name = f"e{row['entry'].pk}-c{c.pk}"
            row["inputs"].append(
                {
                    "criterion": c,
                    "name": name,
                    "value": typed[name] if name in typed else value,
                    "error": entry_errors.get(f"c{c.pk}", ""),
                }
            )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def judge_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The judge's sheet: every assigned entry, saved with one button (issue 20 item 9). A bad
    score on one entry shows beside that entry and nothing is saved."""
    competition, judge = _judge(request, pk)
    typed, errors, status = None, None, 200
    if request.method == "POST":
        sheet, typed = _posted_sheet(request.POST)
        try:
            saved = services.score_sheet(actor=request.user, judge=judge, sheet=sheet)
        except services.SheetErrors as exc:
            errors, status = exc.by_entry, 400
            messages.error(request, exc.message)
        except ValidationError as exc:
            status = 400
            for message in exc.messages:
                messages.error(request, message)
        else:
            if saved:
                messages.success(
                    request,
                    ngettext(
                        "Scores saved for %(n)s entry.", "Scores saved for %(n)s entries.", saved
                    )
                    % {"n": saved},
                )
            else:
                messages.warning(request, _("No scores were entered, so nothing was saved."))
            return redirect("competitions:judge_sheet", competition.pk)
    rows = _rows_with_inputs(services.judge_sheet(judge=judge), typed, errors)
    return render(
        request,
        "competitions/judge_sheet.html",
        {"competition": competition, "rows": rows, "open": competition.status == "judging"},
        status=status,
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
