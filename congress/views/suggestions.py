"""Suggestions (合理化建议): the year's list and totals, recording one, evaluating it."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members import access
from members.lookup import member_q
from members.models import Member
from members.views.common import apply_service_errors, is_id
from unionportal.core.lookup import search_text, shown
from unionportal.core.money import money_sum

from .. import services
from ..forms import EvaluateForm, SuggestionForm
from ..models import Suggestion, SuggestionStatus
from .common import MANAGE, PAGE_SIZE

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
        benefit=money_sum("benefit", filter=adopted),
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
    query, back = search_text(request)
    if back:
        return back
    found = []
    if member is None and query:
        found = list(
            access.scope(
                request.user, Member.objects.current(), org_field="organisation", capability=MANAGE
            )
            .filter(member_q(query, prefix=""))
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
        {
            "form": form,
            "member": member,
            "query": shown(query),
            "searched": bool(query),
            "found": found,
        },
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
