"""The second-step devices of an account: one authenticator app (django-otp's TOTP device)
and one sheet of recovery codes (its static device, each code good once)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from unionportal.core.audit import audit_event

from .. import access
from ..models import User
from ..services import end_sessions

APP_NAME = "authenticator"
RECOVERY_NAME = "recovery"
RECOVERY_CODES = 10

# The published secret of the demo accounts (README "Two-step login"), DEBUG only.
DEMO_SECRET = "KVXGS33OKBXXE5DBNQWWIZLNN4WTEMBS"


def app_device(user: User) -> TOTPDevice | None:
    """The account's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_app_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same secret until it is confirmed, so
    reloading the page does not change the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps take it when typed in."""
    return base64.b32encode(device.bin_key).decode("ascii")


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@dataclass
class Check:
    device: Device | None = None
    wait_seconds: int = 0  # django-otp's back-off after a wrong code


def _try(devices, code: str) -> Check:
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            until = (info or {}).get("locked_until")
            wait = int((until - timezone.now()).total_seconds()) + 1 if until else 1
            return Check(wait_seconds=max(wait, 1))
        if device.verify_token(code):
            return Check(device=device)
    return Check()


def verify(user: User, code: str) -> Check:
    """Check a code: six digits against the authenticator app, anything else against the
    recovery codes (a recovery code that works is used up)."""
    code = normalise(code)
    with transaction.atomic():
        if code.isdigit() and len(code) == 6:
            devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        else:
            devices = StaticDevice.objects.filter(user=user, confirmed=True)
        return _try(devices.select_for_update(), code)


@transaction.atomic
def confirm_app_device(user: User, device: TOTPDevice, code: str) -> tuple[Check, list[str]]:
    """Enrolment: the first code from the app confirms the device; the account then gets a
    fresh sheet of recovery codes, returned to be shown once."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    check = _try([device], normalise(code))
    if check.device is None:
        return check, []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = new_recovery_codes(user)
    audit_event(user, "account.mfa_enrolled", actor=user)
    return check, codes


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes with a new sheet; the old codes stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def may_reset(actor: User, account: User) -> bool:
    """Account managers over the account's organisation; the devices of federation accounts
    only a federation administrator may reset, as only they may grant those roles."""
    if account.organisation is None or not access.can(
        actor, "account.manage", account.organisation
    ):
        return False
    holds_federation_role = any(r.role in access.FEDERATION_ROLES for r in access.roles_of(account))
    return access.can(actor, "rules.edit") or not holds_federation_role


@transaction.atomic
def reset(*, actor: User, account: User) -> int:
    """An administrator's reset of a lost device: the account's app and recovery codes are
    removed (remembered browsers with them) and its sessions end; at its next login it
    enrols again. Audited."""
    if not may_reset(actor, account):
        raise PermissionDenied
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        devices = model.objects.filter(user=account)
        removed += devices.count()
        devices.delete()
    end_sessions(account)
    audit_event(account, "account.mfa_reset", actor=actor, devices_removed=removed)
    return removed


def enrol_demo(user: User) -> bool:
    """Enrol a demo account with the published demo secret (seed_demo, DEBUG only)."""
    if not settings.DEBUG:
        raise PermissionDenied("the demo secret is for DEBUG only")
    if TOTPDevice.objects.filter(user=user).exists():
        return False
    key = binascii.hexlify(base64.b32decode(DEMO_SECRET)).decode("ascii")
    TOTPDevice.objects.create(user=user, name=APP_NAME, key=key, confirmed=True)
    return True
