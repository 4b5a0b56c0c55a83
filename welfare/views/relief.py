"""Relief applications: list, form, detail, each workflow step, proofs, notice and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.lookup import member_q
from members.views.common import apply_service_errors
from unionportal.core.excel import print_cell, print_page
from unionportal.core.lookup import search_text, shown
from unionportal.core.paging import keyset_page

from .. import forms as f
from .. import services
from ..models import (
    ReliefApplication,
    ReliefProof,
)
from ..steps import relief_progress
from .common import ORG, S, _campaigns, _members, _period, _scoped, _xlsx

# --- Relief applications -------------------------------------------------------------------

PER_PAGE = 50  # rows per page (keyset-paged: unionportal/core/paging.py)


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
    query, back = search_text(request)
    if back:
        return back
    if query:
        qs = qs.filter(member_q(query))
    page = keyset_page(qs.order_by("-created_at", "-pk"), request.GET, PER_PAGE)
    review, approve = services.relief_awaiting(request.user)
    context = {
        "page": page,
        "status": status,
        "statuses": S.choices,
        "query": shown(query),
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
            messages.success(request, _("The changes have been saved."))
            return redirect(app)
    return render(
        request, "welfare/relief_form.html", {"form": form, "member": app.member, "app": app}
    )


def _actions(user, app: ReliefApplication) -> dict:
    """The actions this user can take now; each asks the rule its service refuses with, so
    the page never offers a form that would be turned down."""
    org = app.organisation
    may_decide = services.four_eyes_problem(user, app, approving=False) is None
    may_approve = services.four_eyes_problem(user, app, approving=True) is None
    review = access.can(user, "relief.review", org)
    approve = access.can(user, "relief.approve", org)
    approver = app.status == S.ON_NOTICE and approve and may_approve
    # An approver during the notice is told when approval becomes possible instead of a form.
    approve_wait = services.approval_wait(app) if approver else None
    return {
        "edit": app.status == S.DRAFT and access.can(user, "relief.draft", org),
        "submit": app.status == S.DRAFT and access.can(user, "relief.submit", org),
        "review": app.status == S.SUBMITTED and review and may_decide,
        "notice": app.status == S.REVIEWED and (review or approve) and may_decide,
        "approve": approver and not approve_wait,
        "approve_wait": approve_wait,
        "reject": app.status in (S.SUBMITTED, S.REVIEWED, S.ON_NOTICE)
        and (review or approve)
        and may_decide,
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
    if actions["approve"] or actions["approve_wait"] or actions["review"] or actions["notice"]:
        checks = services.relief_checks(actor=request.user, application=app)
    context = {
        "app": app,
        "progress": relief_progress(app),
        "actions": actions,
        "checks": checks,
        "decisions": app.decisions.select_related("actor"),
        "proofs": app.proofs.all(),
        "payment": getattr(app, "payment", None) if app.status in (S.APPROVED, S.PAID) else None,
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
    if request.GET.get("format") == "print":
        headers = [
            pgettext("person", "Name"), _("Union"), _("Kind"), _("Amount requested"),
            _("Notice period"),
        ]  # fmt: skip
        rows = [
            (
                a.member.name,
                a.organisation.name,
                a.get_kind_display(),
                a.amount_requested,
                f"{print_cell(a.notice_starts)} – {print_cell(a.notice_ends)}",
            )
            for a in apps
        ]
        return print_page(request, _("Public notice of relief"), headers, rows)
    return render(request, "welfare/relief_notice.html", {"apps": apps})


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
    return _xlsx(
        request,
        [("救助台账", headers, rows)],
        f"救助台账_{start}_{end}.xlsx",
        event="welfare.relief_export",
        period=[start.isoformat(), end.isoformat()],
    )
