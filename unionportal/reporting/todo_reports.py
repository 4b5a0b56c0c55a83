"""The quarterly reports' items on the dashboard's to-do panel (todo.PROVIDERS): filers see
their reports to fill in or fix, reviewers the reports awaiting their review, per period.
One query for both (the dashboard keeps a constant number of queries)."""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from unionportal.core.todo import PROVIDERS, TodoItem

from .models import ReportStatus
from .roles import _reports, filer_org_ids, review_q

RS = ReportStatus


def report_items(user) -> list[TodoItem]:
    orgs = filer_org_ids(user)
    review = review_q(user)
    wanted = Q(pk__in=[])
    if orgs:
        wanted |= Q(organisation_id__in=orgs, status__in=(RS.DRAFT, RS.RETURNED))
    if review is not None:
        wanted |= review & Q(status=RS.SUBMITTED)
    if not orgs and review is None:
        return []
    rows = list(
        _reports(user)
        .filter(wanted)
        .order_by()
        .values("period_id", "period__year", "period__quarter", "status")
        .annotate(n=Count("id"), first=Min("id"))
        .order_by("-period__year", "-period__quarter")
    )
    to_fill = [r for r in rows if r["status"] in (RS.DRAFT, RS.RETURNED)]
    items = []
    if to_fill:
        total = sum(r["n"] for r in to_fill)
        url = (
            reverse("reporting:report_detail", args=[to_fill[0]["first"]])
            if total == 1
            else reverse("reporting:period_list")
        )
        for status, label in (
            (RS.DRAFT, _("Quarterly reports to fill in")),
            (RS.RETURNED, _("Quarterly reports returned to fix")),
        ):
            count = sum(r["n"] for r in to_fill if r["status"] == status)
            if count:
                items.append(TodoItem(label=label, count=count, url=url))
    for r in rows:
        if r["status"] != RS.SUBMITTED:
            continue
        period = _("%(year)s Q%(quarter)s") % {
            "year": r["period__year"],
            "quarter": r["period__quarter"],
        }
        items.append(
            TodoItem(
                label=_("Quarterly reports awaiting review (%(period)s)") % {"period": period},
                count=r["n"],
                url=reverse("reporting:period_detail", args=[r["period_id"]]) + "?status=submitted",
            )
        )
    return items


def register() -> None:
    if report_items not in PROVIDERS:
        PROVIDERS.append(report_items)
