"""Condolence visits: list, record and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from members import access
from members.lookup import member_q
from members.views.common import apply_service_errors
from unionportal.core.lookup import search_text, shown
from unionportal.core.paging import keyset_page

from .. import forms as f
from .. import services
from ..models import (
    CondolenceVisit,
)
from .common import ORG, _campaigns, _members, _period, _scoped, _xlsx

# --- Visits --------------------------------------------------------------------------------

PER_PAGE = 50  # rows per page (keyset-paged: unionportal/core/paging.py)


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs = _scoped(request.user, CondolenceVisit.objects.all()).select_related(
        "member", "organisation", "campaign"
    )
    query, back = search_text(request)
    if back:
        return back
    if query:
        qs = qs.filter(member_q(query))
    page = keyset_page(qs.order_by("-visited_on", "-pk"), request.GET, PER_PAGE)
    return render(
        request,
        "welfare/visit_list.html",
        {
            "page": page,
            "query": shown(query),
            "can_add": access.can(request.user, "welfare.visit"),
        },
    )


@login_required
@sensitive_post_parameters("member")
def visit_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "welfare.visit")
    form = f.VisitForm(
        request.POST or None,
        members=_members(request.user),
        campaigns=_campaigns(request.user),
        initial={"visited_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            access.require(request.user, "welfare.visit", data["member"].organisation)
            services.visit_record(actor=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The visit has been recorded."))
            return redirect("welfare:visit_list")
    return render(request, "welfare/visit_form.html", {"form": form})


@login_required
@require_GET
def visit_export(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "export")
    start, end = _period(request)
    qs = (
        access.scope(
            request.user, CondolenceVisit.objects.all(), org_field=ORG, capability="export"
        )
        .filter(visited_on__gte=start, visited_on__lte=end)
        .select_related("member", "organisation")
        .order_by("visited_on", "pk")
    )
    headers = ["工会", "姓名", "身份证号", "事由", "日期", "现金", "金额", "慰问人"]
    rows = (
        [
            v.organisation.name,
            v.member.name,
            v.member.resident_id_masked,
            v.get_occasion_display(),
            v.visited_on,
            "是" if v.in_cash else "否",
            v.amount,
            v.visitors,
        ]
        for v in qs
    )
    return _xlsx(
        request,
        [("慰问记录", headers, rows)],
        f"慰问记录_{start}_{end}.xlsx",
        event="welfare.visit_export",
        period=[start.isoformat(), end.isoformat()],
    )
