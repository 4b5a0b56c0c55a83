"""Member service cards (会员服务卡): the list with the scope's activation rate, issuing,
activating, reporting lost and replacing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionportal.core.lookup import search_text, shown
from unionportal.core.paging import keyset_page

from .. import access, kpis, services
from ..forms import CardDateForm, CardIssueForm, CardReplaceForm
from ..lookup import member_q
from ..models import CardStatus, Member, ServiceCard, User
from .common import apply_service_errors

PER_PAGE = 50  # rows per page (keyset-paged: unionportal/core/paging.py)


def _cards(user: User) -> QuerySet:
    # A card is served by the member's union now, which may not be the one that issued it.
    return access.scope(
        user,
        ServiceCard.objects.select_related("member__organisation", "replaces"),
        org_field="member__organisation",
    )


def _card(request: HttpRequest, pk: int) -> ServiceCard:
    card = get_object_or_404(_cards(request.user), pk=pk)
    access.require(request.user, "member.edit", card.member.organisation)
    return card


def _back(request: HttpRequest, default: str = "") -> str:
    """Back to the page the action was taken from (the list with its filters), else
    `default` or the plain list. Card numbers stay out of URLs: they may be a co-issuing
    bank's account numbers."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("members:card_list")


@login_required
@require_GET
def card_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "view")
    cards = _cards(user)
    status = request.GET.get("status", "")
    if status in CardStatus.values:
        cards = cards.filter(status=status)
    query, back = search_text(request)
    if back:
        return back
    if query:
        number = query.replace(" ", "")
        cards = cards.filter(Q(number__iexact=number) | member_q(query))
    page = keyset_page(cards.order_by("-issued_on", "-pk"), request.GET, PER_PAGE)
    for card in page:
        card.can_edit = access.can(user, "member.edit", card.member.organisation)
    context = {
        "page": page,
        "status": status,
        "statuses": CardStatus.choices,
        "query": shown(query),
        "rate": kpis.card_activation_rate(access.organisations_in_scope(user)),
    }
    return render(request, "members/card_list.html", context)


@login_required
def card_issue(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = access.get_object_for_user(
        request.user,
        Member.objects.select_related("organisation"),
        org_field="organisation",
        capability="member.edit",
        pk=member_pk,
    )
    form = CardIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            card = services.card_issue(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Card %(number)s has been issued to %(name)s.")
                % {"number": card.number, "name": member.name},
            )
            return redirect(_back(request, member.get_absolute_url()))
    held = member.cards.order_by("-issued_on", "-pk")
    return render(
        request, "members/card_issue.html", {"form": form, "member": member, "held": held}
    )


def _dated_action(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    card = _card(request, pk)
    form = CardDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date as YYYY-MM-DD."))
        return redirect(_back(request))
    try:
        service(actor=request.user, card=card, on=form.cleaned_data["on"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"number": card.number})
    return redirect(_back(request))


@login_required
@require_POST
def card_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _dated_action(
        request, pk, services.card_activate, _("Card %(number)s has been activated.")
    )


@login_required
@require_POST
def card_report_lost(request: HttpRequest, pk: int) -> HttpResponse:
    return _dated_action(
        request,
        pk,
        services.card_report_lost,
        _("Card %(number)s has been reported lost. Replace it when the member needs a new one."),
    )


@login_required
def card_replace(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card(request, pk)
    form = CardReplaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.card_replace(
                actor=request.user, card=card, new_number=form.cleaned_data["new_number"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Card %(old)s has been replaced by %(new)s.")
                % {"old": card.number, "new": new.number},
            )
            return redirect(_back(request, new.member.get_absolute_url()))
    return render(request, "members/card_replace.html", {"form": form, "card": card})


urlpatterns = [
    path("cards/", card_list, name="card_list"),
    path("members/<int:member_pk>/cards/new/", card_issue, name="card_issue"),
    path("cards/<int:pk>/activate/", card_activate, name="card_activate"),
    path("cards/<int:pk>/lost/", card_report_lost, name="card_report_lost"),
    path("cards/<int:pk>/replace/", card_replace, name="card_replace"),
]
