"""The step indicator of a workflow page (ux.md "Workflow"): where the case is, who acts next,
and by when.

The component knows nothing of any workflow. Each app turns its own statuses into a
`Progress` (in `<app>/steps.py`, next to its services) and the page shows it with

    {% load steps %}{% step_indicator progress %}

which renders templates/_steps.html. docs/architecture.md "The step indicator" has the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


class State(StrEnum):
    DONE = "done"
    CURRENT = "current"
    UPCOMING = "upcoming"
    SKIPPED = "skipped"
    REJECTED = "rejected"


def state_label(state: str) -> str:
    """The state in words, so that it is never told by colour alone."""
    return {
        State.DONE: _("done"),
        State.CURRENT: _("current step"),
        State.UPCOMING: _("not yet"),
        State.SKIPPED: _("skipped"),
        State.REJECTED: _("not passed"),
    }[State(state)]


def long_date(day: date) -> str:
    """2026年12月2日 (ux.md: the date as written in a sentence or a notice)."""
    return dateformat.format(day, pgettext("date in a sentence", "F j, Y"))


@dataclass(frozen=True)
class Step:
    label: str
    state: State = State.UPCOMING
    note: str = ""  # a short line under the label: "至 2026年3月9日", "退回修改"

    @property
    def state_text(self) -> str:
        return state_label(self.state)

    @property
    def is_current(self) -> bool:
        return self.state == State.CURRENT


@dataclass(frozen=True)
class Actor:
    """Who acts next and what they do: `who` is an organisation (and role) in words, `action`
    a verb ("审核"). A `draft` tells its author who submits it; `from_day` says the action is
    possible only from that day on (the end of a public notice)."""

    who: str
    action: str
    draft: bool = False
    from_day: date | None = None

    @property
    def sentence(self) -> str:
        params = {"who": self.who, "action": self.action}
        if self.draft:
            return _("Draft: %(who)s is to %(action)s it.") % params
        if self.from_day is not None:
            return _("From %(day)s, %(who)s can %(action)s.") % {
                **params,
                "day": long_date(self.from_day),
            }
        return _("Waiting for %(who)s to %(action)s.") % params


@dataclass(frozen=True)
class Deadline:
    """A date that matters now: the end of a notice, an answer or report due, or simply
    since when a case has been open. `overdue` marks a due date that has passed."""

    label: str
    day: date
    overdue: bool = False

    @property
    def text(self) -> str:
        return long_date(self.day)


@dataclass(frozen=True)
class Progress:
    steps: tuple[Step, ...]
    next_actor: Actor | None = None
    deadline: Deadline | None = None
    outcome: str = ""  # how a finished case ended, when the steps alone do not say it

    @property
    def current(self) -> Step | None:
        return next((s for s in self.steps if s.is_current), None)


def linear(
    labels: Sequence[str],
    current: int,
    *,
    stopped: State | None = None,
    notes: dict[int, str] | None = None,
) -> tuple[Step, ...]:
    """Steps in a row: those before `current` done, `current` the current one, those after it
    to come; `current == len(labels)` means every step is done. A case that ended early
    (`stopped` REJECTED or SKIPPED) shows that state at `current` and skips the rest."""
    if stopped not in (None, State.REJECTED, State.SKIPPED):
        raise ValueError("a case stops as rejected or skipped")
    notes = notes or {}
    steps = []
    for i, label in enumerate(labels):
        if i < current:
            state = State.DONE
        elif i == current:
            state = stopped or State.CURRENT
        else:
            state = State.SKIPPED if stopped else State.UPCOMING
        steps.append(Step(str(label), state, notes.get(i, "")))
    return tuple(steps)
