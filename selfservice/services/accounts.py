"""Member accounts: the one-time activation code the union hands over, activation with the
portal's password policy, the member's own reveal and mobile change (both audited)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Member, User
from members.validators import mask_mobile, normalise_mobile
from unionportal.core.audit import audit_event

from ..models import MemberAccount

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def username_for(mobile: str) -> str:
    """Member accounts log in with their mobile; the account's username carries a prefix no
    staff username has, so the two never collide."""
    return f"m{mobile}"


def _code_hash(code: str) -> str:
    text = (code or "").strip().upper().replace(" ", "").replace("-", "")
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


MEMBER_USERNAME = re.compile(r"^m1[3-9]\d{9}$")


def account_of(user) -> MemberAccount | None:
    """The member account a logged-in user holds (None for staff). Only an account named like
    a member's (m + mobile, no organisation) is looked up: staff requests cost no query."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.organisation_id is not None or not MEMBER_USERNAME.match(user.username or ""):
        return None
    cached = getattr(user, "_member_account", False)
    if cached is False:
        cached = (
            MemberAccount.objects.select_related("member__organisation")
            .filter(user=user, activated_at__isnull=False)
            .first()
        )
        user._member_account = cached
    return cached


@transaction.atomic
def code_issue(*, actor, member: Member) -> str:
    """A new one-time activation code for `member`, shown once to the staff to hand over.
    A code issued again replaces the previous one (and, for an activated account, lets the
    member set a new password)."""
    locked = Member.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    access.require(actor, "member.edit", locked.organisation)
    if not locked.is_current:
        raise ValidationError(_("Only current members get an account."))
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    account, _created = MemberAccount.objects.get_or_create(member=locked)
    account.code_hash = _code_hash(code)
    account.code_issued_at = timezone.now()
    account.code_issued_by = actor
    account.save()
    audit_event(account, "member_account.code_issued", actor=actor, member=locked.pk)
    return code


def _check_password(password: str, password2: str, user: User) -> None:
    if password != password2:
        raise ValidationError({"password2": _("The two passwords differ.")})
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


def activation_account(code: str) -> MemberAccount | None:
    if not (code or "").strip():
        return None
    return (
        MemberAccount.objects.select_related("member", "user")
        .filter(code_hash=_code_hash(code))
        .exclude(code_hash="")
        .first()
    )


@transaction.atomic
def account_activate(*, code: str, mobile: str, password: str, password2: str) -> MemberAccount:
    """The member sets a password with the code: the code works once. A mobile another
    member account already logs in with is refused."""
    found = activation_account(code)
    if found is None:
        raise ValidationError({"code": _("This activation code is not valid or has been used.")})
    account = MemberAccount.objects.select_for_update().get(pk=found.pk)
    if account.code_hash != found.code_hash or not account.member.is_current:
        raise ValidationError({"code": _("This activation code is not valid or has been used.")})
    try:
        mobile = normalise_mobile(mobile)
    except ValidationError as exc:
        raise ValidationError({"mobile": exc.messages[0]}) from None
    if MemberAccount.objects.filter(mobile=mobile).exclude(pk=account.pk).exists() or (
        User.objects.filter(username=username_for(mobile)).exclude(pk=account.user_id or 0).exists()
    ):
        raise ValidationError(
            {"mobile": _("Another member account uses this mobile number; choose your own.")}
        )
    user = account.user or User(
        username=username_for(mobile),
        full_name=account.member.name,
        organisation=None,
    )
    user.username = username_for(mobile)
    _check_password(password, password2, user)
    user.set_password(password)
    user.is_active = True
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    try:
        with transaction.atomic():
            user.save()
            account.user = user
            account.mobile = mobile
            account.code_hash = ""
            account.activated_at = timezone.now()
            account.save()
    except IntegrityError:
        raise ValidationError(
            {"mobile": _("Another member account uses this mobile number; choose your own.")}
        ) from None
    audit_event(account, "member_account.activated", actor=user, member=account.member_id)
    return account


@transaction.atomic
def reveal_own(*, account: MemberAccount, field: str) -> str:
    """A member sees their own full resident ID or phone; every reveal is audited."""
    member = account.member
    value = member.resident_id if field == "resident_id" else member.phone
    audit_event(member, "member.reveal_own", actor=account.user, field=field)
    return value


@transaction.atomic
def mobile_update(*, account: MemberAccount, mobile: str) -> MemberAccount:
    """The member changes their own mobile: the record's phone and the login change together
    (audited); a mobile another member account uses is refused."""
    try:
        mobile = normalise_mobile(mobile)
    except ValidationError as exc:
        raise ValidationError({"mobile": exc.messages[0]}) from None
    locked = (
        MemberAccount.objects.select_for_update(of=("self",))
        .select_related("member", "user")
        .get(pk=account.pk)
    )
    taken = MemberAccount.objects.filter(mobile=mobile).exclude(pk=locked.pk).exists()
    if taken or (
        User.objects.filter(username=username_for(mobile)).exclude(pk=locked.user_id).exists()
    ):
        raise ValidationError(
            {"mobile": _("Another member account uses this mobile number; choose your own.")}
        )
    member = Member.objects.select_for_update().get(pk=locked.member_id)
    before = member.phone
    member.phone = mobile
    member.version += 1
    member.save(update_fields=["phone", "version", "updated_at"])
    locked.mobile = mobile
    locked.save(update_fields=["mobile"])
    locked.user.username = username_for(mobile)
    locked.user.save(update_fields=["username"])
    audit_event(
        member,
        "member.mobile_own",
        actor=locked.user,
        changes={"phone": [mask_mobile(before), mask_mobile(mobile)]},
    )
    return locked
