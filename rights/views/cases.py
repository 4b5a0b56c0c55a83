"""The case register: the list with its filters, the Excel export, the printable register and
the form that registers a case (with the possible duplicates shown before saving)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from members import access
from members.models import Organisation, OrgKind
from members.views.common import apply_service_errors
from unionportal.core.audit import audit_event
from unionportal.core.excel import print_page, xlsx_download
from unionportal.core.paging import keyset_page

from .. import forms as f
from .. import services
from ..models import Case
from ..services import cases_in_scope
from .common import choices, filtered, headers, row

PRINT_LIMIT = 500

PER_PAGE = 50  # rows per page (keyset-paged: unionportal/core/paging.py)


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs, chosen = filtered(request)
    if request.GET.get("format") == "print":
        return _print(request, qs, chosen)
    page = keyset_page(qs, request.GET, PER_PAGE)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    today = timezone.localdate()
    for case in page:
        case.overdue_now = case.overdue_on(today)
    context = {
        "page": page,
        "chosen": chosen,
        "params": params.urlencode(),
        "can_register": access.can(request.user, "case.register"),
        "can_export": access.can(request.user, "export"),
        **choices(request.user),
    }
    return render(request, "rights/case_list.html", context)


def _print(request, qs, chosen) -> HttpResponse:
    cases = list(qs[:PRINT_LIMIT])
    audit_event(
        getattr(request.user, "organisation", None) or request.user,
        "rights.case_print",
        actor=request.user,
        rows=len(cases),
    )
    note = ""
    if len(cases) == PRINT_LIMIT:
        note = _("Only the first %(n)s cases are printed: narrow the filters.") % {"n": PRINT_LIMIT}
    return print_page(
        request, _("Register of petitions and requests"), headers(), [row(c) for c in cases],
        note=note,
    )  # fmt: skip


@login_required
@require_GET
def case_export(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "export")
    qs, chosen = filtered(request, "export")
    start, end = chosen.get("start"), chosen.get("end")
    span = f"_{start or ''}_{end or ''}" if start or end else ""
    return xlsx_download(
        request,
        [("信访与诉求台账", headers(), (row(c) for c in qs.iterator(chunk_size=500)))],
        f"信访与诉求台账{span}.xlsx",
        event="rights.case_export",
        filters={k: str(v) for k, v in chosen.items()},
    )


def receivers(user):
    orgs = [
        r.organisation
        for r in access.roles_of(user)
        if access.can(user, "case.register", r.organisation)
    ]
    return Organisation.objects.filter(pk__in=[o.pk for o in orgs]).order_by("path")


def _employers(user):
    return (
        access.organisations_in_scope(user)
        .filter(kind__in=[OrgKind.GRASSROOTS, OrgKind.JOINT_GRASSROOTS], active=True)
        .order_by("path")
    )


@login_required
@sensitive_post_parameters("member", "petitioner_contact")
def case_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "case.register")
    form = f.CaseForm(
        request.POST or None,
        request.FILES or None,
        receivers=receivers(request.user),
        members=access.members_in_scope(request.user),
        employers=_employers(request.user),
    )
    duplicates = elsewhere = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = data.get("token")
        done = Case.objects.filter(idempotency_key=token).first() if token else None
        if done is not None and cases_in_scope(request.user).filter(pk=done.pk).exists():
            return redirect(done)
        member = data.get("member")
        found = services.possible_duplicates(
            received_on=data["received_on"],
            category=data["category"],
            member=member,
            contact=data.get("petitioner_contact", ""),
        )
        if found.exists() and request.POST.get("confirm") != "1":
            duplicates = list(cases_in_scope(request.user).filter(pk__in=found.values("pk")))
            elsewhere = found.count() - len(duplicates)
            if elsewhere:
                # Only a count is shown of cases outside the user's scope; that someone asked
                # about this person is still left on record (security.md G1).
                outside = found.exclude(pk__in=[c.pk for c in duplicates]).first()
                audit_event(outside, "case.duplicate_seen", actor=request.user, count=elsewhere)
        else:
            case = _save(request, form, data, member)
            if case is not None:
                messages.success(
                    request,
                    _("Case %(number)s has been registered.") % {"number": case.number},
                )
                return redirect(case)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("member"):
        form.data = form.data.copy()
        form.data["member_pk"] = form.cleaned_data["member"].pk
    context = {"form": form, "duplicates": duplicates, "elsewhere": elsewhere}
    return render(request, "rights/case_form.html", context, status=200)


def _save(request, form, data, member) -> Case | None:
    try:
        with transaction.atomic():
            case = services.case_register(
                actor=request.user,
                received_by=data["received_by"],
                channel=data["channel"],
                received_on=data["received_on"],
                category=data["category"],
                request=data["request"],
                people=data["people"],
                kind=data["kind"],
                hotline=data["hotline"],
                member=member,
                petitioner_name="" if member else data["petitioner_name"],
                petitioner_contact=data["petitioner_contact"],
                employer=data["employer"],
                employer_name=data["employer_name"],
                employer_uscc=data["employer_uscc"],
                token=data.get("token"),
            )
            if data.get("attachment"):
                services.attachment_add(
                    actor=request.user,
                    case=case,
                    title=data["attachment_title"].strip(),
                    upload=data["attachment"],
                    content_type=form.content_type,
                )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    return case
