"""Campaigns (送温暖, 金秋助学, 送清凉): budgets and what they have spent."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from members import access
from unionportal.core.audit import audit_event
from unionportal.core.money import money_sum
from unionportal.core.templatetags.figures import money_digits

from ..models import (
    Campaign,
    CondolenceVisit,
    ReliefApplication,
)
from .rules import COUNTED, _positive

# --- Campaigns -----------------------------------------------------------------------------


def campaign_spent(campaign_id: int) -> Decimal:
    relief = ReliefApplication.objects.filter(
        campaign_id=campaign_id, status__in=COUNTED
    ).aggregate(s=money_sum("amount_approved"))["s"] or Decimal("0")
    visits = CondolenceVisit.objects.filter(campaign_id=campaign_id).aggregate(
        s=money_sum("amount")
    )["s"] or Decimal("0")
    return relief + visits


def _campaign_charge(campaign_id: int, amount: Decimal) -> Campaign:
    """Lock the campaign and refuse a charge that would overspend its budget."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    spent = campaign_spent(campaign_id)
    if spent + amount > campaign.budget:
        raise ValidationError(
            _(
                "The campaign “%(name)s” has ¥%(left)s left: this would overspend it. "
                "A federation admin can raise the budget."
            )
            % {"name": campaign.name, "left": money_digits(campaign.budget - spent)}
        )
    return campaign


@transaction.atomic
def campaign_create(
    *, actor, organisation, name, kind, year, budget, starts_on, ends_on
) -> Campaign:
    budget = _positive(budget, "budget")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The campaign ends before it starts.")})
    campaign = Campaign.objects.create(
        organisation=organisation,
        name=name,
        kind=kind,
        year=year,
        budget=budget,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit_event(campaign, "campaign.create", actor=actor)
    return campaign


@transaction.atomic
def campaign_set_budget(*, actor, campaign: Campaign, budget, reason: str) -> Campaign:
    if actor is not None and not access.can(actor, "campaign.budget", campaign.organisation):
        raise PermissionDenied
    budget = _positive(budget, "budget")
    c = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if budget < campaign_spent(c.pk):
        raise ValidationError({"budget": _("The budget cannot be less than what is spent.")})
    before = c.budget
    c.budget = budget
    c.save(update_fields=["budget"])
    audit_event(
        c,
        "campaign.budget",
        actor=actor,
        changes={"budget": [str(before), str(budget)]},
        reason=reason,
    )
    return c


def campaigns_spent(ids: list[int]) -> dict[int, Decimal]:
    """Spent per campaign in two queries, for lists."""
    spent: dict[int, Decimal] = {}
    relief = (
        ReliefApplication.objects.filter(campaign_id__in=ids, status__in=COUNTED)
        .values("campaign_id")
        .annotate(s=money_sum("amount_approved"))
    )
    visits = (
        CondolenceVisit.objects.filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(s=money_sum("amount"))
    )
    for row in [*relief, *visits]:
        spent[row["campaign_id"]] = spent.get(row["campaign_id"], Decimal("0")) + row["s"]
    return spent


def campaign_figures(campaign: Campaign) -> dict:
    spent = campaign_spent(campaign.pk)
    relief = ReliefApplication.objects.filter(campaign=campaign, status__in=COUNTED)
    visits = CondolenceVisit.objects.filter(campaign=campaign)
    people = set(relief.values_list("member_id", flat=True)) | set(
        visits.values_list("member_id", flat=True)
    )
    orgs = set(relief.values_list("organisation_id", flat=True)) | set(
        visits.values_list("organisation_id", flat=True)
    )
    households = relief.aggregate(n=Count("hardship_file", distinct=True))["n"] + len(
        people - set(relief.exclude(hardship_file=None).values_list("member_id", flat=True))
    )
    return {
        "spent": spent,
        "remaining": campaign.budget - spent,
        "people": len(people),
        "households": households,
        "enterprises": len(orgs),
        "amount": spent,
    }
