"""Condolence visits (慰问) and their caps per occasion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from unionportal.core.audit import audit_event
from unionportal.core.money import money_sum
from unionportal.core.templatetags.figures import money_digits

from ..models import (
    Campaign,
    CondolenceVisit,
)
from .campaigns import _campaign_charge
from .rules import _positive, condolence_rule

# --- Condolence visits ---------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    actor,
    member: Member,
    occasion: str,
    visited_on: date,
    in_cash: bool,
    amount,
    visitors: str,
    note: str = "",
    campaign: Campaign | None = None,
    enterprise: str = "",
    token=None,
) -> CondolenceVisit:
    # Lock the person first (every membership row of the resident ID, in one order): two visits
    # recorded at once, in one union or two, or one form posted twice, queue here.
    list(
        Member.objects.select_for_update()
        .filter(resident_id_index=member.resident_id_index)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if token is not None:
        existing = CondolenceVisit.objects.filter(idempotency_key=token).first()
        if existing is not None:
            if existing.member_id != member.pk:
                raise ValidationError(
                    _("This form was already used for another member; open a new form.")
                )
            return existing
    amount = _positive(amount, "amount")
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be dated in the future.")})
    rule = condolence_rule(occasion, visited_on)
    if rule is None:
        raise ValidationError(_("No rule for this occasion is in force; ask a federation admin."))
    if in_cash and not rule.cash_allowed:
        raise ValidationError(
            {"in_cash": _("The rules allow gifts in kind only for this occasion, not cash.")}
        )
    # Caps are per person, not per membership row: someone who re-registered in another union
    # (same resident ID, a new Member) has the year's gifts of both counted, as relief caps do.
    used = CondolenceVisit.objects.filter(
        member__resident_id_index=member.resident_id_index,
        occasion=occasion,
        visited_on__year=visited_on.year,
    ).aggregate(s=money_sum("amount"))["s"] or Decimal("0")
    if used + amount > rule.yearly_cap:
        raise ValidationError(
            {
                "amount": _(
                    "The cap for this occasion is ¥%(cap)s per member a year; ¥%(used)s is "
                    "already given this year, so at most ¥%(left)s remains."
                )
                % {
                    "cap": money_digits(rule.yearly_cap),
                    "used": money_digits(used),
                    "left": money_digits(max(rule.yearly_cap - used, 0)),
                }
            }
        )
    if campaign is not None:
        _campaign_charge(campaign.pk, amount)
    visit = CondolenceVisit.objects.create(
        organisation=member.organisation,
        member=member,
        occasion=occasion,
        visited_on=visited_on,
        in_cash=in_cash,
        amount=amount,
        visitors=visitors.strip(),
        enterprise=" ".join((enterprise or "").split()),
        note=note,
        campaign=campaign,
        created_by=actor,
        idempotency_key=token,
    )
    audit_event(visit, "visit.record", actor=actor)
    return visit
