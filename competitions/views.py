"""Pages of the competitions app: thin views over competitions.services."""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.models import GRASSROOTS_KINDS, Member, Organisation
from members.views.common import apply_service_errors, is_id
from unionportal.core.excel import XLSX_CONTENT_TYPE, content_disposition, write_xlsx

from . import services
from .forms import (
    CompetitionForm,
    CriterionForm,
    EntryForm,
    HonourForm,
    HonourKindForm,
    JudgeForm,
    StudioForm,
    WinnersForm,
)
from .models import (
    Competition,
    CompetitionStatus,
    Criterion,
    Entry,
    Honour,
    HonourKind,
    InnovationStudio,
    Judge,
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


def _xlsx(title: str, headers: list[str], rows: list, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    write_xlsx([(title, headers, rows)], buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


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


def _redirect_with_errors(request, competition, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)
    return redirect(competition)


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
    return _xlsx(competition.name, headers, rows, f"{competition.name}.xlsx")


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


# --- Honours -------------------------------------------------------------------------------


def _scoped_members(request, organisations, org_pk):
    org = organisations.filter(pk=org_pk).first() if is_id(org_pk) else None
    if org is None:
        return None, Member.objects.none()
    return org, Member.objects.current().filter(organisation=org).order_by("name")


@login_required
@require_GET
def honour_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs = access.scope(
        request.user,
        Honour.objects.select_related("kind", "organisation", "member"),
        org_field="organisation",
    )
    year = request.GET.get("year", "")
    if is_id(year):
        qs = qs.filter(year=int(year))
    if request.GET.get("format") == "xlsx":
        access.require(request.user, "export")
        rows = (
            (
                h.year,
                h.kind.name,
                h.get_level_display(),
                h.recipient_name,
                h.member.resident_id_masked if h.member_id else "",
                h.organisation.name,
                h.awarding_body,
            )
            for h in qs.iterator(chunk_size=500)
        )
        headers = [
            _("Year"),
            _("Honour"),
            _("Level"),
            _("Recipient"),
            _("Resident ID"),
            _("Organisation"),
            _("Awarding body"),
        ]
        return _xlsx(_("Honours register"), headers, list(rows), "honours.xlsx")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "competitions/honour_list.html",
        {"page": page, "year": year, "can_add": access.can(request.user, "honour.manage")},
    )


def _record_for_a_member(
    request: HttpRequest, form_class, create, done: str, to: str, template: str
) -> HttpResponse:
    """The honour and studio forms: an organisation in scope, then one of its members."""
    access.require(request.user, "honour.manage")
    orgs = access.scope(
        request.user, Organisation.objects.active(), capability="honour.manage"
    ).order_by("path")
    org, members = _scoped_members(
        request, orgs, request.POST.get("organisation") or request.GET.get("organisation")
    )
    form = form_class(
        request.POST or None, organisations=orgs, members=members, initial={"organisation": org}
    )
    if request.method == "POST" and form.is_valid():
        try:
            create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(to)
    return render(request, template, {"form": form, "org": org})


@login_required
def honour_create(request: HttpRequest) -> HttpResponse:
    return _record_for_a_member(
        request,
        HonourForm,
        services.honour_create,
        _("The honour has been recorded."),
        "competitions:honour_list",
        "competitions/honour_form.html",
    )


@login_required
def honour_kinds(request: HttpRequest) -> HttpResponse:
    """The honour kinds (a rule table): every role reads it, the administrator adds kinds."""
    access.require(request.user, "view")
    can_edit = access.can(request.user, "rules.edit")
    form = HonourKindForm(request.POST or None)
    if request.method == "POST":
        access.require(request.user, "rules.edit")
        if form.is_valid():
            try:
                services.honour_kind_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The honour kind has been added."))
                return redirect("competitions:honour_kinds")
    return render(
        request,
        "competitions/honour_kinds.html",
        {"kinds": HonourKind.objects.all(), "form": form, "can_edit": can_edit},
    )


# --- Innovation studios --------------------------------------------------------------------


@login_required
@require_GET
def studio_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs = access.scope(
        request.user,
        InnovationStudio.objects.select_related("organisation", "leader"),
        org_field="organisation",
    )
    level = request.GET.get("level", "")
    if level:
        qs = qs.filter(level=level)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "competitions/studio_list.html",
        {"page": page, "can_add": access.can(request.user, "honour.manage")},
    )


@login_required
def studio_create(request: HttpRequest) -> HttpResponse:
    return _record_for_a_member(
        request,
        StudioForm,
        services.studio_create,
        _("The studio has been recorded."),
        "competitions:studio_list",
        "competitions/studio_form.html",
    )
