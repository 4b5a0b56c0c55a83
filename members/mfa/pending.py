"""Between the password and the code: the session remembers who gave the right password,
for five minutes, without logging them in. Only the code step completes the login, so the
login-failure lockout (django-axes) is reset only by a login with both steps."""

from __future__ import annotations

import time

from ..models import User

SESSION_KEY = "mfa_pending"
PENDING_SECONDS = 5 * 60


def start(request, user: User, next_url: str) -> None:
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", None),
        "at": time.time(),
        "next": next_url,
    }


def _data(request) -> dict | None:
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    return data


def pending_user(request) -> User | None:
    data = _data(request)
    if data is None:
        return None
    return User.objects.filter(pk=data["user"], is_active=True).first()


def backend(request) -> str | None:
    data = _data(request)
    return data.get("backend") if data else None


def next_url(request) -> str:
    data = _data(request)
    return (data or {}).get("next") or ""


def clear(request) -> None:
    request.session.pop(SESSION_KEY, None)
