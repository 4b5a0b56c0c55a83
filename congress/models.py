"""Workers' congress (职代会): sessions, delegates, motions (职工提案), suggestions (合理化建议)
and the items a congress reviews (审议事项). domain.md F has the rules; the numbers that vary
live in CongressRule (a rule table with an effective-from date)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Member, Organisation


class CongressRule(models.Model):
    """The congress rule table: the latest row effective on a day applies city-wide."""

    effective_from = models.DateField(_("effective from"), unique=True)
    min_cosigners = models.PositiveSmallIntegerField(_("co-signers required per motion"), default=2)
    reply_days = models.PositiveSmallIntegerField(_("reply deadline (days)"), default=30)
    frontline_min_percent = models.PositiveSmallIntegerField(
        _("frontline workers at least (%)"), default=50
    )
    managers_max_percent = models.PositiveSmallIntegerField(_("managers at most (%)"), default=20)
    women_tolerance_percent = models.PositiveSmallIntegerField(
        _("women may fall short of their share of the membership by (points)"), default=5
    )
    # 企业民主管理规定: delegates are at least 5% of the workers and at least 30; an employer
    # with fewer than 100 workers holds an all-worker assembly (职工大会) instead.
    delegates_min_percent = models.PositiveSmallIntegerField(
        _("delegates at least (% of workers)"), default=5
    )
    delegates_min_count = models.PositiveSmallIntegerField(_("delegates at least"), default=30)
    assembly_below_workers = models.PositiveIntegerField(
        _("all-worker assembly below (workers)"), default=100
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("congress rule")
        verbose_name_plural = _("congress rules")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frontline_min_percent__lte=100)
                & Q(managers_max_percent__lte=100)
                & Q(delegates_min_percent__lte=100)
                & Q(women_tolerance_percent__lte=100),
                name="congressrule_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="congressrule_quorum_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effective_from}"

    @classmethod
    def current(cls, on: date | None = None) -> CongressRule:
        on = on or timezone.localdate()
        rule = cls.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
        return rule or cls(effective_from=date(2000, 1, 1))

    def holds_assembly(self, workers: int | None) -> bool:
        """Fewer workers than the threshold meet as an all-worker assembly (职工大会)."""
        return workers is not None and workers < self.assembly_below_workers

    def delegates_required(self, workers: int | None) -> int | None:
        """The fewest delegates a congress of `workers` may have: the percentage rounded up,
        and never below the minimum. None when the workforce is not known, or when the
        workers meet as an assembly and there are no delegates."""
        if workers is None or self.holds_assembly(workers):
            return None
        share = -(-workers * self.delegates_min_percent // 100)
        return max(self.delegates_min_count, share)


def organisation_workers(organisation: Organisation) -> int | None:
    """The workers of the union's employer, as the union reported them (Organisation.employees).
    0 is what a union that never reported the figure holds today (issue 13 item 2), so it
    counts as not known rather than as an employer without workers."""
    return organisation.employees or None


class SessionKind(models.TextChoices):
    CONGRESS = "congress", _("Congress of delegates")
    ASSEMBLY = "assembly", _("All-worker assembly")


class CongressSession(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.PositiveSmallIntegerField(_("term"))
    session_number = models.PositiveSmallIntegerField(_("session"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=SessionKind.choices, default=SessionKind.CONGRESS
    )
    held_on = models.DateField(_("date"))
    collection_opens = models.DateField(_("motions collected from"))
    collection_closes = models.DateField(_("motions collected until"))
    delegates_expected = models.PositiveIntegerField(_("delegates expected"))
    delegates_present = models.PositiveIntegerField(_("delegates present"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("congress session")
        verbose_name_plural = _("congress sessions")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "term", "session_number"], name="congresssession_unique"
            ),
            models.CheckConstraint(
                condition=Q(collection_closes__gte=models.F("collection_opens")),
                name="congresssession_window",
            ),
        ]

    def __str__(self) -> str:
        return _("Term %(term)s, session %(session)s") % {
            "term": self.term,
            "session": self.session_number,
        }

    def get_absolute_url(self) -> str:
        return reverse("congress:session_detail", args=[self.pk])

    def quorum_met(self, rule: CongressRule | None = None) -> bool | None:
        """None while attendance is not recorded."""
        if self.delegates_present is None:
            return None
        rule = rule or CongressRule.current(self.held_on)
        return self.delegates_present * rule.quorum_denominator >= (
            self.delegates_expected * rule.quorum_numerator
        )

    def quorum_needed(self, rule: CongressRule | None = None) -> int:
        rule = rule or CongressRule.current(self.held_on)
        n, d = rule.quorum_numerator, rule.quorum_denominator
        return -(-self.delegates_expected * n // d)

    def collection_open(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.collection_opens <= on <= self.collection_closes


class Delegate(models.Model):
    """A member chosen as delegate of a union's congress for one term. The flags are what the
    member was when chosen, so the composition check does not move when the member changes."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.PositiveSmallIntegerField(_("term"))
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="delegacies"
    )
    is_frontline = models.BooleanField(_("frontline worker"), default=False)
    is_manager = models.BooleanField(_("manager or leader"), default=False)
    is_female = models.BooleanField(_("woman"), default=False)
    chosen_on = models.DateField(_("chosen on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["member__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "term", "member"], name="delegate_once_per_term"
            )
        ]

    def __str__(self) -> str:
        return self.member.name


class MotionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    FILED = "filed", _("Filed")
    REJECTED = "rejected", _("Rejected")
    CONVERTED = "converted", _("Converted to a suggestion")
    MERGED = "merged", _("Merged")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")


class MotionCategory(models.TextChoices):
    PRODUCTION = "production", _("Production and operations")
    PAY = "pay", _("Pay and benefits")
    SAFETY = "safety", _("Safety and health")
    WELFARE = "welfare", _("Welfare and services")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


class Verdict(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


OPEN_FOR_UNIT = (MotionStatus.ASSIGNED, MotionStatus.REOPENED)


class MotionQuerySet(models.QuerySet):
    def overdue(self, today: date | None = None) -> MotionQuerySet:
        today = today or timezone.localdate()
        return self.filter(status__in=OPEN_FOR_UNIT, due_on__lt=today)


class Motion(models.Model):
    session = models.ForeignKey(
        CongressSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="motions"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("motion"))
    category = models.CharField(_("category"), max_length=12, choices=MotionCategory.choices)
    proposer = models.ForeignKey(
        Delegate, verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="motions"
    )
    cosigners = models.ManyToManyField(
        Delegate, verbose_name=_("co-signers"), related_name="cosigned_motions"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MotionStatus.choices, default=MotionStatus.SUBMITTED
    )
    review_reason = models.TextField(_("review note"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_motions",
    )
    handling_unit = models.CharField(_("handling unit"), max_length=100, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=60, blank=True)
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    verdict = models.CharField(
        _("proposer's verdict"), max_length=12, choices=Verdict.choices, blank=True
    )
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = MotionQuerySet.as_manager()

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="motion_number_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("congress:motion_detail", args=[self.pk])

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in OPEN_FOR_UNIT and self.due_on is not None and self.due_on < today


class MotionEvent(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=MotionStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=MotionStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.motion_id}: {self.from_status} → {self.to_status}"


class SuggestionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class Suggestion(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    submitter = models.ForeignKey(
        Member, verbose_name=_("submitter"), on_delete=models.PROTECT, related_name="suggestions"
    )
    from_motion = models.OneToOneField(
        Motion, on_delete=models.PROTECT, null=True, blank=True, related_name="suggestion"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("suggestion"))
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.RECEIVED,
    )
    reason = models.TextField(_("reason"), blank=True)
    benefit = models.DecimalField(
        _("estimated benefit (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    PLAN = "plan", _("Plan")
    REFORM = "reform", _("Reform")
    PAY = "pay", _("Pay and benefits")
    SAFETY = "safety", _("Safety")
    OTHER = "other", _("Other")


class ItemOutcome(models.TextChoices):
    # The congress's vote (通过), not a suggestion's adoption (采纳): same English word.
    ADOPTED = "adopted", pgettext_lazy("vote outcome", "Adopted")
    NOT_ADOPTED = "not_adopted", pgettext_lazy("vote outcome", "Not adopted")


class ReviewedItem(models.Model):
    session = models.ForeignKey(
        CongressSession, on_delete=models.PROTECT, related_name="reviewed_items"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    votes_for = models.PositiveIntegerField(_("for"))
    votes_against = models.PositiveIntegerField(_("against"))
    votes_abstain = models.PositiveIntegerField(_("abstain"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=ItemOutcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reviewed item")
        verbose_name_plural = _("reviewed items")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title
