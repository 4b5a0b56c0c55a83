"""Assessment rounds: the list with the trend across rounds, opening a round, a round's page
with its progress, finishing it, its Excel export and the printable 通报 list of results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.views.common import apply_service_errors
from unionportal.core.excel import Column, print_page, xlsx_download

from .. import services, stats
from ..forms import RoundForm
from ..models import AssessmentStatus
from .common import assessments_in_scope, get_round, rounds_in_scope, show_errors


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    mine = assessments_in_scope(request.user)
    rows = [
        (r, stats.round_progress(r, mine))
        for r in rounds_in_scope(request.user).order_by("-starts_on", "-pk")
    ]
    return render(
        request,
        "assessment/round_list.html",
        {"rows": rows, "can_open": access.can(request.user, "assessment.manage")},
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "assessment.manage")
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The round is open."))
            return redirect(round_)
    return render(request, "assessment/round_form.html", {"form": form})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk)
    mine = assessments_in_scope(request.user).filter(round=round_).order_by("organisation__path")
    status = request.GET.get("status", "")
    shown = mine.filter(status=status) if status in AssessmentStatus.values else mine
    return render(
        request,
        "assessment/round_detail.html",
        {
            "round": round_,
            "progress": stats.round_progress(round_, mine),
            "assessments": Paginator(shown, 100).get_page(request.GET.get("page")),
            "status": status,
            "statuses": AssessmentStatus.choices,
            "can_manage": access.can(request.user, "assessment.manage", round_.organisation),
        },
    )


@login_required
@require_POST
def round_finish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk, capability="assessment.manage")
    try:
        services.round_finish(actor=request.user, round_=round_)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("The round is finished."))
    return redirect(round_)


def _result_rows(request, round_, *, confirmed_only: bool):
    qs = assessments_in_scope(request.user).filter(round=round_).prefetch_related("scores")
    if confirmed_only:
        qs = qs.filter(status=AssessmentStatus.CONFIRMED)
    rows = []
    for a in qs.order_by("organisation__path"):
        result = services.result_of(a)
        weakest = result.weakest
        if a.status == AssessmentStatus.CONFIRMED:
            verdict = _("Meets the standard") if a.passed else _("Does not meet the standard")
        else:
            verdict = a.get_status_display()
        rows.append(
            (
                a.organisation.name,
                *(area.score for area in result.areas),
                a.self_total,
                result.total,
                verdict,
                _("yes") if a.exemplary else "",
                weakest.name if weakest and not a.passed else "",
            )
        )
    return rows


def _result_headers(round_) -> list:
    return [
        Column(_("Union"), 34),
        *(Column(area["name"], 10) for area in round_.standard["areas"]),
        Column(_("Self score"), 10),
        Column(_("Score"), 10),
        Column(_("Result"), 16),
        Column(_("Exemplary"), 8),
        Column(_("Weakest area"), 12),
    ]


@login_required
@require_GET
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk)
    access.require(request.user, "export")
    rows = _result_rows(request, round_, confirmed_only=False)
    sheet = (_("Assessment results"), _result_headers(round_), rows)
    return xlsx_download(
        request,
        [sheet],
        f"六有六好-{round_.year}-{round_.pk}.xlsx",
        event="assessment.export",
        round=round_.pk,
    )


@login_required
@require_GET
def round_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The 通报 list: every confirmed result in the user's scope, for a notice or a circular."""
    round_ = get_round(request, pk)
    headers = [str(getattr(h, "title", h)) for h in _result_headers(round_)]
    rows = _result_rows(request, round_, confirmed_only=True)
    progress = stats.round_progress(round_, assessments_in_scope(request.user))
    note = _(
        "%(passed)s of %(unions)s unions meet the standard; %(exemplary)s named exemplary."
    ) % {"passed": progress.passed, "unions": progress.unions, "exemplary": progress.exemplary}
    return print_page(
        request,
        _("Results of the assessment: %(round)s") % {"round": round_.name},
        headers,
        rows,
        organisation=round_.organisation,
        note=note,
    )
