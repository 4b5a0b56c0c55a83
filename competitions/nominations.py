"""Nomination rounds (domain.md G): quotas per organisation, quota rules kept as data and
checked against the list, a public notice with objections, and the outcome written to the
honours register. A round starts with its honour kind's default quota rules (QuotaDefault,
a rule table) and its organiser may add and remove rules while it is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Member, Organisation
from unionportal.core.audit import audit_event
from unionportal.core.steps import long_date

from .models import (
    HonourKind,
    Nomination,
    NominationQuota,
    NominationRound,
    NominationStatus,
    Objection,
    QuotaAttribute,
    QuotaDefault,
    QuotaOperator,
    QuotaRule,
    RoundStatus,
)
from .services import _ancestor_paths, honour_create

# How each quota attribute reads a nomination: from the member's record, or from what the
# nominating union recorded on the nomination.
MATCHES = {
    QuotaAttribute.INDUSTRIAL: lambda n: n.is_industrial_worker,
    QuotaAttribute.FRONTLINE: lambda n: n.member.is_frontline,
    QuotaAttribute.OTHER_FRONTLINE: lambda n: n.member.is_frontline and not n.is_industrial_worker,
    QuotaAttribute.SCIENCE_EDUCATION: lambda n: n.is_science_education,
    QuotaAttribute.MIGRANT: lambda n: n.member.is_migrant,
    QuotaAttribute.WOMEN: lambda n: n.member.gender == "F",
    QuotaAttribute.NON_PUBLIC: lambda n: n.is_non_public,
    QuotaAttribute.KEY_INDUSTRY: lambda n: n.is_key_industry,
    QuotaAttribute.ENTERPRISE_HEAD: lambda n: n.is_enterprise_head,
    QuotaAttribute.MANAGER: lambda n: n.member.is_manager,
}
# The nominee's attributes recorded on the nomination (the members app does not hold them).
RECORDED = (
    "is_industrial_worker",
    "is_science_education",
    "is_non_public",
    "is_key_industry",
    "is_enterprise_head",
)
ORDER = {a: i for i, a in enumerate(QuotaAttribute.values)}


def visible_rounds(user) -> QuerySet[NominationRound]:
    q = Q(pk__in=[])
    for p in access.scope_paths(user):
        q |= Q(organiser__path__startswith=p)
    ancestors = _ancestor_paths(user)
    if ancestors:
        q |= Q(organiser__path__in=ancestors)
    return NominationRound.objects.filter(q)


def visible_nominations(user, round_: NominationRound) -> QuerySet[Nomination]:
    qs = round_.nominees.select_related("member", "organisation").order_by("pk")
    if access.can(user, "view", round_.organiser):
        return qs
    return access.scope(user, qs, org_field="organisation")


def defaults_in_force(kind: HonourKind, on: date) -> list[QuotaDefault]:
    """The kind's default quota rules on a day: per attribute and direction, the newest row
    effective by then, unless that row withdraws the rule."""
    latest: dict[tuple[str, str], QuotaDefault] = {}
    for row in QuotaDefault.objects.filter(kind=kind, effective_from__lte=on).order_by(
        "-effective_from", "-pk"
    ):
        latest.setdefault((row.attribute, row.operator), row)
    rows = [r for r in latest.values() if not r.withdraws]
    return sorted(rows, key=lambda r: (ORDER.get(r.attribute, 99), r.operator))


@transaction.atomic
def quota_default_add(
    *,
    actor,
    kind: HonourKind,
    attribute: str,
    operator: str,
    percent: Decimal,
    effective_from: date,
    note: str = "",
) -> QuotaDefault:
    """A newer row of the default quota rules (the federation administrator only)."""
    if actor is not None and not access.can(actor, "rules.edit"):
        raise PermissionDenied
    if not Decimal("0") <= percent <= Decimal("100"):
        raise ValidationError({"percent": _("A share is between 0 and 100.")})
    row = QuotaDefault.objects.create(
        kind=kind, attribute=attribute, operator=operator, percent=percent,
        effective_from=effective_from, note=note,
    )  # fmt: skip
    audit_event(row, "nomination.quota_default_add", actor=actor)
    return row


@transaction.atomic
def round_create(
    *,
    actor,
    organiser: Organisation,
    kind: HonourKind,
    level: str,
    year: int,
    awarding_body: str,
    with_defaults: bool = True,
    today: date | None = None,
) -> NominationRound:
    """A round, starting with the kind's default quota rules in force today (unless asked not
    to); the organiser changes them while the round is open."""
    round_ = NominationRound.objects.create(
        organiser=organiser, kind=kind, level=level, year=year, awarding_body=awarding_body
    )
    if with_defaults:
        for row in defaults_in_force(kind, today or timezone.localdate()):
            round_.rules.create(attribute=row.attribute, operator=row.operator, percent=row.percent)
    audit_event(round_, "nomination.round_create", actor=actor, rules=round_.rules.count())
    return round_


def _open(round_: NominationRound) -> None:
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is no longer taking nominations."))


@transaction.atomic
def rule_add(
    *, actor, round_: NominationRound, attribute: str, operator: str, percent: Decimal
) -> QuotaRule:
    _open(round_)
    if not Decimal("0") <= percent <= Decimal("100"):
        raise ValidationError({"percent": _("A share is between 0 and 100.")})
    rule = round_.rules.create(attribute=attribute, operator=operator, percent=percent)
    audit_event(round_, "nomination.rule_add", actor=actor, rule=str(rule))
    return rule


@transaction.atomic
def rule_remove(*, actor, rule: QuotaRule) -> None:
    round_ = NominationRound.objects.select_for_update().get(pk=rule.round_id)
    _open(round_)
    audit_event(round_, "nomination.rule_remove", actor=actor, rule=str(rule))
    rule.delete()


@transaction.atomic
def quota_set(
    *, actor, round_: NominationRound, organisation: Organisation, seats: int
) -> NominationQuota:
    _open(round_)
    if not organisation.path.startswith(round_.organiser.path):
        raise ValidationError({"organisation": _("This union is outside the round's area.")})
    quota, _created = NominationQuota.objects.update_or_create(
        round=round_, organisation=organisation, defaults={"seats": seats}
    )
    audit_event(round_, "nomination.quota_set", actor=actor, organisation=organisation.pk)
    return quota


@transaction.atomic
def nominate(
    *,
    actor,
    round_: NominationRound,
    organisation: Organisation,
    member: Member,
    **recorded: bool,
) -> Nomination:
    """Nominate a member; `recorded` holds the attributes the quota rules read from the
    nomination (RECORDED: industrial worker, science or education staff, non-public
    enterprise, key industry, enterprise head), False when not given."""
    unknown = set(recorded) - set(RECORDED)
    if unknown:
        raise TypeError(f"unknown nominee attributes: {sorted(unknown)}")
    round_ = NominationRound.objects.select_for_update().get(pk=round_.pk)
    _open(round_)
    quota = round_.quotas.filter(organisation=organisation).first()
    if quota is None:
        raise ValidationError(_("This union has no quota in the round."))
    if round_.nominees.filter(organisation=organisation).count() >= quota.seats:
        raise ValidationError(
            _("The union's quota of %(n)s nominees is used up.") % {"n": quota.seats}
        )
    if not member.is_current or not member.organisation.path.startswith(organisation.path):
        raise ValidationError(
            _("%(name)s is not a current member of this union.") % {"name": member.name}
        )
    if round_.nominees.filter(member=member).exists():
        raise ValidationError(_("%(name)s is already nominated.") % {"name": member.name})
    nomination = Nomination.objects.create(
        round=round_, organisation=organisation, member=member, **recorded
    )
    audit_event(nomination, "nomination.create", actor=actor)
    return nomination


@transaction.atomic
def nomination_withdraw(*, actor, nomination: Nomination) -> None:
    round_ = NominationRound.objects.select_for_update().get(pk=nomination.round_id)
    _open(round_)
    audit_event(round_, "nomination.withdraw", actor=actor, member=nomination.member_id)
    nomination.delete()


@dataclass(frozen=True)
class RuleCheck:
    rule: QuotaRule
    matching: int
    total: int
    actual: Decimal  # percent, 2 places, for display
    ok: bool


def quota_check(round_: NominationRound) -> list[RuleCheck]:
    """Every rule of the round against its list (check_rules)."""
    return check_rules(list(round_.rules.all()), list(round_.nominees.select_related("member")))


def check_rules(rules: list[QuotaRule], nominees: list[Nomination]) -> list[RuleCheck]:
    """Every rule against a list of nominations, with the actual share. Compared exactly
    (matching * 100 against percent * total), so 60% of 5 is met by 3 and 35% of 20 by 7."""
    total = len(nominees)
    checks = []
    for rule in rules:
        matching = sum(1 for n in nominees if MATCHES[rule.attribute](n))
        share = Decimal(matching * 100)
        target = rule.percent * total
        ok = share >= target if rule.operator == QuotaOperator.AT_LEAST else share <= target
        actual = (share / total).quantize(Decimal("0.01"), ROUND_HALF_UP) if total else Decimal(0)
        checks.append(RuleCheck(rule, matching, total, actual, ok))
    return checks


def notice_problem(round_: NominationRound, checks: list[RuleCheck] | None = None) -> str | None:
    """Why the round's list cannot go on public notice now, or None. The round page asks the
    same (with the quota check it already made) to offer the notice form only when it would
    be taken."""
    if round_.status != RoundStatus.OPEN:
        return _("The round is no longer taking nominations.")
    if not round_.nominees.exists():
        return _("There are no nominees.")
    failing = [c for c in (quota_check(round_) if checks is None else checks) if not c.ok]
    if failing:
        return _("The list breaks %(n)s quota rules.") % {"n": len(failing)}
    return None


def decide_wait(round_: NominationRound, today: date | None = None) -> str | None:
    """Why the outcome cannot be recorded yet (the round is not on notice, or its notice still
    runs), or None."""
    today = today or timezone.localdate()
    if round_.status != RoundStatus.NOTICE:
        return _("The round is decided after its public notice.")
    if today <= round_.notice_to:
        return _("The public notice runs until %(date)s.") % {"date": long_date(round_.notice_to)}
    return None


@transaction.atomic
def round_start_notice(
    *, actor, round_: NominationRound, notice_from: date, notice_to: date
) -> NominationRound:
    round_ = NominationRound.objects.select_for_update().get(pk=round_.pk)
    _open(round_)
    if notice_to < notice_from:
        raise ValidationError({"notice_to": _("The notice cannot end before it starts.")})
    problem = notice_problem(round_)
    if problem:
        raise ValidationError(problem)
    round_.status, round_.notice_from, round_.notice_to = RoundStatus.NOTICE, notice_from, notice_to
    round_.save(update_fields=["status", "notice_from", "notice_to"])
    audit_event(round_, "nomination.notice", actor=actor)
    return round_


@transaction.atomic
def objection_record(
    *, actor, nomination: Nomination, received_on: date, body: str, handling: str = ""
) -> Objection:
    status = NominationRound.objects.values_list("status", flat=True).get(pk=nomination.round_id)
    if status != RoundStatus.NOTICE:
        raise ValidationError(_("Objections are recorded during the public notice."))
    objection = nomination.objections.create(received_on=received_on, body=body, handling=handling)
    audit_event(nomination, "nomination.objection", actor=actor)
    return objection


@transaction.atomic
def round_decide(
    *,
    actor,
    round_: NominationRound,
    awarded: set[int],
    awarded_on: date | None = None,
    today: date | None = None,
) -> NominationRound:
    """Close the round after its notice: the nominees in `awarded` (nomination ids) go into
    the honours register as awarded on `awarded_on` (today when not given); the others are
    recorded as not awarded."""
    today = today or timezone.localdate()
    awarded_on = awarded_on or today
    round_ = NominationRound.objects.select_for_update().get(pk=round_.pk)
    wait = decide_wait(round_, today)
    if wait:
        raise ValidationError(wait)
    if awarded_on <= round_.notice_to:
        raise ValidationError(
            {"awarded_on": _("The honours are awarded after the public notice, which ran until "
                             "%(date)s.") % {"date": long_date(round_.notice_to)}}
        )  # fmt: skip
    for nomination in round_.nominees.select_related("member", "organisation"):
        if nomination.pk in awarded:
            nomination.status = NominationStatus.AWARDED
            nomination.honour = honour_create(
                actor=actor,
                kind=round_.kind,
                level=round_.level,
                year=round_.year,
                awarded_on=awarded_on,
                awarding_body=round_.awarding_body,
                organisation=nomination.organisation,
                member=nomination.member,
                today=today,
            )
        else:
            nomination.status = NominationStatus.NOT_AWARDED
        nomination.save(update_fields=["status", "honour"])
    round_.status = RoundStatus.CLOSED
    round_.save(update_fields=["status"])
    audit_event(round_, "nomination.decide", actor=actor, awarded=len(awarded))
    return round_
