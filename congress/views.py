"""Pages of the workers' congress: rule table, sessions and delegates, motions, the register,
reviewed items and suggestions. Views are thin: services write, access scopes."""

from __future__ import annotations

import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.models import CURRENT_STATUSES, Member
from members.views.common import apply_service_errors, is_id
from unionportal.core.audit import audit_event
from unionportal.core.excel import XLSX_CONTENT_TYPE, Column, content_disposition, write_xlsx

from . import services
from .forms import (
    AttendanceForm,
    EvaluateForm,
    ItemForm,
    MotionActionForm,
    MotionForm,
    RuleForm,
    SessionForm,
    SessionUpdateForm,
    SuggestionForm,
)
from .models import (
    CongressRule,
    CongressSession,
    Delegate,
    Motion,
    MotionStatus,
    Suggestion,
    SuggestionStatus,
)

MANAGE = "congress.manage"
PAGE_SIZE = 50


def _session(request: HttpRequest, pk: int, capability: str | None = None) -> CongressSession:
    return access.get_object_for_user(
        request.user,
        CongressSession.objects.select_related("organisation"),
        org_field="organisation",
        capability=capability,
        pk=pk,
    )


def _motion(request: HttpRequest, pk: int, capability: str | None = None) -> Motion:
    return access.get_object_for_user(
        request.user,
        Motion.objects.select_related("session", "organisation", "proposer__member", "merged_into"),
        org_field="organisation",
        capability=capability,
        pk=pk,
    )


# --- Rule table -----------------------------------------------------------------------------


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    rules = CongressRule.objects.all()
    current = CongressRule.current()
    return render(
        request,
        "congress/rule_list.html",
        {"rules": rules, "current": current, "can_edit": access.can(request.user, "rules.edit")},
    )


