"""The second step of the login (security.md B5): enrolment with a QR code drawn here (no
internet), the code page, the recovery codes and the account's own two-step page.

Who needs it and the devices live in members.mfa; the password step is views.LoginView,
which hands over to `verify` through members.mfa.pending without logging in.
"""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from members.mfa import devices, pending, policy, remember

from .forms import TwoStepCodeForm, TwoStepEnrolForm
from .views import ip_locked, lockout_response

DEFAULT_BACKEND = "django.contrib.auth.backends.ModelBackend"


def qr_data_uri(text: str) -> str:
    """A QR code as an SVG data URI, drawn in the process (the page loads nothing)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _next(request: HttpRequest) -> str:
    for candidate in (request.POST.get("next"), request.GET.get("next"), pending.next_url(request)):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _wait_message(seconds: int) -> str:
    return _("Too many wrong codes in a row: wait %(seconds)d seconds and try again.") % {
        "seconds": seconds
    }


def _group(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _complete(request: HttpRequest, user, device, remember_browser: bool) -> HttpResponse:
    target = _next(request)
    backend = pending.backend(request) or DEFAULT_BACKEND
    pending.clear(request)
    if not request.user.is_authenticated:
        # Only now the login happens: axes records it and clears the failures.
        auth_login(request, user, backend=backend)
    otp_login(request, device)
    response = redirect(target)
    if remember_browser:
        remember.remember(response, user)
    if isinstance(device, StaticDevice):
        messages.warning(
            request,
            _(
                "You logged in with a recovery code; %(left)d remain. Make new ones on "
                "the two-step login page before they run out."
            )
            % {"left": devices.recovery_codes_left(user)},
        )
    return response


@never_cache
@sensitive_post_parameters("code")
def verify(request: HttpRequest) -> HttpResponse:
    """The code step: after the password (pending), or for a session that has not passed it."""
    logged_in = request.user.is_authenticated
    user = request.user if logged_in else pending.pending_user(request)
    if user is None:
        pending.clear(request)
        return redirect("login")
    if logged_in and request.user.is_verified():
        return redirect(_next(request))
    if not devices.has_device(user):
        if logged_in:
            return redirect("mfa_enrol")
        pending.clear(request)
        return redirect("login")
    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}
    form = TwoStepCodeForm(request.POST or None, remember_hours=remember.max_age_seconds() // 3600)
    if request.method == "POST":
        # The login lockout covers this step too: 5 wrong codes (or passwords) lock the
        # username for 30 minutes, and the IP-wide limit counts them.
        if ip_locked(request) or not AxesProxyHandler.is_allowed(request, credentials):
            pending.clear(request)
            if logged_in:
                logout(request)
            return lockout_response(request)
        if form.is_valid():
            check = devices.verify(user, form.cleaned_data["code"])
            if check.device is not None:
                return _complete(request, user, check.device, form.cleaned_data.get("remember"))
            if check.wait_seconds:
                form.add_error("code", _wait_message(check.wait_seconds))
            else:
                # A failed login for axes: recorded, counted, and answered 429 at the limit.
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
                form.add_error(
                    "code",
                    _(
                        "The code is wrong or has expired. Accounts are locked for 30 "
                        "minutes after 5 failed attempts."
                    ),
                )
    return render(
        request,
        "registration/two_step_verify.html",
        {"form": form, "account": user, "next": _next(request)},
    )


@login_required
@never_cache
@sensitive_post_parameters("code")
def enrol(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code (or type the key), enter its first code."""
    user = request.user
    if devices.has_device(user):
        return redirect("mfa_settings" if user.is_verified() else "mfa_verify")
    device = devices.pending_app_device(user)
    form = TwoStepEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check, codes = devices.confirm_app_device(user, device, form.cleaned_data["code"])
        if check.device is not None:
            otp_login(request, check.device)
            messages.success(request, _("Two-step login is on for your account."))
            return _show_codes(request, codes, enrolled=True)
        if check.wait_seconds:
            form.add_error("code", _wait_message(check.wait_seconds))
        else:
            form.add_error("code", _("The code is wrong. Check the phone's clock and try again."))
    secret = devices.secret_of(device)
    return render(
        request,
        "registration/two_step_enrol.html",
        {
            "form": form,
            "qr": qr_data_uri(device.config_url),
            "secret": secret,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": policy.required(user),
            "next": _next(request),
        },
    )


def _show_codes(request: HttpRequest, codes: list[str], *, enrolled: bool) -> HttpResponse:
    return render(
        request,
        "registration/two_step_codes.html",
        {"codes": [_group(c) for c in codes], "enrolled": enrolled, "next": _next(request)},
    )


@login_required
@never_cache
def two_step(request: HttpRequest) -> HttpResponse:
    """The account's own page: whether two-step login is on, recovery codes left, and new
    recovery codes (shown once)."""
    user = request.user
    enrolled = devices.has_device(user)
    if request.method == "POST" and enrolled and request.POST.get("action") == "new_codes":
        if not user.is_verified():
            return redirect("mfa_verify")
        return _show_codes(request, devices.new_recovery_codes(user), enrolled=False)
    return render(
        request,
        "registration/two_step.html",
        {
            "device": devices.app_device(user),
            "codes_left": devices.recovery_codes_left(user) if enrolled else 0,
            "required": policy.required(user),
        },
    )
