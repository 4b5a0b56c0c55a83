"""Dues pages: a union's month, a member's dues, lapse candidates; payments and wage bases.

Figures above the member rows come from DuesRollup (a constant number of queries whatever the
size of the subtree); member rows are the month's DuesRecords of the union, paginated.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionportal.core.paging import keyset_page

from .. import access, services
from ..dues import add_months, first_of_month, parse_month
from ..dues_forms import MemberPaymentForm, PayAheadForm, PaymentForm, WageBaseForm
from ..models import DuesRecord, DuesRollup, Member, Organisation
from . import funds
from .common import apply_service_errors, is_id

PAGE_SIZE = 50


# --- Parameters ------------------------------------------------------------------------------


def month_param(data, name: str = "month", default: date | None = None) -> date:
    """The month in a query or form (YYYY-MM); a bad or missing value falls back quietly."""
    try:
        return parse_month(data.get(name, ""))
    except ValueError:
        return default or first_of_month(timezone.localdate())


def org_param(request: HttpRequest, data, capability: str | None = None) -> Organisation:
    """The organisation named by `org` (404 out of scope, 403 without the capability), or the
    top of the user's scope."""
    raw = str(data.get("org", "")).strip()
    if is_id(raw):
        return access.get_object_for_user(
            request.user, Organisation.objects.all(), capability=capability, pk=int(raw)
        )
    top = (
        Organisation.objects.filter(path__in=access.scope_paths(request.user))
        .order_by("depth", "path")
        .first()
    )
    if top is None:
        access.require(request.user, "view")  # no scope at all: 403
    if capability:
        access.require(request.user, capability, top)
    return top


def visible_ancestors(user, org: Organisation) -> list[Organisation]:
    return [a for a in org.get_ancestors() if access.can(user, "view", a)]


def union_url(org: Organisation, month: date, **extra) -> str:
    query = {"org": org.pk, "month": f"{month:%Y-%m}", **extra}
    return f"{reverse('members:dues_union')}?{urlencode(query)}"


# --- A union's month -------------------------------------------------------------------------


@login_required
@require_GET
def dues_union(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "view")
    org = org_param(request, request.GET)
    month = month_param(request.GET)
    rollup = DuesRollup.objects.filter(organisation=org, month=month).first()
    children = (
        DuesRollup.objects.filter(
            month=month, organisation__path__startswith=org.path, organisation__depth=org.depth + 1
        )
        .select_related("organisation")
        .order_by("organisation__path")
    )
    # A grassroots union (or branch) lists its members' records; a township, park or county
    # union lists the unions under it, as a federation does.
    holds_members = org.holds_members and not org.holds_members_above_grassroots
    status = request.GET.get("status", "")
    context = {
        "org": org,
        "month": month,
        "previous_month": add_months(month, -1),
        "next_month": add_months(month, 1),
        "this_month": first_of_month(timezone.localdate()),
        "rollup": rollup,
        "ancestors": visible_ancestors(user, org),
        "holds_members": holds_members,
        "status": status,
        "can_pay": holds_members and access.can(user, "member.edit", org),
        "payment_form": PaymentForm(),
    }
    if holds_members:
        records = (
            DuesRecord.objects.filter(month=month, organisation__path__startswith=org.path)
            .select_related("member", "organisation")
            .order_by("organisation__path", "member__name", "pk")
        )
        if status == "paid":
            records = records.filter(paid_on__isnull=False)
        elif status == "unpaid":
            records = records.filter(paid_on__isnull=True)
        context["children"] = list(children)
        context["page"] = keyset_page(records, request.GET, PAGE_SIZE)
    else:
        context["page"] = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/dues_union.html", context)


def _payment_target(request: HttpRequest) -> tuple[Organisation, date]:
    access.require(request.user, "member.edit")
    org = org_param(request, request.POST)
    return org, month_param(request.POST)


def _report_errors(request: HttpRequest, exc_or_form) -> None:
    if isinstance(exc_or_form, ValidationError):
        for message in exc_or_form.messages:
            messages.error(request, message)
        return
    for errors in exc_or_form.errors.values():
        for message in errors:
            messages.error(request, message)


@login_required
@require_POST
def dues_pay(request: HttpRequest) -> HttpResponse:
    """Mark the selected member rows of a union-month paid."""
    org, month = _payment_target(request)
    form = PaymentForm(request.POST)
    ids = [int(x) for x in request.POST.getlist("record") if is_id(x)]
    if not ids:
        messages.error(request, _("Select the members whose dues were paid."))
    elif not form.is_valid():
        _report_errors(request, form)
    else:
        # Only the union's own records: ids of other unions' rows are ignored, never paid.
        records = DuesRecord.objects.filter(pk__in=ids, organisation__path__startswith=org.path)
        try:
            marked = services.dues_record_payment(
                actor=request.user, records=records, **form.cleaned_data
            )
        except ValidationError as exc:
            _report_errors(request, exc)
        else:
            messages.success(request, _("%(n)s month(s) of dues marked paid.") % {"n": marked})
    return redirect(union_url(org, month, status=request.POST.get("status", "")))


