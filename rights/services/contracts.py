"""Collective contracts (集体合同, domain.md K): register and edit, send to the labour bureau,
record its receipt and outcome. Every status change happens here and is recorded (a
ContractEvent and an audit row); the figures read the dated fields these functions write.

Deadlines come from the ContractRule in force on the signing day and are counted in calendar
days from the day after the event: signed on 1 March, due at the bureau by 11 March; received
on 1 March with no objection, in force on 16 March (the 15th day), not on the 14th."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Organisation
from members.models.organisations import OrgKind
from unionportal.core.audit import audit_event

from ..models import (
    CollectiveContract,
    ContractCoverage,
    ContractEmployer,
    ContractEvent,
    ContractKind,
    ContractRule,
    ContractStatus,
)

S = ContractStatus

__all__ = [
    "REGIONAL_KINDS",
    "EMPLOYER_KINDS",
    "add_years",
    "contract_outcome",
    "contract_save",
    "contract_send",
    "contracts_awaiting_outcome",
    "contracts_in_scope",
    "contracts_not_sent",
    "contracts_to_renew",
]

# Who signs what: a township, park or industry union a regional or industry contract; an
# employer's (or joint) grassroots union the contract of its employer(s).
REGIONAL_KINDS = (OrgKind.TOWNSHIP_UNION, OrgKind.PARK_UNION, OrgKind.INDUSTRY_UNION)
EMPLOYER_KINDS = (OrgKind.GRASSROOTS, OrgKind.JOINT_GRASSROOTS)
EDITABLE = (S.NEGOTIATING, S.SIGNED)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        if day.year + years > 9999:  # a date typed at the calendar's edge
            raise ValidationError(_("Check the dates: the term runs past the year 9999.")) from None
        return day.replace(year=day.year + years, day=28)  # 29 February


def contracts_in_scope(user, capability: str = "view") -> QuerySet[CollectiveContract]:
    return access.scope(
        user, CollectiveContract.objects.all(), org_field="organisation", capability=capability
    )


def _log(contract, actor, action: str, before: str, on: date, comment: str = "") -> None:
    ContractEvent.objects.create(
        contract=contract,
        actor=actor if getattr(actor, "pk", None) else None,
        on=on,
        action=action,
        from_status=before,
        to_status=contract.status,
        comment=comment[:300],
    )
    audit_event(
        contract, f"contract.{action}", actor=actor, changes={"status": [before, contract.status]}
    )


def _require(actor, organisation: Organisation) -> None:
    if actor is not None and not access.can(actor, "contract.manage", organisation):
        raise PermissionDenied


def _check(org: Organisation, data: dict, employers: list, today: date) -> dict[str, str]:
    """The form errors of a contract's data, by field ('' for the whole form)."""
    errors: dict[str, str] = {}
    coverage = data.get("coverage") or ContractCoverage.ENTERPRISE
    if coverage == ContractCoverage.ENTERPRISE and org.kind not in EMPLOYER_KINDS:
        errors["coverage"] = _(
            "A union of a township, park or industry signs a regional or industry contract."
        )
    if coverage != ContractCoverage.ENTERPRISE:
        if org.kind not in REGIONAL_KINDS:
            errors["coverage"] = _(
                "Only a township, park or industry union signs a regional or industry contract."
            )
        if not employers:
            errors["employers"] = _("List the employers the contract covers.")
        ids = [e.pk for e, _w in employers]
        if len(ids) != len(set(ids)):
            errors["employers"] = _("Each employer is listed once.")
        if any(not e.path.startswith(org.path) or e.pk == org.pk for e, _w in employers):
            errors["employers"] = _("The employers listed must be unions under this union.")
    if data.get("kind") == ContractKind.WAGE and data.get("wage_increase") is None:
        errors["wage_increase"] = _("Enter the agreed wage increase of a wage contract.")
    offered, voted, signed = data.get("offered_on"), data.get("voted_on"), data.get("signed_on")
    for field in ("offered_on", "voted_on", "signed_on"):
        if data.get(field) and data[field] > today:
            errors[field] = _("This date is in the future.")
    if voted and not data.get("vote_body"):
        errors["vote_body"] = _("Say who approved the draft.")
    if offered and voted and voted < offered:
        errors["voted_on"] = _("The draft is approved after the negotiation was requested.")
    if signed:
        if not voted:
            errors["voted_on"] = _("A contract is signed after its draft is approved.")
        elif signed < voted:
            errors["signed_on"] = _("A contract is signed after its draft is approved.")
        start, end = data.get("starts_on"), data.get("ends_on")
        if not start or not end:
            errors["ends_on"] = _("Enter the term of a signed contract.")
        elif end < add_years(start, 1) - timedelta(days=1) or end > add_years(start, 3) - timedelta(
            days=1
        ):
            errors["ends_on"] = _("The term of a collective contract is 1 to 3 years.")
        if coverage == ContractCoverage.ENTERPRISE and not data.get("workers_covered"):
            errors["workers_covered"] = _("Enter the workers the contract covers.")
    return errors


