"""Session lifetime, forced password change and no-store caching (security.md C and F6)."""

from __future__ import annotations

import time

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

LOGIN_AT = "login_at"


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after login whatever the activity (the idle timeout of 30
    minutes is Django's own SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended; please log in again."))
                return redirect(f"{reverse('login')}?next={request.path}")
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """An account with a one-time (or expired) password can only change it or log out.

    The second step of the login (members.mfa) comes first: its pages stay reachable."""

    EXEMPT_PREFIXES = ("/static/", "/i18n/", "/healthz")
    ALLOWED_URL_NAMES = ("password_change", "logout", "mfa_enrol", "mfa_verify")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and self._must_change(user):
            allowed = {reverse(name) for name in self.ALLOWED_URL_NAMES}
            if request.path not in allowed and not request.path.startswith(self.EXEMPT_PREFIXES):
                return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _must_change(user) -> bool:
        if user.must_change_password:
            return True
        max_age = settings.PASSWORD_MAX_AGE_DAYS
        if max_age and user.password_changed_at:
            return (timezone.now() - user.password_changed_at).days >= max_age
        return False


class NoStoreMiddleware:
    """Pages shown to a logged-in user carry personal data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class PortalLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user picked English with the language switch.

    The browser's Accept-Language is ignored on purpose: office machines often run an
    English browser, and union workers expect the portal in Chinese.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AuditlogMiddleware(_AuditlogMiddleware):
    """auditlog's middleware with the client address the lockout uses (security.md G1).

    The library takes the first `X-Forwarded-For` entry whenever the header is present, so any
    client could write 7.7.7.7 into the audit trail. Here the address comes from axes'
    `get_client_ip_address`, which trusts forwarded headers only as far as PROXY_COUNT says a
    proxy stands in front; the port too is a proxy's header, so it is kept only behind one."""

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        if not settings.AXES_IPWARE_PROXY_COUNT:
            return None
        return _AuditlogMiddleware._get_remote_port(request)


def client_ip(request) -> str | None:
    """The one client address of a request (audit rows, lockout, rate limits)."""
    return get_client_ip_address(request)
