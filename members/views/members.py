"""The member register: list with filters, exact lookup, detail with timeline, reveal, create,
edit and status changes. Members are never deleted: they leave through the lifecycle."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from unionportal.core.paging import keyset_page

from .. import access, services
from ..filters import MemberFilter
from ..forms import MemberForm, MemberLookupForm, MemberStatusForm
from ..models import Member
from ..story import member_story
from ..timeline import member_timeline
from .common import apply_service_errors, is_id

PER_PAGE = 50
LOOKUP_LIMIT = 50
REVEALABLE = ("resident_id", "phone")
SORTABLE_COLUMNS = ("name", "joined_on", "union")


def _member(request: HttpRequest, pk: int, capability: str | None = None) -> Member:
    return access.get_object_for_user(
        request.user,
        Member.objects.select_related("organisation"),
        org_field="organisation",
        capability=capability,
        pk=pk,
    )


def _url_or_none(name: str, *args) -> str | None:
    """The URL of a page another part of the portal may not provide yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- List and exact lookup ------------------------------------------------------------------


@login_required
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "view")
    if re.search(r"\d", request.GET.get("q", "")):  # \d takes full-width digits too
        # A name holds no digits: an ID number or phone was typed into the name box. Send
        # the browser to an address without it (the page must not echo it, not even in the
        # language switch's return path) and point to the exact lookup.
        params = request.GET.copy()
        del params["q"]
        messages.warning(
            request,
            _(
                "Names hold no digits. To find a member by resident ID or mobile number, use "
                "the exact lookup: the number then stays out of addresses and logs."
            ),
        )
        return redirect(f"{reverse('members:member_list')}?{params.urlencode()}")
    return _render_list(request, request.GET)


@login_required
@require_POST
@sensitive_post_parameters("number")
def member_lookup(request: HttpRequest) -> HttpResponse:
    """Find a member by full resident ID (one indexed query on the blind index) or phone.
    The number stays in the POST body: never in a URL, a message or the page."""
    access.require(request.user, "view")
    form = MemberLookupForm(request.POST)
    if not form.is_valid():
        return _render_list(request, QueryDict(), lookup_form=form)
    kind, number = form.cleaned_data["number"]
    found = access.members_in_scope(request.user).select_related("organisation")
    found = found.with_resident_id(number) if kind == "resident_id" else found.filter(phone=number)
    hits = list(found.order_by("name", "id")[:LOOKUP_LIMIT])
    if len(hits) == 1:
        return redirect(hits[0])
    return _render_list(request, QueryDict(), hits=hits)


def _render_list(
    request: HttpRequest,
    data: QueryDict,
    *,
    hits: list[Member] | None = None,
    lookup_form: MemberLookupForm | None = None,
) -> HttpResponse:
    user = request.user
    members = access.members_in_scope(user).select_related("organisation")
    member_filter = MemberFilter(data, queryset=members, user=user)
    # The count is the scoped (and filtered) COUNT(*): one query, whatever the page; the
    # page itself is a keyset seek in the chosen order, so the last page costs as page 2.
    page = keyset_page(member_filter.qs, data, PER_PAGE)
    return render(
        request,
        "members/member_list.html",
        {
            "filter": member_filter,
            "page": page,
            "hits": hits,
            "lookup_form": lookup_form or MemberLookupForm(),
            "sort_links": _sort_links(data, member_filter.current_sort),
            "current_sort": member_filter.current_sort,
            "can_create": access.can(user, "member.edit"),
            "export_url": _export_url(user, data),
        },
    )


def _sort_links(data: QueryDict, current: str) -> dict[str, str]:
    """Column header links: a click sorts by the column, a second click reverses it."""
    links = {}
    for column in SORTABLE_COLUMNS:
        params = data.copy()
        params.pop("page", None)
        params["sort"] = f"-{column}" if current == column else column
        links[column] = "?" + params.urlencode()
    return links


