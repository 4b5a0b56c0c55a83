"""Condolence visits (慰问) and their caps per occasion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from members.models import Member
from unionportal.core.audit import audit_event

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
    # Lock the member first: two visits recorded at once (or one form posted twice) queue here.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if token is not None:
        existing = CondolenceVisit.objects.filter(idempotency_key=token).first()
        if existing is not None:
            if existing.member_id != member.pk:
                raise ValidationError(
                    _("This form was already used for another member; open a new form.")
                )
            return existing
    amount = _positive(amount, "amount")
    rule = condolence_rule(occasion, visited_on)
    if rule is None:
        raise ValidationError(_("No rule for this occasion is in force; ask a federation admin."))
    if in_cash and not rule.cash_allowed:
        raise ValidationError(
            {"in_cash": _("The rules allow gifts in kind only for this occasion, not cash.")}
        )
    used = CondolenceVisit.objects.filter(
        member=member, occasion=occasion, visited_on__year=visited_on.year
    ).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if used + amount > rule.yearly_cap:
        raise ValidationError(
            {
                "amount": _(
                    "The cap for this occasion is ¥%(cap)s per member a year; ¥%(used)s is "
                    "already given this year, so at most ¥%(left)s remains."
                )
                % {"cap": rule.yearly_cap, "used": used, "left": max(rule.yearly_cap - used, 0)}
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
