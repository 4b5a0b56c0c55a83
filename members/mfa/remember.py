"""The remembered browser: after a code, the account may skip the second step on this
browser for MFA_REMEMBER_HOURS (at most 12). A signed cookie, bound to the account and to its
authenticator device (a reset or a new enrolment ends it), whose signature carries its time:
it is refused once older than the limit, whatever the browser keeps."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import User
from . import devices

SALT = "members.mfa.remember"
MAX_HOURS = 12


def cookie_name() -> str:
    return "__Host-mfa_remember" if settings.SESSION_COOKIE_SECURE else "mfa_remember"


def max_age_seconds() -> int:
    return min(settings.MFA_REMEMBER_HOURS, MAX_HOURS) * 3600


def _fingerprint(device: TOTPDevice) -> str:
    return salted_hmac(SALT, f"{device.user_id}:{device.pk}:{device.key}").hexdigest()


def remember(response, user: User) -> bool:
    """Set the cookie on `response` for the account's authenticator device."""
    device = devices.app_device(user)
    if device is None or not max_age_seconds():
        return False
    value = signing.dumps({"u": user.pk, "d": device.pk, "f": _fingerprint(device)}, salt=SALT)
    response.set_cookie(
        cookie_name(),
        value,
        max_age=max_age_seconds(),
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return True


def remembered_device(request, user: User) -> TOTPDevice | None:
    """The device the cookie vouches for, when it is this account's, unchanged and younger
    than the limit."""
    value = request.COOKIES.get(cookie_name())
    if not value or not max_age_seconds():
        return None
    try:
        data = signing.loads(value, salt=SALT, max_age=max_age_seconds())
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return None
    device = TOTPDevice.objects.filter(pk=data.get("d"), user=user, confirmed=True).first()
    if device is None or not constant_time_compare(str(data.get("f")), _fingerprint(device)):
        return None
    return device
