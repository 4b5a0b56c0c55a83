"""The collective-contract and mediation pages (ux.md patterns): the register with filters,
its figures and the Excel export, the contract form and page with the step indicator and only
the actions now possible, the mediation committee and the mediation cases. Every query goes
through members.access: another union's contract is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members import access
from members.models import Organisation
from members.views.common import apply_service_errors
from unionportal.core.excel import xlsx_download

from . import contract_forms as f
from . import contract_stats, services
from .contract_steps import contract_progress
from .models import (
    CollectiveContract,
    ContractStatus,
    MediationCase,
    MediationCommittee,
    MediationOutcome,
)

S = ContractStatus
MODEL_FIELDS = [n for n in f.ContractForm.Meta.fields if n != "organisation"]


def _unions(user, capability: str, kinds=None):
    qs = access.scope(user, Organisation.objects.filter(active=True), capability=capability)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("path")


def _contract(request, pk: int, capability: str | None = None) -> CollectiveContract:
    return access.get_object_for_user(
        request.user,
        CollectiveContract.objects.select_related("organisation"),
        org_field="organisation",
        capability=capability,
        pk=pk,
    )


def coverage_now(user) -> dict:
    """The employers and workers covered by a contract in force today in the user's scope,
    from the same figures the reports use (rights/contract_stats.py)."""
    today = timezone.localdate()
    rows = access.scope(user, contract_stats.coverage(today, today), org_field="organisation")
    total = rows.aggregate(employers=Sum("contract_employers"), workers=Sum("contract_workers"))
    return {"employers": total["employers"] or 0, "workers": total["workers"] or 0}


def _filtered(request):
    form = f.ContractFilter(request.GET or None)
    qs = services.contracts_in_scope(request.user).select_related("organisation")
    today = timezone.localdate()
    if form.is_valid():
        d = form.cleaned_data
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["status"] == "in_force":
            qs = qs.filter(contract_stats.in_force_at(today))
        elif d["status"]:
            qs = qs.filter(status=d["status"])
        if d["due"] == "renew":
            qs = services.contracts_to_renew(qs, today)
        elif d["due"] == "send":
            qs = services.contracts_not_sent(qs, today)
        elif d["due"] == "outcome":
            qs = services.contracts_awaiting_outcome(qs, today)
        if d["q"]:
            qs = qs.filter(Q(organisation__name__icontains=d["q"]) | Q(title__icontains=d["q"]))
    return form, qs.order_by("organisation__path", "-signed_on", "-pk")


@login_required
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    form, qs = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for c in page:
        c.live = c.in_force(today)
        c.late = c.send_overdue(today)
    return render(
        request,
        "rights/contracts/contract_list.html",
        {
            "form": form,
            "page": page,
            "coverage": coverage_now(request.user),
            "can_add": access.can(request.user, "contract.manage"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def contract_export(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "export")
    _form, qs = _filtered(request)
    today = timezone.localdate()
    headers = [
        "工会",
        "合同名称",
        "种类",
        "范围",
        "要约日期",
        "协商轮次",
        "审议通过",
        "签订日期",
        "期限起",
        "期限止",
        "覆盖职工",
        "工资增幅(%)",
        "报送日期",
        "劳动保障部门收到",
        "状态",
        "生效日期",
        "今日是否有效",
    ]
    rows = [
        [
            c.organisation.name,
            c.title,
            c.get_kind_display(),
            c.get_coverage_display(),
            c.offered_on,
            c.rounds,
            c.voted_on,
            c.signed_on,
            c.starts_on,
            c.ends_on,
            c.workers_covered,
            c.wage_increase,
            c.sent_on,
            c.received_on,
            c.get_status_display(),
            c.in_force_on,
            "是" if c.in_force(today) else "否",
        ]
        for c in qs
    ]
    return xlsx_download(
        request, [("集体合同", headers, rows)], "集体合同台账.xlsx", event="contract.export"
    )


def _save(request, form, organisation, contract=None):
    data = {k: form.cleaned_data.get(k) for k in MODEL_FIELDS}
    data["rounds"] = data["rounds"] or 0
    data["workers_covered"] = data["workers_covered"] or 0
    data["vote_body"] = data["vote_body"] or ""
    employers = form.employers(organisation)
    if form.errors:
        return None
    try:
        return services.contract_save(
            actor=request.user,
            organisation=organisation,
            data=data,
            employers=employers,
            contract=contract,
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None


@login_required
def contract_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "contract.manage")
    form = f.ContractForm(
        request.POST or None,
        request.FILES or None,
        organisations=_unions(request.user, "contract.manage"),
    )
    if request.method == "POST" and form.is_valid():
        contract = _save(request, form, form.cleaned_data["organisation"])
        if contract:
            messages.success(request, _("The contract has been registered."))
            return redirect(contract)
    return render(request, "rights/contracts/contract_form.html", {"form": form})


@login_required
def contract_update(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk, "contract.manage")
    if contract.status not in (S.NEGOTIATING, S.SIGNED):
        messages.error(request, _("A contract sent to the labour bureau is no longer edited."))
        return redirect(contract)
    form = f.ContractForm(request.POST or None, request.FILES or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, contract.organisation, contract)
        if saved:
            messages.success(request, _("The contract has been saved."))
            return redirect(saved)
    return render(
        request, "rights/contracts/contract_form.html", {"form": form, "contract": contract}
    )


@login_required
@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    manage = access.can(request.user, "contract.manage", contract.organisation)
    return render(
        request,
        "rights/contracts/contract_detail.html",
        {
            "c": contract,
            "progress": contract_progress(contract),
            "employers": contract.employers.select_related("organisation"),
            "events": contract.events.select_related("actor"),
            "can_edit": manage and contract.status in (S.NEGOTIATING, S.SIGNED),
            "send_form": f.SendForm(initial={"on": timezone.localdate()})
            if manage and contract.status == S.SIGNED
            else None,
            "outcome_form": f.OutcomeForm(
                initial={"received_on": contract.received_on, "on": timezone.localdate()}
            )
            if manage and contract.status == S.SENT
            else None,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def contract_send(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk, "contract.manage")
    form = f.SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date it was sent."))
        return redirect(contract)
    try:
        services.contract_send(actor=request.user, contract=contract, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The sending has been recorded."))
    return redirect(contract)


@login_required
@require_POST
def contract_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk, "contract.manage")
    form = f.OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the day of receipt and the outcome."))
        return redirect(contract)
    try:
        services.contract_outcome(actor=request.user, contract=contract, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The labour bureau's answer has been recorded."))
    return redirect(contract)


@login_required
@require_GET
def contract_text(request: HttpRequest, pk: int) -> FileResponse:
    contract = _contract(request, pk)
    if not contract.text:
        raise Http404
    response = FileResponse(contract.text.open("rb"), content_type="application/octet-stream")
    response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Mediation -------------------------------------------------------------------------------


@login_required
def committee(request: HttpRequest, pk: int) -> HttpResponse:
    """A union's mediation committee: whether it exists, since when, its members."""
    union = access.get_object_for_user(request.user, Organisation.objects.all(), pk=pk)
    existing = MediationCommittee.objects.filter(organisation=union).first()
    manage = access.can(request.user, "mediation.manage", union)
    initial = {}
    if existing:
        initial = {
            "set_up_on": existing.set_up_on,
            "active": existing.active,
            "members": "\n".join(
                f"{m.name},{m.get_role_display()}" for m in existing.members.all()
            ),
        }
    form = f.CommitteeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        access.require(request.user, "mediation.manage", union)
        if form.is_valid():
            try:
                services.committee_save(actor=request.user, organisation=union, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The mediation committee has been saved."))
                return redirect("contracts:committee", pk=union.pk)
    return render(
        request,
        "rights/contracts/committee.html",
        {"union": union, "committee": existing, "form": form if manage else None},
    )


@login_required
@require_GET
def mediation_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs = services.mediation_cases_in_scope(request.user).select_related("organisation")
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status in MediationOutcome.values:
        qs = qs.filter(status=status)
    if request.GET.get("overdue"):
        qs = qs.filter(status=MediationOutcome.OPEN, settle_by__lt=today)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for case in page:
        case.late = case.overdue(today)
    committees = access.scope(
        request.user,
        MediationCommittee.objects.select_related("organisation"),
        org_field="organisation",
    )
    return render(
        request,
        "rights/contracts/mediation_list.html",
        {
            "page": page,
            "status": status,
            "statuses": MediationOutcome.choices,
            "committees": committees,
            "can_add": access.can(request.user, "mediation.manage"),
            "own_unions": _unions(request.user, "mediation.manage")[:20],
        },
    )


@login_required
def mediation_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "mediation.manage")
    unions = _unions(request.user, "mediation.manage").filter(mediation_committee__active=True)
    form = f.MediationForm(request.POST or None, organisations=unions)
    if request.method == "POST" and form.is_valid():
        try:
            services.mediation_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The mediation case has been registered."))
            return redirect("contracts:mediation_list")
    return render(request, "rights/contracts/mediation_form.html", {"form": form})


@login_required
def mediation_update(request: HttpRequest, pk: int) -> HttpResponse:
    """A mediation case and, while open, the form recording its outcome."""
    case = access.get_object_for_user(
        request.user,
        MediationCase.objects.select_related("organisation"),
        org_field="organisation",
        pk=pk,
    )
    manage = access.can(request.user, "mediation.manage", case.organisation)
    form = f.MediationCloseForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST":
        access.require(request.user, "mediation.manage", case.organisation)
        if form.is_valid():
            try:
                services.mediation_close(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The outcome has been recorded."))
                return redirect("contracts:mediation_list")
    return render(
        request,
        "rights/contracts/mediation_case.html",
        {
            "case": case,
            "form": form if manage and case.status == MediationOutcome.OPEN else None,
            "late": case.overdue(),
        },
    )
