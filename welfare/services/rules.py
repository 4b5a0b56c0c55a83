"""Rule tables (caps, 低保 lines, notice days) and the helpers the welfare services share."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members import access
from members.models import Organisation
from unionportal.core.audit import audit_event

from ..models import (
    CENT,
    CondolenceRule,
    HardshipCategory,
    NoticeRule,
    PovertyLine,
    ReliefCap,
    ReliefStatus,
)

S = ReliefStatus
COUNTED = [S.APPROVED, S.PAID]  # statuses whose approved amount counts against caps/budgets
REVIEW_MONTHS = 6


class Conflict(ValidationError):
    """Someone else changed the record first (e.g. two approvers at once)."""


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _positive(value, field_name: str) -> Decimal:
    try:
        amount = _money(value)
    except Exception as exc:  # noqa: BLE001
        raise ValidationError({field_name: _("Enter an amount.")}) from exc
    if amount <= 0:
        raise ValidationError({field_name: _("The amount must be more than zero.")})
    return amount


# --- Rules ---------------------------------------------------------------------------------


def notice_days(on: date) -> int:
    rule = NoticeRule.objects.in_force(on).first()
    if rule is None:
        raise ValidationError(_("No public notice rule is in force; ask a federation admin."))
    return rule.days


def relief_cap(kind: str, on: date) -> ReliefCap | None:
    return ReliefCap.objects.in_force(on, kind=kind).first()


def condolence_rule(occasion: str, on: date) -> CondolenceRule | None:
    return CondolenceRule.objects.in_force(on, occasion=occasion).first()


def region_codes(organisation: Organisation) -> list[str]:
    """Region codes from the organisation up to the root, nearest first."""
    ancestors = Organisation.objects.filter(
        path__in=[
            organisation.path[:i]
            for i in range(Organisation.steplen, len(organisation.path) + 1, Organisation.steplen)
        ]
    ).order_by("-depth")
    return [o.region_code for o in ancestors if o.region_code]


def poverty_line(organisation: Organisation, year: int) -> PovertyLine | None:
    """The 低保 line of the organisation's region (or the nearest ancestor's) for the year;
    the city-wide default (empty region) when no region has one."""
    codes = region_codes(organisation)
    lines = list(
        PovertyLine.objects.filter(year=year, region_code__in=[*codes, ""]).order_by(
            "-effective_from", "-pk"
        )
    )
    for code in [*codes, ""]:
        for line in lines:
            if line.region_code == code:
                return line
    return None


def categorise(
    *, net_per_capita: Decimal, line: Decimal, accident: bool = False
) -> HardshipCategory | str:
    """deep: below the line; relative: below twice the line; accidental: otherwise, when a
    disaster, accident or major illness caused the hardship; "" when none applies."""
    if net_per_capita < line:
        return HardshipCategory.DEEP
    if net_per_capita < 2 * line:
        return HardshipCategory.RELATIVE
    if accident:
        return HardshipCategory.ACCIDENTAL
    return ""


def net_per_capita_exact(
    *, annual_income: Decimal, rigid_costs: Decimal, household_size: int
) -> Decimal:
    """Net income per person and month, unrounded: (income - rigid costs) / (people x 12)."""
    return (Decimal(annual_income) - Decimal(rigid_costs)) / (Decimal(household_size) * 12)


def net_per_capita(*, annual_income: Decimal, rigid_costs: Decimal, household_size: int) -> Decimal:
    """Net income per person and month, rounded to the fen (for display; categories compare
    the unrounded figure)."""
    return _money(
        net_per_capita_exact(
            annual_income=annual_income, rigid_costs=rigid_costs, household_size=household_size
        )
    )


@transaction.atomic
def rule_add(*, actor, model, **data):
    """A new row of a rule table (rules change by adding a newer effective-from row)."""
    if actor is not None and not access.can(actor, "rules.edit"):
        raise PermissionDenied
    row = model.objects.create(**data)
    audit_event(row, "welfare.rule_add", actor=actor)
    return row


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError


def scoped(user, qs):
    return access.scope(user, qs, org_field="organisation")


__all__ = [name for name in dir() if not name.startswith("_") and name != "Q"]
