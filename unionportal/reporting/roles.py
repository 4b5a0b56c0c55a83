"""Who files and who reviews which quarterly reports.

- a *filer* holds report.draft (report.submit to submit) at the report's own organisation:
  the chair and officers of a grassroots union, the staff of a county, township or park union;
- a *reviewer* holds report.review at a strict ancestor of it: nobody reviews their own
  organisation's report.
Every report query goes through access.scope(); out of scope is 404, in scope without the
capability 403.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from members import access

from . import services
from .models import QuarterlyReport, ReportPeriod, ReportStatus

RS = ReportStatus
ORG = "organisation"


# --- Who may do what --------------------------------------------------------------------------


def _reports(user) -> QuerySet:
    return access.scope(
        user, QuarterlyReport.objects.select_related("period", "organisation"), org_field=ORG
    )


def review_q(user) -> Q | None:
    """The reports below an organisation where the user holds report.review, never those of
    an organisation where the user holds any role (four eyes: nobody reviews their own
    organisation's report), and never one they saved or submitted (None when they hold
    report.review nowhere)."""
    allowed = access.CAPABILITIES["report.review"]
    roles = access.roles_of(user)
    paths = {r.organisation.path for r in roles if r.role in allowed}
    if not paths:
        return None
    below = reduce(
        or_, (Q(organisation__path__startswith=p) & ~Q(organisation__path=p) for p in paths)
    )
    own = Q(organisation_id__in={r.organisation_id for r in roles})
    return below & ~own & ~Q(submitted_by=user) & ~Q(saved_by=user)


def reviewable(user) -> QuerySet:
    """Reports the user may review, within their scope."""
    q = review_q(user)
    qs = _reports(user)
    return qs.none() if q is None else qs.filter(q)


def filer_org_ids(user, capability: str = "report.draft") -> set[int]:
    allowed = access.CAPABILITIES[capability]
    return {r.organisation_id for r in access.roles_of(user) if r.role in allowed}


def is_filer(user, report: QuarterlyReport, capability: str = "report.draft") -> bool:
    return report.organisation_id in filer_org_ids(user, capability)


def can_review(user, report: QuarterlyReport) -> bool:
    """report.review at a strict ancestor, and no hand in the report (services.reviewer_problem)."""
    path = report.organisation.path
    allowed = access.CAPABILITIES["report.review"]
    above = any(
        r.role in allowed and path.startswith(r.organisation.path) and path != r.organisation.path
        for r in access.roles_of(user)
    )
    return above and services.reviewer_problem(user, report) is None


def _report(request, pk: int) -> QuarterlyReport:
    return get_object_or_404(_reports(request.user), pk=pk)


def _period(request, pk: int) -> ReportPeriod:
    """A period is no union's, but its page lists unions' reports: a user with no report of
    theirs in it (and no right to manage periods) gets 404, as for any object out of scope."""
    period = get_object_or_404(ReportPeriod, pk=pk)
    user = request.user
    if not access.can(user, "period.manage") and not _reports(user).filter(period=period).exists():
        raise Http404
    return period


def _require_reports_page(user) -> None:
    if not any(access.can(user, c) for c in ("report.draft", "report.review", "period.manage")):
        raise PermissionDenied
