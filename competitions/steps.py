"""Where a nomination round (荣誉推荐) is, who acts next and by when: the step indicator's
data (unionportal/core/steps.py) from the round's status. The organiser runs the round: the
unions with a quota nominate, the organiser puts the list on public notice and, once the
notice is over, records the outcome (the same gate nominations.decide_wait refuses with)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionportal.core.steps import Actor, Deadline, Progress, linear, long_date

from .models import NominationRound, RoundStatus
from .nominations import decide_wait

ROUND_STEPS = (
    gettext_lazy("Nomination"),
    gettext_lazy("Public notice"),
    gettext_lazy("Award decision"),
)


def round_progress(round_: NominationRound, today: date | None = None) -> Progress:
    today = today or timezone.localdate()
    organiser = round_.organiser.name
    if round_.status == RoundStatus.OPEN:
        return Progress(linear(ROUND_STEPS, 0), Actor(organiser, _("start the public notice")))
    if round_.status == RoundStatus.NOTICE:
        notice = Deadline(_("Public notice until"), round_.notice_to)
        if decide_wait(round_, today):
            until = {1: _("until %(day)s") % {"day": long_date(round_.notice_to)}}
            opens = round_.notice_to + timedelta(days=1)
            actor = Actor(organiser, _("decide the awards"), from_day=opens)
            return Progress(linear(ROUND_STEPS, 1, notes=until), actor, notice)
        return Progress(linear(ROUND_STEPS, 2), Actor(organiser, _("decide the awards")), notice)
    return Progress(linear(ROUND_STEPS, len(ROUND_STEPS)))
