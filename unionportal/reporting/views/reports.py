"""The report a union fills: the form with its prefilled figures, submitting, the review and
the A4 print view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import access
from members.views.common import apply_service_errors, is_id

from .. import services
from ..forms import ReportForm, ReviewForm, reason_name
from ..models import QuarterlyReport
from ..roles import RS, _report, can_review, is_filer
from ..steps import report_progress

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
        "progress": report_progress(report),
        "actions": actions,
        "form": form,
        "sections": sections,
        "overrides": [r for s in sections for r in s["rows"] if r["overridden"]],
        "review_form": review_form or (ReviewForm() if actions["review"] else None),
        "events": report.events.select_related("actor"),
        "overdue": report.overdue(),
        "changed": services.changed_since_frozen(report),
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
