"""Membership rates (入会率): the unions below one organisation with their migrant workers'
membership rate and card activation rate, and the subtree's totals."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .. import access, kpis
from ..models import Organisation
from .common import is_id


@login_required
@require_GET
def membership_rates(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "view")
    tops = list(
        access.organisations_in_scope(user)
        .filter(path__in=access.scope_paths(user))
        .order_by("path")
    )
    chosen = request.GET.get("org", "")
    if chosen:
        if not is_id(chosen):
            raise Http404
        root = access.get_object_for_user(user, Organisation.objects.all(), pk=int(chosen))
    else:
        root = tops[0]
    parent = root.get_parent() if root.path not in {t.path for t in tops} else None
    context = {
        "root": root,
        "parent": parent,
        "tops": tops,
        "rows": kpis.per_union_rates(root),
        "migrant_total": kpis.migrant_membership_rate(root),
        "migrant_missing": kpis.unions_without_migrant_employees(root),
        "cards_total": kpis.card_activation_rate(root),
    }
    return render(request, "members/membership_rates.html", context)


urlpatterns = [
    path("members/rates/", membership_rates, name="membership_rates"),
]
