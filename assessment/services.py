"""The rules of the 六有六好 assessment (domain.md I): rounds over a subtree that never overlap,
one assessment per active grassroots union per round, scoring (the sum, a minimum per area, the
pass mark), a reviewer's change only with a reason, four eyes, every step recorded.

Statuses move only through `_move` (TRANSITIONS); the result of record is set when the
federation confirms an assessment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members import access
from members.models import GRASSROOTS_KINDS, Organisation
from unionportal.core.audit import audit_event

from . import sources
from .models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Evidence,
    ItemScore,
    Round,
    RoundStatus,
    ScoringKind,
    Standard,
)

S = AssessmentStatus
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.RETURNED, S.REVIEWED},
    S.RETURNED: {S.SUBMITTED},
    S.REVIEWED: {S.CONFIRMED, S.RETURNED},
    S.CONFIRMED: set(),
}
SELF_EDITABLE = (S.DRAFT, S.RETURNED)
ZERO = Decimal("0")


# --- The standard and its frozen copy --------------------------------------------------------


def snapshot_standard(standard: Standard) -> dict:
    """The standard as a round keeps it: a plain copy, so later edits never reach the round."""
    return {
        "id": standard.pk,
        "name": standard.name,
        "effective_from": standard.effective_from.isoformat(),
        "pass_mark": str(standard.pass_mark),
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "min_points": str(area.min_points),
                "items": [
                    {
                        "code": item.code,
                        "text": item.text,
                        "points": str(item.points),
                        "kind": item.kind,
                        "source": item.source,
                        "evidence": item.evidence,
                    }
                    for item in area.items.all()
                ],
            }
            for area in standard.areas.prefetch_related("items")
        ],
    }


def items_of(round_: Round) -> list[dict]:
    return [item for area in round_.standard["areas"] for item in area["items"]]


# --- Scoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaResult:
    code: str
    name: str
    points: Decimal
    min_points: Decimal
    score: Decimal

    @property
    def ok(self) -> bool:
        return self.score >= self.min_points

    @property
    def share(self) -> Decimal:
        return self.score / self.points if self.points else Decimal(1)


@dataclass(frozen=True)
class Result:
    areas: list[AreaResult]
    total: Decimal
    pass_mark: Decimal

    @property
    def passed(self) -> bool:
        return self.total >= self.pass_mark and all(a.ok for a in self.areas)

    @property
    def weakest(self) -> AreaResult | None:
        """The area furthest below its minimum, else the lowest share of its points."""
        if not self.areas:
            return None
        return min(self.areas, key=lambda a: (a.ok, a.share))


def score_result(standard: dict, scores: dict[str, Decimal | None]) -> Result:
    """Sum the item scores (None counts 0) by area against the frozen standard."""
    areas = []
    for area in standard["areas"]:
        got = sum((scores.get(i["code"]) or ZERO for i in area["items"]), ZERO)
        points = sum((Decimal(i["points"]) for i in area["items"]), ZERO)
        areas.append(
            AreaResult(area["code"], area["name"], points, Decimal(area["min_points"]), got)
        )
    return Result(areas, sum((a.score for a in areas), ZERO), Decimal(standard["pass_mark"]))


def result_of(assessment: Assessment, *, self_only: bool = False) -> Result:
    scores = {
        s.item_code: (s.self_score if self_only else s.score) for s in assessment.scores.all()
    }
    return score_result(assessment.round.standard, scores)


def check_score(item: dict, value) -> Decimal:
    """A score for the item as its kind allows: yes/no gives 0 or all points, a scale any
    whole or half point from 0 to its points."""
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number of points.")) from None
    points = Decimal(item["points"])
    shown = f"{points.normalize():f}"
    if score < 0 or score > points:
        raise ValidationError(
            _("%(item)s: from 0 to %(points)s points.") % {"item": item["text"], "points": shown}
        )
    if item["kind"] == ScoringKind.YES_NO and score not in (ZERO, points):
        raise ValidationError(
            _("%(item)s: 0 or %(points)s points.") % {"item": item["text"], "points": shown}
        )
    if (score * 2) % 1:
        raise ValidationError(_("Points go in steps of 0.5."))
    return score


# --- Rounds -------------------------------------------------------------------------------


def _overlapping(organisation: Organisation, starts_on: date, ends_on: date):
    """Rounds whose subtree meets this one's (an ancestor's or a descendant's) and whose dates
    overlap."""
    above = [
        organisation.path[:k]
        for k in range(Organisation.steplen, len(organisation.path) + 1, Organisation.steplen)
    ]  # noqa: E501
    return Round.objects.filter(
        Q(organisation__path__in=above) | Q(organisation__path__startswith=organisation.path),
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )


def unions_of(organisation: Organisation):
    """The active grassroots unions of a subtree: each gets one assessment per round."""
    return Organisation.objects.filter(
        path__startswith=organisation.path, kind__in=GRASSROOTS_KINDS, active=True
    )


@transaction.atomic
def round_open(
    *,
    actor,
    organisation: Organisation,
    name: str,
    year: int,
    starts_on: date,
    ends_on: date,
    self_due_on: date,
) -> Round:
    if actor is not None:
        access.require(actor, "assessment.manage", organisation)
    if ends_on < starts_on or not starts_on <= self_due_on <= ends_on:
        raise ValidationError(_("The self-assessment is due within the round's dates."))
    standard = Standard.in_force(starts_on)
    if standard is None:
        raise ValidationError(_("No assessment standard is in force on the round's start."))
    if _overlapping(organisation, starts_on, ends_on).exists():
        raise ValidationError(_("Another round over these unions overlaps these dates."))
    round_ = Round.objects.create(
        organisation=organisation,
        name=name,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        self_due_on=self_due_on,
        source_standard=standard,
        standard=snapshot_standard(standard),
        opened_by=actor,
    )
    codes = [i["code"] for i in items_of(round_)]
    for union in unions_of(organisation):
        a = Assessment.objects.create(round=round_, organisation=union)
        ItemScore.objects.bulk_create(ItemScore(assessment=a, item_code=c) for c in codes)
        AssessmentEvent.objects.create(assessment=a, to_status=S.DRAFT, actor=actor)
    audit_event(round_, "assessment.round_open", actor=actor, unions=round_.assessments.count())
    return round_


@transaction.atomic
def round_finish(*, actor, round_: Round, today: date | None = None) -> Round:
    if actor is not None:
        access.require(actor, "assessment.manage", round_.organisation)
    if round_.status == RoundStatus.FINISHED:
        raise ValidationError(_("The round is already finished."))
    round_.status = RoundStatus.FINISHED
    round_.finished_on = today or timezone.localdate()
    round_.save(update_fields=["status", "finished_on"])
    audit_event(round_, "assessment.round_finish", actor=actor)
    return round_


# --- Steps of an assessment -----------------------------------------------------------------


def _move(assessment: Assessment, to: str, *, actor, comment: str = "") -> None:
    if to not in TRANSITIONS[assessment.status]:
        raise ValidationError(_("This step is not possible now."))
    if assessment.round.status == RoundStatus.FINISHED:
        raise ValidationError(_("The round is finished."))
    before = assessment.status
    assessment.status = to
    assessment.version += 1
    assessment.save()
    AssessmentEvent.objects.create(
        assessment=assessment, from_status=before, to_status=to, actor=actor, comment=comment
    )
    audit_event(
        assessment,
        "assessment.status",
        actor=actor,
        changes={"status": [before, to]},
        comment=comment,
    )


def self_scorers(assessment: Assessment) -> set[int]:
    ids = {s.self_scored_by_id for s in assessment.scores.all() if s.self_scored_by_id}
    if assessment.submitted_by_id:
        ids.add(assessment.submitted_by_id)
    return ids


def _four_eyes(actor, assessment: Assessment) -> None:
    if actor is not None and actor.pk in self_scorers(assessment):
        raise ValidationError(_("Whoever scored the union's self-assessment cannot review it."))


def _require(actor, capability: str, assessment: Assessment) -> None:
    if actor is not None:
        access.require(actor, capability, assessment.organisation)


def refresh_computed(assessment: Assessment, today: date | None = None) -> int:
    """Score the computed items from the records again (while the union still edits)."""
    if assessment.status not in SELF_EDITABLE:
        return 0
    start, end = sources.window(assessment.round.year, today or timezone.localdate())
    scores = {s.item_code: s for s in assessment.scores.all()}
    changed = 0
    for item in items_of(assessment.round):
        if item["kind"] != ScoringKind.COMPUTED:
            continue
        finding = sources.find(item["source"], assessment.organisation, start, end)
        score = scores[item["code"]]
        value = Decimal(item["points"]) if finding.met else ZERO
        if (score.self_score, score.computed_text) != (value, finding.text):
            score.self_score, score.computed_text = value, finding.text[:300]
            score.save(update_fields=["self_score", "computed_text"])
            changed += 1
    return changed


@transaction.atomic
def self_score_save(*, actor, assessment: Assessment, values: dict, notes: dict | None = None):
    """Save the union's own scores ({item code: points or None}); computed items are scored
    from the records and cannot be typed in."""
    _require(actor, "assessment.self", assessment)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status not in SELF_EDITABLE:
        raise ValidationError(_("The self-assessment has been submitted."))
    notes = notes or {}
    scores = {s.item_code: s for s in assessment.scores.all()}
    errors = []
    for item in items_of(assessment.round):
        if item["kind"] == ScoringKind.COMPUTED or item["code"] not in values:
            continue
        raw = values[item["code"]]
        score = scores[item["code"]]
        try:
            score.self_score = None if raw in (None, "") else check_score(item, raw)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        score.note = (notes.get(item["code"]) or "")[:300]
        score.self_scored_by = actor
        score.save(update_fields=["self_score", "note", "self_scored_by"])
    if errors:
        raise ValidationError(errors)
    refresh_computed(assessment)
    assessment.self_total = result_of(assessment, self_only=True).total
    assessment.save(update_fields=["self_total"])
    audit_event(assessment, "assessment.self_score", actor=actor)
    return assessment


@transaction.atomic
def submit(*, actor, assessment: Assessment) -> Assessment:
    _require(actor, "assessment.self", assessment)
    refresh_computed(assessment)
    missing = [s.item_code for s in assessment.scores.all() if s.self_score is None]
    if missing:
        raise ValidationError(
            _("Score every item before submitting (%(n)s left).") % {"n": len(missing)}
        )  # noqa: E501
    assessment.self_total = result_of(assessment, self_only=True).total
    assessment.total = assessment.self_total
    assessment.submitted_by = actor
    assessment.submitted_at = timezone.now()
    _move(assessment, S.SUBMITTED, actor=actor)
    return assessment


@transaction.atomic
def review_score(*, actor, assessment: Assessment, item_code: str, score, reason: str):
    """The reviewer's score for one item: a change from the union's score needs a reason, and
    both are kept."""
    _require(actor, "assessment.review", assessment)
    _four_eyes(actor, assessment)
    if assessment.status != S.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment is reviewed."))
    item = next((i for i in items_of(assessment.round) if i["code"] == item_code), None)
    if item is None:
        raise ValidationError(_("No such item in this round."))
    row = assessment.scores.get(item_code=item_code)
    value = None if score in (None, "") else check_score(item, score)
    reason = (reason or "").strip()
    if value is not None and value != row.self_score and not reason:
        raise ValidationError({"reason": _("Give the reason for changing the union's score.")})
    if value == row.self_score:
        value, reason = None, ""
    row.reviewer_score, row.reviewer_reason = value, reason
    row.save(update_fields=["reviewer_score", "reviewer_reason"])
    assessment.total = result_of(assessment).total
    assessment.save(update_fields=["total"])
    audit_event(
        assessment,
        "assessment.review_score",
        actor=actor,
        item=item_code,
        self_score=str(row.self_score),
        reviewer_score=str(value) if value is not None else "",
        reason=reason,
    )
    return row


@transaction.atomic
def return_to_union(*, actor, assessment: Assessment, reason: str) -> Assessment:
    capability = "assessment.confirm" if assessment.status == S.REVIEWED else "assessment.review"
    _require(actor, capability, assessment)
    _four_eyes(actor, assessment)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why it goes back.")})
    assessment.return_reason = reason.strip()
    _move(assessment, S.RETURNED, actor=actor, comment=reason.strip())
    return assessment


@transaction.atomic
def accept(*, actor, assessment: Assessment) -> Assessment:
    _require(actor, "assessment.review", assessment)
    _four_eyes(actor, assessment)
    assessment.total = result_of(assessment).total
    assessment.reviewed_by = actor
    assessment.reviewed_at = timezone.now()
    _move(assessment, S.REVIEWED, actor=actor)
    return assessment


@transaction.atomic
def confirm(
    *, actor, assessment: Assessment, exemplary: bool = False, today: date | None = None
) -> Assessment:
    """The federation confirms the reviewed result: it becomes the result of record."""
    _require(actor, "assessment.confirm", assessment)
    _four_eyes(actor, assessment)
    if exemplary and assessment.status == S.REVIEWED and not result_of(assessment).passed:
        raise ValidationError(_("Only a union that meets the standard can be exemplary."))
    result = result_of(assessment)
    assessment.total, assessment.passed = result.total, result.passed
    assessment.exemplary = bool(exemplary)
    assessment.confirmed_by = actor
    assessment.confirmed_on = today or timezone.localdate()
    _move(assessment, S.CONFIRMED, actor=actor)
    return assessment


def evidence_add(*, actor, score: ItemScore, title: str, upload, content_type: str) -> Evidence:
    assessment = score.assessment
    _require(actor, "assessment.self", assessment)
    if assessment.status not in SELF_EDITABLE:
        raise ValidationError(_("The self-assessment has been submitted."))
    evidence = Evidence(score=score, title=title, content_type=content_type, uploaded_by=actor)
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    audit_event(assessment, "assessment.evidence_add", actor=actor, item=score.item_code)
    return evidence