@login_required
def rule_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "rules.edit")
    form = RuleForm(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.congress_rule_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The rule has been saved."))
            return redirect("congress:rule_list")
    return render(request, "congress/rule_form.html", {"form": form})


# --- Sessions and delegates -----------------------------------------------------------------


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    sessions = (
        access.scope(
            request.user,
            CongressSession.objects.select_related("organisation"),
            org_field="organisation",
        )
        .annotate(
            n_motions=Count("motions", distinct=True),
        )
        .order_by("-held_on", "-pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        sessions = sessions.filter(organisation__name__icontains=query)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "congress/session_list.html",
        {"page": page, "query": query, "can_manage": access.can(request.user, MANAGE)},
    )


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, MANAGE)
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The session has been created."))
            return redirect(session)
    return render(request, "congress/session_form.html", {"form": form})


@login_required
def session_update(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, capability=MANAGE)
    fields = ("kind", "held_on", "collection_opens", "collection_closes", "delegates_expected")
    form = SessionUpdateForm(request.POST or None, initial={f: getattr(session, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(session)
    return render(request, "congress/session_form.html", {"form": form, "session": session})


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    rule = CongressRule.current(session.held_on)
    delegates = Delegate.objects.filter(
        organisation=session.organisation, term=session.term
    ).select_related("member")
    motions = session.motions.select_related("proposer__member")
    today = timezone.localdate()
    return render(
        request,
        "congress/session_detail.html",
        {
            "session": session,
            "rule": rule,
            "delegates": delegates,
            "checks": services.composition(session, rule),
            "motions": motions,
            "today": today,
            "items": session.reviewed_items.all(),
            "can_manage": access.can(request.user, MANAGE, session.organisation),
            "attendance_form": AttendanceForm(
                initial={"delegates_present": session.delegates_present}
            ),
            "quorum_met": session.quorum_met(rule),
            "quorum_needed": session.quorum_needed(rule),
        },
    )


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, capability=MANAGE)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.session_record_attendance(
                actor=request.user, session=session, present=form.cleaned_data["delegates_present"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The attendance has been recorded."))
    else:
        messages.error(request, _("Enter the number of delegates present."))
    return redirect(session)


@login_required
def delegate_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Search the union's current members by name and add one as a delegate of the term."""
    session = _session(request, pk, capability=MANAGE)
    if request.method == "POST":
        member_pk = request.POST.get("member", "")
        if not is_id(member_pk):
            raise Http404
        member = access.get_object_for_user(
            request.user,
            Member.objects.select_related("organisation"),
            org_field="organisation",
            pk=int(member_pk),
        )
        try:
            services.delegate_add(actor=request.user, session=session, member=member)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(name)s is now a delegate.") % {"name": member.name})
        return redirect("congress:delegate_add", session.pk)
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        taken = Delegate.objects.filter(
            organisation=session.organisation, term=session.term
        ).values("member_id")
        found = list(
            Member.objects.filter(
                organisation__path__startswith=session.organisation.path,
                status__in=CURRENT_STATUSES,
                name__contains=query,
            )
            .exclude(pk__in=taken)
            .select_related("organisation")
            .order_by("name", "pk")[:50]
        )
    return render(
        request,
        "congress/delegate_add.html",
        {"session": session, "query": query, "found": found},
    )


@login_required
@require_POST
def delegate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    delegate = access.get_object_for_user(
        request.user,
        Delegate.objects.select_related("organisation", "member"),
        org_field="organisation",
        capability=MANAGE,
        pk=pk,
    )
    session_pk = request.POST.get("session", "")
    try:
        services.delegate_remove(actor=request.user, delegate=delegate)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The delegate has been removed."))
    if is_id(session_pk):
        return redirect("congress:session_detail", int(session_pk))
    return redirect("congress:session_list")


# --- Motions --------------------------------------------------------------------------------


@login_required
@require_GET
def motion_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    motions = access.scope(
        request.user,
        Motion.objects.select_related("session", "organisation", "proposer__member"),
        org_field="organisation",
    ).order_by("-session__held_on", "session", "number")
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status in MotionStatus.values:
        motions = motions.filter(status=status)
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        motions = motions.overdue(today).order_by("due_on", "pk")
    page = Paginator(motions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "congress/motion_list.html",
        {
            "page": page,
            "status": status,
            "overdue": overdue,
            "today": today,
            "statuses": MotionStatus.choices,
        },
    )


@login_required
def motion_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, capability=MANAGE)
    form = MotionForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            motion = services.motion_submit(
                actor=request.user,
                session=session,
                proposer=data["proposer"],
                cosigners=list(data["cosigners"]),
                title=data["title"],
                body=data["body"],
                category=data["category"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Motion %(n)s has been submitted.") % {"n": motion.number})
            return redirect(motion)
    return render(request, "congress/motion_form.html", {"form": form, "session": session})


@login_required
@require_GET
def motion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    motion = _motion(request, pk)
    can_manage = access.can(request.user, MANAGE, motion.organisation)
    allowed = services.allowed_transitions(motion) if can_manage else set()
    merge_choices = []
    if MotionStatus.MERGED in allowed:
        merge_choices = list(
            motion.session.motions.exclude(pk=motion.pk).exclude(
                status__in=[MotionStatus.REJECTED, MotionStatus.CONVERTED, MotionStatus.MERGED]
            )
        )
    return render(
        request,
        "congress/motion_detail.html",
        {
            "motion": motion,
            "cosigners": motion.cosigners.select_related("member"),
            "events": motion.events.select_related("actor"),
            "allowed": allowed,
            "S": {s.name: s.value for s in MotionStatus},
            "merge_choices": merge_choices,
            "overdue": motion.is_overdue(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def motion_act(request: HttpRequest, pk: int) -> HttpResponse:
    motion = _motion(request, pk, capability=MANAGE)
    form = MotionActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The action could not be read. Check the fields and try again."))
        return redirect(motion)
    d = form.cleaned_data
    common = {"actor": request.user, "motion": motion, "version": d["version"]}
    action = d["action"]
    try:
        if action == "review":
            services.motion_start_review(**common, comment=d["comment"])
        elif action == "file":
            services.motion_file(**common, comment=d["comment"])
        elif action == "reject":
            services.motion_reject(**common, reason=d["comment"])
        elif action == "convert":
            services.motion_convert(**common, comment=d["comment"])
        elif action == "merge":
            into = Motion.objects.filter(session=motion.session, pk=d["merged_into"] or 0).first()
            if into is None:
                raise ValidationError(_("Choose the motion to merge into."))
            services.motion_merge(**common, into=into, comment=d["comment"])
        elif action == "assign":
            services.motion_assign(
                **common,
                handling_unit=d["handling_unit"],
                responsible_person=d["responsible_person"],
                due_on=d["due_on"],
                comment=d["comment"],
            )
        elif action == "answer":
            services.motion_answer(**common, answer=d["answer"])
        elif action == "verdict":
            services.motion_verdict(**common, verdict=d["verdict"], comment=d["comment"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The motion has been updated."))
    return redirect(motion)


# --- Register -------------------------------------------------------------------------------

REGISTER_COLUMNS = [
    Column("序号", 6),
    Column("提案标题", 36),
    Column("类别", 12),
    Column("提案人", 12),
    Column("附议人", 24),
    Column("提交日期", 12),
    Column("状态", 12),
    Column("承办部门", 18),
    Column("责任人", 10),
    Column("答复期限", 12),
    Column("答复日期", 12),
    Column("答复内容", 40),
    Column("提案人意见", 12),
    Column("是否超期", 8),
]


def _register_motions(session: CongressSession):
    return session.motions.select_related("proposer__member").prefetch_related(
        Prefetch("cosigners", queryset=Delegate.objects.select_related("member"))
    )


@login_required
@require_GET
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return render(
        request,
        "congress/session_register.html",
        {
            "session": session,
            "motions": _register_motions(session),
            "today": timezone.localdate(),
            "can_export": access.can(request.user, "export", session.organisation),
        },
    )


@login_required
@require_GET
def session_register_export(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, capability="export")
    today = timezone.localdate()

    def rows():
        for m in _register_motions(session):
            yield [
                m.number,
                m.title,
                m.get_category_display(),
                m.proposer.member.name,
                "、".join(c.member.name for c in m.cosigners.all()),
                m.submitted_on,
                m.get_status_display(),
                m.handling_unit,
                m.responsible_person,
                m.due_on,
                m.answered_on,
                m.answer,
                m.get_verdict_display() if m.verdict else "",
                "是" if m.is_overdue(today) else "",
            ]

    buffer = io.BytesIO()
    n = write_xlsx([("提案登记表", REGISTER_COLUMNS, rows())], buffer)
    audit_event(session, "congress.register_export", actor=request.user, rows=n)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    name = (
        f"{session.organisation.name}第{session.term}届第{session.session_number}次提案登记表.xlsx"
    )
    response["Content-Disposition"] = content_disposition(name)
    return response


# --- Reviewed items -------------------------------------------------------------------------


@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, capability=MANAGE)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewed_item_record(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The reviewed item has been recorded."))
            return redirect(session)
    return render(
        request,
        "congress/item_form.html",
        {"form": form, "session": session, "quorum_met": session.quorum_met()},
    )


# --- Suggestions ----------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if is_id(raw) and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@login_required
@require_GET
def suggestion_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    year = _year(request)
    scoped = access.scope(request.user, Suggestion.objects.all(), org_field="organisation").filter(
        received_on__gte=date(year, 1, 1), received_on__lte=date(year, 12, 31)
    )
    status = request.GET.get("status", "")
    rows = scoped.select_related("organisation", "submitter")
    if status in SuggestionStatus.values:
        rows = rows.filter(status=status)
    adopted = Q(status=SuggestionStatus.ADOPTED)
    totals = scoped.aggregate(
        collected=Count("pk"),
        adopted=Count("pk", filter=adopted),
        benefit=Sum("benefit", filter=adopted),
    )
    per_union = (
        scoped.values("organisation__name")
        .annotate(collected=Count("pk"), adopted=Count("pk", filter=adopted))
        .order_by("-collected", "organisation__name")[:50]
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "congress/suggestion_list.html",
        {
            "page": page,
            "year": year,
            "status": status,
            "totals": totals,
            "per_union": per_union,
            "statuses": SuggestionStatus.choices,
            "can_manage": access.can(request.user, MANAGE),
        },
    )


@login_required
def suggestion_create(request: HttpRequest) -> HttpResponse:
    """Pick the member by name (any current member in scope), then enter the suggestion."""
    access.require(request.user, MANAGE)
    member = None
    raw = request.GET.get("member") or request.POST.get("member", "")
    if raw:
        if not is_id(raw):
            raise Http404
        member = access.get_object_for_user(
            request.user,
            Member.objects.select_related("organisation"),
            org_field="organisation",
            capability=MANAGE,
            pk=int(raw),
        )
    query = request.GET.get("q", "").strip()
    found = []
    if member is None and query:
        found = list(
            access.scope(
                request.user, Member.objects.current(), org_field="organisation", capability=MANAGE
            )
            .filter(name__contains=query)
            .select_related("organisation")
            .order_by("name", "pk")[:50]
        )
    form = SuggestionForm(request.POST or None) if member else None
    if member and request.method == "POST" and form.is_valid():
        services.suggestion_create(
            actor=request.user,
            submitter=member,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            received_on=form.cleaned_data["received_on"],
        )
        messages.success(request, _("The suggestion has been recorded."))
        return redirect("congress:suggestion_list")
    return render(
        request,
        "congress/suggestion_form.html",
        {"form": form, "member": member, "query": query, "found": found},
    )


@login_required
def suggestion_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = access.get_object_for_user(
        request.user,
        Suggestion.objects.select_related("organisation", "submitter", "from_motion"),
        org_field="organisation",
        capability=MANAGE,
        pk=pk,
    )
    form = EvaluateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_evaluate(
                actor=request.user, suggestion=suggestion, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The evaluation has been recorded."))
            return redirect("congress:suggestion_list")
    return render(
        request, "congress/suggestion_evaluate.html", {"form": form, "suggestion": suggestion}
    )
