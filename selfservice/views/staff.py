"""The union's side: the join applications it received, the chair's decision, and the
one-time activation code of a member's account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import access
from members.models import Member

from ..forms import RejectForm
from ..models import ApplicationStatus, JoinApplication, MemberAccount
from ..services import accounts, applications


@login_required
def application_list(request):
    access.require(request.user, "view")
    qs = applications.applications_in_scope(request.user)
    status = request.GET.get("status", ApplicationStatus.PENDING)
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "selfservice/application_list.html",
        {"page": page, "status": status, "statuses": ApplicationStatus.choices},
    )


def _application(request, pk: int) -> JoinApplication:
    return access.get_object_for_user(
        request.user,
        JoinApplication.objects.select_related("organisation", "member", "decided_by"),
        org_field="organisation",
        pk=pk,
    )


@login_required
def application_detail(request, pk: int):
    app = _application(request, pk)
    return render(
        request,
        "selfservice/application_detail.html",
        {
            "app": app,
            "can_decide": access.can(request.user, "join.decide", app.organisation),
            "reject_form": RejectForm(),
            "held_elsewhere": app.transfer_needed and app.status == ApplicationStatus.PENDING,
        },
    )


def _act(request, pk: int, action):
    app = _application(request, pk)
    access.require(request.user, "join.decide", app.organisation)
    try:
        action(app)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(app.get_absolute_url())


@login_required
@require_POST
def application_approve(request, pk: int):
    def approve(app):
        applications.application_approve(actor=request.user, application=app)
        messages.success(request, _("Approved: the member is registered and the card issued."))

    return _act(request, pk, approve)


@login_required
@require_POST
def application_reject(request, pk: int):
    def reject(app):
        applications.application_reject(
            actor=request.user, application=app, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The application is rejected."))

    return _act(request, pk, reject)


@login_required
@require_POST
def application_transfer(request, pk: int):
    def transfer(app):
        applications.application_request_transfer(actor=request.user, application=app)
        messages.success(request, _("The transfer is requested from the union that holds them."))

    return _act(request, pk, transfer)


@login_required
def account_issue(request, pk: int):
    """A member's account: its state, and a new one-time activation code (shown once)."""
    member = access.get_object_for_user(
        request.user,
        Member.objects.select_related("organisation"),
        org_field="organisation",
        pk=pk,
    )
    code = None
    if request.method == "POST":
        access.require(request.user, "member.edit", member.organisation)
        try:
            code = accounts.code_issue(actor=request.user, member=member)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    account = MemberAccount.objects.filter(member=member).first()
    return render(
        request,
        "selfservice/account_issue.html",
        {
            "member": member,
            "account": account,
            "code": code,
            "can_issue": access.can(request.user, "member.edit", member.organisation),
        },
    )
