"""An account that must use two-step login reaches nothing but the second step until it has
passed it: the enrolment page while it has no device, else the code page (and logout)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import devices, pending, policy


class TwoStepRequiredMiddleware:
    """After django-otp's OTPMiddleware (which tells whether the session passed a device)
    and before the forced password change: the second step comes first."""

    EXEMPT_PREFIXES = ("/static/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not request.path.startswith(self.EXEMPT_PREFIXES):
            if user.is_authenticated:
                if not user.is_verified() and policy.required(user):
                    allowed = {reverse("logout"), reverse("mfa_enrol"), reverse("mfa_verify")}
                    if request.path not in allowed:
                        target = "mfa_verify" if devices.has_device(user) else "mfa_enrol"
                        return self._to(target, request)
            elif pending.SESSION_KEY in request.session and pending.pending_user(request):
                # The password was right, the code is still to come: back to the code step
                # (the login page stays open, to start again).
                if request.path not in {reverse("login"), reverse("logout"), reverse("mfa_verify")}:
                    return self._to("mfa_verify", request)
        return self.get_response(request)

    @staticmethod
    def _to(name: str, request):
        return redirect(f"{reverse(name)}?{urlencode({'next': request.path})}")
