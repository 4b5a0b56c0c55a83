"""Writes of the congress app's records besides motions: rationalisation suggestions (合理化
建议) and their evaluation, and the items a congress session reviews (审议事项) with their
votes. Re-exported by congress.services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from unionportal.core.audit import audit_event

from .models import (
    CongressSession,
    ItemOutcome,
    ReviewedItem,
    Suggestion,
    SuggestionStatus,
)

# --- Suggestions ----------------------------------------------------------------------------


@transaction.atomic
def suggestion_create(
    *, actor, submitter: Member, title: str, body: str, received_on: date | None = None
) -> Suggestion:
    suggestion = Suggestion.objects.create(
        organisation=submitter.organisation,
        submitter=submitter,
        title=title,
        body=body,
        received_on=received_on or timezone.localdate(),
    )
    audit_event(suggestion, "suggestion.create", actor=actor)
    return suggestion


@transaction.atomic
def suggestion_evaluate(
    *,
    actor,
    suggestion: Suggestion,
    adopted: bool,
    reason: str,
    benefit: Decimal | None = None,
) -> None:
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != SuggestionStatus.RECEIVED:
        raise ValidationError(_("This suggestion has already been evaluated."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the evaluation.")})
    if benefit is not None and benefit < 0:
        raise ValidationError({"benefit": _("The benefit cannot be negative.")})
    suggestion.status = SuggestionStatus.ADOPTED if adopted else SuggestionStatus.NOT_ADOPTED
    suggestion.reason = reason.strip()
    suggestion.benefit = benefit if adopted else None
    suggestion.evaluated_by = actor
    suggestion.evaluated_at = timezone.now()
    suggestion.save()
    audit_event(suggestion, "suggestion.evaluate", actor=actor, status=suggestion.status)


# --- Reviewed items -------------------------------------------------------------------------


def vote_outcome(*, votes_for: int, delegates: int) -> str:
    """Adopted with more than half of all delegates (not of those present or voting)."""
    return ItemOutcome.ADOPTED if votes_for * 2 > delegates else ItemOutcome.NOT_ADOPTED


@transaction.atomic
def reviewed_item_record(
    *,
    actor,
    session: CongressSession,
    title: str,
    kind: str,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
) -> ReviewedItem:
    if session.quorum_met() is not True:
        raise ValidationError(
            _("Resolutions are recorded only when the attendance reaches the quorum.")
        )
    if votes_for + votes_against + votes_abstain > session.delegates_present:
        raise ValidationError(_("There are more votes than delegates present."))
    item = ReviewedItem.objects.create(
        session=session,
        organisation=session.organisation,
        title=title,
        kind=kind,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        outcome=vote_outcome(votes_for=votes_for, delegates=session.delegates_expected),
        recorded_by=actor,
    )
    audit_event(item, "congress.item_record", actor=actor, outcome=item.outcome)
    return item
