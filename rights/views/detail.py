"""The case page: the step bar, the steps log, the attachments, and only the actions this user
can take now, each a POST to its own address; the printable dispatch slip (交办单)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.views.common import apply_service_errors
from unionportal.core.audit import audit_event

from .. import forms as f
from .. import services
from ..models import HANDLING, Case, CaseAttachment, CaseKind, CaseStatus
from ..services import cases_in_scope, dispatch_targets, read_needs_audit
from ..steps import case_progress
from .common import get_case

S = CaseStatus


def available(user, case: Case, today: date | None = None) -> dict[str, bool]:
    """The actions this user can take on the case now: the same rules the services refuse
    with, so the page never offers a form that would be turned down."""
    today = today or timezone.localdate()
    manage = access.can(user, "case.manage", case.received_by)
    handling = case.status in HANDLING
    handle = access.can(user, "case.handle", case.handler)
    request_kind = case.kind == CaseKind.REQUEST
    return {
        "accept": case.status == S.RECEIVED and manage,
        "reject": case.status == S.RECEIVED and manage,
        "consult": case.status == S.RECEIVED and manage and not request_kind,
        "dispatch": handling
        and access.can(user, "case.manage", case.handler)
        and dispatch_targets(case).exists(),
        "note": handling and handle,
        "extend": handling
        and manage
        and not case.extended_by_days
        and case.conclude_by is not None
        and today <= case.conclude_by,
        "answer": handling and handle,
        "close": case.status == S.ANSWERED and manage,
        "follow_up": case.status == S.CLOSED
        and request_kind
        and manage
        and not case.followed_up_on,
        "review": case.status == S.CLOSED
        and request_kind
        and manage
        and case.review_by is not None
        and today <= case.review_by,
        "attach": case.status not in (S.CLOSED, S.NOT_ACCEPTED) and handle,
    }


@dataclass(frozen=True)
class Action:
    form: type
    call: Callable  # (actor, case, cleaned_data) -> Case
    done: str
    button: str
    danger: bool = False


ACTIONS: dict[str, Action] = {
    "accept": Action(
        f.AcceptForm,
        lambda u, c, d: services.case_accept(actor=u, case=c, **d),
        gettext_lazy("The case has been accepted."),
        pgettext_lazy("case", "Accept"),
    ),
    "reject": Action(
        f.RejectForm,
        lambda u, c, d: services.case_reject(actor=u, case=c, **d),
        gettext_lazy("The case has been marked as not accepted."),
        gettext_lazy("Do not accept"),
        danger=True,
    ),
    "consult": Action(
        f.ConsultForm,
        lambda u, c, d: services.case_consult(actor=u, case=c, **d),
        gettext_lazy("The consultation has been answered and closed."),
        gettext_lazy("Answer and close"),
    ),
    "dispatch": Action(
        f.DispatchForm,
        lambda u, c, d: services.case_dispatch(actor=u, case=c, **d),
        gettext_lazy("The case has been dispatched."),
        gettext_lazy("Dispatch"),
    ),
    "note": Action(
        f.NoteForm,
        lambda u, c, d: services.case_note(actor=u, case=c, **d),
        gettext_lazy("The step has been recorded."),
        gettext_lazy("Record the step"),
    ),
    "extend": Action(
        f.ExtendForm,
        lambda u, c, d: services.case_extend(actor=u, case=c, **d),
        gettext_lazy("The deadline has been extended."),
        gettext_lazy("Extend the deadline"),
    ),
    "answer": Action(
        f.AnswerForm,
        lambda u, c, d: services.case_answer(actor=u, case=c, **d),
        gettext_lazy("The answer has been recorded."),
        gettext_lazy("Record the answer"),
    ),
    "close": Action(
        f.CloseForm,
        lambda u, c, d: services.case_close(actor=u, case=c, **d),
        gettext_lazy("The case has been closed."),
        gettext_lazy("Close the case"),
    ),
    "follow_up": Action(
        f.FollowUpForm,
        lambda u, c, d: services.case_follow_up(actor=u, case=c, **d),
        gettext_lazy("The follow-up has been recorded."),
        gettext_lazy("Record the follow-up"),
    ),
    "review": Action(
        f.ReviewForm,
        lambda u, c, d: services.case_review(actor=u, case=c, **d),
        gettext_lazy("The review request has reopened the case."),
        gettext_lazy("Reopen for review"),
        danger=True,
    ),
}


def _form(name: str, case: Case, data=None):
    cls = ACTIONS[name].form
    if name == "dispatch":
        return cls(data, targets=dispatch_targets(case).order_by("path"), prefix=name)
    return cls(data, prefix=name)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request, pk)
    if read_needs_audit(request.user, case):
        audit_event(case, "case.read", actor=request.user)
    return _render(request, case)


def _render(request, case: Case, bound: tuple[str, object] | None = None) -> HttpResponse:
    can = available(request.user, case)
    forms = {}
    for name in ACTIONS:
        if can[name]:
            forms[name] = bound[1] if bound and bound[0] == name else _form(name, case)
    actions = [
        {"name": name, "form": form, "spec": ACTIONS[name], "url": f"rights:case_{name}"}
        for name, form in forms.items()
    ]
    context = {
        "case": case,
        "progress": case_progress(case),
        "actions": actions,
        "steps": case.steps.select_related("actor", "acting_for", "to_organisation"),
        "attachments": case.attachments.all(),
        "attach_form": (bound[1] if bound and bound[0] == "attach" else f.AttachmentForm())
        if can["attach"]
        else None,
        "has_dispatch": case.steps.filter(action="dispatch").exists(),
        "collective": case.collective(),
    }
    return render(request, "rights/case_detail.html", context, status=400 if bound else 200)


def _act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    case = get_case(request, pk)
    if not available(request.user, case)[name]:
        messages.error(request, _("This step is not possible on the case now."))
        return redirect(case)
    spec = ACTIONS[name]
    form = _form(name, case, request.POST)
    if form.is_valid():
        try:
            spec.call(request.user, case, dict(form.cleaned_data))
        except services.Conflict as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(case)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, str(spec.done))
            return redirect(case)
    case.refresh_from_db()
    return _render(request, case, (name, form))


def _action_view(name: str):
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _act(request, pk, name)

    view.__name__ = f"case_{name}"
    return view


ACTION_VIEWS = {name: _action_view(name) for name in ACTIONS}


@login_required
@require_POST
def case_attach(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request, pk)
    if not available(request.user, case)["attach"]:
        messages.error(request, _("This step is not possible on the case now."))
        return redirect(case)
    form = f.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                case=case,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                content_type=form.content_type,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The file has been attached."))
            return redirect(case)
    return _render(request, case, ("attach", form))


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A case's file, for those who may see the case (another union's is 404)."""
    item = get_object_or_404(
        CaseAttachment.objects.select_related("case"),
        pk=pk,
        case__in=cases_in_scope(request.user),
    )
    if read_needs_audit(request.user, item.case):
        audit_event(item.case, "case.read", actor=request.user, attachment=item.pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def case_slip(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable dispatch slip (交办单, A4) of the case's latest dispatch."""
    case = get_case(request, pk)
    step = (
        case.steps.filter(action="dispatch")
        .select_related("acting_for", "to_organisation")
        .order_by("-at", "-pk")
        .first()
    )
    if step is None:
        messages.error(request, _("The case has not been dispatched: there is no slip."))
        return redirect(case)
    if read_needs_audit(request.user, case):
        audit_event(case, "case.read", actor=request.user, slip=True)
    context = {
        "case": case,
        "step": step,
        "due_on": case.handle_by if case.handler_id == step.to_organisation_id else None,
        "dispatcher": step.acting_for or case.received_by,
        "today": timezone.localdate(),
    }
    return render(request, "rights/case_slip.html", context)
