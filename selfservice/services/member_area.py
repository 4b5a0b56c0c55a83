"""What a member does on their own pages: activate the service card, ask for a transfer,
submit a request or consultation (a case of the rights casework, channel online, received by
their union) or a rationalisation suggestion (their union's congress), and follow them.

Each write runs as the system on the member's behalf (the member holds no staff role) and
writes its own audit row naming the member's account."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import services as congress_services
from congress.models import Suggestion
from members.models import CardStatus, Member, Organisation, ServiceCard, Transfer
from members.services import card_activate, grassroots_of, transfer_request
from rights import services as rights_services
from rights.models import Case, CaseKind, Category, Channel
from unionportal.core.audit import audit_event

from ..models import MemberAccount


def _member(account: MemberAccount) -> Member:
    return Member.objects.select_related("organisation").get(pk=account.member_id)


def receiving_union(member: Member) -> Organisation:
    """The union that receives a member's request: their grassroots union (or the township
    or park union that holds them)."""
    return grassroots_of(member.organisation)


@transaction.atomic
def own_card_activate(*, account: MemberAccount, card_pk: int) -> ServiceCard:
    card = ServiceCard.objects.filter(
        pk=card_pk, member_id=account.member_id, status=CardStatus.ISSUED
    ).first()
    if card is None:
        raise ValidationError(_("There is no card of yours waiting to be activated."))
    card = card_activate(actor=None, card=card, on=timezone.localdate())
    audit_event(card, "member.card_activated_own", actor=account.user)
    return card


@transaction.atomic
def own_transfer_request(*, account: MemberAccount, to: Organisation, reason: str) -> Transfer:
    """A member who changed jobs asks to move to the new employer's union: the transfer is
    started for the member's present union, and the new union accepts it as today."""
    member = _member(account)
    transfer = transfer_request(
        actor=None,
        member=member,
        to_organisation=to,
        reason=(reason or "").strip()
        and _("Asked by the member online: %(reason)s") % {"reason": reason.strip()},
        side=Transfer.Side.SENDING,
    )
    audit_event(transfer, "member.transfer_asked_own", actor=account.user, member=member.pk)
    return transfer


def own_transfers(account: MemberAccount) -> QuerySet[Transfer]:
    return Transfer.objects.filter(member_id=account.member_id).select_related(
        "from_organisation", "to_organisation"
    )


@transaction.atomic
def own_case_submit(
    *, account: MemberAccount, kind: str, category: Category | None, request: str, token=None
) -> Case:
    member = _member(account)
    if category is None:
        raise ValidationError({"category": _("Choose a subject from the list.")})
    if kind not in CaseKind.values:
        raise ValidationError({"kind": _("Choose whether it is a request or a consultation.")})
    case = rights_services.case_register(
        actor=None,
        received_by=receiving_union(member),
        channel=Channel.ONLINE,
        received_on=timezone.localdate(),
        category=category,
        request=request,
        kind=kind,
        member=member,
        token=token,
    )
    audit_event(case, "member.case_submitted_own", actor=account.user, member=member.pk)
    return case


def own_cases(account: MemberAccount) -> QuerySet[Case]:
    return Case.objects.filter(member_id=account.member_id, channel=Channel.ONLINE).select_related(
        "received_by", "handler", "category"
    )


@transaction.atomic
def own_suggestion_submit(*, account: MemberAccount, title: str, body: str) -> Suggestion:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the suggestion a title.")
    elif len(title.strip()) > 200:
        errors["title"] = _("The title is too long.")
    if not (body or "").strip():
        errors["body"] = _("Describe your suggestion.")
    if errors:
        raise ValidationError(errors)
    member = _member(account)
    suggestion = congress_services.suggestion_create(
        actor=None, submitter=member, title=title.strip(), body=body.strip()
    )
    audit_event(suggestion, "member.suggestion_submitted_own", actor=account.user)
    return suggestion


def own_suggestions(account: MemberAccount) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(submitter_id=account.member_id)


def certificate_number(member: Member) -> str:
    """The 会员证 number: the year of joining and the member's record number."""
    return f"YC{member.joined_on:%Y}{member.pk:08d}"
