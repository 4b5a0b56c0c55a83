"""Where an assessment is and who acts next (the step indicator, unionportal/core/steps.py):
the union scores itself, the county or industry union reviews, the federation confirms."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import access
from unionportal.core.steps import Actor, Deadline, Progress, linear

from .models import Assessment, AssessmentStatus

S = AssessmentStatus

STEPS = (
    gettext_lazy("Self-assessment"),
    gettext_lazy("Review by the union above"),
    gettext_lazy("Confirmation by the federation"),
)
SELF, REVIEW, CONFIRM = 0, 1, 2


def _who(assessment: Assessment, capability: str, *, above: bool) -> str:
    found = access.acting_role(assessment.organisation, capability, strictly_above=above)
    return found[0].name if found else ""


def assessment_progress(assessment: Assessment, today=None) -> Progress:
    a = assessment
    if a.status in (S.DRAFT, S.RETURNED):
        notes = {SELF: _("returned for changes")} if a.status == S.RETURNED else None
        due = Deadline(_("Self-assessment due"), a.round.self_due_on)
        actor = Actor(a.organisation.name, _("score itself and submit"))
        return Progress(linear(STEPS, SELF, notes=notes), actor, due)
    if a.status == S.SUBMITTED:
        who = _who(a, "assessment.review", above=True)
        return Progress(linear(STEPS, REVIEW), Actor(who, _("review")))
    if a.status == S.REVIEWED:
        who = _who(a, "assessment.confirm", above=True)
        return Progress(linear(STEPS, CONFIRM), Actor(who, _("confirm")))
    outcome = _("Meets the standard.") if a.passed else _("Does not meet the standard.")
    return Progress(linear(STEPS, len(STEPS)), outcome=outcome)
