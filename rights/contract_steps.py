"""Where a collective contract is: 要约 → 协商 → 审议通过 → 签订 → 报送 → 生效, who acts next and
by when (the step indicator, unionportal/core/steps.py)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionportal.core.steps import Actor, Deadline, Progress, State, linear, long_date

from .models import CollectiveContract, ContractStatus

S = ContractStatus
CONTRACT_STEPS = (
    gettext_lazy("Request to negotiate"),
    gettext_lazy("Negotiation"),
    gettext_lazy("Approval of the draft"),
    gettext_lazy("Signing"),
    gettext_lazy("Sending to the labour bureau"),
    gettext_lazy("In force"),
)


def contract_progress(c: CollectiveContract, today: date | None = None) -> Progress:
    today = today or timezone.localdate()
    union = c.organisation.name
    if c.status == S.NEGOTIATING:
        at = 0 if not c.offered_on else 1 if not c.rounds else 2 if not c.voted_on else 3
        actions = (
            _("request the negotiation"),
            _("record the negotiation rounds"),
            _("have the draft approved"),
            _("record the signing"),
        )
        return Progress(linear(CONTRACT_STEPS, at), Actor(union, actions[at]))
    if c.status == S.SIGNED:
        late = today > c.send_by
        return Progress(
            linear(CONTRACT_STEPS, 4),
            Actor(union, _("send it to the labour bureau")),
            Deadline(_("Send by"), c.send_by, overdue=late),
        )
    if c.status == S.SENT:
        if c.in_force_on and c.in_force_on <= today:
            return Progress(
                linear(CONTRACT_STEPS, len(CONTRACT_STEPS)),
                outcome=_("In force from %(day)s: no objection within the review.")
                % {"day": long_date(c.in_force_on)},
            )
        deadline = None
        if c.in_force_on:
            last = c.in_force_on - timedelta(days=1)
            deadline = Deadline(_("The labour bureau's review ends"), last)
        return Progress(
            linear(CONTRACT_STEPS, 5),
            Actor(_("the labour bureau"), _("review it")),
            deadline,
        )
    if c.status == S.OBJECTED:
        return Progress(
            linear(CONTRACT_STEPS, 5, stopped=State.REJECTED),
            outcome=_("Objected by the labour bureau on %(day)s.")
            % {"day": long_date(c.outcome_on)},
        )
    return Progress(
        linear(CONTRACT_STEPS, len(CONTRACT_STEPS)),
        outcome=_("In force from %(day)s.") % {"day": long_date(c.in_force_on)},
    )