@transaction.atomic
def contract_save(
    *,
    actor,
    organisation: Organisation,
    data: dict,
    employers: list[tuple[Organisation, int]] | None = None,
    contract: CollectiveContract | None = None,
    today: date | None = None,
) -> CollectiveContract:
    """Register a contract (or edit one not yet sent). `data` holds the model's fields;
    `employers` the (organisation, workers) pairs of a regional or industry contract."""
    today = today or timezone.localdate()
    employers = list(employers or [])
    if contract is not None:
        contract = CollectiveContract.objects.select_for_update().get(pk=contract.pk)
        organisation = contract.organisation
        if contract.status not in EDITABLE:
            raise ValidationError(_("A contract sent to the labour bureau is no longer edited."))
    _require(actor, organisation)
    errors = _check(organisation, data, employers, today)
    if errors:
        raise ValidationError(errors)
    before = contract.status if contract else ""
    contract = contract or CollectiveContract(organisation=organisation, created_by=actor)
    text = data.pop("text", None)
    for field, value in data.items():
        setattr(contract, field, value)
    if text:
        contract.text = text
    if contract.kind != ContractKind.WAGE:
        contract.wage_increase = None
    if contract.coverage != ContractCoverage.ENTERPRISE:
        contract.workers_covered = sum(w for _e, w in employers)
    if contract.signed_on:
        contract.status = S.SIGNED
        rule = ContractRule.in_force(contract.signed_on)
        contract.send_by = contract.signed_on + timedelta(days=rule.send_days)
    else:
        contract.status = S.NEGOTIATING
        contract.send_by = None
    if contract.created_by_id is None and getattr(actor, "pk", None):
        contract.created_by = actor
    contract.save()
    contract.employers.all().delete()
    if contract.coverage == ContractCoverage.ENTERPRISE:
        employers = [(organisation, contract.workers_covered)]
    ContractEmployer.objects.bulk_create(
        ContractEmployer(contract=contract, organisation=e, workers=w) for e, w in employers
    )
    _log(contract, actor, "edit" if before else "register", before, today)
    return contract


def _lock(contract: CollectiveContract, *expected: str) -> CollectiveContract:
    locked = CollectiveContract.objects.select_for_update().get(pk=contract.pk)
    if locked.status not in expected:
        raise ValidationError(
            _("This contract is now “%(status)s”: someone else acted on it first.")
            % {"status": locked.get_status_display()},
            code="conflict",
        )
    return locked


