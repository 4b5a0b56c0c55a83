"""Where a membership transfer is, who acts next and since when: the step indicator's data
(unionportal/core/steps.py) from the transfer's status and its two unions."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionportal.core.steps import Actor, Deadline, Progress, State, linear, long_date

from .models import Transfer, TransferStatus
from .services.transfers import starting_organisation

TRANSFER_STEPS = (
    gettext_lazy("Request"),
    gettext_lazy("Confirmation by the other union"),
    gettext_lazy("Transfer completed"),
)


def transfer_progress(transfer: Transfer) -> Progress:
    starter = starting_organisation(transfer)
    notes = {0: starter.name}
    if transfer.status == TransferStatus.REQUESTED:
        since = Deadline(_("Open since"), timezone.localdate(transfer.requested_at))
        actor = Actor(transfer.deciding_organisation.name, _("confirm the transfer"))
        return Progress(linear(TRANSFER_STEPS, 1, notes=notes), actor, since)
    decided = long_date(timezone.localdate(transfer.decided_at)) if transfer.decided_at else ""
    if transfer.status == TransferStatus.ACCEPTED:
        notes[2] = decided
        return Progress(linear(TRANSFER_STEPS, len(TRANSFER_STEPS), notes=notes))
    notes[1] = decided
    if transfer.status == TransferStatus.REJECTED:
        return Progress(linear(TRANSFER_STEPS, 1, stopped=State.REJECTED, notes=notes))
    cancelled = _("Cancelled by %(union)s.") % {"union": starter.name}
    steps = linear(TRANSFER_STEPS, 1, stopped=State.SKIPPED, notes=notes)
    return Progress(steps, outcome=cancelled)
