"""Membership transfers (会员关系接转): the list, one transfer, starting one and deciding it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionportal.core.lookup import search_text, shown

from .. import access, services
from ..forms import TransferRequestForm
from ..lookup import member_q
from ..models import HOLDS_MEMBERS, Member, Organisation, Transfer, TransferStatus, User
from ..steps import transfer_progress
from .common import apply_service_errors, is_id

TABS = ("all", "decide", "incoming", "outgoing")
SHOWN_UNIONS = 50


def _transfers(user: User) -> QuerySet:
    return access.transfers_in_scope(user).select_related(
        "member__organisation", "from_organisation", "to_organisation", "requested_by", "decided_by"
    )


def _transfer(request: HttpRequest, pk: int) -> Transfer:
    """Either side may open a transfer; anyone else gets 404."""
    return get_object_or_404(_transfers(request.user), pk=pk)


def _allowed_actions(user: User, transfer: Transfer, *, detail: bool = False) -> dict:
    is_open = transfer.status == TransferStatus.REQUESTED
    decide = is_open and access.can(user, "member.edit", transfer.deciding_organisation)
    actions = {
        # The other side's member is shown by name only; its record stays with its union.
        "see_member": access.can(user, "view", transfer.member.organisation),
        "decide": decide,
        "cancel": is_open
        and access.can(user, "member.edit", services.starting_organisation(transfer)),
    }
    if detail:
        # Accepting is offered only when the service would take it; otherwise the page
        # says why (by the same rule) and leaves rejecting.
        problem = services.transfer_accept_problem(transfer, transfer.member) if decide else None
        actions["accept"] = decide and problem is None
        actions["accept_problem"] = problem
    return actions


@login_required
@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "view")
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "all"
    transfers = _transfers(user)
    if tab == "decide":
        transfers = services.transfers_awaiting_decision(user, transfers)
    elif tab in ("incoming", "outgoing"):
        transfers = services.transfers_by_direction(user, transfers, tab)
    status = request.GET.get("status", "")
    if status in TransferStatus.values:
        transfers = transfers.filter(status=status)
    query, back = search_text(request)
    if back:
        return back
    if query:
        transfers = transfers.filter(member_q(query))
    open_first = Case(
        When(status=TransferStatus.REQUESTED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    page = Paginator(transfers.order_by(open_first, "-requested_at", "-pk"), 50).get_page(
        request.GET.get("page")
    )
    for transfer in page:
        transfer.actions = _allowed_actions(user, transfer)
    context = {
        "page": page,
        "tab": tab,
        "tabs": [
            ("all", _("All")),
            ("decide", _("Waiting for my decision")),
            ("incoming", _("Incoming")),
            ("outgoing", _("Outgoing")),
        ],
        "status": status,
        "statuses": TransferStatus.choices,
        "query": shown(query),
        "can_start": access.can(user, "member.edit"),
    }
    return render(request, "members/transfer_list.html", context)


@login_required
@require_GET
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    user = request.user
    earlier = (
        _transfers(user)
        .filter(member_id=transfer.member_id)
        .exclude(pk=transfer.pk)
        .order_by("-requested_at")
    )
    context = {
        "transfer": transfer,
        "progress": transfer_progress(transfer),
        "actions": _allowed_actions(user, transfer, detail=True),
        "starting_organisation": services.starting_organisation(transfer),
        "others": earlier,
    }
    return render(request, "members/transfer_detail.html", context)


def _int_or_404(value: str) -> int:
    if not is_id(value):
        raise Http404
    return int(value)


def _member_picker(request: HttpRequest) -> HttpResponse:
    """No member yet: search the user's own current members by name."""
    access.require(request.user, "member.edit")
    query, back = search_text(request)
    if back:
        return back
    found = []
    if query:
        found = (
            access.members_in_scope(request.user, capability="member.edit")
            .current()
            .filter(member_q(query, prefix=""))
            .select_related("organisation")
            .order_by("name", "pk")[:SHOWN_UNIONS]
        )
    return render(
        request,
        "members/transfer_pick.html",
        {"query": shown(query), "searched": bool(query), "found": found},
    )


def _eligible_unions() -> QuerySet:
    return Organisation.objects.active().filter(HOLDS_MEMBERS)


@login_required
def transfer_request(request: HttpRequest) -> HttpResponse:
    """Two ways in: ?member=<pk> for the sending union (the member is theirs), or
    ?token=<signed> for the receiving union, from the one-membership refusal on the member
    form (the member is not theirs: only name, masked ID and current union are shown)."""
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    token, member_pk = params.get("token", ""), params.get("member", "")
    if token:
        try:
            member = services.transfer_member_from_token(actor=user, token=token)
        except ValidationError as exc:
            return render(
                request, "members/transfer_request.html", {"error": exc.messages[0]}, status=400
            )
        side = Transfer.Side.RECEIVING
        allowed = access.scope(user, _eligible_unions(), capability="member.edit")
    elif member_pk:
        member = access.get_object_for_user(
            user,
            Member.objects.current().select_related("organisation"),
            org_field="organisation",
            capability="member.edit",
            pk=_int_or_404(member_pk),
        )
        side = Transfer.Side.SENDING
        allowed = _eligible_unions()
    else:
        return _member_picker(request)
    allowed = allowed.exclude(path__startswith=services.grassroots_of(member.organisation).path)
    query = params.get("q", "").strip()
    if query:
        shown = allowed.filter(Q(name__icontains=query) | Q(uscc__iexact=query))
    elif side == Transfer.Side.RECEIVING:
        shown = allowed  # the user's own unions: usually a handful
    else:
        shown = allowed.none()  # the whole city: search first
    shown = list(shown.order_by("path")[: SHOWN_UNIONS + 1])
    form = TransferRequestForm(request.POST or None, allowed=allowed, shown=shown[:SHOWN_UNIONS])
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_request(
                actor=user,
                member=member,
                to_organisation=form.cleaned_data["to_organisation"],
                reason=form.cleaned_data["reason"],
                side=side,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The transfer has been requested."))
            return redirect(transfer)
    context = {
        "form": form,
        "member": member,
        "side": side,
        "token": token,
        "query": query,
        "more": len(shown) > SHOWN_UNIONS,
        "shown_count": min(len(shown), SHOWN_UNIONS),
    }
    return render(request, "members/transfer_request.html", context)


def _decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    transfer = _transfer(request, pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "accept":
            services.transfer_accept(actor=request.user, transfer=transfer)
        elif action == "reject":
            services.transfer_reject(actor=request.user, transfer=transfer, reason=reason)
        else:
            services.transfer_cancel(actor=request.user, transfer=transfer, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = {
            "accept": _("The transfer has been accepted; the member now belongs to %(union)s."),
            "reject": _("The transfer has been rejected."),
            "cancel": _("The transfer has been cancelled."),
        }[action]
        messages.success(request, done % {"union": transfer.to_organisation.name})
    return redirect(transfer)


@login_required
@require_POST
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "accept")


@login_required
@require_POST
def transfer_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "reject")


@login_required
@require_POST
def transfer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "cancel")


urlpatterns = [
    path("transfers/", transfer_list, name="transfer_list"),
    path("transfers/new/", transfer_request, name="transfer_request"),
    path("transfers/<int:pk>/", transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/accept/", transfer_accept, name="transfer_accept"),
    path("transfers/<int:pk>/reject/", transfer_reject, name="transfer_reject"),
    path("transfers/<int:pk>/cancel/", transfer_cancel, name="transfer_cancel"),
]
