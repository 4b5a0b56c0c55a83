"""A judge's sheet and the scores a judge gives: one entry at a time (score_entry) or the
whole sheet in one save (score_sheet, issue 20 item 9). Re-exported by competitions.services."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from unionportal.core.audit import audit_event
from unionportal.core.templatetags.figures import number_text

from .models import Competition, CompetitionStatus, Entry, Judge, Score
from .scoring import conflict_units, recused, role_paths


def judge_sheet(*, judge: Judge) -> list[dict]:
    """The entries assigned to a judge with the judge's scores: the one cross-scope read of
    this app (architecture.md), audited. Names only, no identifiers."""
    competition = judge.competition
    roles = role_paths(judge.user_id)
    criteria = list(competition.criteria.all())
    scores = defaultdict(dict)
    for s in Score.objects.filter(judge=judge, entry__competition=competition):
        scores[s.entry_id][s.criterion_id] = s.value
    rows = []
    entries = competition.entries.select_related("member", "organisation").order_by("pk")
    assigned = set(judge.entries.values_list("pk", flat=True))
    if assigned:
        entries = entries.filter(pk__in=assigned)
    entries = list(entries)
    units = conflict_units(e.organisation for e in entries)
    for entry in entries:
        mine = scores.get(entry.pk, {})
        rows.append(
            {
                "entry": entry,
                "recused": recused(roles, units[entry.organisation_id]),
                "cells": [(c, mine.get(c.pk)) for c in criteria],
                "done": len(mine) == len(criteria),
            }
        )
    audit_event(competition, "competition.judge_sheet", actor=judge.user)
    return rows


def _entry_problem(competition: Competition, judge: Judge, entry: Entry, assigned, roles):
    """Why this judge may not score this entry now, or None."""
    if entry.competition_id != competition.pk:
        return _("This entry is not in the competition.")
    if competition.status != CompetitionStatus.JUDGING:
        return _("Scores can only be given while the competition is judging.")
    if assigned and entry.pk not in assigned:
        return _("This entry is not assigned to you.")
    unit = conflict_units([entry.organisation])[entry.organisation_id]
    if recused(roles, unit):
        return _("You hold a role in this entry's union and must stand aside.")
    return None


def _value_errors(criteria, values: dict[int, Decimal | None]) -> dict[str, str]:
    """One message per criterion whose value is missing, not a number (None in `values` for
    a field that was typed but could not be read) or outside the criterion's range."""
    errors = {}
    for c in criteria:
        value = values.get(c.pk, MISSING)
        if value is MISSING:
            errors[f"c{c.pk}"] = _("Give a score for %(name)s.") % {"name": c.name}
        elif value is None:
            errors[f"c{c.pk}"] = _("Scores must be numbers.")
        elif not c.min_score <= value <= c.max_score:
            errors[f"c{c.pk}"] = _("%(name)s is scored from %(min)s to %(max)s.") % {
                "name": c.name,
                "min": number_text(c.min_score),
                "max": number_text(c.max_score),
            }
    return errors


MISSING = object()


def _save_scores(actor, judge: Judge, entry: Entry, criteria, values) -> None:
    for c in criteria:
        Score.objects.update_or_create(
            entry=entry, judge=judge, criterion=c, defaults={"value": values[c.pk]}
        )
    audit_event(entry, "competition.score", actor=actor, judge=judge.user.username)


@transaction.atomic
def score_entry(*, actor, judge: Judge, entry: Entry, values: dict[int, Decimal]) -> None:
    """Record one judge's scores for one entry, one value per criterion, each within the
    criterion's range."""
    competition = Competition.objects.select_for_update().get(pk=judge.competition_id)
    assigned = set(judge.entries.values_list("pk", flat=True))
    problem = _entry_problem(competition, judge, entry, assigned, role_paths(judge.user_id))
    if problem:
        raise ValidationError(problem)
    criteria = list(competition.criteria.all())
    if errors := _value_errors(criteria, values):
        raise ValidationError(errors)
    _save_scores(actor, judge, entry, criteria, values)


class SheetErrors(ValidationError):
    """A judge sheet that cannot be saved: `by_entry` maps an entry's pk to its errors
    (field name "c<criterion pk>" or "__all__" -> message)."""

    def __init__(self, by_entry: dict[int, dict[str, str]]):
        super().__init__(_("Nothing was saved: correct the scores marked below."))
        self.by_entry = by_entry


@transaction.atomic
def score_sheet(*, actor, judge: Judge, sheet: dict[int, dict[int, Decimal | None]]) -> int:
    """Save a judge's whole sheet at once (issue 20 item 9): `sheet` maps an entry's pk to
    its values by criterion pk (None: typed but not a number; a criterion left out: blank).
    An entry left wholly blank is not scored yet and is skipped. Every other entry is
    checked as score_entry checks one; one bad entry saves nothing (SheetErrors). Returns
    how many entries were saved."""
    competition = Competition.objects.select_for_update().get(pk=judge.competition_id)
    criteria = list(competition.criteria.all())
    assigned = set(judge.entries.values_list("pk", flat=True))
    roles = role_paths(judge.user_id)
    entries = {
        e.pk: e for e in Entry.objects.filter(pk__in=list(sheet)).select_related("organisation")
    }
    errors: dict[int, dict[str, str]] = {}
    todo = []
    for entry_pk, values in sheet.items():
        if not values:
            continue
        entry = entries.get(entry_pk)
        problem = (
            _("This entry is not in the competition.")
            if entry is None
            else _entry_problem(competition, judge, entry, assigned, roles)
        )
        if problem:
            errors[entry_pk] = {"__all__": problem}
        elif entry_errors := _value_errors(criteria, values):
            errors[entry_pk] = entry_errors
        else:
            todo.append((entry, values))
    if errors:
        raise SheetErrors(errors)
    for entry, values in todo:
        _save_scores(actor, judge, entry, criteria, values)
    return len(todo)
