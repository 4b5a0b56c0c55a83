"""Models of the rights app (维权, domain.md K): the petition and request register (信访与诉求)
with its rule tables (subject categories, deadlines) and every step of a case.

The petitioner's identity and the case text are stored encrypted (security.md F4): the
attributes read as plaintext, the columns hold ciphertext; lists show the masked contact."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.crypto import EncryptedCharField, EncryptedTextField
from members.models import Member, Organisation


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    CALL = "call", _("Call")
    ONLINE = "online", _("Online")


class CaseKind(models.TextChoices):
    REQUEST = "request", _("Request or complaint")
    CONSULTATION = "consultation", _("Consultation")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received, acceptance to decide")
    ACCEPTED = "accepted", pgettext_lazy("case", "Accepted")
    DISPATCHED = "dispatched", _("Dispatched")
    ANSWERED = "answered", pgettext_lazy("case", "Answered")
    CLOSED = "closed", pgettext_lazy("case", "Closed")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


# The statuses in which a case is being handled (its conclusion deadline runs).
HANDLING = (CaseStatus.ACCEPTED, CaseStatus.DISPATCHED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    UNREACHABLE = "unreachable", _("Could not be reached")


# The follow-up answers that count as satisfied (满意率 = these ÷ those reached).
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)

# --- Rule tables ---------------------------------------------------------------------------


class Category(models.Model):
    """A subject category of cases (劳动报酬/欠薪, 社会保险, ...): a rule table, seeded by
    migration 0002; a federation admin adds or retires categories."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class DeadlineRule(models.Model):
    """The casework deadlines, in calendar days counted from the day after the event (民法典
    art. 201), with an effective-from date (defaults from 信访工作条例 2022, migration 0002).
    A case keeps the rule in force on the day it was received."""

    effective_from = models.DateField(_("effective from"), unique=True)
    accept_days = models.PositiveSmallIntegerField(
        _("days to decide acceptance"), default=15, validators=[MinValueValidator(1)]
    )
    conclude_days = models.PositiveSmallIntegerField(
        _("days to conclude after acceptance"), default=60, validators=[MinValueValidator(1)]
    )
    extension_days = models.PositiveSmallIntegerField(
        _("longest extension in days"), default=30, validators=[MinValueValidator(0)]
    )
    review_days = models.PositiveSmallIntegerField(
        _("days to request a review after the answer"),
        default=30,
        validators=[MinValueValidator(1)],
    )
    duplicate_days = models.PositiveSmallIntegerField(
        _("days within which a case of the same person and category is a possible duplicate"),
        default=90,
    )
    collective_people = models.PositiveSmallIntegerField(
        _("people from whom a visit is collective"), default=5, validators=[MinValueValidator(2)]
    )

    class Meta:
        verbose_name = _("casework deadlines")
        verbose_name_plural = _("casework deadlines")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from}"

    @classmethod
    def in_force(cls, day: date) -> DeadlineRule:
        rule = cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
        return rule or cls(effective_from=date(2022, 5, 1))


# --- Cases ---------------------------------------------------------------------------------


