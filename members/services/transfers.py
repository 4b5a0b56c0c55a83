"""Membership transfers (会员关系接转, domain.md C): "join once, membership follows the job".

Either union may start a transfer; the other one decides. Accepting moves the member to the
receiving union in one transaction; the Transfer row is the history, and past records (dues,
relief, ...) keep the organisation they happened in.

The receiving union cannot see the member it asks for: it holds a signed token from the
one-membership check (services.members.transfer_token). Reading the member through that token
is the one cross-scope read allowed here, and it is audited.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unionportal.core.audit import audit_event

from .. import access, history
from ..models import Member, Organisation, SpellStart, Transfer, TransferStatus, User
from .members import grassroots_of, member_from_transfer_token

__all__ = [
    "starting_organisation",
    "transfer_accept",
    "transfer_accept_problem",
    "transfer_cancel",
    "transfer_member_from_token",
    "transfer_reject",
    "transfer_request",
    "transfers_awaiting_decision",
    "transfers_by_direction",
]

Side = Transfer.Side


# --- Reads ----------------------------------------------------------------------------------
# Transfers have two organisations, so their scoping reads live here beside the writes rather
# than on the model's queryset (Transfer.objects.in_scope covers "either side").


def starting_organisation(transfer: Transfer) -> Organisation:
    """The side that started the transfer (and may cancel it)."""
    if transfer.started_by_side == Side.SENDING:
        return transfer.from_organisation
    return transfer.to_organisation


def _under(field: str, paths: list[str]) -> Q:
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__path__startswith": p}) for p in paths))


def transfers_by_direction(user, queryset: QuerySet, direction: str) -> QuerySet:
    """`incoming`: members coming into the user's unions; `outgoing`: members leaving them.
    A county officer over both unions sees a transfer in both."""
    paths = access.scope_paths(user)
    field = "to_organisation" if direction == "incoming" else "from_organisation"
    return queryset.filter(_under(field, paths))


def transfers_awaiting_decision(user, queryset: QuerySet | None = None) -> QuerySet:
    """Open transfers that the user may accept or reject: those whose deciding side (the one
    that did not start it) lies where the user holds member.edit."""
    queryset = Transfer.objects.all() if queryset is None else queryset
    paths = access.scope_paths(user, "member.edit")
    if not paths:
        return queryset.none()
    return queryset.filter(status=TransferStatus.REQUESTED).filter(
        (Q(started_by_side=Side.SENDING) & _under("to_organisation", paths))
        | (Q(started_by_side=Side.RECEIVING) & _under("from_organisation", paths))
    )


def transfer_member_from_token(*, actor: User, token: str) -> Member:
    """The member a receiving union asks for, from the one-membership check's signed token.
    Crosses scopes (architecture.md allows it for the other side of a transfer): audited."""
    if not access.can(actor, "member.edit"):
        raise PermissionDenied
    try:
        member = member_from_transfer_token(token)
    except Member.DoesNotExist:
        raise ValidationError(
            _("The transfer link has expired; search the ID number again.")
        ) from None
    audit_event(member, "transfer.token_read", actor=actor)
    return member


# --- Writes ---------------------------------------------------------------------------------


def _check_destination(member: Member, to: Organisation) -> None:
    if not to.holds_members:
        raise ValidationError(
            {
                "to_organisation": _(
                    "A member transfers to a grassroots union or one of its branches, or to "
                    "a township, park or county union that holds members, not to %(kind)s."
                )
                % {"kind": to.kind_display()}
            }
        )
    if not to.active:
        raise ValidationError(
            {"to_organisation": _("That union has been dissolved; choose an active one.")}
        )
    if to.pk == member.organisation_id:
        raise ValidationError(
            {"to_organisation": _("The member already belongs to %(union)s.") % {"union": to}}
        )
    if grassroots_of(to).pk == grassroots_of(member.organisation).pk:
        raise ValidationError(
            {
                "to_organisation": _(
                    "That is a branch of the member's own union: change the member's union on "
                    "the member's form instead of transferring."
                )
            }
        )


def _open_transfer_error(member: Member) -> ValidationError:
    return ValidationError(
        _("%(name)s already has an open transfer. Wait for it to be decided, or cancel it first.")
        % {"name": member.name}
    )


def _side_of(actor: User | None, member: Member, to: Organisation, side: str | None) -> str:
    """Which side the actor acts for: the sending union if the member is theirs to edit,
    otherwise the receiving union."""
    if actor is None:
        if side is None:
            raise ValueError("a transfer without an actor must name its side")
        return side
    if side in (None, Side.SENDING) and access.can(actor, "member.edit", member.organisation):
        return Side.SENDING
    if side in (None, Side.RECEIVING) and access.can(actor, "member.edit", to):
        return Side.RECEIVING
    raise PermissionDenied


@transaction.atomic
def transfer_request(
    *,
    actor: User | None,
    member: Member,
    to_organisation: Organisation,
    reason: str,
    side: str | None = None,
) -> Transfer:
    """Start a transfer of `member` to `to_organisation`, for the sending union (the member
    is the actor's) or for the receiving union (`to_organisation` is the actor's)."""
    locked = (
        Member.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=member.pk)
    )
    to = Organisation.objects.get(pk=to_organisation.pk)
    started_by = _side_of(actor, locked, to, side)
    if not locked.is_current:
        raise ValidationError(
            _("Only current members can be transferred; %(name)s is %(status)s.")
            % {"name": locked.name, "status": locked.get_status_display()}
        )
    _check_destination(locked, to)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for the transfer, e.g. the member changed jobs.")}
        )
    if Transfer.objects.open().filter(member=locked).exists():
        raise _open_transfer_error(locked)
    transfer = Transfer(
        member=locked,
        from_organisation=locked.organisation,
        to_organisation=to,
        started_by_side=started_by,
        reason=reason,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError:
        # Another request for the same member won the race: the constraint is the last word.
        raise _open_transfer_error(locked) from None
    audit_event(
        transfer,
        "transfer.request",
        actor=actor,
        side=started_by,
        member=locked.pk,
        cross_scope=started_by == Side.RECEIVING,
    )
    return transfer


def _lock_open(transfer: Transfer) -> Transfer:
    """Lock the transfer row, then check it is still open: of two decisions at once, the
    second waits here and then finds it decided."""
    locked = (
        # of=self: lock the transfer row only, not the joined organisations.
        Transfer.objects.select_for_update(of=("self",))
        .select_related("from_organisation", "to_organisation")
        .get(pk=transfer.pk)
    )
    if locked.status != TransferStatus.REQUESTED:
        raise ValidationError(
            _("This transfer has already been decided (%(status)s); reload the page.")
            % {"status": locked.get_status_display()},
            code="already_decided",
        )
    return locked


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def _close(transfer: Transfer, *, actor: User | None, status: str, reason: str = "") -> None:
    transfer.status = status
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.decision_reason = reason
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_event(
        transfer,
        f"transfer.{status}",
        changes={"status": [TransferStatus.REQUESTED.value, status]},
        actor=actor,
        reason=reason,
    )


def transfer_accept_problem(transfer: Transfer, member: Member) -> str | None:
    """Why an open transfer cannot be accepted (the member or a union changed since it was
    asked for), or None. The transfer page asks the same to offer only what would pass."""
    if not member.is_current:
        return _(
            "%(name)s is no longer a current member (%(status)s); reject the transfer instead."
        ) % {"name": member.name, "status": member.get_status_display()}
    if member.organisation_id != transfer.from_organisation_id:
        return _("%(name)s no longer belongs to %(union)s; reject the transfer instead.") % {
            "name": member.name,
            "union": transfer.from_organisation,
        }
    if not transfer.to_organisation.active:
        return _("%(union)s has been dissolved; reject the transfer.") % {
            "union": transfer.to_organisation
        }
    return None


@transaction.atomic
def transfer_accept(*, actor: User | None, transfer: Transfer) -> Transfer:
    """The deciding side accepts: the member moves to the receiving union, atomically."""
    locked = _lock_open(transfer)
    if actor is not None:
        access.require(actor, "member.edit", locked.deciding_organisation)
    member = Member.objects.select_for_update().get(pk=locked.member_id)
    problem = transfer_accept_problem(locked, member)
    if problem:
        raise ValidationError(problem)
    to = locked.to_organisation
    member.organisation = to
    member.version += 1
    member.save(update_fields=["organisation", "version", "updated_at"])
    _close(locked, actor=actor, status=TransferStatus.ACCEPTED)
    # The member counts in the receiving union from the day of the decision.
    history.record_state(
        member, on=timezone.localtime(locked.decided_at).date(), started_by=SpellStart.TRANSFER
    )
    audit_event(
        member,
        "member.transfer",
        changes={"organisation": [str(locked.from_organisation), str(to)]},
        actor=actor,
        transfer=locked.pk,
    )
    return locked


@transaction.atomic
def transfer_reject(*, actor: User | None, transfer: Transfer, reason: str) -> Transfer:
    """The deciding side refuses, saying why."""
    locked = _lock_open(transfer)
    if actor is not None:
        access.require(actor, "member.edit", locked.deciding_organisation)
    reason = _require_reason(reason, _("Give the reason for rejecting the transfer."))
    _close(locked, actor=actor, status=TransferStatus.REJECTED, reason=reason)
    return locked


@transaction.atomic
def transfer_cancel(*, actor: User | None, transfer: Transfer, reason: str) -> Transfer:
    """The side that started the transfer withdraws it, saying why."""
    locked = _lock_open(transfer)
    if actor is not None:
        access.require(actor, "member.edit", starting_organisation(locked))
    reason = _require_reason(reason, _("Give the reason for cancelling the transfer."))
    _close(locked, actor=actor, status=TransferStatus.CANCELLED, reason=reason)
    return locked
