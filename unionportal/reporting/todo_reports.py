"""The quarterly reports' items on the dashboard's to-do panel (todo.PROVIDERS): filers see
their reports to fill or fix, reviewers the reports awaiting their review."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import ReportPeriod, ReportStatus
from .todo import PROVIDERS, TodoItem


def reports_to_fill(user) -> list[TodoItem]:
    from .views_reports import _reports, filer_org_ids

    orgs = filer_org_ids(user)
    if not orgs:
        return []
    reports = list(
        _reports(user)
        .open()
        .filter(organisation_id__in=orgs)
        .only("pk", "status", "organisation_id", "period_id")[:50]
    )
    if not reports:
        return []
    url = (
        reverse("reporting:report_detail", args=[reports[0].pk])
        if len(reports) == 1
        else reverse("reporting:period_list")
    )
    returned = sum(r.status == ReportStatus.RETURNED for r in reports)
    return [
        TodoItem(label=_("Quarterly reports to fill in"), count=len(reports) - returned, url=url),
        TodoItem(label=_("Quarterly reports returned to fix"), count=returned, url=url),
    ]


def reports_to_review(user) -> list[TodoItem]:
    from .views_reports import reviewable

    rows = (
        reviewable(user)
        .filter(status=ReportStatus.SUBMITTED)
        .order_by()
        .values("period_id")
        .annotate(n=Count("id"))
    )
    counts = {row["period_id"]: row["n"] for row in rows}
    if not counts:
        return []
    return [
        TodoItem(
            label=_("Quarterly reports awaiting review (%(period)s)") % {"period": period},
            count=counts[period.pk],
            url=reverse("reporting:period_detail", args=[period.pk]) + "?status=submitted",
        )
        for period in ReportPeriod.objects.filter(pk__in=counts)
    ]


def register() -> None:
    for provider in (reports_to_fill, reports_to_review):
        if provider not in PROVIDERS:
            PROVIDERS.append(provider)
