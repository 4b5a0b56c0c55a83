"""Report periods: the list, opening one, its due date, its progress and the one-click reminder."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.views.common import apply_service_errors

from .. import services
from ..forms import PeriodDueForm, PeriodOpenForm
from ..models import ReportPeriod
from ..roles import _period, _reports, _require_reports_page, filer_org_ids, reviewable

STATUS_FILTERS = ("submitted", "missing", "returned", "overdue", "accepted", "all")


# --- Periods ----------------------------------------------------------------------------------


@login_required
@require_GET
def period_list(request: HttpRequest) -> HttpResponse:
    return _render_period_list(request)


def _render_period_list(request, open_form=None, status=200) -> HttpResponse:
    user = request.user
    _require_reports_page(user)
    is_reviewer = access.can(user, "report.review")
    can_manage = access.can(user, "period.manage")
    periods = []
    if is_reviewer or can_manage:
        scoped = reviewable(user)
        today = timezone.localdate()
        for period in ReportPeriod.objects.all()[:12]:
            periods.append(
                {"period": period, "progress": services.period_progress(period, scoped, today)}
            )
    own = []
    filer_orgs = filer_org_ids(user)
    if filer_orgs:
        own = list(
            _reports(user)
            .filter(organisation_id__in=filer_orgs)
            .order_by("-period__year", "-period__quarter", "organisation__path")[:40]
        )
    context = {
        "periods": periods,
        "own": own,
        "is_reviewer": is_reviewer,
        "can_manage": can_manage,
        "open_form": open_form or (PeriodOpenForm() if can_manage else None),
        "today": timezone.localdate(),
    }
    return render(request, "reporting/period_list.html", context, status=status)


@login_required
@require_POST
def period_open(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "period.manage")
    form = PeriodOpenForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        existed = ReportPeriod.objects.filter(year=data["year"], quarter=data["quarter"]).exists()
        try:
            period = services.period_open(
                actor=request.user,
                year=data["year"],
                quarter=data["quarter"],
                due_on=data["due_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if existed:
                messages.info(
                    request,
                    _("%(period)s was open already; drafts were added for any new unions.")
                    % {"period": period},
                )
            else:
                messages.success(
                    request,
                    _("%(period)s is open: %(count)s unions can fill their reports.")
                    % {"period": period, "count": period.reports.count()},
                )
            return redirect("reporting:period_detail", period.pk)
    return _render_period_list(request, open_form=form)


@login_required
@require_POST
def period_due(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    access.require(request.user, "period.manage")
    form = PeriodDueForm(request.POST)
    if form.is_valid():
        try:
            services.period_set_due(
                actor=request.user, period=period, due_on=form.cleaned_data["due_on"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The due date is now %(day)s.") % {"day": period.due_on.isoformat()},
            )
            return redirect("reporting:period_detail", period.pk)
    for error in form.errors.values():
        for message in error:
            messages.error(request, message)
    return redirect("reporting:period_detail", period.pk)


@login_required
@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    user = request.user
    if not (access.can(user, "report.review") or access.can(user, "period.manage")):
        raise PermissionDenied
    today = timezone.localdate()
    scoped = reviewable(user).filter(period=period)
    progress = services.period_progress(period, scoped, today)
    status = request.GET.get("status", "all")
    if status not in STATUS_FILTERS:
        status = "all"
    qs = scoped
    if status == "missing":
        qs = qs.open()
    elif status == "overdue":
        qs = qs.open() if today > period.due_on else qs.none()
    elif status != "all":
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("organisation__path"), 50).get_page(request.GET.get("page"))
    filters = [
        ("all", _("All"), progress["total"]),
        ("submitted", _("Submitted"), progress["submitted"]),
        ("missing", _("Not submitted"), progress["missing"]),
        ("returned", pgettext("report", "Returned"), progress["returned"]),
        ("overdue", _("Overdue"), progress["overdue"]),
        ("accepted", _("Accepted"), progress["accepted"]),
    ]
    context = {
        "period": period,
        "progress": progress,
        "page": page,
        "status": status,
        "filters": filters,
        "overdue": today > period.due_on,
        "can_manage": access.can(user, "period.manage"),
        "can_remind": access.can(user, "report.review") and progress["missing"] > 0,
        "due_form": PeriodDueForm(initial={"due_on": period.due_on}),
        "today": today,
    }
    return render(request, "reporting/period_detail.html", context)


@login_required
@require_POST
def period_remind(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    access.require(request.user, "report.review")
    reports = reviewable(request.user)
    created = services.remind(actor=request.user, period=period, reports=reports)
    if created:
        messages.success(
            request, _("Reminders sent: %(count)s people notified.") % {"count": created}
        )
    else:
        messages.info(
            request,
            _("Nobody new to remind: the open reports were all reminded today already."),
        )
    return redirect(reverse("reporting:period_detail", args=[period.pk]) + "?status=missing")