@login_required
@require_POST
def dues_union_pay(request: HttpRequest) -> HttpResponse:
    """Mark every unpaid row of a union-month paid (a payroll deduction for everyone)."""
    org, month = _payment_target(request)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        _report_errors(request, form)
    else:
        try:
            marked = services.dues_record_union_payment(
                actor=request.user, organisation=org, month=month, **form.cleaned_data
            )
        except ValidationError as exc:
            _report_errors(request, exc)
        else:
            messages.success(
                request,
                _("%(n)s unpaid record(s) of %(month)s marked paid.")
                % {"n": marked, "month": f"{month:%Y-%m}"},
            )
    return redirect(union_url(org, month))


# --- A member's dues -------------------------------------------------------------------------


def _member(request: HttpRequest, pk: int, capability: str | None = None) -> Member:
    access.require(request.user, capability or "view")
    return access.get_object_for_user(
        request.user,
        Member.objects.select_related("organisation"),
        org_field="organisation",
        capability=capability,
        pk=pk,
    )


def _member_page(
    request: HttpRequest,
    member: Member,
    *,
    wage_form: WageBaseForm | None = None,
    pay_form: MemberPaymentForm | None = None,
    ahead_form: PayAheadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    arrears = services.arrears_for(member)
    unpaid = list(arrears.records.values_list("month", flat=True))
    history = member.dues.select_related("organisation").order_by("-month")
    context = {
        "member": member,
        "arrears": arrears,
        "page": Paginator(history, 24).get_page(request.GET.get("page")),
        "wage_bases": member.wage_bases.order_by("-effective_month")[:24],
        "can_edit": access.can(request.user, "member.edit", member.organisation),
        "wage_form": wage_form or WageBaseForm(),
        "pay_form": pay_form or MemberPaymentForm(unpaid_months=unpaid),
        "ahead_form": ahead_form or PayAheadForm(),
        "union_url": union_url(member.organisation, first_of_month(timezone.localdate())),
    }
    return render(request, "members/dues_member.html", context, status=status)


@login_required
@require_GET
def dues_member(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_page(request, _member(request, pk))


@login_required
@require_POST
def dues_member_pay(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, capability="member.edit")
    unpaid = list(services.arrears_for(member).records.values_list("month", flat=True))
    form = MemberPaymentForm(request.POST, unpaid_months=unpaid)
    if form.is_valid():
        try:
            marked = services.dues_record_member_payment(
                actor=request.user, member=member, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(n)s month(s) of dues marked paid.") % {"n": marked})
            return redirect("members:dues_member", pk=member.pk)
    return _member_page(request, member, pay_form=form)


@login_required
@require_POST
def dues_member_pay_ahead(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, capability="member.edit")
    form = PayAheadForm(request.POST)
    if form.is_valid():
        try:
            paid = services.dues_pay_ahead(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if paid:
                messages.success(
                    request,
                    _("Dues for %(n)s month(s) ahead recorded as paid.") % {"n": paid},
                )
            else:
                messages.info(request, _("Those months were already recorded; nothing changed."))
            return redirect("members:dues_member", pk=member.pk)
    return _member_page(request, member, ahead_form=form, status=200)


@login_required
@require_POST
def dues_wage_base_set(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, capability="member.edit")
    form = WageBaseForm(request.POST)
    if form.is_valid():
        try:
            services.wage_base_set(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The wage base from %(month)s has been set.")
                % {"month": f"{form.cleaned_data['month']:%Y-%m}"},
            )
            return redirect("members:dues_member", pk=member.pk)
    return _member_page(request, member, wage_form=form)


# --- Lapse candidates ------------------------------------------------------------------------


@login_required
@require_GET
def dues_lapse_candidates(request: HttpRequest) -> HttpResponse:
    """Members with 6 months in a row unpaid, up to a month (default: last month, since this
    month's dues are usually paid at its end). A listing only: nothing lapses automatically."""
    user = request.user
    access.require(user, "view")
    org = org_param(request, request.GET)
    as_of = month_param(
        request.GET, "as_of", default=add_months(first_of_month(timezone.localdate()), -1)
    )
    candidates = services.lapse_candidates(org, as_of)
    context = {
        "org": org,
        "as_of": as_of,
        "window_start": add_months(as_of, -(services.LAPSE_MONTHS - 1)),
        "ancestors": visible_ancestors(user, org),
        "page": Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "members/dues_lapse_candidates.html", context)


urlpatterns = [
    path("dues/", dues_union, name="dues_union"),
    path("dues/pay/", dues_pay, name="dues_pay"),
    path("dues/pay-union-month/", dues_union_pay, name="dues_union_pay"),
    path("dues/lapse-candidates/", dues_lapse_candidates, name="dues_lapse_candidates"),
    path("members/<int:pk>/dues/", dues_member, name="dues_member"),
    path("members/<int:pk>/dues/pay/", dues_member_pay, name="dues_member_pay"),
    path("members/<int:pk>/dues/pay-ahead/", dues_member_pay_ahead, name="dues_member_pay_ahead"),
    path("members/<int:pk>/wage-base/", dues_wage_base_set, name="dues_wage_base_set"),
    *funds.urlpatterns,
]
