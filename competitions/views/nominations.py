"""Pages of nomination rounds: thin views over competitions.nominations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.models import Member, Organisation
from members.views.common import apply_service_errors, is_id
from unionportal.core.excel import print_page

from .. import nominations as svc
from ..forms import (
    DecideForm,
    NominationForm,
    NoticeForm,
    ObjectionForm,
    QuotaForm,
    RoundForm,
    RuleForm,
)
from ..models import Nomination, NominationRound, QuotaRule, RoundStatus
from ..steps import round_progress
from .common import _xlsx


def _round(request: HttpRequest, pk: int) -> NominationRound:
    return get_object_or_404(
        svc.visible_rounds(request.user).select_related("organiser", "kind"), pk=pk
    )


def _managed(request: HttpRequest, pk: int) -> NominationRound:
    round_ = _round(request, pk)
    if not access.can(request.user, "honour.manage", round_.organiser):
        raise PermissionDenied
    return round_


def _messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)


def _nomination(request: HttpRequest, pk: int) -> Nomination:
    """A nomination the user may see: the round's staff see all, a union its own (else 404)."""
    nomination = get_object_or_404(
        Nomination.objects.filter(round__in=svc.visible_rounds(request.user)).select_related(
            "round__organiser", "organisation"
        ),
        pk=pk,
    )
    user = request.user
    if not (
        access.can(user, "view", nomination.round.organiser)
        or access.can(user, "view", nomination.organisation)
    ):
        raise Http404
    return nomination


def _quota_unions(round_: NominationRound):
    return Organisation.objects.active().filter(path__startswith=round_.organiser.path)


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    rounds = svc.visible_rounds(request.user).select_related("organiser", "kind")
    return render(
        request,
        "competitions/round_list.html",
        {"rounds": rounds, "can_add": access.can(request.user, "honour.manage")},
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "honour.manage")
    organisers = access.scope(
        request.user, Organisation.objects.active(), capability="honour.manage"
    ).exclude(kind__in=["branch", "group"])
    form = RoundForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = svc.round_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The nomination round has been created."))
            return redirect(round_)
    return render(request, "competitions/round_form.html", {"form": form})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    manage = access.can(request.user, "honour.manage", round_.organiser)
    nominees = list(svc.visible_nominations(request.user, round_).prefetch_related("objections"))
    checks = svc.quota_check(round_) if manage else None
    # The notice form and the outcome are offered only when the service would take them;
    # otherwise the organiser is told why, by the same rule.
    is_open, on_notice = round_.status == RoundStatus.OPEN, round_.status == RoundStatus.NOTICE
    may_enter = access.can(request.user, "competition.enter")
    context = {
        "round": round_,
        "progress": round_progress(round_),
        "manage": manage,
        "notice_problem": svc.notice_problem(round_, checks) if manage and is_open else None,
        "decide_wait": svc.decide_wait(round_) if manage and on_notice else None,
        "rules": list(round_.rules.all()),
        "quotas": list(round_.quotas.select_related("organisation").order_by("organisation__path")),
        "nominees": nominees,
        "checks": checks,
        "can_nominate": is_open and may_enter and _quota_unions_of(request.user, round_).exists(),
        # A union in the round without seats is told so, not shown an empty form.
        "no_quota": is_open and may_enter and not _quota_unions_of(request.user, round_).exists(),
        "rule_form": RuleForm(),
        "quota_form": QuotaForm(organisations=_quota_unions(round_)),
        "notice_form": NoticeForm(),
    }
    return render(request, "competitions/round_detail.html", context)


@login_required
@require_POST
def rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed(request, pk)
    form = RuleForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(round_)
    try:
        svc.rule_add(actor=request.user, round_=round_, **form.cleaned_data)
    except ValidationError as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("The rule has been added."))
    return redirect(round_)


@login_required
@require_POST
def rule_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's organiser drops a quota rule (a default that does not fit) while it is open."""
    rule = get_object_or_404(
        QuotaRule.objects.filter(round__in=svc.visible_rounds(request.user)), pk=pk
    )
    round_ = _managed(request, rule.round_id)
    try:
        svc.rule_remove(actor=request.user, rule=rule)
    except ValidationError as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("The rule has been removed."))
    return redirect(round_)


@login_required
@require_POST
def quota_set(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed(request, pk)
    form = QuotaForm(request.POST, organisations=_quota_unions(round_))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(round_)
    try:
        svc.quota_set(actor=request.user, round_=round_, **form.cleaned_data)
    except ValidationError as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("The seats have been saved."))
    return redirect(round_)


