"""六有六好 (domain.md I): the standard as a rule table (areas, items, points, pass marks, from
an effective date), assessment rounds, one assessment per grassroots union per round, item
scores (self and reviewer) with evidence files, and every step recorded.

A round keeps a frozen copy of the standard in force when it was opened (`Round.standard`):
later edits of the rule table never change a round, its assessments or their results."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Organisation

POINTS = {"max_digits": 5, "decimal_places": 1}


class ScoringKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    SCALE = "scale", _("Scale (0 to the item's points)")
    COMPUTED = "computed", _("Computed from the records")


class Standard(models.Model):
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    pass_mark = models.DecimalField(
        _("pass mark (points)"), **POINTS, validators=[MinValueValidator(0)]
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("assessment standard")
        verbose_name_plural = _("assessment standards")
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["effective_from"], name="standard_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%Y-%m-%d})"

    @classmethod
    def in_force(cls, day) -> Standard | None:
        return cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


class Area(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    min_points = models.DecimalField(
        _("minimum points in this area"), **POINTS, default=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("assessment area")
        verbose_name_plural = _("assessment areas")
        ordering = ["standard", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="area_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("item"), max_length=300)
    points = models.DecimalField(_("points"), **POINTS, validators=[MinValueValidator(0)])
    kind = models.CharField(
        _("scored as"), max_length=10, choices=ScoringKind.choices, default=ScoringKind.YES_NO
    )
    source = models.CharField(
        _("computed from"),
        max_length=40,
        blank=True,
        help_text=_("For a computed item: the record it is computed from."),
    )
    evidence = models.CharField(_("evidence needed"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["area", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="item_code_unique"),
            models.CheckConstraint(
                condition=~Q(kind="computed") | ~Q(source=""), name="item_computed_has_source"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("round", "Open")
    FINISHED = "finished", pgettext_lazy("round", "Finished")


class Round(models.Model):
    """An assessment round over an organisation's subtree (the city's, usually yearly)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("opened for"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    self_due_on = models.DateField(_("self-assessment due on"))
    source_standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="rounds", editable=False
    )
    standard = models.JSONField(_("standard"), default=dict, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="round_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:round_detail", args=[self.pk])

    @property
    def scope_organisation(self) -> Organisation:
        return self.organisation

    @property
    def pass_mark(self) -> Decimal:
        return Decimal(self.standard["pass_mark"])


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessment")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", pgettext_lazy("assessment", "Returned")
    REVIEWED = "reviewed", _("Reviewed")
    CONFIRMED = "confirmed", _("Confirmed")


class Assessment(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assessments")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    self_total = models.DecimalField(_("self score"), **POINTS, null=True, blank=True)
    total = models.DecimalField(_("score"), **POINTS, null=True, blank=True)
    # The result of record: set when the federation confirms it.
    passed = models.BooleanField(_("meets the standard"), null=True)
    exemplary = models.BooleanField(_("exemplary (典型)"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["round", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="assessment_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="assessment_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:assessment_detail", args=[self.pk])


class ItemScore(models.Model):
    """One item of one assessment, by the item's code in the round's frozen standard."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item_code = models.CharField(max_length=40)
    self_score = models.DecimalField(_("self score"), **POINTS, null=True, blank=True)
    self_scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    computed_text = models.CharField(_("from the records"), max_length=300, blank=True)
    reviewer_score = models.DecimalField(_("reviewer's score"), **POINTS, null=True, blank=True)
    reviewer_reason = models.TextField(_("reason for the change"), blank=True)

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item_code"], name="itemscore_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.item_code}"

    @property
    def score(self) -> Decimal | None:
        return self.reviewer_score if self.reviewer_score is not None else self.self_score

    @property
    def organisation(self) -> Organisation:
        return self.assessment.organisation


def _evidence_name(instance: Evidence, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"assessment/evidence/{uuid.uuid4().hex}.{ext}"


class Evidence(models.Model):
    """An evidence file for an item (private media, served through a scoped view)."""

    score = models.ForeignKey(ItemScore, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to=_evidence_name, max_length=200)
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title

    @property
    def organisation(self) -> Organisation:
        return self.score.assessment.organisation


class AssessmentEvent(models.Model):
    """Every step of an assessment (who, when, from, to, comment)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=AssessmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=AssessmentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.from_status}->{self.to_status}"
