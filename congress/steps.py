"""Where a motion (职工提案) is, who acts next and by when: the step indicator's data
(unionportal/core/steps.py) from the motion's status (services.TRANSITIONS).

The congress's union reviews, files and assigns; the handling unit answers by its due date;
the proposer gives the verdict (entered by union staff on their behalf)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionportal.core.steps import Actor, Deadline, Progress, State, linear

from .models import Motion, MotionStatus

S = MotionStatus

MOTION_STEPS = (
    gettext_lazy("Submission"),
    gettext_lazy("Review and filing"),
    gettext_lazy("Assignment"),
    gettext_lazy("Answer from the handling unit"),
    gettext_lazy("Verdict of the proposer"),
)
REVIEW, ASSIGN, ANSWER, VERDICT = 1, 2, 3, 4


def _unit(motion: Motion) -> str:
    return _("%(unit)s (responsible: %(person)s)") % {
        "unit": motion.handling_unit,
        "person": motion.responsible_person,
    }


def motion_progress(motion: Motion, today: date | None = None) -> Progress:
    today = today or timezone.localdate()
    union = motion.organisation.name
    if motion.status == S.SUBMITTED:
        return Progress(linear(MOTION_STEPS, REVIEW), Actor(union, _("start the review")))
    if motion.status == S.UNDER_REVIEW:
        return Progress(linear(MOTION_STEPS, REVIEW), Actor(union, _("review and file it")))
    if motion.status == S.FILED:
        return Progress(linear(MOTION_STEPS, ASSIGN), Actor(union, _("assign it")))
    if motion.status in (S.ASSIGNED, S.REOPENED):
        notes = {ANSWER: _("to answer again")} if motion.status == S.REOPENED else None
        due = None
        if motion.due_on:
            due = Deadline(_("Answer due"), motion.due_on, overdue=motion.is_overdue(today))
        actor = Actor(_unit(motion), _("answer it"))
        return Progress(linear(MOTION_STEPS, ANSWER, notes=notes), actor, due)
    if motion.status == S.ANSWERED:
        proposer = _("the proposer %(name)s") % {"name": motion.proposer.member.name}
        return Progress(linear(MOTION_STEPS, VERDICT), Actor(proposer, _("give the verdict")))
    if motion.status == S.CLOSED:
        notes = {VERDICT: motion.get_verdict_display()} if motion.verdict else None
        return Progress(linear(MOTION_STEPS, len(MOTION_STEPS), notes=notes))
    if motion.status == S.REJECTED:
        steps = linear(MOTION_STEPS, REVIEW, stopped=State.REJECTED, notes={REVIEW: _("Not filed")})
        return Progress(steps)
    # Converted or merged: the review ended the motion's own course.
    if motion.status == S.CONVERTED:
        outcome = _("Handled as a suggestion instead.")
    else:
        outcome = _("Merged into %(motion)s.") % {"motion": motion.merged_into}
    return Progress(linear(MOTION_STEPS, ASSIGN, stopped=State.SKIPPED), outcome=outcome)