def day_after_plus(day: date, days: int) -> date:
    """The last day of a period of `days` calendar days counted from the day after `day`."""
    return day + timedelta(days=days)


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    hotline = models.BooleanField(_("12351 hotline"), default=False)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CaseKind.choices, default=CaseKind.REQUEST
    )
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(
        Organisation, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    people = models.PositiveIntegerField(
        _("number of people"), default=1, validators=[MinValueValidator(1)]
    )
    # The petitioner: a member found by full ID or phone, or a non-member's name and contact.
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    petitioner_name = EncryptedCharField(pgettext_lazy("person", "name"), max_length=200)
    petitioner_contact = EncryptedCharField(_("contact"), max_length=200, blank=True)
    contact_masked = models.CharField(_("contact"), max_length=40, blank=True, editable=False)
    # The blind index of a phone number given as the contact: finds possible duplicates.
    contact_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The employer concerned: an organisation of the portal, or a name and USCC as typed.
    employer = models.ForeignKey(
        Organisation,
        verbose_name=_("employer concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employer_name = models.CharField(_("employer concerned"), max_length=120, blank=True)
    employer_uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="cases"
    )
    request = EncryptedTextField(_("what is asked"))
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    # The deadlines of the rule in force on receipt, copied so later rule edits never move them.
    accept_by = models.DateField(_("decide acceptance by"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    decision_reason = EncryptedTextField(_("reason"), blank=True)
    conclude_by = models.DateField(_("conclude by"), null=True, blank=True)
    extended_by_days = models.PositiveSmallIntegerField(_("extended by (days)"), default=0)
    extension_reason = EncryptedTextField(_("reason for the extension"), blank=True)
    # The union handling the case now: the receiver until it dispatches the case.
    handler = models.ForeignKey(
        Organisation, verbose_name=_("handled by"), on_delete=models.PROTECT, related_name="+"
    )
    handle_by = models.DateField(_("dispatch due date"), null=True, blank=True)
    answer = EncryptedTextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The first closure, never cleared by a review: a past period's figures stay as they were.
    first_closed_on = models.DateField(null=True, blank=True, editable=False)
    # The deadline the first handling ran to (acceptance plus any extension before the first
    # closure); a review sets a new `conclude_by` but never this, so a past period's overdue
    # figure stays as it was.
    first_conclude_by = models.DateField(null=True, blank=True, editable=False)
    first_closed_on_time = models.BooleanField(null=True, editable=False)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    review_by = models.DateField(_("review may be requested until"), null=True, blank=True)
    reviews = models.PositiveSmallIntegerField(_("reviews"), default=0)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(people__gte=1), name="case_people_ge_1"),
            models.CheckConstraint(
                condition=Q(extended_by_days__lte=366), name="case_extension_bounded"
            ),
        ]
        indexes = [
            models.Index(fields=["received_by", "received_on"], name="case_receiver_day"),
            models.Index(fields=["handler", "status"], name="case_handler_status"),
            models.Index(fields=["status", "received_on"], name="case_status_day"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("rights:case_detail", args=[self.pk])

    @property
    def organisation(self) -> Organisation:
        """The union a case belongs to for scoping by one organisation: its receiver."""
        return self.received_by

    @property
    def employer_text(self) -> str:
        if self.employer_id:
            return self.employer.name
        return self.employer_name

    def rule(self) -> DeadlineRule:
        return DeadlineRule.in_force(self.received_on)

    def collective(self, rule: DeadlineRule | None = None) -> bool:
        rule = rule or self.rule()
        return self.channel == Channel.VISIT and self.people >= rule.collective_people

    @property
    def in_handling(self) -> bool:
        return self.status in HANDLING

    def overdue_on(self, today: date | None = None) -> str:
        """Which deadline has passed, '' when none: acceptance, dispatch or conclusion."""
        today = today or timezone.localdate()
        if self.status == CaseStatus.RECEIVED and today > self.accept_by:
            return "accept"
        if self.status in HANDLING and self.conclude_by and today > self.conclude_by:
            return "conclude"
        if self.status == CaseStatus.DISPATCHED and self.handle_by and today > self.handle_by:
            return "dispatch"
        return ""


STEP_LABELS = {
    "receive": pgettext_lazy("case", "Registered"),
    "accept": pgettext_lazy("case", "Accepted"),
    "reject": _("Not accepted"),
    "dispatch": _("Dispatched"),
    "note": _("Handling recorded"),
    "extend": _("Deadline extended"),
    "answer": pgettext_lazy("case", "Answered"),
    "close": pgettext_lazy("case", "Closed"),
    "follow_up": _("Followed up"),
    "review": _("Review requested"),
    "consult": _("Answered and closed at once"),
}


class CaseStep(models.Model):
    """Every step of a case: who, when, what, the union it went to, with which comment."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acting_for = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    on = models.DateField(_("date"))
    action = models.CharField(_("step"), max_length=20)
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    to_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = EncryptedTextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.on}"

    @property
    def label(self) -> str:
        return str(STEP_LABELS.get(self.action, self.action))


def _attachment_name(instance: CaseAttachment, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"rights/attachments/{uuid.uuid4().hex}.{ext}"


class CaseAttachment(models.Model):
    """A letter's scan, a photo, a pay slip: private media, served through a scoped view."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to=_attachment_name, max_length=200)
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title

    @property
    def organisation(self) -> Organisation:
        return self.case.received_by
