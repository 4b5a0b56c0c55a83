"""Accounts and roles, managed in the portal by federation admins and union staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from .. import access, services
from ..forms import AccountForm, RoleGrantForm
from ..mfa import devices as mfa_devices
from ..models import Role, User
from .common import apply_service_errors


def _accounts(user):
    return access.scope(
        user, User.objects.all(), org_field="organisation", capability="account.manage"
    )


def _account(request: HttpRequest, pk: int) -> User:
    return access.get_object_for_user(
        request.user,
        User.objects.select_related("organisation"),
        org_field="organisation",
        capability="account.manage",
        pk=pk,
    )


@login_required
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "account.manage")
    accounts = (
        _accounts(request.user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=Role.objects.current().select_related("organisation"),
                to_attr="current_roles",
            )
        )
    )
    query = request.GET.get("q", "").strip()
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query)
            | Q(full_name__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    if request.GET.get("inactive") != "1":
        accounts = accounts.filter(is_active=True)
    page = Paginator(accounts.order_by("organisation__path", "username"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "members/account_list.html", {"page": page, "query": query})


@login_required
@sensitive_variables("password")
def account_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "account.manage")
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.account_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            # Shown once, in this response only; the creator hands it over in person.
            return render(
                request,
                "members/account_password.html",
                {"account": account, "password": password, "created": True},
            )
    return render(request, "members/account_form.html", {"form": form, "account": None})


@login_required
@require_GET
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    roles = account.roles.select_related("organisation", "granted_by").order_by("-active_from")
    current = set(Role.objects.current().filter(user=account).values_list("pk", flat=True))
    return render(
        request,
        "members/account_detail.html",
        {
            "account": account,
            "current_roles": [r for r in roles if r.pk in current],
            "waiting_roles": list(
                account.roles.awaiting_confirmation().select_related(
                    "organisation", "granted_by", "end_requested_by"
                )
            ),
            "past_roles": [r for r in roles if r.pk not in current and r.active_to is not None],
            "grant_form": RoleGrantForm(user=request.user),
            "two_step_device": mfa_devices.app_device(account),
            "may_reset_two_step": mfa_devices.may_reset(request.user, account),
        },
    )


@login_required
def account_update(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    form = AccountForm(request.POST or None, instance=account, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        try:
            services.account_update(actor=request.user, account=account, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(account)
    return render(request, "members/account_form.html", {"form": form, "account": account})


@login_required
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    form = RoleGrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_grant(actor=request.user, user=account, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if account.roles.awaiting_confirmation().exists():
                messages.success(
                    request,
                    _("The auditor role waits for a second administrator to confirm it."),
                )
            else:
                messages.success(request, _("The role has been granted."))
            return redirect(account)
    return render(request, "members/role_form.html", {"form": form, "account": account})


@login_required
@require_POST
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    role = access.get_object_for_user(
        request.user,
        Role.objects.filter(active_to__isnull=True).select_related("user", "organisation"),
        org_field="organisation",
        capability="account.manage",
        pk=pk,
    )
    role = services.role_end(actor=request.user, role=role)
    if role.active_to is None:
        messages.success(request, _("The removal waits for a second administrator to confirm it."))
    else:
        messages.success(request, _("The role has ended; its history is kept."))
    return redirect(role.user)


@login_required
@require_POST
def role_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A second administrator confirms an auditor grant or its removal (security.md D7)."""
    role = access.get_object_for_user(
        request.user,
        Role.objects.awaiting_confirmation().select_related("user", "organisation"),
        org_field="organisation",
        capability="account.manage",
        pk=pk,
    )
    try:
        services.role_confirm(actor=request.user, role=role)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Confirmed."))
    return redirect(role.user)


@login_required
@require_POST
@sensitive_variables("password")
def account_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    password = services.account_reset_password(actor=request.user, account=account)
    return render(
        request,
        "members/account_password.html",
        {"account": account, "password": password, "created": False},
    )


@login_required
@require_POST
def account_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    account = _account(request, pk)
    try:
        services.account_set_active(actor=request.user, account=account, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The account has been reactivated.")
            if active
            else _("The account has been deactivated and its sessions ended."),
        )
    return redirect(account)


@login_required
@require_POST
def account_reset_two_step(request: HttpRequest, pk: int) -> HttpResponse:
    """A lost phone: remove the account's authenticator app and recovery codes (audited);
    the officer sets two-step login up again at the next login."""
    account = _account(request, pk)
    if mfa_devices.reset(actor=request.user, account=account):
        messages.success(
            request, _("Two-step login has been reset; it is set up again at the next login.")
        )
    else:
        messages.info(request, _("This account had no two-step login to reset."))
    return redirect(account)
