"""Hardship files: list, form with the household, detail, status changes and reviews."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.lookup import member_q
from members.views.common import apply_service_errors
from unionportal.core.lookup import search_text, shown

from .. import forms as f
from .. import services
from ..models import (
    FileStatus,
    HardshipFile,
)
from ..steps import file_progress
from .common import ORG, _members, _scoped

# --- Hardship files ------------------------------------------------------------------------


def _file(request, pk: int, capability: str | None = None) -> HardshipFile:
    return access.get_object_for_user(
        request.user,
        HardshipFile.objects.select_related("member", "organisation"),
        org_field=ORG,
        capability=capability,
        pk=pk,
    )


@login_required
@require_GET
def file_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs = _scoped(request.user, HardshipFile.objects.all()).select_related("member", "organisation")
    status = request.GET.get("status", "")
    if status in FileStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("due") == "1":
        qs = qs.filter(status=FileStatus.APPROVED, review_due__lte=timezone.localdate())
    query, back = search_text(request)
    if back:
        return back
    if query:
        qs = qs.filter(member_q(query))
    page = Paginator(qs.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "welfare/file_list.html",
        {
            "page": page,
            "statuses": FileStatus.choices,
            "status": status,
            "query": shown(query),
            "can_draft": access.can(request.user, "relief.draft"),
        },
    )


def _household_formset(request, initial=None):
    """The household rows; a post without them (no management data) keeps the rows as they
    are and the household income typed on the form."""
    if request.method == "POST" and "household-TOTAL_FORMS" in request.POST:
        return f.HouseholdFormSet(request.POST, prefix="household", initial=initial)
    formset = f.HouseholdFormSet(prefix="household", initial=initial)
    return formset


def _rows(formset):
    return f.household_rows(formset) if formset.is_bound else None


@login_required
@sensitive_post_parameters("member")
def file_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "relief.draft")
    form = f.FileForm(
        request.POST or None,
        members=_members(request.user),
        initial={
            "year": timezone.localdate().year,
            "illness_costs": 0,
            "disability_costs": 0,
            "schooling_costs": 0,
        },
    )
    formset = _household_formset(request)
    if (
        request.method == "POST"
        and form.is_valid()
        and (not formset.is_bound or formset.is_valid())
    ):
        data = dict(form.cleaned_data)
        member = data.pop("member")
        try:
            hf = services.file_open(
                actor=request.user, member=member, household=_rows(formset), **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The hardship file has been saved as a draft."))
            return redirect(hf)
    return render(
        request, "welfare/file_form.html", {"form": form, "formset": formset, "file": None}
    )


@login_required
def file_update(request: HttpRequest, pk: int) -> HttpResponse:
    hf = _file(request, pk, "relief.draft")
    fields = [n for n in services.FILE_FIELDS]
    form = f.FileForm(
        request.POST or None,
        fixed_member=hf.member,
        initial={"year": hf.year, **{n: getattr(hf, n) for n in fields}},
    )
    formset = _household_formset(
        request, initial=list(hf.household.values("name", "relation", "annual_income", "note"))
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (not formset.is_bound or formset.is_valid())
    ):
        data = {k: v for k, v in form.cleaned_data.items() if k in fields}
        try:
            services.file_update(
                actor=request.user,
                hardship_file=hf,
                household=(_rows(formset) or []) if formset.is_bound else None,
                income_from=form.cleaned_data.get("income_from", ""),
                **data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(hf)
    return render(request, "welfare/file_form.html", {"form": form, "formset": formset, "file": hf})


# What a successful step of a file says (issue 20 item 7: every successful action shows a message).
FILE_DONE = {
    FileStatus.SUBMITTED: gettext_lazy("The hardship file has been submitted for review."),
    FileStatus.REVIEWED: gettext_lazy("The household income has been verified."),
    FileStatus.ON_NOTICE: gettext_lazy("The hardship file is now on public notice."),
    FileStatus.APPROVED: gettext_lazy("The hardship file has been approved."),
    FileStatus.CLOSED: gettext_lazy("The hardship file has been closed."),
}


def _file_actions(user, hf: HardshipFile) -> dict:
    """The steps this user can take now, each checked against the rule the service refuses
    with (services.file_status_problem)."""
    org = hf.organisation

    def possible(to_status: str) -> bool:
        return services.file_status_problem(hf, to_status, actor=user) is None

    reviewer = access.can(user, "relief.review", org) or access.can(user, "relief.approve", org)
    approver = hf.status == FileStatus.ON_NOTICE and access.can(user, "relief.approve", org)
    return {
        "edit": hf.status != FileStatus.CLOSED and access.can(user, "relief.draft", org),
        "submit": possible(FileStatus.SUBMITTED) and access.can(user, "relief.submit", org),
        "verify": reviewer and possible(FileStatus.REVIEWED),
        "notice": reviewer and possible(FileStatus.ON_NOTICE),
        # Approving a file is an approver's decision; union staff review (architecture.md).
        "approve": approver and possible(FileStatus.APPROVED),
        # An approver of a file that would be refused is told why instead of a button.
        "approve_problem": services.file_status_problem(hf, FileStatus.APPROVED, actor=user)
        if approver
        else None,
        "close": possible(FileStatus.CLOSED)
        and (access.can(user, "relief.submit", org) or access.can(user, "relief.review", org)),
    }


@login_required
@require_GET
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hf = _file(request, pk)
    return render(
        request,
        "welfare/file_detail.html",
        {
            "file": hf,
            "progress": file_progress(hf),
            "actions": _file_actions(request.user, hf),
            "applications": hf.applications.all(),
            "household": hf.household.all(),
            "income": services.household_income_parts(hf),
            "close_form": f.ReasonForm(),
            "verify_form": f.ReviewForm(),
        },
    )


@login_required
@require_POST
def file_status(request: HttpRequest, pk: int) -> HttpResponse:
    hf = _file(request, pk)
    to = request.POST.get("to_status", "")
    actions = _file_actions(request.user, hf)
    needed = {
        "submitted": "submit",
        "reviewed": "verify",
        "on_notice": "notice",
        "approved": "approve",
        "closed": "close",
    }.get(to)
    if needed is None or not actions[needed]:
        # An approver refused by the file's state is told why; anyone else may not.
        problem = _("This file cannot move to that status.") if needed is None else None
        problem = problem or (actions["approve_problem"] if needed == "approve" else None)
        if problem:
            messages.error(request, problem)
            return redirect(hf)
        raise PermissionDenied
    try:
        if to == FileStatus.REVIEWED:
            services.file_verify(
                actor=request.user,
                hardship_file=hf,
                income_verification=request.POST.get("income_verification", ""),
            )
        elif to == FileStatus.ON_NOTICE:
            services.file_start_notice(actor=request.user, hardship_file=hf)
        else:
            services.file_set_status(
                actor=request.user,
                hardship_file=hf,
                to_status=to,
                reason=request.POST.get("reason", ""),
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, FILE_DONE[to])
    return redirect(hf)


@login_required
@require_POST
def file_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    hf = _file(request, pk, "relief.draft")
    try:
        services.file_reviewed(actor=request.user, hardship_file=hf)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The yearly review of the file has been recorded."))
    return redirect(hf)
