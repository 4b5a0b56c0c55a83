"""Congress sessions and their delegates: the list, a session's page, attendance, delegates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.lookup import member_q
from members.models import Member, MemberStatus
from members.views.common import apply_service_errors, is_id
from unionportal.core.lookup import search_text, shown

from .. import services
from ..forms import AttendanceForm, SessionForm, SessionUpdateForm
from ..models import CongressRule, CongressSession, Delegate
from .common import MANAGE, PAGE_SIZE, _session

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
    query, back = search_text(request)
    if back:
        return back
    if query:
        sessions = sessions.filter(organisation__name__icontains=query)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "congress/session_list.html",
        {"page": page, "query": shown(query), "can_manage": access.can(request.user, MANAGE)},
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
    query, back = search_text(request)
    if back:
        return back
    found = []
    if query:
        taken = Delegate.objects.filter(
            organisation=session.organisation, term=session.term
        ).values("member_id")
        found = list(
            access.members_in_scope(request.user)
            .filter(
                member_q(query, prefix=""),
                organisation__path__startswith=session.organisation.path,
                status=MemberStatus.ACTIVE,
            )
            .exclude(pk__in=taken)
            .select_related("organisation")
            .order_by("name", "pk")[:50]
        )
    return render(
        request,
        "congress/delegate_add.html",
        {"session": session, "query": shown(query), "searched": bool(query), "found": found},
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
