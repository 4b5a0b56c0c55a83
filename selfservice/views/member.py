"""The member's own pages (phone-first). Each reads through the member's account only: the
account's member, never an id from the URL, so member A cannot reach member B's rows."""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from competitions.models import Honour
from members.models import DuesRecord, ServiceCard
from rights.steps import case_progress
from welfare.models import ReliefApplication
from welfare.steps import relief_progress

from ..forms import CaseForm, MobileForm, SuggestionForm, TransferAskForm
from ..services import accounts, applications, member_area
from .public import _add_errors

DUES_MONTHS = 24


def member_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("selfservice:member_login"))
        account = accounts.account_of(request.user)
        if account is None:
            raise Http404
        request.member_account = account
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, template: str, **context):
    account = request.member_account
    context.setdefault("member", account.member)
    context["account"] = account
    return render(request, f"selfservice/{template}", context)


@member_required
def me(request):
    return _page(
        request,
        "me.html",
        certificate=member_area.certificate_number(request.member_account.member),
    )


@member_required
@require_POST
def me_reveal(request):
    field = "resident_id" if request.POST.get("field") == "resident_id" else "phone"
    value = accounts.reveal_own(account=request.member_account, field=field)
    return _page(
        request,
        "me.html",
        certificate=member_area.certificate_number(request.member_account.member),
        revealed={"field": field, "value": value},
    )


@member_required
def me_certificate(request):
    member = request.member_account.member
    return _page(request, "certificate.html", certificate=member_area.certificate_number(member))


@member_required
def me_card(request):
    cards = ServiceCard.objects.filter(member=request.member_account.member).order_by("-issued_on")
    return _page(request, "card.html", cards=cards)


@member_required
@require_POST
def me_card_activate(request):
    try:
        card_pk = int(request.POST.get("card", "0"))
        member_area.own_card_activate(account=request.member_account, card_pk=card_pk)
    except (ValueError, ValidationError) as exc:
        messages.error(request, getattr(exc, "messages", [_("Choose a card.")])[0])
    else:
        messages.success(request, _("Your service card is activated."))
    return redirect("selfservice:me_card")


@member_required
def me_dues(request):
    dues = DuesRecord.objects.filter(member=request.member_account.member).order_by("-month")[
        :DUES_MONTHS
    ]
    return _page(request, "dues.html", dues=dues)


@member_required
def me_relief(request):
    apps = ReliefApplication.objects.filter(member=request.member_account.member).select_related(
        "organisation"
    )
    return _page(request, "relief.html", rows=[(a, relief_progress(a)) for a in apps])


@member_required
def me_honours(request):
    honours = (
        Honour.objects.filter(member=request.member_account.member)
        .select_related("kind")
        .order_by("-awarded_on")
    )
    return _page(request, "honours.html", honours=honours)


@member_required
@sensitive_post_parameters("mobile")
def me_mobile(request):
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.mobile_update(
                account=request.member_account, mobile=form.cleaned_data["mobile"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your mobile number is changed; log in with it next time."))
            return redirect("selfservice:me")
    return _page(request, "mobile.html", form=form)


@member_required
def me_transfer(request):
    form = TransferAskForm(request.POST or None)
    matches = []
    if request.method == "POST" and form.is_valid():
        matches = applications.employer_unions(form.cleaned_data["employer"])
        picked = form.cleaned_data.get("union")
        to = next((o for o in matches if o.pk == picked), None) if picked else None
        if to is None and len(matches) == 1 and "search" not in request.POST:
            to = matches[0]
        if to is None:
            if not matches:
                form.add_error("employer", _("No union of that employer was found."))
            elif "search" not in request.POST:
                form.add_error("employer", _("Several unions match: choose yours below."))
        else:
            try:
                member_area.own_transfer_request(
                    account=request.member_account, to=to, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("Your request is sent; the unions will carry out the transfer.")
                )
                return redirect("selfservice:me_transfer")
    transfers = member_area.own_transfers(request.member_account)
    return _page(request, "transfer.html", form=form, matches=matches, transfers=transfers)


@member_required
def me_requests(request):
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = member_area.own_case_submit(
                account=request.member_account,
                kind=form.cleaned_data["kind"],
                category=form.cleaned_data["category"],
                request=form.cleaned_data["request"],
                token=_token(request.POST.get("token")),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Received as case %(number)s.") % {"number": case.number})
            return redirect("selfservice:me_requests")
    cases = member_area.own_cases(request.member_account)
    return _page(
        request,
        "requests.html",
        form=form,
        rows=[(c, case_progress(c)) for c in cases],
        token=uuid.uuid4(),
    )


def _token(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@member_required
def me_suggestions(request):
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_area.own_suggestion_submit(account=request.member_account, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your suggestion is sent to your union's congress."))
            return redirect("selfservice:me_suggestions")
    return _page(
        request,
        "suggestions.html",
        form=form,
        suggestions=member_area.own_suggestions(request.member_account),
    )
