"""A member's account reaches the member pages and nothing else (issue 19): every staff URL
answers 403 to it, whatever that view would check itself."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve

from .services.accounts import account_of

# Pages a member account may open besides its own (namespace selfservice, names me_*).
# (the password change: when the rotation setting asks for a new password, members too)
ALLOWED_NAMES = {"logout", "set_language", "healthz", "favicon", "password_change"}
PUBLIC_SELF_SERVICE = {"join", "join_done", "join_status", "activate", "member_login"}
EXEMPT_PREFIXES = ("/static/",)


def member_may_open(path: str) -> bool:
    if path.startswith(EXEMPT_PREFIXES):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True  # the 404 page
    if match.namespace == "selfservice":
        return match.url_name.startswith("me") or match.url_name in PUBLIC_SELF_SERVICE
    return match.url_name in ALLOWED_NAMES or match.view_name in ALLOWED_NAMES


class MemberAreaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and account_of(user) is not None:
            if not member_may_open(request.path_info):
                raise PermissionDenied
        return self.get_response(request)
