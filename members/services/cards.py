"""Member service cards (会员服务卡), often co-issued with a bank.

A card is issued, then activated by the member; a lost card is reported and replaced by a new
one that points back to it. A member holds at most one valid (issued or active) card
(constraint card_one_valid_per_member) and card numbers are unique city-wide.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionportal.core import stale
from unionportal.core.audit import audit_event

from .. import access
from ..models import CardStatus, Member, ServiceCard, User
from ..validators import normalise_card_number

__all__ = [
    "VALID_CARD_STATUSES",
    "card_activate",
    "card_issue",
    "card_replace",
    "card_report_lost",
]

# The cards a member holds in hand; at most one per member.
VALID_CARD_STATUSES = (CardStatus.ISSUED, CardStatus.ACTIVE)


def _require_current(member: Member) -> None:
    if not member.is_current:
        raise ValidationError(
            _("Only current members hold service cards; %(name)s is %(status)s.")
            % {"name": member.name, "status": member.get_status_display()}
        )


def _check_day(day: date, field: str, *, not_before: date | None = None) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before and day < not_before:
        raise ValidationError(
            {field: _("The date cannot be before %(day)s.") % {"day": not_before.isoformat()}}
        )


def _number_taken(number: str) -> ValidationError:
    return ValidationError(
        {"number": _("Card number %(number)s is already in use.") % {"number": number}}
    )


def _has_valid_card(member: Member) -> ValidationError:
    return ValidationError(
        _(
            "%(name)s already holds a valid card. Report it lost and replace it instead of "
            "issuing another."
        )
        % {"name": member.name}
    )


def _new_card(member: Member, number: str, issued_on: date, replaces=None) -> ServiceCard:
    if ServiceCard.objects.filter(number=number).exists():
        raise _number_taken(number)
    if ServiceCard.objects.filter(member=member, status__in=VALID_CARD_STATUSES).exists():
        raise _has_valid_card(member)
    card = ServiceCard(
        member=member,
        organisation=member.organisation,
        number=number,
        issued_on=issued_on,
        status=CardStatus.ISSUED,
        replaces=replaces,
    )
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError:
        # A concurrent issue took the number or gave the member a card: say which.
        if ServiceCard.objects.filter(number=number).exists():
            raise _number_taken(number) from None
        raise _has_valid_card(member) from None
    return card


@transaction.atomic
def card_issue(*, actor: User | None, member: Member, number: str, issued_on: date) -> ServiceCard:
    locked = (
        Member.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=member.pk)
    )
    if actor is not None:
        access.require(actor, "member.edit", locked.organisation)
    _require_current(locked)
    number = normalise_card_number(number)
    _check_day(issued_on, "issued_on", not_before=locked.joined_on)
    card = _new_card(locked, number, issued_on)
    stale.mark_since(issued_on, "card")
    audit_event(card, "card.issue", actor=actor, member=locked.pk)
    return card


def _lock(card: ServiceCard, actor: User | None) -> ServiceCard:
    locked = (
        ServiceCard.objects.select_for_update(of=("self",))
        .select_related("member__organisation")
        .get(pk=card.pk)
    )
    if actor is not None:
        # The member's union serves the card now, even if another union issued it.
        access.require(actor, "member.edit", locked.member.organisation)
    return locked


ENDED_STATUSES = (CardStatus.LOST, CardStatus.REPLACED, CardStatus.CANCELLED)


def _set_status(
    card: ServiceCard, status: str, *, actor: User | None, ended_on=None, **data
) -> None:
    old = card.status
    card.status = status
    if status in ENDED_STATUSES and card.ended_on is None:
        # Past periods count the card valid until this day; a lost card stays ended on the
        # day it was reported when it is replaced later.
        card.ended_on = ended_on or timezone.localdate()
        if card.ended_on < timezone.localdate():
            stale.mark_since(card.ended_on, "card")
    card.save(update_fields=["status", "activated_on", "ended_on"])
    audit_event(card, f"card.{status}", changes={"status": [old, status]}, actor=actor, **data)


@transaction.atomic
def card_activate(*, actor: User | None, card: ServiceCard, on: date) -> ServiceCard:
    locked = _lock(card, actor)
    if locked.status != CardStatus.ISSUED:
        raise ValidationError(
            _("Only an issued card can be activated; this one is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    _require_current(locked.member)
    _check_day(on, "on", not_before=locked.issued_on)
    locked.activated_on = on
    stale.mark_since(on, "card")
    _set_status(locked, CardStatus.ACTIVE, actor=actor, on=on.isoformat())
    return locked


@transaction.atomic
def card_report_lost(*, actor: User | None, card: ServiceCard, on: date) -> ServiceCard:
    """The card stops being valid on the day it was reported (ended_on, also in the audit
    trail)."""
    locked = _lock(card, actor)
    if locked.status not in VALID_CARD_STATUSES:
        raise ValidationError(
            _("Only a valid card can be reported lost; this one is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    _check_day(on, "on", not_before=locked.issued_on)
    _set_status(locked, CardStatus.LOST, actor=actor, ended_on=on, on=on.isoformat())
    return locked


@transaction.atomic
def card_replace(*, actor: User | None, card: ServiceCard, new_number: str) -> ServiceCard:
    """A new card for a lost (or damaged, still valid) one: the old card becomes `replaced`
    and the new one, issued today, points back to it."""
    locked = _lock(card, actor)
    if locked.status not in (CardStatus.LOST, *VALID_CARD_STATUSES):
        raise ValidationError(
            _("This card is %(status)s and cannot be replaced.")
            % {"status": locked.get_status_display()}
        )
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=locked.member_id)
    )
    _require_current(member)
    number = normalise_card_number(new_number)
    # Retire the old card first, so the member's one valid card can be the new one.
    _set_status(locked, CardStatus.REPLACED, actor=actor)
    try:
        new = _new_card(member, number, timezone.localdate(), replaces=locked)
    except ValidationError as exc:
        raise ValidationError({"new_number": exc.messages}) from None
    audit_event(new, "card.issue", actor=actor, member=member.pk, replaces=locked.pk)
    return new
