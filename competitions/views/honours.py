"""Honours (劳模, 五一劳动奖章/奖状, …): the list, recording one, and the honour kinds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members import access
from members.lookup import member_q
from members.models import Member, Organisation
from members.views.common import apply_service_errors, is_id
from unionportal.core.excel import print_page
from unionportal.core.lookup import could_be_number, search_text, shown

from .. import nominations, services
from ..forms import (
    HonourForm,
    HonourKindForm,
    QuotaDefaultForm,
)
from ..models import (
    Honour,
    HonourKind,
    QuotaDefault,
)
from .common import _xlsx

# --- Honours -------------------------------------------------------------------------------


def _scoped_members(request, organisations, org_pk):
    org = organisations.filter(pk=org_pk).first() if is_id(org_pk) else None
    if org is None:
        return None, Member.objects.none()
    return org, Member.objects.current().filter(organisation=org).order_by("name")


@login_required
@require_GET
def honour_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    qs = access.scope(
        request.user,
        Honour.objects.select_related("kind", "organisation", "member"),
        org_field="organisation",
    )
    year = request.GET.get("year", "")
    if is_id(year):
        qs = qs.filter(year=int(year))
    query, back = search_text(request)
    if back:
        return back
    if query:
        found = member_q(query)
        if not could_be_number(query):
            found |= Q(recipient_name__icontains=query)
        qs = qs.filter(found)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "print"):
        if fmt == "xlsx":
            access.require(request.user, "export")
        rows = (
            (
                h.year,
                h.awarded_on,
                h.kind.name,
                h.get_level_display(),
                h.recipient_name,
                h.member.resident_id_masked if h.member_id else "",
                h.organisation.name,
                h.awarding_body,
            )
            for h in qs.iterator(chunk_size=500)
        )
        headers = [
            _("Year"),
            _("Awarded on"),
            _("Honour"),
            _("Level"),
            _("Recipient"),
            _("Resident ID"),
            _("Organisation"),
            _("Awarding body"),
        ]
        if fmt == "print":  # a notice board: no resident ID
            return print_page(
                request, _("Honours register"), headers, list(rows), drop=[_("Resident ID")]
            )
        return _xlsx(
            request,
            _("Honours register"),
            headers,
            list(rows),
            "honours.xlsx",
            event="competition.honours_export",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "competitions/honour_list.html",
        {
            "page": page,
            "year": year,
            "query": shown(query),
            "can_add": access.can(request.user, "honour.manage"),
        },
    )


def _record_for_a_member(
    request: HttpRequest, form_class, create, done: str, to: str, template: str
) -> HttpResponse:
    """The honour and studio forms: an organisation in scope, then one of its members."""
    access.require(request.user, "honour.manage")
    orgs = access.scope(
        request.user, Organisation.objects.active(), capability="honour.manage"
    ).order_by("path")
    org, members = _scoped_members(
        request, orgs, request.POST.get("organisation") or request.GET.get("organisation")
    )
    form = form_class(
        request.POST or None, organisations=orgs, members=members, initial={"organisation": org}
    )
    if request.method == "POST" and form.is_valid():
        try:
            create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(to)
    return render(request, template, {"form": form, "org": org})


@login_required
def honour_create(request: HttpRequest) -> HttpResponse:
    return _record_for_a_member(
        request,
        HonourForm,
        services.honour_create,
        _("The honour has been recorded."),
        "competitions:honour_list",
        "competitions/honour_form.html",
    )


@login_required
def honour_kinds(request: HttpRequest) -> HttpResponse:
    """The honour kinds (a rule table): every role reads it, the administrator adds kinds."""
    access.require(request.user, "view")
    can_edit = access.can(request.user, "rules.edit")
    form = HonourKindForm(request.POST or None)
    if request.method == "POST":
        access.require(request.user, "rules.edit")
        if form.is_valid():
            try:
                services.honour_kind_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The honour kind has been added."))
                return redirect("competitions:honour_kinds")
    return render(
        request,
        "competitions/honour_kinds.html",
        {"kinds": HonourKind.objects.all(), "form": form, "can_edit": can_edit},
    )


@login_required
def quota_rules(request: HttpRequest) -> HttpResponse:
    """The default nomination quota rules per honour kind (a rule table): every role reads
    them, the administrator adds newer rows; a round starts with those in force."""
    access.require(request.user, "view")
    form = QuotaDefaultForm(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST":
        access.require(request.user, "rules.edit")
        if form.is_valid():
            try:
                nominations.quota_default_add(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The rule has been added."))
                return redirect("competitions:quota_rules")
    today = timezone.localdate()
    kinds = []
    for kind in HonourKind.objects.filter(quotas__isnull=False).distinct().order_by("pk"):
        kinds.append((kind, nominations.defaults_in_force(kind, today)))
    return render(
        request,
        "competitions/quota_rules.html",
        {
            "kinds": kinds,
            "rows": QuotaDefault.objects.select_related("kind").order_by(
                "kind_id", "-effective_from", "attribute", "operator"
            ),
            "form": form,
            "can_edit": access.can(request.user, "rules.edit"),
        },
    )
