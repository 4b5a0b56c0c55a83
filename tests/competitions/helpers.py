"""Builders for competitions in a given state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from competitions import services
from competitions.models import Competition, CompetitionStatus, Judge
from tests.factories import MemberFactory, UserFactory

D = Decimal


def make_competition(organiser, *, status="planned", criteria=None, judges=()):
    competition = Competition.objects.create(
        organiser=organiser,
        name="青工技能大赛",
        field="vocational",
        kind="skills",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 6, 30),
        registration_opens=date(2026, 3, 1),
        registration_closes=date(2026, 3, 31),
    )
    for name, weight, low, high in criteria or [("实操", 60, 0, 100), ("理论", 40, 0, 100)]:
        competition.criteria.create(name=name, weight=D(weight), min_score=low, max_score=high)
    for user in judges:
        Judge.objects.create(competition=competition, user=user)
    competition.status = status
    competition.save()
    return competition


def add_entry(competition, union, member=None):
    return competition.entries.create(
        organisation=union,
        member=member or MemberFactory(organisation=union),
        registered_on=date(2026, 3, 10),
    )


def judges(n):
    return [UserFactory(username=f"judge{i}") for i in range(n)]


def score_all(competition, table):
    """table: {entry: {judge_user: [value per criterion]}}"""
    criteria = list(competition.criteria.all())
    for entry, by_judge in table.items():
        for user, values in by_judge.items():
            judge = Judge.objects.get(competition=competition, user=user)
            services.score_entry(
                actor=user,
                judge=judge,
                entry=entry,
                values={c.pk: D(str(v)) for c, v in zip(criteria, values, strict=True)},
            )


__all__ = ["CompetitionStatus", "D", "add_entry", "judges", "make_competition", "score_all"]
