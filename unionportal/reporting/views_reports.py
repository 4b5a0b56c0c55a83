"""The quarterly report pages: periods and their progress, the report a union fills, the
review, reminders and the notification list. Views are thin: they scope, parse a form and
call services.py.

Who does what:
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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import access
from members.views.common import apply_service_errors, is_id

from . import services
from .forms import PeriodDueForm, PeriodOpenForm, ReportForm, ReviewForm, reason_name
from .models import Notification, QuarterlyReport, ReportPeriod, ReportStatus

RS = ReportStatus
ORG = "organisation"

STATUS_FILTERS = ("submitted", "missing", "returned", "overdue", "accepted", "all")


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


# --- The report -------------------------------------------------------------------------------


def _initial(report: QuarterlyReport, live: dict) -> dict:
    values = services.report_values(report)
    reasons = report.reasons or {}
    initial = {"version": report.version}
    for ind in services.report_indicators(report):
        if ind.computed:
            # A figure the chair changed keeps the chair's figure; the others follow the
            # records as they stand now.
            if ind.code in reasons and values.get(ind.code) is not None:
                initial[ind.code] = values[ind.code]
                initial[reason_name(ind.code)] = reasons[ind.code]
            else:
                initial[ind.code] = live.get(ind.code)
        else:
            initial[ind.code] = values.get(ind.code)
    for name in ("work_done", "problems", "requests"):
        initial[name] = getattr(report, name)
    return initial


def _sections(report: QuarterlyReport, form: ReportForm | None, computed: dict) -> list[dict]:
    """The indicators grouped by section, each with its figures (and its form fields when
    the report is being edited)."""
    values = services.report_values(report)
    reasons = report.reasons or {}
    sections: list[dict] = []
    for ind in services.report_indicators(report):
        if not sections or sections[-1]["title"] != ind.section:
            sections.append({"title": ind.section, "rows": []})
        row = {
            "ind": ind,
            "computed": computed.get(ind.code) if ind.computed else None,
            "value": values.get(ind.code),
            "reason": reasons.get(ind.code, ""),
        }
        if row["value"] is None and ind.computed and report.editable:
            row["value"] = row["computed"]  # not saved yet: the portal's figure stands
        row["overridden"] = bool(row["reason"]) and row["computed"] != row["value"]
        if form is not None:
            row["field"] = form[ind.code]
            if form[ind.code].errors:
                widget = form.fields[ind.code].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
            if ind.computed:
                row["reason_field"] = form[reason_name(ind.code)]
                # reports.js shows the reason only for a figure that differs from this
                form.fields[ind.code].widget.attrs["data-computed"] = str(row["computed"])
        sections[-1]["rows"].append(row)
    return sections


def _actions(user, report: QuarterlyReport) -> dict:
    editable = report.editable
    return {
        "edit": editable and is_filer(user, report, "report.draft"),
        "submit": editable and is_filer(user, report, "report.submit"),
        "review": report.status == RS.SUBMITTED
        and can_review(user, report)
        and report.submitted_by_id != user.pk,
    }


def _render_report(request, report, form=None, review_form=None, status=200) -> HttpResponse:
    user = request.user
    actions = _actions(user, report)
    if actions["edit"]:
        computed = services.live_computed(report)
        if form is None:
            form = ReportForm(
                initial=_initial(report, computed),
                indicators=services.report_indicators(report),
            )
    else:
        form = None
        computed = services.report_values(report, "computed")
    sections = _sections(report, form, computed)
    context = {
        "report": report,
        "period": report.period,
        "actions": actions,
        "form": form,
        "sections": sections,
        "overrides": [r for s in sections for r in s["rows"] if r["overridden"]],
        "review_form": review_form or (ReviewForm() if actions["review"] else None),
        "events": report.events.select_related("actor"),
        "overdue": report.overdue(),
        "missing": services.missing_for_submit(report) if actions["submit"] else [],
        "today": timezone.localdate(),
        "r": report,
        "can_see_period": access.can(user, "report.review") or access.can(user, "period.manage"),
    }
    return render(request, "reporting/report_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report: a form for its filers while it is a draft or returned, read-only otherwise.
    POST saves the draft."""
    report = _report(request, pk)
    if request.method == "GET":
        return _render_report(request, report)
    if not is_filer(request.user, report, "report.draft"):
        raise PermissionDenied
    form, saved = _save(request, report)
    if saved is None:
        return _render_report(request, report, form=form)
    messages.success(request, _("The report has been saved as a draft."))
    return redirect("reporting:report_detail", report.pk)


def _save(request, report) -> tuple[ReportForm, QuarterlyReport | None]:
    form = ReportForm(request.POST, indicators=services.report_indicators(report))
    if not form.is_valid():
        # Show the rule errors of the figures that could be read too, so every problem
        # appears at once rather than in a second round.
        try:
            services.check_values(report, form.values(), form.reasons())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        return form, None
    try:
        saved = services.report_save(
            actor=request.user,
            report=report,
            values=form.values(),
            reasons=form.reasons(),
            narrative=form.narrative(),
            version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return form, None
    return form, saved


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save what is on the page, then submit it."""
    report = _report(request, pk)
    if not is_filer(request.user, report, "report.submit"):
        raise PermissionDenied
    form, saved = _save(request, report)
    if saved is None:
        return _render_report(request, report, form=form)
    try:
        services.report_submit(actor=request.user, report=saved, version=saved.version)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        messages.info(request, _("Your figures have been saved as a draft."))
    else:
        messages.success(request, _("The report has been submitted for review."))
    return redirect("reporting:report_detail", report.pk)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not can_review(request.user, report):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    decision = request.POST.get("decision")
    version = request.POST.get("version")
    if decision not in ("accept", "return"):
        form.add_error(None, _("Choose to accept or to return the report."))
    elif not is_id(version):
        form.add_error(
            None, _("Someone else changed this report meanwhile. Reload the page and try again.")
        )
    elif form.is_valid():
        try:
            services.report_review(
                actor=request.user,
                report=report,
                accept=decision == "accept",
                reason=form.cleaned_data["reason"],
                version=int(version),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if decision == "accept":
                messages.success(request, _("The report has been accepted."))
            else:
                messages.success(request, _("The report has been returned to the union."))
            return redirect("reporting:report_detail", report.pk)
    return _render_report(request, report, review_form=form)


@login_required
@require_GET
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    computed = (
        services.report_values(report, "computed")
        if not report.editable
        else services.live_computed(report)
    )
    context = {
        "report": report,
        "sections": _sections(report, None, computed),
        "today": timezone.localdate(),
    }
    return render(request, "reporting/report_print.html", context)


# --- Notifications ----------------------------------------------------------------------------


def _notifications(user) -> QuerySet:
    """The user's own notifications about reports still in their scope (a role that ended
    takes its reminders with it)."""
    return access.scope(
        user,
        Notification.objects.filter(recipient=user).select_related(
            "report__period", "report__organisation"
        ),
        org_field="report__organisation",
    )


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = _notifications(request.user)
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [{"note": n, "text": services.notification_text(n)} for n in page]
    context = {
        "page": page,
        "rows": rows,
        "unread_only": bool(request.GET.get("unread")),
        "unread": _notifications(request.user).filter(read_at__isnull=True).count(),
    }
    return render(request, "reporting/notification_list.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(_notifications(request.user), pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if request.POST.get("open"):
        return redirect("reporting:report_detail", note.report_id)
    return redirect("reporting:notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    n = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": n})
    return redirect("reporting:notification_list")
