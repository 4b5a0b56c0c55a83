"""Where a welfare case is, who acts next and by when: the step indicator's data
(unionportal/core/steps.py) computed from the relief and hardship-file statuses.

Who acts next comes from the case's own organisation and the capability its next step needs
(members.access.acting_role); a gate such as the public notice comes from the same rule the
service refuses with (services.approval_wait)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import access
from members.models import Organisation
from unionportal.core.steps import Actor, Deadline, Progress, State, linear, long_date

from .models import FileStatus, HardshipFile, ReliefApplication, ReliefStatus
from .services import approval_wait

S = ReliefStatus

RELIEF_STEPS = (
    gettext_lazy("Submission"),
    gettext_lazy("Review"),
    gettext_lazy("Public notice"),
    gettext_lazy("Approval"),
    gettext_lazy("Payment"),
)
FILE_STEPS = (
    gettext_lazy("Opening the file"),
    gettext_lazy("Income verification"),
    gettext_lazy("Public notice"),
    gettext_lazy("Approval"),
    gettext_lazy("Support and reviews"),
    gettext_lazy("Closing the file"),
)


def _who(organisation: Organisation, capability: str, *, with_role: bool = False) -> str:
    found = access.acting_role(organisation, capability)
    if found is None:
        return _("the union above")
    return access.acting_text(found[0], found[1] if with_role else None)


def _vetting(case, steps, today: date, *, review: str) -> Progress | None:
    """The steps a relief application and a hardship file share (VettedCase): verification,
    public notice and approval after it, with who acts next and by when. None in any other
    status."""
    org = case.organisation
    # Both status tables use the same values for these steps.
    if case.status == S.SUBMITTED:
        return Progress(linear(steps, 1), Actor(_who(org, "relief.review"), review))
    if case.status == S.REVIEWED:
        reviewer = _who(org, "relief.review")
        return Progress(linear(steps, 2), Actor(reviewer, _("start the public notice")))
    if case.status == S.ON_NOTICE:
        approver = _who(org, "relief.approve")
        notice = Deadline(_("Public notice until"), case.notice_ends) if case.notice_ends else None
        if approval_wait(case, today):
            until = _("until %(day)s") % {"day": long_date(case.notice_ends)}
            steps_ = linear(steps, 2, notes={2: until})
            return Progress(
                steps_, Actor(approver, _("approve"), from_day=case.notice_ends), notice
            )
        return Progress(linear(steps, 3), Actor(approver, _("approve")), notice)
    return None


def relief_progress(app: ReliefApplication, today: date | None = None) -> Progress:
    today = today or timezone.localdate()
    org = app.organisation
    if app.status == S.DRAFT:
        submitter = _who(org, "relief.submit", with_role=True)
        return Progress(linear(RELIEF_STEPS, 0), Actor(submitter, _("submit"), draft=True))
    vetting = _vetting(app, RELIEF_STEPS, today, review=_("review"))
    if vetting is not None:
        return vetting
    if app.status == S.APPROVED:
        return Progress(linear(RELIEF_STEPS, 4), Actor(_who(org, "relief.approve"), _("pay out")))
    if app.status == S.PAID:
        return Progress(linear(RELIEF_STEPS, len(RELIEF_STEPS)))
    # Rejected: at the review, or (once reviewed) at the notice and approval stage.
    at = 2 if app.reviewed_by_id else 1
    return Progress(linear(RELIEF_STEPS, at, stopped=State.REJECTED))


def file_progress(hf: HardshipFile, today: date | None = None) -> Progress:
    today = today or timezone.localdate()
    org = hf.organisation
    if hf.status == FileStatus.DRAFT:
        submitter = _who(org, "relief.submit", with_role=True)
        return Progress(linear(FILE_STEPS, 0), Actor(submitter, _("submit"), draft=True))
    vetting = _vetting(hf, FILE_STEPS, today, review=_("verify the income"))
    if vetting is not None:
        return vetting
    if hf.status == FileStatus.APPROVED:
        due = hf.review_due
        deadline = Deadline(_("Next review due"), due, overdue=due < today) if due else None
        actor = None
        if due and due <= today:
            actor = Actor(_who(org, "relief.draft"), _("review the file"))
        return Progress(linear(FILE_STEPS, 4), actor, deadline)
    closed = {5: long_date(hf.closed_on)} if hf.closed_on else None
    return Progress(linear(FILE_STEPS, len(FILE_STEPS), notes=closed))
