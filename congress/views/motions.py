"""Motions: the list, submitting one, its page and every step of its handling."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.views.common import apply_service_errors

from .. import services
from ..forms import MotionActionForm, MotionForm
from ..models import Motion, MotionStatus
from ..steps import motion_progress
from .common import MANAGE, PAGE_SIZE, _motion, _session

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
            "progress": motion_progress(motion),
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
