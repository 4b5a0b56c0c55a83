"""The dashboard: what lies below the user, and what waits for them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.models import Organisation, OrgKind

from .todo import todo_items


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    orgs = Organisation.objects.in_scope(user).active()
    counts = dict(orgs.order_by().values_list("kind").annotate(n=Count("id")))
    context = {
        "kind_counts": [(kind.label, counts[kind.value]) for kind in OrgKind if counts.get(kind)],
        "org_total": sum(counts.values()),
        "todo": todo_items(user),
    }
    return render(request, "reporting/dashboard.html", context)
