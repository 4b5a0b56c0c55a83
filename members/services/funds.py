"""Union funds (工会经费): the employer's 2% levy and how it is remitted up the tree.

Which rule applies: the organisation's own rule, else the nearest ancestor's own rule, else
the city-wide default (organisation=None); among one organisation's rules, the latest whose
effective_from is on or before the 1st of the month. Shares are resolved to the real
ancestors: level 1 is the parent, level 2 the grandparent, ...; a level above the root goes to
the root (for a union directly under the city, levels 1 and 2 both go to the city);
RemittanceShare.LEVEL_OUTSIDE goes outside the city (province and national federation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unionportal.core.audit import audit_event

from .. import access
from ..dues import Division, ShareSpec, divide_levy, first_of_month, union_levy
from ..models import (
    GRASSROOTS_KINDS,
    FundRecord,
    Organisation,
    RemittanceRule,
    RemittanceShare,
    User,
)

__all__ = [
    "MAX_PAYROLL",
    "Recipient",
    "division_by_recipient",
    "fund_record",
    "remittance_rule_in_force",
    "remittance_rule_save",
    "remittance_rules_in_scope",
    "share_recipients",
]

MAX_PAYROLL = Decimal("10000000000")  # ¥10 billion a month: beyond any employer in the city
MAX_LEVEL = 10


def remittance_rules_in_scope(user: User) -> QuerySet[RemittanceRule]:
    """Rule tables are read by every role: the city default, the rules of organisations in
    the user's scope and those of their ancestors (the rules that apply to them)."""
    paths = access.scope_paths(user)
    if not paths:
        return RemittanceRule.objects.none()
    step = Organisation.steplen
    ancestors = {p[:k] for p in paths for k in range(step, len(p), step)}
    q = Q(organisation__isnull=True) | Q(organisation__path__in=ancestors)
    for p in paths:
        q |= Q(organisation__path__startswith=p)
    return RemittanceRule.objects.filter(q)


def remittance_rule_in_force(organisation: Organisation, month: date) -> RemittanceRule:
    """The rule that divides the organisation's levy for `month` (see the module docstring)."""
    month = first_of_month(month)
    chain = [organisation, *reversed(organisation.get_ancestors())]  # nearest first
    rank = {org.pk: i for i, org in enumerate(chain)}
    rules = list(
        RemittanceRule.objects.filter(
            Q(organisation__in=chain) | Q(organisation__isnull=True), effective_from__lte=month
        ).prefetch_related("shares")
    )
    if not rules:
        raise ValidationError(
            _("No remittance rule is in force for %(month)s; a federation administrator adds one.")
            % {"month": f"{month:%Y-%m}"}
        )
    return min(
        rules,
        key=lambda r: (rank.get(r.organisation_id, len(chain)), -r.effective_from.toordinal()),
    )


def share_recipients(
    organisation: Organisation, levels: list[int]
) -> dict[int, Organisation | None]:
    """Level -> the ancestor that receives it (None: outside the city)."""
    ancestors = list(organisation.get_ancestors()) or [organisation]  # root first
    out: dict[int, Organisation | None] = {}
    for level in levels:
        if level == RemittanceShare.LEVEL_OUTSIDE:
            out[level] = None
        else:
            out[level] = ancestors[max(len(ancestors) - level, 0)]
    return out


def _specs(rule: RemittanceRule) -> list[ShareSpec]:
    return [ShareSpec(s.level, s.percent, s.label) for s in rule.shares.all()]


@dataclass
class Recipient:
    """Who ends up with how much: the union itself, an ancestor, or outside the city."""

    key: str  # "self", "org-<pk>" or "outside"
    name: str
    percent: Decimal
    amount: Decimal
    levels: list[int]


