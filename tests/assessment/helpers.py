"""Shared helpers of the assessment tests: a round over the city, scoring a union fully."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assessment import services
from assessment.models import Assessment, Round, ScoringKind

YEAR = 2026


def open_round(city, actor=None, **kw) -> Round:
    defaults = {
        "organisation": city.city,
        "name": f"{YEAR}年度六有六好考评",
        "year": YEAR,
        "starts_on": date(YEAR, 3, 1),
        "ends_on": date(YEAR, 12, 31),
        "self_due_on": date(YEAR, 6, 30),
    }
    return services.round_open(actor=actor, **{**defaults, **kw})


def hand_items(round_: Round) -> list[dict]:
    return [i for i in services.items_of(round_) if i["kind"] != ScoringKind.COMPUTED]


def full_marks(round_: Round) -> dict[str, str]:
    return {i["code"]: i["points"] for i in hand_items(round_)}


def score_all(assessment: Assessment, actor, values: dict | None = None) -> Assessment:
    """Self-score every hand item (full marks unless told) and submit."""
    values = {**full_marks(assessment.round), **(values or {})}
    services.self_score_save(actor=actor, assessment=assessment, values=values)
    return services.submit(actor=actor, assessment=assessment)


def take_to_confirmed(assessment, chair, reviewer, confirmer, values=None, exemplary=False):
    score_all(assessment, chair, values)
    services.accept(actor=reviewer, assessment=assessment)
    return services.confirm(
        actor=confirmer, assessment=assessment, exemplary=exemplary, today=date(YEAR, 11, 1)
    )


def set_computed(assessment: Assessment, met: bool) -> None:
    """Give every computed item full or no points directly (tests of the scoring alone)."""
    for item in services.items_of(assessment.round):
        if item["kind"] == ScoringKind.COMPUTED:
            assessment.scores.filter(item_code=item["code"]).update(
                self_score=Decimal(item["points"]) if met else Decimal(0)
            )
