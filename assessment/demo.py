"""Demo 六有六好 data: last year's round finished (every union confirmed, most meeting the
standard, two named exemplary) and this year's round in progress, with assessments in every
state (the `chair` login's union still has its self-assessment to do).

`seed(today)` is idempotent: a round that exists is left as it is. It runs before the reporting
demo, whose rollups then carry the share into the dashboard."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.db import transaction

from members.models import Organisation, User

from . import services
from .models import Assessment, AssessmentStatus, ItemScore, Round, ScoringKind

S = AssessmentStatus


def _score(assessment: Assessment, rng: random.Random, *, weak: bool) -> None:
    """Hand items scored by the union (a weak one leaves an area short); computed items as the
    records say."""
    services.refresh_computed(assessment)
    weak_area = rng.choice(assessment.round.standard["areas"])["code"] if weak else ""
    rows = {s.item_code: s for s in assessment.scores.all()}
    for area in assessment.round.standard["areas"]:
        for item in area["items"]:
            row = rows[item["code"]]
            points = Decimal(item["points"])
            if item["kind"] == ScoringKind.COMPUTED:
                # The demo's records do not cover every source: the union's own account, which
                # the reviewer confirms.
                row.self_score = points if not weak or rng.random() < 0.5 else Decimal(0)
            elif area["code"] == weak_area:
                row.self_score = Decimal(0)
            elif item["kind"] == ScoringKind.YES_NO:
                row.self_score = points if rng.random() < 0.95 else Decimal(0)
            else:
                row.self_score = max(Decimal(0), points - rng.choice([0, 0, 0, 1]))
    ItemScore.objects.bulk_update(rows.values(), ["self_score"])


def _take(a: Assessment, to: str, rng, *, weak: bool, reviewer, confirmer, day: date) -> None:
    _score(a, rng, weak=weak)
    a.self_total = services.result_of(a, self_only=True).total
    Assessment.objects.filter(pk=a.pk).update(self_total=a.self_total)
    if to == S.DRAFT:
        return
    Assessment.objects.filter(pk=a.pk).update(status=S.SUBMITTED, total=a.self_total)
    a.refresh_from_db()
    if to == S.SUBMITTED:
        return
    if to == S.RETURNED:
        services.return_to_union(actor=reviewer, assessment=a, reason="请补充职代会会议记录")
        return
    code = next(i["code"] for i in services.items_of(a.round) if i["kind"] == "scale")
    row = a.scores.get(item_code=code)
    if row.self_score and rng.random() < 0.3:
        services.review_score(
            actor=reviewer,
            assessment=a,
            item_code=code,
            score=row.self_score - 1,
            reason="现场检查：台账记录不完整",
        )
    services.accept(actor=reviewer, assessment=a)
    if to == S.CONFIRMED:
        passed = services.result_of(a).passed
        services.confirm(
            actor=confirmer, assessment=a, exemplary=passed and rng.random() < 0.06, today=day
        )


@transaction.atomic
def seed(today: date) -> int:
    root = Organisation.get_root_nodes().first()
    if root is None:
        return 0
    staff = User.objects.filter(username="staff").first()
    admin = User.objects.filter(username="admin").first()
    rng = random.Random(18)
    made = 0
    last, this = today.year - 1, today.year
    if not Round.objects.filter(year=last, organisation=root).exists():
        round_ = services.round_open(
            actor=None,
            organisation=root,
            name=f"{last}年度基层工会“六有六好”考评",
            year=last,
            starts_on=date(last, 3, 1),
            ends_on=date(last, 12, 31),
            self_due_on=date(last, 10, 31),
        )
        for a in round_.assessments.order_by("organisation__path"):
            _take(
                a,
                S.CONFIRMED,
                rng,
                weak=rng.random() < 0.15,
                reviewer=staff,
                confirmer=admin,
                day=date(last, 12, 20),
            )
        services.round_finish(actor=None, round_=round_, today=date(last, 12, 31))
        made += round_.assessments.count()
    if not Round.objects.filter(year=this, organisation=root).exists():
        round_ = services.round_open(
            actor=None,
            organisation=root,
            name=f"{this}年度基层工会“六有六好”考评",
            year=this,
            starts_on=date(this, 3, 1),
            ends_on=date(this, 12, 31),
            self_due_on=date(this, 12, 15),
        )
        states = [S.CONFIRMED, S.REVIEWED, S.SUBMITTED, S.CONFIRMED, S.DRAFT, S.RETURNED]
        chair = User.objects.filter(username="chair").first()
        chair_union = chair.organisation_id if chair else None
        day = min(today, date(this, 12, 31))
        for n, a in enumerate(round_.assessments.order_by("organisation__path")):
            to = S.DRAFT if a.organisation_id == chair_union else states[n % len(states)]
            _take(a, to, rng, weak=rng.random() < 0.15, reviewer=staff, confirmer=admin, day=day)
        made += round_.assessments.count()
    return made
