"""Campaigns: list, detail, create, budget changes and export."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.models import Organisation
from members.views.common import apply_service_errors

from .. import forms as f
from .. import services
from ..models import (
    Campaign,
)
from .common import _campaigns, _xlsx

# --- Campaigns -----------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    campaigns = list(_campaigns(request.user).select_related("organisation").distinct())
    spent = services.campaigns_spent([c.pk for c in campaigns])
    for c in campaigns:
        c.spent = spent.get(c.pk, Decimal("0"))
        c.remaining = c.budget - c.spent
    return render(
        request,
        "welfare/campaign_list.html",
        {"campaigns": campaigns, "can_add": access.can(request.user, "welfare.visit")},
    )


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    return render(
        request,
        "welfare/campaign_detail.html",
        {
            "campaign": campaign,
            "figures": services.campaign_figures(campaign),
            "can_budget": access.can(request.user, "campaign.budget"),
            "budget_form": f.BudgetForm(initial={"budget": campaign.budget}),
        },
    )


def _campaign(request, pk: int) -> Campaign:
    campaign = _campaigns(request.user).select_related("organisation").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "welfare.visit")
    orgs = access.scope(
        request.user, Organisation.objects.filter(active=True), capability="welfare.visit"
    ).filter(path__in=access.scope_paths(request.user, "welfare.visit"))
    form = f.CampaignForm(
        request.POST or None,
        organisations=orgs,
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The campaign has been created."))
            return redirect(campaign)
    return render(request, "welfare/campaign_form.html", {"form": form})


@login_required
@require_POST
def campaign_budget(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    access.require(request.user, "campaign.budget", campaign.organisation)
    form = f.BudgetForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_set_budget(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The budget has been changed."))
    else:
        messages.error(request, _("Enter a budget and a reason."))
    return redirect(campaign)


@login_required
@require_GET
def campaign_export(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "export")
    campaigns = list(_campaigns(request.user).select_related("organisation").distinct())
    headers = ["活动", "年度", "主办单位", "预算", "已用", "结余", "人数", "户数", "企业数"]
    rows = []
    for c in campaigns:
        fig = services.campaign_figures(c)
        rows.append(
            [
                c.name,
                c.year,
                c.organisation.name,
                c.budget,
                fig["spent"],
                fig["remaining"],
                fig["people"],
                fig["households"],
                fig["enterprises"],
            ]
        )
    return _xlsx(
        request, [("活动汇总", headers, rows)], "帮扶活动汇总.xlsx", event="welfare.campaign_export"
    )
