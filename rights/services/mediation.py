"""Labour-dispute mediation (劳动争议调解, domain.md K): a union's committee and its members,
its cases from the application to the outcome. A case must be settled within the rule's
mediation_days (15) of the application, counted from the day after."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import Organisation
from unionportal.core.audit import audit_event

from ..models import (
    ContractRule,
    MediationCase,
    MediationCommittee,
    MediationOutcome,
    Mediator,
)

__all__ = [
    "committee_save",
    "mediation_cases_in_scope",
    "mediation_close",
    "mediation_register",
]


def _require(actor, organisation: Organisation) -> None:
    if actor is not None and not access.can(actor, "mediation.manage", organisation):
        raise PermissionDenied


def mediation_cases_in_scope(user, capability: str = "view") -> QuerySet[MediationCase]:
    return access.scope(
        user, MediationCase.objects.all(), org_field="organisation", capability=capability
    )


@transaction.atomic
def committee_save(
    *,
    actor,
    organisation: Organisation,
    set_up_on: date,
    active: bool,
    members: list[tuple[str, str]],
    today: date | None = None,
) -> MediationCommittee:
    today = today or timezone.localdate()
    _require(actor, organisation)
    if set_up_on > today:
        raise ValidationError({"set_up_on": _("This date is in the future.")})
    committee, created = MediationCommittee.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={"set_up_on": set_up_on, "active": active}
    )
    committee.set_up_on, committee.active = set_up_on, active
    committee.save()
    committee.members.all().delete()
    Mediator.objects.bulk_create(
        Mediator(committee=committee, name=name.strip(), role=role)
        for name, role in members
        if name.strip()
    )
    audit_event(committee, "mediation.committee", actor=actor, created=created)
    return committee


@transaction.atomic
def mediation_register(
    *,
    actor,
    organisation: Organisation,
    applied_on: date,
    applicant: str,
    respondent: str,
    subject: str,
    today: date | None = None,
) -> MediationCase:
    today = today or timezone.localdate()
    _require(actor, organisation)
    committee = MediationCommittee.objects.filter(organisation=organisation, active=True).first()
    if committee is None:
        raise ValidationError(_("This union has no mediation committee: set it up first."))
    if applied_on > today:
        raise ValidationError({"applied_on": _("This date is in the future.")})
    rule = ContractRule.in_force(applied_on)
    case = MediationCase.objects.create(
        organisation=organisation,
        applied_on=applied_on,
        applicant=applicant,
        respondent=respondent,
        subject=subject,
        settle_by=applied_on + timedelta(days=rule.mediation_days),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_event(case, "mediation.register", actor=actor)
    return case


@transaction.atomic
def mediation_close(
    *, actor, case: MediationCase, outcome: str, on: date, today: date | None = None
) -> MediationCase:
    """Settled, referred to arbitration or withdrawn on `on`: once, from an open case."""
    today = today or timezone.localdate()
    _require(actor, case.organisation)
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    if case.status != MediationOutcome.OPEN:
        raise ValidationError(_("This case is already closed."), code="conflict")
    if outcome not in (
        MediationOutcome.SETTLED,
        MediationOutcome.REFERRED,
        MediationOutcome.WITHDRAWN,
    ):
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if on < case.applied_on or on > today:
        raise ValidationError({"on": _("The outcome comes after the application, by today.")})
    before = case.status
    case.status, case.closed_on = outcome, on
    case.save(update_fields=["status", "closed_on"])
    audit_event(case, f"mediation.{outcome}", actor=actor, changes={"status": [before, outcome]})
    return case
