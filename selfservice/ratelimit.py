"""Rate limits of the public pages, counted in the store every web process shares
(settings CACHES["shared"]: Redis in production, the database cache table otherwise). Not
django-ratelimit (style.md): a counter per key and fixed window is all the pages need."""

from __future__ import annotations

import base64
import hashlib
import time

from django.conf import settings
from django.core.cache import caches

# (limit, window in seconds) per rule; settings.SELFSERVICE_RATE_LIMITS may override them.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "join.ip": (10, 3600),  # applications from one address per hour
    "join.id": (3, 24 * 3600),  # applications with one resident ID per day
    "status.ip": (30, 3600),  # status checks from one address per hour
    "status.ref": (10, 3600),  # status checks of one reference per hour
    "activate.ip": (10, 3600),  # activation attempts from one address per hour
}


def _limits(rule: str) -> tuple[int, int]:
    return getattr(settings, "SELFSERVICE_RATE_LIMITS", {}).get(rule, DEFAULT_LIMITS[rule])


def _key(rule: str, value: str, window: int) -> str:
    # The value (an IP, a resident ID) is hashed with the secret: the store holds no ID. In
    # base 32 (letters and 2-7), not hex: a hex digest can hold a run of 18 decimal digits,
    # which reads as a resident ID to the F4 check of a database dump (security.md).
    raw = hashlib.sha256(f"{settings.SECRET_KEY}:{rule}:{value}".encode()).digest()
    digest = base64.b32encode(raw).decode()[:32].lower()
    return f"rl:{rule}:{digest}:{int(time.time() // window)}"


def hit(rule: str, value: str) -> bool:
    """Count one attempt under `rule` for `value`; False once the limit is passed."""
    limit, window = _limits(rule)
    store = caches["shared"]
    key = _key(rule, value, window)
    if store.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = store.incr(key)
        except ValueError:  # expired between add and incr
            store.set(key, 1, timeout=window)
            count = 1
    return count <= limit


def client_ip(request) -> str:
    from unionportal.core.middleware import client_ip as portal_client_ip

    return portal_client_ip(request) or "unknown"