def division_by_recipient(organisation: Organisation, division: Division) -> list[Recipient]:
    """The division merged by recipient, nearest first: levels that resolve to the same
    ancestor (above the root) add up."""
    recipients = share_recipients(organisation, [s["level"] for s in division.shares])
    rows = [
        Recipient(
            "self", organisation.name, division.retained_percent, division.retained, levels=[0]
        )
    ]
    by_key: dict[str, Recipient] = {}
    for share in division.shares:
        org = recipients[share["level"]]
        key = f"org-{org.pk}" if org else "outside"
        name = org.name if org else (share["label"] or _("Outside the city"))
        row = by_key.get(key)
        if row is None:
            row = by_key[key] = Recipient(key, name, Decimal("0"), Decimal("0"), [])
            rows.append(row)
        row.percent += share["percent"]
        row.amount += share["amount"]
        row.levels.append(share["level"])
    return rows


def _money(value, field: str, limit: Decimal) -> Decimal:
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan.")}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if value > limit:
        raise ValidationError({field: _("The amount is implausibly large; check it.")})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Give the amount to the fen (two decimals).")})
    return value


@transaction.atomic
def fund_record(
    *, actor: User | None, organisation: Organisation, month: date, payroll: Decimal
) -> FundRecord:
    """Record a grassroots union's payroll for a month: the 2% levy and its division under
    the rule in force, with each share resolved to the organisation that receives it."""
    if actor is not None:
        access.require(actor, "member.edit", organisation)
    if organisation.kind not in GRASSROOTS_KINDS:
        raise ValidationError(
            {
                "organisation": _("The 2%% levy is recorded for a grassroots union, not %(kind)s.")
                % {"kind": organisation.kind_display()}
            }
        )
    if not organisation.active:
        raise ValidationError({"organisation": _("That union has been dissolved.")})
    payroll = _money(payroll, "payroll", MAX_PAYROLL)
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ValidationError({"month": _("The month cannot be in the future.")})
    if FundRecord.objects.filter(organisation=organisation, month=month).exists():
        raise ValidationError(
            {
                "month": _("The funds of %(month)s are already recorded for this union.")
                % {"month": f"{month:%Y-%m}"}
            }
        )
    rule = remittance_rule_in_force(organisation, month)
    division = divide_levy(union_levy(payroll), rule.retained_percent, _specs(rule))
    recipients = share_recipients(organisation, [s["level"] for s in division.shares])
    shares = [
        {
            "level": s["level"],
            "organisation_id": recipients[s["level"]].pk if recipients[s["level"]] else None,
            "name": recipients[s["level"]].name if recipients[s["level"]] else s["label"],
            "label": s["label"],
            "percent": str(s["percent"]),
            "amount": str(s["amount"]),
        }
        for s in division.shares
    ]
    record = FundRecord(
        organisation=organisation,
        month=month,
        payroll=payroll,
        levy=division.levy,
        retained=division.retained,
        rule=rule,
        shares=shares,
        recorded_by=actor,
    )
    record.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise ValidationError(
            {
                "month": _("The funds of %(month)s are already recorded for this union.")
                % {"month": f"{month:%Y-%m}"}
            }
        ) from None
    audit_event(
        record,
        "funds.recorded",
        actor=actor,
        month=f"{month:%Y-%m}",
        payroll=str(payroll),
        levy=str(division.levy),
        retained=str(division.retained),
        rule=rule.pk,
    )
    return record


# --- Rule table ------------------------------------------------------------------------------


