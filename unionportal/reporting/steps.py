"""Where a quarterly report is, who acts next and by when: the step indicator's data
(unionportal/core/steps.py) from the report's status (services.TRANSITIONS).

The union's chair (a county, township or park union's staff) submits by the period's due
date; the nearest union above holding report.review reviews it (roles.py)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import access
from unionportal.core.steps import Actor, Deadline, Progress, linear, long_date

from .models import QuarterlyReport, ReportStatus
from .services import FILER_ROLES, filer_kind

RS = ReportStatus

REPORT_STEPS = (gettext_lazy("Fill in"), gettext_lazy("Review"), gettext_lazy("Acceptance"))


def _submitter(report: QuarterlyReport) -> str:
    submit = access.CAPABILITIES["report.submit"]
    role = next(r for r in FILER_ROLES[filer_kind(report)] if r in submit)
    return access.acting_text(report.organisation, role)


def _reviewer(report: QuarterlyReport) -> str:
    found = access.acting_role(report.organisation, "report.review", strictly_above=True)
    return found[0].name if found else _("the union above")


def report_progress(report: QuarterlyReport, today: date | None = None) -> Progress:
    today = today or timezone.localdate()
    due = Deadline(_("Report due"), report.period.due_on, overdue=report.overdue(today))
    if report.status == RS.DRAFT:
        actor = Actor(_submitter(report), _("submit"), draft=True)
        return Progress(linear(REPORT_STEPS, 0), actor, due)
    if report.status == RS.RETURNED:
        actor = Actor(_submitter(report), _("fix it and submit it again"))
        notes = {0: _("returned for changes")}
        return Progress(linear(REPORT_STEPS, 0, notes=notes), actor, due)
    if report.status == RS.SUBMITTED:
        return Progress(linear(REPORT_STEPS, 1), Actor(_reviewer(report), _("review")))
    accepted = (
        {2: long_date(timezone.localdate(report.reviewed_at))} if report.reviewed_at else None
    )
    return Progress(linear(REPORT_STEPS, len(REPORT_STEPS), notes=accepted))