def _export_url(user, data: QueryDict) -> str | None:
    """The Excel export of the same filtered list, once the export page exists."""
    base = _url_or_none("members:member_export")
    if base is None or not access.can(user, "export"):
        return None
    params = data.copy()
    params.pop("page", None)
    return f"{base}?{params.urlencode()}" if params else base


# --- Detail and reveal ----------------------------------------------------------------------


@login_required
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    user = request.user
    can_edit = access.can(user, "member.edit", member.organisation)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "timeline": member_timeline(member, user),
            "story": member_story(user, member),
            "spells": member.spells.select_related("organisation").order_by("valid_from", "pk"),
            "can_edit": can_edit,
            "can_change_status": can_edit and bool(member.allowed_statuses()),
            "can_reveal": access.can(user, "member.reveal", member.organisation),
        },
    )


@login_required
@require_POST
def member_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The full resident ID or phone, for the roles allowed; the service audits each reveal.
    htmx swaps the returned fragment in place of the masked value."""
    member = _member(request, pk)
    field = request.POST.get("field", "")
    if field not in REVEALABLE:
        return HttpResponseBadRequest()
    value = services.member_reveal(actor=request.user, member=member, field=field)
    template = "members/_member_reveal.html" if request.htmx else "members/member_reveal.html"
    return render(request, template, {"member": member, "field": field, "value": value})


# --- Create, edit, status -------------------------------------------------------------------


def _transfer_request_url(exc: ValidationError) -> str | None:
    """When the one-membership check names another union, the link to request the transfer
    (once the transfer pages exist). The token is a signed reference, not the number."""
    base = _url_or_none("members:transfer_request")
    if base is None or not hasattr(exc, "error_dict"):
        return None
    for error in exc.error_dict.get("resident_id", []):
        if error.code == "duplicate_membership" and error.params:
            return f"{base}?{urlencode({'token': error.params['token']})}"
    return None


def _default_union(request: HttpRequest, form: MemberForm) -> int | None:
    """The union a new member most likely joins: the one asked for (?organisation=<pk>, from
    an organisation's page), else the user's own union when they hold one grassroots union
    only (a county officer chooses: the county holds few members of its own)."""
    choices = form.fields["organisation"].queryset
    asked = request.GET.get("organisation", "")
    if is_id(asked):
        return choices.filter(pk=asked).values_list("pk", flat=True).first()
    tops = access.scope_paths(request.user, "member.edit")
    if len(tops) == 1:
        own = choices.filter(path=tops[0]).first()
        if own is not None and not own.holds_members_above_grassroots:
            return own.pk
    return None


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "member.edit")
    form = MemberForm(request.POST or None, user=request.user)
    if request.method != "POST":
        form.initial["organisation"] = _default_union(request, form)
    transfer_url = None
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_register(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
            transfer_url = _transfer_request_url(exc)
        else:
            messages.success(request, _("%(name)s has been registered.") % {"name": member.name})
            return redirect(member)
    return render(
        request,
        "members/member_form.html",
        {"form": form, "member": None, "transfer_url": transfer_url},
    )


@login_required
def member_update(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, capability="member.edit")
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    transfer_url = None
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                actor=request.user,
                member=member,
                version=form.cleaned_data.get("version"),
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            transfer_url = _transfer_request_url(exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(member)
    return render(
        request,
        "members/member_form.html",
        {"form": form, "member": member, "transfer_url": transfer_url},
    )


@login_required
def member_status(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, capability="member.edit")
    form = MemberStatusForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_change_status(
                actor=request.user,
                member=member,
                to_status=form.cleaned_data["to_status"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                category=form.cleaned_data["category"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The status has been changed."))
            return redirect(member)
    return render(request, "members/member_status.html", {"form": form, "member": member})


urlpatterns = [
    path("members/", member_list, name="member_list"),
    path("members/lookup/", member_lookup, name="member_lookup"),
    path("members/new/", member_create, name="member_create"),
    path("members/<int:pk>/", member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", member_update, name="member_update"),
    path("members/<int:pk>/status/", member_status, name="member_status"),
    path("members/<int:pk>/reveal/", member_reveal, name="member_reveal"),
]