def _clean_shares(retained_percent: Decimal, shares: list[dict]) -> list[ShareSpec]:
    specs = []
    for raw in shares:
        try:
            level, percent = int(raw["level"]), Decimal(raw["percent"])
        except (KeyError, TypeError, ValueError, InvalidOperation):
            raise ValidationError(
                {"shares": _("Each share needs a level and a percentage.")}
            ) from None
        if not (1 <= level <= MAX_LEVEL or level == RemittanceShare.LEVEL_OUTSIDE):
            raise ValidationError(
                {
                    "shares": _(
                        "A level is 1 to %(max)s above the union, or %(outside)s for "
                        "outside the city."
                    )
                    % {"max": MAX_LEVEL, "outside": RemittanceShare.LEVEL_OUTSIDE}
                }
            )
        if not percent.is_finite() or not 0 <= percent <= 100:
            raise ValidationError({"shares": _("A share is between 0 and 100 percent.")})
        specs.append(ShareSpec(level, percent, (raw.get("label") or "").strip()[:60]))
    levels = [s.level for s in specs]
    if len(set(levels)) != len(levels):
        raise ValidationError({"shares": _("Each level may appear only once.")})
    total = retained_percent + sum((s.percent for s in specs), Decimal("0"))
    if total != 100:
        raise ValidationError(
            _("The retained part and the shares add up to %(total)s%%; they must make 100%%.")
            % {"total": total.normalize()}
        )
    return specs


def _snapshot(rule: RemittanceRule) -> dict:
    return {
        "organisation": rule.organisation_id,
        "effective_from": rule.effective_from.isoformat() if rule.effective_from else None,
        "retained_percent": str(rule.retained_percent),
        "note": rule.note,
        "shares": [f"{s.level}:{s.percent}:{s.label}" for s in rule.shares.all()],
    }


@transaction.atomic
def remittance_rule_save(
    *,
    actor: User | None,
    rule: RemittanceRule | None = None,
    organisation: Organisation | None,
    effective_from: date,
    retained_percent: Decimal,
    note: str = "",
    shares: list[dict],
) -> RemittanceRule:
    """Create or change a remittance rule and its shares (rule tables: federation admins).
    The retained part and the shares must make exactly 100%. A rule already used by fund
    records keeps its numbers (those records were divided by it): add a new rule with a later
    effective date instead."""
    if actor is not None:
        # The city default is the root's business; an organisation's rule, that organisation's.
        root = Organisation.get_first_root_node()
        for where in {organisation or root, (rule.organisation or root) if rule else root}:
            access.require(actor, "rules.edit", where)
    try:
        retained_percent = Decimal(retained_percent)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"retained_percent": _("Enter a percentage.")}) from None
    if not retained_percent.is_finite() or not 0 <= retained_percent <= 100:
        raise ValidationError({"retained_percent": _("A percentage is between 0 and 100.")})
    specs = _clean_shares(retained_percent, shares)
    clash = RemittanceRule.objects.filter(organisation=organisation, effective_from=effective_from)
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    if clash.exists():
        raise ValidationError(
            {"effective_from": _("This organisation already has a rule from that date.")}
        )
    before = None
    if rule is not None:
        rule = RemittanceRule.objects.select_for_update().get(pk=rule.pk)
        before = _snapshot(rule)
        used = FundRecord.objects.filter(rule=rule).exists()
        numbers_changed = (
            rule.organisation_id != (organisation.pk if organisation else None)
            or rule.effective_from != effective_from
            or rule.retained_percent != retained_percent
            or sorted((s.level, s.percent) for s in rule.shares.all())
            != sorted((s.level, s.percent) for s in specs)
        )
        if used and numbers_changed:
            raise ValidationError(
                _(
                    "Fund records were already divided by this rule, so its figures cannot "
                    "change. Add a new rule with a later effective date instead."
                )
            )
    else:
        rule = RemittanceRule()
    rule.organisation = organisation
    rule.effective_from = effective_from
    rule.retained_percent = retained_percent
    rule.note = (note or "").strip()
    rule.full_clean(validate_constraints=False)
    rule.save()
    rule.shares.all().delete()
    RemittanceShare.objects.bulk_create(
        RemittanceShare(rule=rule, level=s.level, percent=s.percent, label=s.label) for s in specs
    )
    after = _snapshot(RemittanceRule.objects.prefetch_related("shares").get(pk=rule.pk))
    audit_event(
        rule,
        "remittance_rule.saved",
        actor=actor,
        changes={
            k: [before[k] if before else None, after[k]]
            for k in after
            if not before or before[k] != after[k]
        },
    )
    return rule
