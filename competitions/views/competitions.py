"""Competitions: list, create, detail, criteria, judges, the steps from draft to published,
winners to honours and the results export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.models import Organisation
from members.views.common import apply_service_errors, is_id
from unionportal.core.excel import print_page

from .. import services
from ..forms import (
    CompetitionForm,
    CriterionForm,
    JudgeForm,
    WinnersForm,
)
from ..models import (
    CompetitionStatus,
    Criterion,
    Judge,
)
from .common import _competition, _managed, _redirect_with_errors, _xlsx

# --- Competitions --------------------------------------------------------------------------


@login_required
@require_GET
def competition_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    qs = services.visible_competitions(user).select_related("organiser")
    status = request.GET.get("status", "")
    if status in CompetitionStatus.values:
        qs = qs.filter(status=status)
    if not qs.exists() and not access.can(user, "view"):
        raise PermissionDenied
    page = Paginator(qs.order_by("-starts_on", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "competitions/competition_list.html",
        {
            "page": page,
            "status": status,
            "statuses": CompetitionStatus.choices,
            "can_create": access.can(user, "competition.manage"),
        },
    )


@login_required
def competition_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "competition.manage")
    organisers = access.scope(
        request.user, Organisation.objects.active(), capability="competition.manage"
    ).exclude(kind__in=["branch", "group"])
    form = CompetitionForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        try:
            competition = services.competition_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The competition has been created."))
            return redirect(competition)
    return render(request, "competitions/competition_form.html", {"form": form})


@login_required
@require_GET
def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    user = request.user
    manage = services.can_manage(user, competition)
    entries = list(services.visible_entries(user, competition))
    table = None
    if manage and competition.status in (CompetitionStatus.JUDGING, CompetitionStatus.PUBLISHED):
        table = services.standings(competition)
    if competition.is_frozen:
        entries.sort(key=lambda e: (e.rank or 10**6, e.pk))
    elif table:
        for e in entries:
            e.total, e.rank = table["totals"].get(e.pk), table["ranks"].get(e.pk)
        entries.sort(key=lambda e: (e.rank or 10**6, e.pk))
    open_for_entries = competition.status == CompetitionStatus.REGISTERING and access.can(
        user, "competition.enter"
    )
    context = {
        "competition": competition,
        "criteria": list(competition.criteria.all()),
        "weight_total": services.weight_total(competition),
        "judges": list(competition.judges.select_related("user")),
        "entries": entries,
        "table": table,
        "manage": manage,
        "is_judge": services.judge_for(user, competition) is not None,
        "can_enter": open_for_entries,
        "criterion_form": CriterionForm(),
        "judge_form": JudgeForm(),
        "winners_form": WinnersForm(initial={"year": competition.ends_on.year}),
        "show_results": competition.is_frozen or table is not None,
    }
    return render(request, "competitions/competition_detail.html", context)


@login_required
@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    form = CriterionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect(competition)
    try:
        services.criterion_add(actor=request.user, competition=competition, **form.cleaned_data)
    except ValidationError as exc:
        return _redirect_with_errors(request, competition, exc)
    messages.success(request, _("The criterion has been added."))
    return redirect(competition)


@login_required
@require_POST
def criterion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(
        Criterion.objects.filter(competition__in=services.visible_competitions(request.user)),
        pk=pk,
    )
    competition = _managed(request, criterion.competition_id)
    try:
        services.criterion_remove(actor=request.user, criterion=criterion)
    except ValidationError as exc:
        return _redirect_with_errors(request, competition, exc)
    messages.success(request, _("The criterion has been removed."))
    return redirect(competition)


@login_required
@require_POST
def judge_add(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    form = JudgeForm(request.POST)
    if not form.is_valid():
        for e in form.errors.get("username", []):
            messages.error(request, e)
        return redirect(competition)
    try:
        services.judge_add(
            actor=request.user, competition=competition, user=form.cleaned_data["username"]
        )
    except ValidationError as exc:
        return _redirect_with_errors(request, competition, exc)
    messages.success(request, _("The judge has been added."))
    return redirect(competition)


@login_required
def judge_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the entries a judge scores (none chosen: every entry)."""
    judge = get_object_or_404(
        Judge.objects.filter(
            competition__in=services.visible_competitions(request.user)
        ).select_related("user"),
        pk=pk,
    )
    competition = _managed(request, judge.competition_id)
    entries = list(competition.entries.select_related("member", "organisation").order_by("pk"))
    if request.method == "POST":
        wanted = {int(v) for v in request.POST.getlist("entries") if is_id(v)}
        try:
            services.judge_assign(
                actor=request.user, judge=judge, entries=[e for e in entries if e.pk in wanted]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The judge's entries have been saved."))
            return redirect(competition)
    assigned = set(judge.entries.values_list("pk", flat=True))
    return render(
        request,
        "competitions/judge_assign.html",
        {"competition": competition, "judge": judge, "entries": entries, "assigned": assigned},
    )


@login_required
@require_POST
def competition_advance(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    try:
        services.competition_advance(actor=request.user, competition=competition)
    except ValidationError as exc:
        return _redirect_with_errors(request, competition, exc)
    messages.success(request, _("The competition has moved on to its next stage."))
    return redirect(competition)


@login_required
@require_POST
def competition_publish(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _managed(request, pk)
    try:
        services.competition_publish(actor=request.user, competition=competition)
    except ValidationError as exc:
        return _redirect_with_errors(request, competition, exc)
    messages.success(request, _("The results are published."))
    return redirect(competition)


@login_required
@require_POST
def winners_to_honours(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    access.require(request.user, "honour.manage", competition.organiser)
    form = WinnersForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the honour details."))
        return redirect(competition)
    try:
        made = services.honours_from_winners(
            actor=request.user, competition=competition, **form.cleaned_data
        )
    except ValidationError as exc:
        return _redirect_with_errors(request, competition, exc)
    messages.success(request, _("%(n)s honours were recorded.") % {"n": len(made)})
    return redirect("competitions:honour_list")


@login_required
@require_GET
def competition_export(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    access.require(request.user, "export")
    if not competition.is_frozen:
        raise Http404
    rows = [
        (e.rank, e.display_name, e.organisation.name, e.total)
        for e in services.visible_entries(request.user, competition).order_by("rank", "pk")
    ]
    headers = [_("Rank"), _("Entry"), _("Union"), _("Total")]
    if request.GET.get("format") == "print":
        title = _("Results of %(competition)s") % {"competition": competition.name}
        return print_page(
            request, title, headers, rows, organisation=competition.organiser,
            note=_("Totals rounded half up to 2 places; the trimming rule is on the results page."),
        )  # fmt: skip
    return _xlsx(
        request,
        competition.name,
        headers,
        rows,
        f"{competition.name}.xlsx",
        event="competition.results_export",
        competition=competition.pk,
    )
