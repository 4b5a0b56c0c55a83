"""Where a case is, who acts next and by when: the step indicator's data
(unionportal/core/steps.py) from the case's status. 登记 → 受理 → 交办/办理 → 答复 → 办结 → 回访.

Who acts next is the nearest union holding the capability the next step needs
(members.access.acting_role): the receiver decides, dispatches and closes; the handler answers."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from members import access
from members.models import Organisation
from unionportal.core.steps import Actor, Deadline, Progress, State, Step, linear

from .models import Case, CaseKind, CaseStatus

S = CaseStatus

CASE_STEPS = (
    pgettext_lazy("case step", "Registration"),
    pgettext_lazy("case step", "Acceptance"),
    pgettext_lazy("case step", "Dispatch and handling"),
    pgettext_lazy("case step", "Answer"),
    pgettext_lazy("case step", "Closure"),
    pgettext_lazy("case step", "Follow-up"),
)


def _who(organisation: Organisation, capability: str) -> str:
    found = access.acting_role(organisation, capability)
    if found is None:
        return organisation.name
    return access.acting_text(found[0])


def case_progress(case: Case, today: date | None = None) -> Progress:
    today = today or timezone.localdate()
    receiver, handler = case.received_by, case.handler
    if case.status == S.RECEIVED:
        deadline = Deadline(_("Decide acceptance by"), case.accept_by, today > case.accept_by)
        actor = Actor(_who(receiver, "case.manage"), _("decide whether to accept the case"))
        return Progress(linear(CASE_STEPS, 1), actor, deadline)
    if case.status == S.NOT_ACCEPTED:
        return Progress(
            linear(CASE_STEPS, 1, stopped=State.REJECTED),
            outcome=_("Not accepted: %(reason)s") % {"reason": case.decision_reason},
        )
    if case.status in (S.ACCEPTED, S.DISPATCHED):
        notes = {2: handler.name} if case.status == S.DISPATCHED else None
        actor = Actor(_who(handler, "case.handle"), _("handle and answer the case"))
        if case.status == S.DISPATCHED and case.handle_by:
            deadline = Deadline(_("To be handled by"), case.handle_by, today > case.handle_by)
        else:
            deadline = Deadline(_("Conclude by"), case.conclude_by, today > case.conclude_by)
        return Progress(linear(CASE_STEPS, 2, notes=notes), actor, deadline)
    if case.status == S.ANSWERED:
        actor = Actor(_who(receiver, "case.manage"), _("close the case"))
        deadline = Deadline(_("Conclude by"), case.conclude_by, today > case.conclude_by)
        return Progress(linear(CASE_STEPS, 4), actor, deadline)
    # Closed.
    if case.kind == CaseKind.CONSULTATION:
        steps = linear(CASE_STEPS, len(CASE_STEPS) - 1)
        steps = (*steps[:-1], Step(str(CASE_STEPS[-1]), State.SKIPPED))
        return Progress(steps, outcome=_("Consultation answered and closed at once."))
    if not case.followed_up_on:
        actor = Actor(_who(receiver, "case.manage"), _("follow up with the petitioner"))
        return Progress(linear(CASE_STEPS, 5), actor)
    outcome = _("Followed up: %(satisfaction)s") % {"satisfaction": case.get_satisfaction_display()}
    return Progress(linear(CASE_STEPS, len(CASE_STEPS)), outcome=outcome)
