"""One union's assessment: the list (the to-do panel's target), the page with the checklist
(the union), the review (self score beside the reviewer's), the confirmation, evidence files and
the printable sheet for stamping."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members import access
from unionportal.core.excel import print_page

from .. import services
from ..forms import (
    ConfirmForm,
    EvidenceForm,
    ReasonForm,
    ReviewScoreForm,
    build_checklist,
    score_field_name,
)
from ..models import AssessmentStatus, Evidence, RoundStatus, ScoringKind
from ..steps import assessment_progress
from .common import assessments_in_scope, form_errors, get_assessment, show_errors

S = AssessmentStatus
FILTERS = {
    "open": (S.DRAFT, S.RETURNED),
    "submitted": (S.SUBMITTED,),
    "reviewed": (S.REVIEWED,),
    "confirmed": (S.CONFIRMED,),
}


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs = assessments_in_scope(request.user).order_by("-round__starts_on", "organisation__path")
    status = request.GET.get("status", "")
    if status in FILTERS:
        qs = qs.filter(status__in=FILTERS[status], round__status=RoundStatus.OPEN)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "assessment/assessment_list.html", {"page": page, "status": status})


def _sections(assessment, form=None):
    """The areas with their items, each with its score row, the form fields and the
    evidence files: what the page shows."""
    scores = {s.item_code: s for s in assessment.scores.prefetch_related("evidence")}
    result = services.result_of(assessment)
    self_result = services.result_of(assessment, self_only=True)
    out = []
    for area, area_result, self_area in zip(
        assessment.round.standard["areas"], result.areas, self_result.areas, strict=True
    ):
        items = []
        for item in area["items"]:
            row = scores[item["code"]]
            field = note = None
            if form is not None and item["kind"] != ScoringKind.COMPUTED:
                field = form[score_field_name(item["code"])]
                note = form[f"note_{item['code']}"]
            items.append({"item": item, "row": row, "field": field, "note": note})
        out.append({"area": area, "result": area_result, "self": self_area, "items": items})
    return out, result, self_result


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment(request, pk)
    user, org = request.user, a.organisation
    round_open = a.round.status == RoundStatus.OPEN
    can_self = (
        round_open
        and a.status in services.SELF_EDITABLE
        and access.can(user, "assessment.self", org)
    )
    if can_self:
        services.refresh_computed(a)
    not_self = user.pk not in services.self_scorers(a)
    can_review = (
        round_open
        and a.status == S.SUBMITTED
        and access.can(user, "assessment.review", org)
        and not_self
    )
    can_confirm = (
        round_open
        and a.status == S.REVIEWED
        and access.can(user, "assessment.confirm", org)
        and not_self
    )
    form = build_checklist(a.round, {s.item_code: s for s in a.scores.all()}) if can_self else None
    sections, result, self_result = _sections(a, form)
    return render(
        request,
        "assessment/assessment_detail.html",
        {
            "a": a,
            "progress": assessment_progress(a),
            "sections": sections,
            "result": result,
            "self_result": self_result,
            "can_self": can_self,
            "can_review": can_review,
            "can_confirm": can_confirm,
            "form": form,
            "evidence_form": EvidenceForm() if can_self else None,
            "reason_form": ReasonForm(),
            "confirm_form": ConfirmForm(),
            "events": a.events.select_related("actor"),
        },
    )


@login_required
@require_POST
def assessment_save(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment(request, pk, capability="assessment.self")
    form = build_checklist(a.round, {s.item_code: s for s in a.scores.all()}, request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(a)
    codes = [i["code"] for i in services.items_of(a.round) if i["kind"] != ScoringKind.COMPUTED]
    values = {c: form.cleaned_data.get(score_field_name(c)) for c in codes}
    notes = {c: form.cleaned_data.get(f"note_{c}") or "" for c in codes}
    try:
        services.self_score_save(actor=request.user, assessment=a, values=values, notes=notes)
        if request.POST.get("then") == "submit":
            services.submit(actor=request.user, assessment=a)
            messages.success(request, _("The self-assessment is submitted for review."))
        else:
            messages.success(request, _("The scores are saved."))
    except ValidationError as exc:
        show_errors(request, exc)
    return redirect(a)


@login_required
@require_POST
def assessment_review(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment(request, pk, capability="assessment.review")
    form = ReviewScoreForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(a)
    try:
        services.review_score(actor=request.user, assessment=a, **form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("The reviewer's score is saved."))
    return redirect(a)


@login_required
@require_POST
def assessment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment(request, pk, capability="assessment.review")
    try:
        services.accept(actor=request.user, assessment=a)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("The review is done; the federation confirms next."))
    return redirect(a)


@login_required
@require_POST
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment(request, pk)
    capability = "assessment.confirm" if a.status == S.REVIEWED else "assessment.review"
    access.require(request.user, capability, a.organisation)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(a)
    try:
        services.return_to_union(actor=request.user, assessment=a, **form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("The assessment went back to the union."))
    return redirect(a)


@login_required
@require_POST
def assessment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment(request, pk, capability="assessment.confirm")
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.confirm(
            actor=request.user, assessment=a, exemplary=form.cleaned_data.get("exemplary", False)
        )
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("The result is confirmed."))
    return redirect(a)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment(request, pk, capability="assessment.self")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(a)
    score = a.scores.filter(item_code=form.cleaned_data["item_code"]).first()
    if score is None:
        messages.error(request, _("No such item in this round."))
        return redirect(a)
    try:
        services.evidence_add(
            actor=request.user,
            score=score,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            content_type=form.content_type,
        )
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("The file has been attached."))
    return redirect(a)


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    evidence = access.get_object_for_user(
        request.user,
        Evidence.objects.select_related("score__assessment__organisation"),
        org_field="score__assessment__organisation",
        pk=pk,
    )
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def assessment_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment sheet on A4, for the reviewing union's stamp."""
    a = get_assessment(request, pk)
    sections, result, _self = _sections(a)
    headers = [
        _("Area"),
        _("Item"),
        _("Points"),
        _("Self score"),
        _("Reviewer's score"),
        _("Reason for the change"),
    ]
    rows = []
    for section in sections:
        for entry in section["items"]:
            row, item = entry["row"], entry["item"]
            rows.append(
                (
                    section["area"]["name"],
                    item["text"],
                    item["points"],
                    row.self_score,
                    row.reviewer_score,
                    row.reviewer_reason,
                )
            )
    verdict = _("meets the standard") if result.passed else _("does not meet the standard")
    note = _(
        "Total %(total)s points (pass mark %(mark)s): %(verdict)s. "
        "Reviewing union (stamp): ____________  Date: ____________"
    ) % {"total": result.total, "mark": result.pass_mark, "verdict": verdict}
    title = _("六有六好 assessment sheet: %(round)s") % {"round": a.round.name}
    return print_page(request, title, headers, rows, organisation=a.organisation, note=note)