@login_required
@require_POST
def round_notice(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed(request, pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(round_)
    try:
        svc.round_start_notice(actor=request.user, round_=round_, **form.cleaned_data)
    except ValidationError as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("The nominations are now on public notice."))
    return redirect(round_)


@login_required
@require_POST
def round_decide(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed(request, pk)
    awarded = {int(v) for v in request.POST.getlist("awarded") if is_id(v)}
    form = DecideForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(round_)
    try:
        svc.round_decide(
            actor=request.user,
            round_=round_,
            awarded=awarded,
            awarded_on=form.cleaned_data["awarded_on"],
        )
    except ValidationError as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("The outcome of the round has been recorded."))
    return redirect(round_)


@login_required
@require_POST
def objection_add(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    if not access.can(request.user, "honour.manage", nomination.round.organiser):
        raise PermissionDenied
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            svc.objection_record(actor=request.user, nomination=nomination, **form.cleaned_data)
        except ValidationError as exc:
            _messages(request, exc)
        else:
            messages.success(request, _("The objection has been recorded."))
    return redirect(nomination.round)


@login_required
@require_POST
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The nominating union (or the round's staff) withdraws a nominee while the round is open."""
    nomination = _nomination(request, pk)
    user = request.user
    if not (
        access.can(user, "honour.manage", nomination.round.organiser)
        or access.can(user, "competition.enter", nomination.organisation)
    ):
        raise PermissionDenied
    try:
        svc.nomination_withdraw(actor=user, nomination=nomination)
    except ValidationError as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("The nomination has been withdrawn."))
    return redirect(nomination.round)


def _quota_unions_of(user, round_):
    """The unions in the user's scope that hold seats in the round."""
    quota_orgs = round_.quotas.values_list("organisation", flat=True)
    return access.scope(
        user, Organisation.objects.filter(pk__in=quota_orgs), capability="competition.enter"
    )


@login_required
def nomination_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    access.require(request.user, "competition.enter")
    unions = _quota_unions_of(request.user, round_)
    if not unions.exists():
        messages.warning(request, _("Your union has no nomination seats in this round."))
        return redirect(round_)
    union_pk = request.POST.get("organisation") or request.GET.get("union")
    union = unions.filter(pk=union_pk).first() if is_id(union_pk) else None
    if union is None and unions.count() == 1:
        union = unions.first()
    members = (
        Member.objects.current().filter(organisation__path__startswith=union.path).order_by("name")
        if union
        else Member.objects.none()
    )
    form = NominationForm(
        request.POST or None, unions=unions, members=members, initial={"organisation": union}
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.nominate(actor=request.user, round_=round_, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The nomination has been recorded."))
            return redirect(round_)
    return render(
        request,
        "competitions/nomination_form.html",
        {"form": form, "round": round_, "unions": unions, "union": union},
    )


@login_required
@require_GET
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    access.require(request.user, "export")
    rows = [
        (
            n.member.name,
            n.member.resident_id_masked,
            n.organisation.name,
            _("yes") if n.member.is_frontline else "",
            _("yes") if n.member.is_migrant else "",
            n.member.get_gender_display(),
            _("yes") if n.member.is_manager else "",
            *(_("yes") if getattr(n, field) else "" for field in svc.RECORDED),
            n.get_status_display(),
        )
        for n in svc.visible_nominations(request.user, round_)
    ]
    headers = [
        pgettext("person", "Name"),
        _("Resident ID"),
        _("Union"),
        _("Frontline"),
        _("Migrant"),
        _("Gender"),
        _("Manager"),
        _("Industrial worker"),
        _("Science or education staff"),
        _("Non-public enterprise"),
        _("Key industry"),
        _("Enterprise head"),
        _("Status"),
    ]
    if request.GET.get("format") == "print":  # the notice: nominees only, no resident ID
        title = _("Nominations of %(round)s") % {"round": round_}
        return print_page(
            request, title, headers, rows, organisation=round_.organiser, drop=[_("Resident ID")]
        )
    if access.can(request.user, "honour.manage", round_.organiser):
        rows.append(())
        for c in svc.quota_check(round_):
            rows.append(
                (
                    c.rule.get_attribute_display(),
                    c.rule.get_operator_display(),
                    f"{c.rule.percent}%",
                    f"{c.matching}/{c.total}",
                    f"{c.actual}%",
                    _("met") if c.ok else _("not met"),
                )
            )
    return _xlsx(
        request,
        str(round_),
        headers,
        rows,
        "nominations.xlsx",
        event="competition.nominations_export",
        round=round_.pk,
    )
