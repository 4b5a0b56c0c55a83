"""Search boxes that may be given a resident ID or a phone number (security.md F5).

The number must never go into a URL (access logs, browser history, Referer). The box POSTs
its text to `lookup_post`, which keeps the text in the session under a short random key and
redirects (post/redirect/get) to the list with `?lookup=<key>`: paging and filters carry the
key, never the text. A list reads its search text through `search_text`; a GET `?q=` that
holds what could be an ID or phone is sent back to an address without it.

Members are matched through `members.lookup.member_q` (this floor knows no members). The
session lives in the database, so the kept text is encrypted (a key derived from SECRET_KEY,
for this purpose only: a rotated key just forgets the look-ups).
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import unicodedata
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

SESSION_KEY = "lookups"
PARAM = "lookup"
KEPT = 20  # look-ups remembered per session; older keys simply find nothing
MAX_LENGTH = 100
NUMBER_DIGITS = 6  # as many digits as this could be part of an ID or a phone
# POSTed fields that are not filters to carry into the list's address.
NOT_CARRIED = {"q", "next", "csrfmiddlewaretoken", "page", PARAM}


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"unionportal.core.lookup:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode() if token else ""
    except InvalidToken:
        return ""


def could_be_number(text: str) -> bool:
    """Whether the text may hold a resident ID or phone (full-width digits included)."""
    return sum(ch.isdigit() for ch in unicodedata.normalize("NFKC", text or "")) >= NUMBER_DIGITS


def _long_digit_run(value: str) -> bool:
    """A filter value carried into the address (a month 2026-01, a status, a pk) never holds
    seven digits in a row; a number that does stays out of it."""
    return bool(re.search(r"\d{7,}", unicodedata.normalize("NFKC", value)))


def shown(text: str) -> str:
    """The search text to put back into the box: never a number that could be an ID/phone."""
    return "" if could_be_number(text) else text


def _store(request: HttpRequest, text: str) -> str:
    kept = dict(request.session.get(SESSION_KEY) or {})
    key = secrets.token_urlsafe(6)
    kept[key] = encrypt(text)  # sessions live in the database: no plaintext ID in a dump
    request.session[SESSION_KEY] = dict(list(kept.items())[-KEPT:])
    return key


def _safe_next(request: HttpRequest, next_url: str) -> str:
    ok = next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if ok else "/"


@login_required
@require_POST
@sensitive_post_parameters("q")
def lookup_post(request: HttpRequest) -> HttpResponse:
    """The shared endpoint of every search box: keep the text, redirect to the list."""
    target = urlsplit(_safe_next(request, request.POST.get("next", "")))
    params = QueryDict(target.query, mutable=True)
    for name in NOT_CARRIED:
        params.pop(name, None)
    for name in request.POST:
        if name not in NOT_CARRIED:
            values = [v for v in request.POST.getlist(name) if not _long_digit_run(v)]
            params.setlist(name, values)
    text = " ".join(request.POST.get("q", "").split())[:MAX_LENGTH]
    if text:
        params[PARAM] = _store(request, text)
    query = params.urlencode()
    return redirect(f"{target.path}?{query}" if query else target.path)


def search_text(request: HttpRequest) -> tuple[str, HttpResponse | None]:
    """(the list's search text, None) or ("", a redirect) when a GET `?q=` holds what could
    be an ID or phone: the browser is sent to the same list without it."""
    key = request.GET.get(PARAM, "")
    if key:
        token = (request.session.get(SESSION_KEY) or {}).get(key, "")
        return decrypt(token), None  # "" for an unknown key or a rotated encryption key
    text = request.GET.get("q", "").strip()
    if not could_be_number(text):
        return text, None
    params = request.GET.copy()
    params.pop("q", None)
    params.pop("page", None)
    messages.warning(
        request,
        _(
            "Resident ID numbers and phone numbers never go into an address. Type the number "
            "into the search box: it is sent privately."
        ),
    )
    query = params.urlencode()
    return "", redirect(f"{request.path}?{query}" if query else request.path)
