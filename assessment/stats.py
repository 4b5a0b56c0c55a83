"""Per-organisation 六有六好 figures (see members/stats.py for the shape) and the rows of the
round pages and the summary.

standards(start, end, within): for each grassroots union, its result of record on `end`: the
latest assessment the federation had confirmed by then (rounds in order of their start).
standard_assessed = 1 where there is one; standard_passed = 1 where it meets the standard.
The share of unions meeting the standard divides standard_passed by all grassroots unions
(members.stats.unions): an unassessed union has not passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When

from members.models import Organisation
from members.stats import unions_at

from .models import Assessment, AssessmentStatus, Round


def _confirmed_by(end: date) -> QuerySet:
    return Assessment.objects.filter(
        status=AssessmentStatus.CONFIRMED, confirmed_on__lte=end, round__starts_on__lte=end
    )


def standards(start: date, end: date, within: Organisation | None = None) -> QuerySet:
    latest = (
        _confirmed_by(end)
        .filter(organisation=OuterRef("pk"))
        .order_by("-round__starts_on", "-round_id")
        .values("passed")[:1]
    )
    qs = unions_at(end)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return (
        qs.order_by()
        .annotate(latest_passed=Subquery(latest))
        .filter(latest_passed__isnull=False)
        .values(
            organisation_id=F("id"),
            standard_assessed=Value(1),
            standard_passed=Case(
                When(latest_passed=True, then=1), default=0, output_field=IntegerField()
            ),
        )
    )


@dataclass(frozen=True)
class RoundProgress:
    unions: int
    submitted: int
    reviewed: int
    confirmed: int
    passed: int
    exemplary: int

    @property
    def passed_percent(self) -> Decimal | None:
        """Passed ÷ every union of the round (unassessed ones have not passed)."""
        if not self.unions:
            return None
        return (Decimal(self.passed) * 100 / self.unions).quantize(Decimal("0.1"))


def round_progress(round_: Round, assessments: QuerySet) -> RoundProgress:
    S = AssessmentStatus
    rows = list(assessments.filter(round=round_).values_list("status", "passed", "exemplary"))
    past_submit = {S.SUBMITTED, S.REVIEWED, S.CONFIRMED}
    return RoundProgress(
        unions=len(rows),
        submitted=sum(1 for s, _p, _e in rows if s in past_submit),
        reviewed=sum(1 for s, _p, _e in rows if s in (S.REVIEWED, S.CONFIRMED)),
        confirmed=sum(1 for s, _p, _e in rows if s == S.CONFIRMED),
        passed=sum(1 for s, p, _e in rows if s == S.CONFIRMED and p),
        exemplary=sum(1 for s, _p, e in rows if s == S.CONFIRMED and e),
    )


def not_passed(end: date, within: Organisation) -> list[tuple[Organisation, Assessment | None]]:
    """The grassroots unions of the subtree standing at `end` whose result of record is not a
    pass (failed, or never confirmed), each with that assessment or None, by path."""
    from .services import result_of

    unions = list(unions_at(end).filter(path__startswith=within.path).order_by("path"))
    latest: dict[int, Assessment] = {}
    confirmed = (
        _confirmed_by(end)
        .filter(organisation__path__startswith=within.path)
        .select_related("round")
        .prefetch_related("scores")
        .order_by("organisation_id", "round__starts_on", "round_id")
    )
    for a in confirmed:
        latest[a.organisation_id] = a
    out = []
    for union in unions:
        a = latest.get(union.pk)
        if a is None or not a.passed:
            if a is not None:
                a.result = result_of(a)
            out.append((union, a))
    return out