@transaction.atomic
def contract_send(
    *, actor, contract: CollectiveContract, on: date, today: date | None = None
) -> CollectiveContract:
    """The signed contract went to the labour bureau on `on` (due by `send_by`; a late
    sending is still recorded, the register shows it was late)."""
    today = today or timezone.localdate()
    _require(actor, contract.organisation)
    contract = _lock(contract, S.SIGNED)
    if on < contract.signed_on:
        raise ValidationError({"on": _("A contract is sent after it is signed.")})
    if on > today:
        raise ValidationError({"on": _("This date is in the future.")})
    contract.sent_on = on
    contract.status = S.SENT
    contract.save(update_fields=["sent_on", "status"])
    _log(contract, actor, "send", S.SIGNED, on)
    return contract


OUTCOMES = ("received", S.APPROVED, S.NO_OBJECTION, S.OBJECTED)


@transaction.atomic
def contract_outcome(
    *,
    actor,
    contract: CollectiveContract,
    received_on: date,
    outcome: str,
    on: date | None = None,
    note: str = "",
    today: date | None = None,
) -> CollectiveContract:
    """The bureau received the contract on `received_on` and (`outcome`) only received it so
    far, approved it on `on`, objected to it on `on` (before the review ended), or let the
    review end with no objection (in force on the review's last day)."""
    today = today or timezone.localdate()
    _require(actor, contract.organisation)
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    contract = _lock(contract, S.SENT)
    if received_on < contract.sent_on or received_on > today:
        raise ValidationError(
            {"received_on": _("The bureau receives the contract after it is sent, by today.")}
        )
    rule = ContractRule.in_force(contract.signed_on)
    lapse = received_on + timedelta(days=rule.review_days)
    on = on or today
    if outcome != "received" and (on < received_on or on > today):
        raise ValidationError({"on": _("The outcome comes after the receipt, by today.")})
    contract.received_on = received_on
    contract.in_force_on = lapse
    if outcome == S.APPROVED:
        contract.in_force_on = min(on, lapse)
    elif outcome == S.OBJECTED:
        if on >= lapse:
            raise ValidationError(
                {
                    "on": _(
                        "The review ended on %(day)s with no objection: the contract is in force."
                    )
                    % {"day": lapse - timedelta(days=1)}
                }
            )
        contract.in_force_on = None
    elif outcome == S.NO_OBJECTION:
        if today < lapse:
            raise ValidationError(
                {
                    "outcome": _("The review runs until %(day)s: no objection can be said yet.")
                    % {"day": lapse - timedelta(days=1)}
                }
            )
        on = lapse
    before = contract.status
    if outcome != "received":
        contract.status = outcome
        contract.outcome_on = on
        contract.outcome_note = note[:300]
    contract.save(
        update_fields=["received_on", "in_force_on", "status", "outcome_on", "outcome_note"]
    )
    _log(contract, actor, "receive" if outcome == "received" else outcome, before, on, note)
    return contract


# --- Reminders (the to-do panels) ----------------------------------------------------------


def contracts_to_renew(qs: QuerySet, today: date) -> QuerySet:
    """Contracts in force whose term ends within the renewal reminder (90 days: ending on
    today + 90 is reminded, on today + 91 not yet), with no later contract of the same kind
    signed by the same union."""
    days = ContractRule.in_force(today).renewal_reminder_days
    successor = CollectiveContract.objects.filter(
        organisation=OuterRef("organisation"),
        kind=OuterRef("kind"),
        starts_on__gt=OuterRef("starts_on"),
    ).exclude(status=S.OBJECTED)
    return (
        qs.filter(in_force_on__lte=today, ends_on__gte=today)
        .filter(ends_on__lte=today + timedelta(days=days))
        .exclude(Exists(successor))
    )


def contracts_not_sent(qs: QuerySet, today: date) -> QuerySet:
    """Signed and not sent, past the sending deadline (signed + 10 days: overdue from day 11)."""
    return qs.filter(status=S.SIGNED, send_by__lt=today)


def contracts_awaiting_outcome(qs: QuerySet, today: date) -> QuerySet:
    """Sent with no outcome: no receipt recorded, or received and still under review."""
    return qs.filter(status=S.SENT).filter(Q(in_force_on__isnull=True) | Q(in_force_on__gt=today))
