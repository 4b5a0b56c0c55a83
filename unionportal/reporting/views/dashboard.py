"""The dashboard ("/") and the statistics page: KPI cards, trends and the ranked organisations
below, read from the statistics snapshots (dashboard.py); and what waits for the user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from members import access
from members.models import Organisation
from unionportal.core.replica import reads_from_replica
from unionportal.core.todo import todo_items

from .. import dashboard as reads


@login_required
@reads_from_replica()  # the snapshots only; the session and user were read on the primary
def dashboard(request: HttpRequest) -> HttpResponse:
    context = reads.dashboard_context(
        request.user, month=request.GET.get("month"), rank=request.GET.get("rank")
    )
    return render(request, "reporting/dashboard.html", context)


@login_required
@require_GET
def todo_panel(request: HttpRequest) -> HttpResponse:
    """The dashboard's to-do panel, loaded after the page (htmx): its counts are live queries,
    one or two per app, while the dashboard itself reads the snapshots only (performance.md)."""
    template = (
        "reporting/_todo.html" if request.headers.get("HX-Request") else "reporting/todo_page.html"
    )
    return render(request, template, {"todo": todo_items(request.user)})


@login_required
@reads_from_replica()
def statistics(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """One organisation's statistics: the top of the user's scope, or any organisation inside
    it (404 outside)."""
    user = request.user
    if pk is None:
        access.require(user, "view")
        tops = reads.top_organisations(user)
        org = tops[0]
    else:
        org = access.get_object_for_user(user, Organisation.objects.all(), capability="view", pk=pk)
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    context = reads.statistics_context(
        user, org, month=request.GET.get("month"), rank=request.GET.get("rank")
    )
    return render(request, "reporting/statistics.html", context)
