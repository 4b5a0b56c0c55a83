"""Union fund pages: fund records, the remittance rule table and the what-if comparison."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from unionportal.core.lookup import search_text, shown
from unionportal.core.money import money_sum

from .. import access, services
from .. import dues as arithmetic
from ..dues import ShareSpec, first_of_month, parse_month
from ..dues_forms import (
    FundRecordForm,
    RemittanceRuleForm,
    ShareFormSet,
    WhatIfForm,
    shares_from,
)
from ..models import GRASSROOTS_KINDS, FundRecord, Organisation, RemittanceRule
from .common import apply_service_errors, is_id

PAGE_SIZE = 50


def _funds_in_scope(user):
    return access.scope(user, FundRecord.objects.all(), org_field="organisation")


# --- Fund records ----------------------------------------------------------------------------


@login_required
@require_GET
def fund_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "view")
    records = (
        _funds_in_scope(user)
        .select_related("organisation")
        .annotate(remitted=F("levy") - F("retained"))
    )
    month_text = request.GET.get("month", "").strip()
    month = None
    if month_text:
        try:
            month = parse_month(month_text)
        except ValueError:
            messages.warning(request, _("Enter a month as YYYY-MM, e.g. 2026-01."))
    if month:
        records = records.filter(month=month)
    query, back = search_text(request)
    if back:
        return back
    if query:
        records = records.filter(organisation__name__icontains=query)
    totals = records.aggregate(
        n=Count("id"),
        payroll=money_sum("payroll"),
        levy=money_sum("levy"),
        retained=money_sum("retained"),
    )
    page = Paginator(records.order_by("-month", "organisation__path", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "totals": totals,
        "month": month,
        "query": shown(query),
        "can_record": access.can(user, "member.edit"),
    }
    return render(request, "members/fund_list.html", context)


@login_required
def fund_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "member.edit")
    initial = {}
    raw = request.GET.get("org", "")
    if is_id(raw):
        initial["organisation"] = access.get_object_for_user(
            user, Organisation.objects.all(), capability="member.edit", pk=int(raw)
        )
    form = FundRecordForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.fund_record(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The union funds have been recorded and divided."))
            return redirect("members:fund_detail", pk=record.pk)
    return render(request, "members/fund_form.html", {"form": form})


@login_required
@require_GET
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "view")
    record = access.get_object_for_user(
        request.user,
        FundRecord.objects.select_related("organisation", "rule", "recorded_by"),
        org_field="organisation",
        pk=pk,
    )
    shares = [
        {**s, "percent": Decimal(s["percent"]), "amount": Decimal(s["amount"])}
        for s in record.shares
    ]
    return render(request, "members/fund_detail.html", {"record": record, "shares": shares})


# --- The rule table --------------------------------------------------------------------------


@login_required
@require_GET
def remittance_rules(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "view")
    rules = list(
        services.remittance_rules_in_scope(user)
        .select_related("organisation")
        .prefetch_related("shares")
        .order_by(F("organisation__path").asc(nulls_first=True), "-effective_from")
    )
    # The rule in force today for each organisation (None: the city default).
    today = timezone.localdate()
    in_force: dict[int | None, int] = {}
    for rule in rules:  # newest first within an organisation
        if rule.effective_from <= today and rule.organisation_id not in in_force:
            in_force[rule.organisation_id] = rule.pk
    root = Organisation.get_first_root_node()
    for rule in rules:
        rule.in_force = in_force.get(rule.organisation_id) == rule.pk
        rule.can_edit = access.can(user, "rules.edit", rule.organisation or root)
    return render(
        request,
        "members/remittance_rules.html",
        {"rules": rules, "can_create": access.can(user, "rules.edit")},
    )


def _rule_form(request: HttpRequest, rule: RemittanceRule | None) -> HttpResponse:
    user = request.user
    initial, share_initial = {}, []
    if rule is not None:
        initial = {
            "organisation": rule.organisation,
            "effective_from": rule.effective_from,
            "retained_percent": rule.retained_percent,
            "note": rule.note,
        }
        share_initial = [
            {"level": s.level, "percent": s.percent, "label": s.label} for s in rule.shares.all()
        ]
    data = request.POST if request.method == "POST" else None
    form = RemittanceRuleForm(data, user=user, initial=initial)
    formset = ShareFormSet(data, initial=share_initial, prefix="shares")
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            saved = services.remittance_rule_save(
                actor=user, rule=rule, shares=shares_from(formset), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The remittance rule has been saved."))
            return redirect(f"{reverse('members:remittance_rules')}#rule-{saved.pk}")
    return render(
        request,
        "members/remittance_rule_form.html",
        {"form": form, "formset": formset, "rule": rule},
    )


@login_required
def remittance_rule_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "rules.edit")
    return _rule_form(request, None)


@login_required
def remittance_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(
        services.remittance_rules_in_scope(request.user).prefetch_related("shares"), pk=pk
    )
    access.require(
        request.user, "rules.edit", rule.organisation or Organisation.get_first_root_node()
    )
    return _rule_form(request, rule)


# --- What if ---------------------------------------------------------------------------------


def _side_by_side(org: Organisation, now_rows, alt_rows) -> list[dict]:
    """Recipients of both divisions in one table, nearest first."""
    order: list[str] = []
    table: dict[str, dict] = {}
    for side, rows in (("now", now_rows), ("alt", alt_rows)):
        for r in rows:
            if r.key not in table:
                order.append(r.key)
                table[r.key] = {"key": r.key, "name": r.name, "now": None, "alt": None}
            table[r.key][side] = r
    for row in table.values():
        now = row["now"].amount if row["now"] else Decimal("0")
        alt = row["alt"].amount if row["alt"] else Decimal("0")
        row["change"] = alt - now
    return [table[k] for k in order]


@login_required
@require_GET
def remittance_what_if(request: HttpRequest) -> HttpResponse:
    """The seed's question: what would each level keep if the city's share were cut?"""
    user = request.user
    access.require(user, "view")
    org = None
    raw = request.GET.get("org", "")
    if is_id(raw):
        org = access.get_object_for_user(user, Organisation.objects.all(), pk=int(raw))
    choices = (
        access.scope(user, Organisation.objects.active().filter(kind__in=GRASSROOTS_KINDS))
        .order_by("path")
        .only("pk", "name", "depth")[:1000]
    )
    context = {"org": org, "choices": choices}
    if org is None or org.kind not in GRASSROOTS_KINDS:
        context["form"] = WhatIfForm()
        return render(request, "members/remittance_what_if.html", context)
    month = first_of_month(timezone.localdate())
    try:
        rule = services.remittance_rule_in_force(org, month)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        context["form"] = WhatIfForm()
        return render(request, "members/remittance_what_if.html", context)
    specs = [ShareSpec(s.level, s.percent, s.label) for s in rule.shares.all()]
    bound = "amount" in request.GET
    form = WhatIfForm(
        request.GET if bound else None,
        initial={"retained_percent": rule.retained_percent, "basis": "payroll"},
    )
    share_initial = [{"level": s.level, "percent": s.percent, "label": s.label} for s in specs]
    formset = ShareFormSet(
        request.GET if "alt-TOTAL_FORMS" in request.GET else None,
        initial=share_initial,
        prefix="alt",
    )
    context.update({"form": form, "formset": formset, "rule": rule, "month": month})
    if bound and form.is_valid() and (not formset.is_bound or formset.is_valid()):
        data = form.cleaned_data
        is_payroll = data["basis"] == "payroll"
        alt_specs = (
            [ShareSpec(s["level"], s["percent"], s.get("label", "")) for s in shares_from(formset)]
            if formset.is_bound
            else specs
        )
        now = arithmetic.remittance_what_if(
            data["amount"], rule.retained_percent, specs, is_payroll=is_payroll
        )
        try:
            alt = arithmetic.remittance_what_if(
                data["amount"], data["retained_percent"], alt_specs, is_payroll=is_payroll
            )
        except ValueError:
            total = data["retained_percent"] + sum((s.percent for s in alt_specs), Decimal(0))
            form.add_error(
                None,
                _("The alternative adds up to %(total)s%%; it must make 100%%.")
                % {"total": total.normalize()},
            )
        else:
            context["levy"] = now.levy
            context["rows"] = _side_by_side(
                org,
                services.division_by_recipient(org, now),
                services.division_by_recipient(org, alt),
            )
    return render(request, "members/remittance_what_if.html", context)


urlpatterns = [
    path("funds/", fund_list, name="fund_list"),
    path("funds/new/", fund_create, name="fund_create"),
    path("funds/<int:pk>/", fund_detail, name="fund_detail"),
    path("funds/rules/", remittance_rules, name="remittance_rules"),
    path("funds/rules/new/", remittance_rule_create, name="remittance_rule_create"),
    path("funds/rules/<int:pk>/edit/", remittance_rule_edit, name="remittance_rule_edit"),
    path("funds/what-if/", remittance_what_if, name="remittance_what_if"),
]
