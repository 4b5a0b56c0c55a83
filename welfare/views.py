"""Welfare pages: rule tables, relief applications, hardship files, visits, campaigns and
exports. Views are thin: they scope, validate with a form and call a service."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.models import Member, Organisation
from members.views.common import apply_service_errors
from unionportal.core.excel import XLSX_CONTENT_TYPE, content_disposition, write_xlsx

from . import forms as f
from . import services
from .models import (
    Campaign,
    CondolenceRule,
    CondolenceVisit,
    FileStatus,
    HardshipFile,
    NoticeRule,
    PovertyLine,
    ReliefApplication,
    ReliefCap,
    ReliefProof,
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


# --- Rule tables ---------------------------------------------------------------------------


@login_required
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    context = {
        "poverty": PovertyLine.objects.all(),
        "notice": NoticeRule.objects.all(),
        "caps": ReliefCap.objects.all(),
        "condolence": CondolenceRule.objects.all(),
        "can_edit": access.can(request.user, "rules.edit"),
    }
    return render(request, "welfare/rules.html", context)


@login_required
def rule_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "rules.edit")
    table = request.GET.get("table") or request.POST.get("table")
    form_class = f.RULE_FORMS.get(table)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_add(actor=request.user, model=form_class._meta.model, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The rule has been added."))
            return redirect("welfare:rules")
    return render(request, "welfare/rule_form.html", {"form": form, "table": table})


# --- Relief applications -------------------------------------------------------------------


def _app(request, pk: int, capability: str | None = None) -> ReliefApplication:
    return access.get_object_for_user(
        request.user,
        ReliefApplication.objects.select_related("member", "organisation", "campaign"),
        org_field=ORG,
        capability=capability,
        pk=pk,
    )


@login_required
@require_GET
def relief_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs = _scoped(request.user, ReliefApplication.objects.all()).select_related(
        "member", "organisation"
    )
    status = request.GET.get("status", "")
    if status in S.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    review, approve = services.relief_awaiting(request.user)
    context = {
        "page": page,
        "status": status,
        "statuses": S.choices,
        "can_draft": access.can(request.user, "relief.draft"),
        "awaiting_review": review.count(),
        "awaiting_approval": approve.count(),
    }
    return render(request, "welfare/relief_list.html", context)


@login_required
@sensitive_post_parameters("member")
def relief_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "relief.draft")
    fixed = None
    member_pk = request.GET.get("member") or request.POST.get("member_pk")
    if member_pk:
        try:
            fixed = get_object_or_404(_members(request.user), pk=int(member_pk))
        except ValueError as exc:
            raise Http404 from exc
    form = f.ReliefForm(
        request.POST or None,
        members=_members(request.user),
        campaigns=_campaigns(request.user),
        fixed_member=fixed,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = fixed or data["member"]
        try:
            access.require(request.user, "relief.draft", member.organisation)
            app = services.relief_create(
                actor=request.user,
                member=member,
                kind=data["kind"],
                reason=data["reason"],
                amount_requested=data["amount_requested"],
                campaign=data["campaign"],
                token=data.get("token"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The application has been saved as a draft."))
            return redirect(app)
    return render(request, "welfare/relief_form.html", {"form": form, "member": fixed})


@login_required
def relief_update(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk, "relief.draft")
    if app.status != S.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return redirect(app)
    initial = {
        "kind": app.kind,
        "reason": app.reason,
        "amount_requested": app.amount_requested,
        "campaign": app.campaign,
    }
    form = f.ReliefForm(
        request.POST or None,
        initial=initial,
        campaigns=_campaigns(request.user),
        fixed_member=app.member,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.relief_update(
                actor=request.user,
                application=app,
                kind=data["kind"],
                reason=data["reason"],
                amount_requested=data["amount_requested"],
                campaign=data["campaign"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(app)
    return render(
        request, "welfare/relief_form.html", {"form": form, "member": app.member, "app": app}
    )


def _actions(user, app: ReliefApplication) -> dict:
    org = app.organisation
    not_submitter = app.submitted_by_id != user.pk
    review = access.can(user, "relief.review", org)
    approve = access.can(user, "relief.approve", org)
    return {
        "edit": app.status == S.DRAFT and access.can(user, "relief.draft", org),
        "submit": app.status == S.DRAFT and access.can(user, "relief.submit", org),
        "review": app.status == S.SUBMITTED and review and not_submitter,
        "notice": app.status == S.REVIEWED and (review or approve) and not_submitter,
        "approve": app.status == S.ON_NOTICE
        and approve
        and not_submitter
        and app.reviewed_by_id != user.pk,
        "reject": app.status in (S.SUBMITTED, S.REVIEWED, S.ON_NOTICE)
        and (review or approve)
        and not_submitter,
        "pay": app.status == S.APPROVED and approve,
        "proof": app.status not in (S.REJECTED, S.PAID) and access.can(user, "relief.draft", org),
    }


@login_required
@require_GET
def relief_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk)
    return _render_detail(request, app)


def _render_detail(request, app, **forms) -> HttpResponse:
    actions = _actions(request.user, app)
    checks = None
    if actions["approve"] or actions["review"] or actions["notice"]:
        checks = services.relief_checks(actor=request.user, application=app)
    context = {
        "app": app,
        "actions": actions,
        "checks": checks,
        "decisions": app.decisions.select_related("actor"),
        "proofs": app.proofs.all(),
        "payment": getattr(app, "payment", None) if app.status in (S.APPROVED, S.PAID) else None,
        "notice_over": app.notice_over(),
        "submit_form": forms.get("submit_form") or f.SubmitForm(),
        "review_form": forms.get("review_form") or f.ReviewForm(),
        "approve_form": forms.get("approve_form")
        or f.ApproveForm(initial={"amount_approved": app.amount_requested}),
        "reject_form": forms.get("reject_form") or f.RejectForm(),
        "pay_form": forms.get("pay_form") or f.PayForm(initial={"paid_on": timezone.localdate()}),
        "proof_form": forms.get("proof_form") or f.ProofForm(),
    }
    status = 400 if forms else 200
    return render(request, "welfare/relief_detail.html", context, status=status)


def _act(request, app, form_class, form_key: str, call, done: str) -> HttpResponse:
    form = form_class(request.POST, request.FILES or None)
    if form.is_valid():
        try:
            call(form)
        except services.Conflict as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(app)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(app)
    app.refresh_from_db()
    return _render_detail(request, app, **{form_key: form})


@login_required
@require_POST
def relief_submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk, "relief.submit")
    return _act(
        request,
        app,
        f.SubmitForm,
        "submit_form",
        lambda form: services.relief_submit(
            actor=request.user, application=app, home_visit=form.cleaned_data["home_visit"]
        ),
        _("The application has been submitted."),
    )


@login_required
@require_POST
def relief_review(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk, "relief.review")
    return _act(
        request,
        app,
        f.ReviewForm,
        "review_form",
        lambda form: services.relief_review(
            actor=request.user, application=app, **form.cleaned_data
        ),
        _("The application has been reviewed."),
    )


class _NoForm(f.forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args)


@login_required
@require_POST
def relief_notice(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk)
    return _act(
        request,
        app,
        _NoForm,
        "notice_form",
        lambda form: services.relief_start_notice(actor=request.user, application=app),
        _("The application is on public notice."),
    )


@login_required
@require_POST
def relief_approve(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk, "relief.approve")
    return _act(
        request,
        app,
        f.ApproveForm,
        "approve_form",
        lambda form: services.relief_approve(
            actor=request.user, application=app, **form.cleaned_data
        ),
        _("The application has been approved."),
    )


@login_required
@require_POST
def relief_reject(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk)
    return _act(
        request,
        app,
        f.RejectForm,
        "reject_form",
        lambda form: services.relief_reject(
            actor=request.user, application=app, reason=form.cleaned_data["reason"]
        ),
        _("The application has been rejected."),
    )


@login_required
@require_POST
def relief_pay(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk, "relief.approve")
    return _act(
        request,
        app,
        f.PayForm,
        "pay_form",
        lambda form: services.relief_pay(actor=request.user, application=app, **form.cleaned_data),
        _("The payment has been recorded."),
    )


@login_required
@require_POST
def relief_proof_upload(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk, "relief.draft")

    def save(form):
        services.proof_add(
            actor=request.user,
            application=app,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            content_type=form.content_type,
        )

    return _act(request, app, f.ProofForm, "proof_form", save, _("The file has been attached."))


@login_required
@require_GET
def relief_proof(request: HttpRequest, pk: int) -> FileResponse:
    proof = access.get_object_for_user(
        request.user,
        ReliefProof.objects.select_related("application__organisation"),
        org_field="application__organisation",
        pk=pk,
    )
    response = FileResponse(proof.file.open("rb"), content_type=proof.content_type)
    response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def relief_notice_list(request: HttpRequest) -> HttpResponse:
    """The printable public notice: names, unions, kinds and amounts, never resident IDs."""
    access.require(request.user, "view")
    apps = (
        _scoped(request.user, ReliefApplication.objects.filter(status=S.ON_NOTICE))
        .select_related("member", "organisation")
        .order_by("organisation__path", "member__name")
    )
    return render(request, "welfare/relief_notice.html", {"apps": apps})


# --- Hardship files ------------------------------------------------------------------------


def _file(request, pk: int, capability: str | None = None) -> HardshipFile:
    return access.get_object_for_user(
        request.user,
        HardshipFile.objects.select_related("member", "organisation"),
        org_field=ORG,
        capability=capability,
        pk=pk,
    )


@login_required
@require_GET
def file_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs = _scoped(request.user, HardshipFile.objects.all()).select_related("member", "organisation")
    status = request.GET.get("status", "")
    if status in FileStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("due") == "1":
        qs = qs.filter(status=FileStatus.APPROVED, review_due__lte=timezone.localdate())
    page = Paginator(qs.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "welfare/file_list.html",
        {
            "page": page,
            "statuses": FileStatus.choices,
            "status": status,
            "can_draft": access.can(request.user, "relief.draft"),
        },
    )


def _household_formset(request, initial=None):
    """The household rows; a post without them (no management data) keeps the rows as they
    are and the household income typed on the form."""
    if request.method == "POST" and "household-TOTAL_FORMS" in request.POST:
        return f.HouseholdFormSet(request.POST, prefix="household", initial=initial)
    formset = f.HouseholdFormSet(prefix="household", initial=initial)
    return formset


def _rows(formset):
    return f.household_rows(formset) if formset.is_bound else None


@login_required
@sensitive_post_parameters("member")
def file_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "relief.draft")
    form = f.FileForm(
        request.POST or None,
        members=_members(request.user),
        initial={
            "year": timezone.localdate().year,
            "illness_costs": 0,
            "disability_costs": 0,
            "schooling_costs": 0,
        },
    )
    formset = _household_formset(request)
    if (
        request.method == "POST"
        and form.is_valid()
        and (not formset.is_bound or formset.is_valid())
    ):
        data = dict(form.cleaned_data)
        member = data.pop("member")
        try:
            hf = services.file_open(
                actor=request.user, member=member, household=_rows(formset), **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(hf)
    return render(
        request, "welfare/file_form.html", {"form": form, "formset": formset, "file": None}
    )


@login_required
def file_update(request: HttpRequest, pk: int) -> HttpResponse:
    hf = _file(request, pk, "relief.draft")
    fields = [n for n in services.FILE_FIELDS]
    form = f.FileForm(
        request.POST or None,
        fixed_member=hf.member,
        initial={"year": hf.year, **{n: getattr(hf, n) for n in fields}},
    )
    formset = _household_formset(
        request, initial=list(hf.household.values("name", "relation", "annual_income", "note"))
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (not formset.is_bound or formset.is_valid())
    ):
        data = {k: v for k, v in form.cleaned_data.items() if k in fields}
        try:
            services.file_update(
                actor=request.user,
                hardship_file=hf,
                household=(_rows(formset) or []) if formset.is_bound else None,
                **data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(hf)
    return render(request, "welfare/file_form.html", {"form": form, "formset": formset, "file": hf})


def _file_actions(user, hf: HardshipFile) -> dict:
    org = hf.organisation
    return {
        "edit": hf.status != FileStatus.CLOSED and access.can(user, "relief.draft", org),
        "submit": hf.status == FileStatus.DRAFT and access.can(user, "relief.submit", org),
        # Approving a file is an approver's decision; union staff review (architecture.md).
        "approve": hf.status == FileStatus.SUBMITTED and access.can(user, "relief.approve", org),
        "close": hf.status == FileStatus.APPROVED
        and access.can(user, "relief.submit", org)
        or hf.status == FileStatus.APPROVED
        and access.can(user, "relief.review", org),
    }


@login_required
@require_GET
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hf = _file(request, pk)
    return render(
        request,
        "welfare/file_detail.html",
        {
            "file": hf,
            "actions": _file_actions(request.user, hf),
            "applications": hf.applications.all(),
            "household": hf.household.all(),
            "close_form": f.ReasonForm(),
        },
    )


@login_required
@require_POST
def file_status(request: HttpRequest, pk: int) -> HttpResponse:
    hf = _file(request, pk)
    to = request.POST.get("to_status", "")
    actions = _file_actions(request.user, hf)
    needed = {"submitted": "submit", "approved": "approve", "closed": "close"}.get(to)
    if needed is None or not actions[needed]:
        if needed is None:
            messages.error(request, _("This file cannot move to that status."))
            return redirect(hf)
        raise PermissionDenied
    try:
        services.file_set_status(
            actor=request.user,
            hardship_file=hf,
            to_status=to,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(hf)


@login_required
@require_POST
def file_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    hf = _file(request, pk, "relief.draft")
    try:
        services.file_reviewed(actor=request.user, hardship_file=hf)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(hf)


# --- Visits --------------------------------------------------------------------------------


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs = _scoped(request.user, CondolenceVisit.objects.all()).select_related(
        "member", "organisation", "campaign"
    )
    page = Paginator(qs.order_by("-visited_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "welfare/visit_list.html",
        {"page": page, "can_add": access.can(request.user, "welfare.visit")},
    )


@login_required
@sensitive_post_parameters("member")
def visit_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "welfare.visit")
    form = f.VisitForm(
        request.POST or None,
        members=_members(request.user),
        campaigns=_campaigns(request.user),
        initial={"visited_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            access.require(request.user, "welfare.visit", data["member"].organisation)
            services.visit_record(actor=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The visit has been recorded."))
            return redirect("welfare:visit_list")
    return render(request, "welfare/visit_form.html", {"form": form})


# --- Campaigns -----------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    campaigns = list(_campaigns(request.user).select_related("organisation").distinct())
    spent = services.campaigns_spent([c.pk for c in campaigns])
    for c in campaigns:
        c.spent = spent.get(c.pk, Decimal("0"))
        c.remaining = c.budget - c.spent
    return render(
        request,
        "welfare/campaign_list.html",
        {"campaigns": campaigns, "can_add": access.can(request.user, "welfare.visit")},
    )


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    return render(
        request,
        "welfare/campaign_detail.html",
        {
            "campaign": campaign,
            "figures": services.campaign_figures(campaign),
            "can_budget": access.can(request.user, "campaign.budget"),
            "budget_form": f.BudgetForm(initial={"budget": campaign.budget}),
        },
    )


def _campaign(request, pk: int) -> Campaign:
    campaign = _campaigns(request.user).select_related("organisation").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "welfare.visit")
    orgs = access.scope(
        request.user, Organisation.objects.filter(active=True), capability="welfare.visit"
    ).filter(path__in=access.scope_paths(request.user, "welfare.visit"))
    form = f.CampaignForm(
        request.POST or None,
        organisations=orgs,
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(campaign)
    return render(request, "welfare/campaign_form.html", {"form": form})


@login_required
@require_POST
def campaign_budget(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    access.require(request.user, "campaign.budget", campaign.organisation)
    form = f.BudgetForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_set_budget(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The budget has been changed."))
    else:
        messages.error(request, _("Enter a budget and a reason."))
    return redirect(campaign)


# --- Exports -------------------------------------------------------------------------------


def _period(request) -> tuple[date, date]:
    form = f.PeriodForm(request.GET)
    today = timezone.localdate()
    start, end = date(today.year, 1, 1), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return start, end


def _xlsx(sheets, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


@login_required
@require_GET
def relief_export(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "export")
    start, end = _period(request)
    qs = (
        access.scope(
            request.user, ReliefApplication.objects.all(), org_field=ORG, capability="export"
        )
        .filter(created_at__date__gte=start, created_at__date__lte=end)
        .select_related("member", "organisation", "payment")
        .order_by("created_at", "pk")
    )
    headers = [
        "工会",
        "姓名",
        "身份证号",
        "类别",
        "状态",
        "申请金额",
        "批准金额",
        "发放日期",
        "凭证号",
    ]
    rows = (
        [
            a.organisation.name,
            a.member.name,
            a.member.resident_id_masked,
            a.get_kind_display(),
            a.get_status_display(),
            a.amount_requested,
            a.amount_approved,
            getattr(getattr(a, "payment", None), "paid_on", None),
            getattr(getattr(a, "payment", None), "reference", ""),
        ]
        for a in qs
    )
    return _xlsx([("救助台账", headers, rows)], f"救助台账_{start}_{end}.xlsx")


@login_required
@require_GET
def visit_export(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "export")
    start, end = _period(request)
    qs = (
        access.scope(
            request.user, CondolenceVisit.objects.all(), org_field=ORG, capability="export"
        )
        .filter(visited_on__gte=start, visited_on__lte=end)
        .select_related("member", "organisation")
        .order_by("visited_on", "pk")
    )
    headers = ["工会", "姓名", "身份证号", "事由", "日期", "现金", "金额", "慰问人"]
    rows = (
        [
            v.organisation.name,
            v.member.name,
            v.member.resident_id_masked,
            v.get_occasion_display(),
            v.visited_on,
            "是" if v.in_cash else "否",
            v.amount,
            v.visitors,
        ]
        for v in qs
    )
    return _xlsx([("慰问记录", headers, rows)], f"慰问记录_{start}_{end}.xlsx")


@login_required
@require_GET
def campaign_export(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "export")
    campaigns = list(_campaigns(request.user).select_related("organisation").distinct())
    headers = ["活动", "年度", "主办单位", "预算", "已用", "结余", "人数", "户数", "企业数"]
    rows = []
    for c in campaigns:
        fig = services.campaign_figures(c)
        rows.append(
            [
                c.name,
                c.year,
                c.organisation.name,
                c.budget,
                fig["spent"],
                fig["remaining"],
                fig["people"],
                fig["households"],
                fig["enterprises"],
            ]
        )
    return _xlsx([("活动汇总", headers, rows)], "帮扶活动汇总.xlsx")


urlpatterns = [
    path("rules/", rules, name="rules"),
    path("rules/new/", rule_create, name="rule_create"),
    path("relief/", relief_list, name="relief_list"),
    path("relief/new/", relief_create, name="relief_create"),
    path("relief/notice/", relief_notice_list, name="relief_notice_list"),
    path("relief/export/", relief_export, name="relief_export"),
    path("relief/<int:pk>/", relief_detail, name="relief_detail"),
    path("relief/<int:pk>/edit/", relief_update, name="relief_update"),
    path("relief/<int:pk>/submit/", relief_submit, name="relief_submit"),
    path("relief/<int:pk>/review/", relief_review, name="relief_review"),
    path("relief/<int:pk>/notice/", relief_notice, name="relief_notice"),
    path("relief/<int:pk>/approve/", relief_approve, name="relief_approve"),
    path("relief/<int:pk>/reject/", relief_reject, name="relief_reject"),
    path("relief/<int:pk>/pay/", relief_pay, name="relief_pay"),
    path("relief/<int:pk>/proofs/", relief_proof_upload, name="relief_proof_upload"),
    path("proofs/<int:pk>/", relief_proof, name="relief_proof"),
    path("files/", file_list, name="file_list"),
    path("files/new/", file_create, name="file_create"),
    path("files/<int:pk>/", file_detail, name="file_detail"),
    path("files/<int:pk>/edit/", file_update, name="file_update"),
    path("files/<int:pk>/status/", file_status, name="file_status"),
    path("files/<int:pk>/reviewed/", file_reviewed, name="file_reviewed"),
    path("visits/", visit_list, name="visit_list"),
    path("visits/new/", visit_create, name="visit_create"),
    path("visits/export/", visit_export, name="visit_export"),
    path("campaigns/", campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/export/", campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/budget/", campaign_budget, name="campaign_budget"),
]
