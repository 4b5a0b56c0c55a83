"""Models of the welfare app: rule tables, hardship files, relief applications with their
decisions and payments, condolence visits and campaigns (architecture.md, domain.md E).

The free text about a household's health and hardship (causes, household notes and members,
reasons, home visits, verifications, comments, visit notes) is stored encrypted, as resident
IDs are (security.md F4): the attributes read as plaintext, the columns hold ciphertext."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

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

CENT = Decimal("0.01")
POSITIVE = [MinValueValidator(CENT)]


class ReliefKind(models.TextChoices):
    LIVING = "living", _("Living relief")
    MEDICAL = "medical", _("Medical relief")
    EDUCATION = "education", _("Education relief (golden autumn)")
    WINTER = "winter", _("Winter relief (sending warmth)")
    SUMMER = "summer", _("Summer relief (sending coolness)")
    TEMPORARY = "temporary", _("Temporary relief")


class Occasion(models.TextChoices):
    ILLNESS = "illness", _("Illness or hospital stay")
    BEREAVEMENT = "bereavement", _("Bereavement")
    FESTIVAL = "festival", _("Festival")
    BIRTHDAY = "birthday", _("Birthday")
    BIRTH = "birth", _("Birth of a child")
    MARRIAGE = "marriage", _("Marriage")
    RETIREMENT = "retirement", _("Retirement")


# --- Rule tables ---------------------------------------------------------------------------


class RuleQuerySet(models.QuerySet):
    def in_force(self, on: date, **match):
        """The newest row of each key effective on `on` (callers pass the key)."""
        return self.filter(effective_from__lte=on, **match).order_by("-effective_from", "-pk")


class PovertyLine(models.Model):
    """Minimum living standard (低保) per person per month, per region and year. An empty
    region is the city-wide default."""

    region_code = models.CharField(_("region code"), max_length=6, blank=True)
    year = models.PositiveIntegerField(_("year"))
    monthly_amount = models.DecimalField(
        _("per person per month"), max_digits=10, decimal_places=2, validators=POSITIVE
    )
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("minimum living standard")
        ordering = ["region_code", "-year", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.region_code or '*'} {self.year} {self.monthly_amount}"


class NoticeRule(models.Model):
    """How many days a relief case stays on public notice (公示)."""

    days = models.PositiveIntegerField(_("public notice days"), validators=[MinValueValidator(1)])
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice rule")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.days} ({self.effective_from})"


class ReliefCap(models.Model):
    """Cap per person, relief kind and calendar year, city-wide."""

    kind = models.CharField(_("relief kind"), max_length=20, choices=ReliefKind.choices)
    yearly_cap = models.DecimalField(
        _("cap per person and year"), max_digits=12, decimal_places=2, validators=POSITIVE
    )
    needs_hardship_file = models.BooleanField(_("needs an open hardship file"), default=False)
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("relief cap")
        ordering = ["kind", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.kind} {self.yearly_cap}"


class CondolenceRule(models.Model):
    """Cap per occasion, per member and year, and whether cash is allowed (Hubei rules)."""

    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    yearly_cap = models.DecimalField(
        _("cap per member and year"), max_digits=12, decimal_places=2, validators=POSITIVE
    )
    cash_allowed = models.BooleanField(_("cash allowed"), default=False)
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("condolence rule")
        ordering = ["occasion", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.occasion} {self.yearly_cap}"


# --- Campaigns -----------------------------------------------------------------------------


class CampaignKind(models.TextChoices):
    WINTER = "winter", _("Sending warmth (winter)")
    EDUCATION = "education", _("Golden autumn education aid")
    SUMMER = "summer", _("Sending coolness (summer)")
    CUSTOM = "custom", _("Other")


class Campaign(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices)
    year = models.PositiveIntegerField(_("year"))
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, validators=POSITIVE)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="campaign_budget_gt_0"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period"
            ),
        ]

    def __str__(self) -> str:
        # Names are usually typed with their year (2026年两节送温暖): don't repeat it.
        if str(self.year) in self.name:
            return self.name
        return _("%(year)s %(campaign)s") % {"year": self.year, "campaign": self.name}

    def get_absolute_url(self) -> str:
        return reverse("welfare:campaign_detail", args=[self.pk])


# --- Hardship files ------------------------------------------------------------------------


class HardshipCategory(models.TextChoices):
    DEEP = "deep", _("Deep hardship")
    RELATIVE = "relative", _("Relative hardship")
    ACCIDENTAL = "accidental", _("Hardship by accident")


class FileStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Income verified")
    ON_NOTICE = "on_notice", _("On public notice")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", pgettext_lazy("hardship file", "Closed")


class VettedCase(models.Model):
    """The steps a hardship file and a relief application both go through (domain.md E): the
    union submits, a second person verifies the income, the case is put on public notice, and
    a third approves once the notice is over."""

    income_verification = EncryptedTextField(_("income verification result"), blank=True)
    notice_starts = models.DateField(_("notice starts"), null=True, blank=True)
    notice_ends = models.DateField(_("notice ends"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    def notice_over(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.notice_ends is not None and today >= self.notice_ends


class HardshipFile(VettedCase):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="hardship_files"
    )
    year = models.PositiveIntegerField(_("year"))
    household_size = models.PositiveIntegerField(
        _("household size"), validators=[MinValueValidator(1)]
    )
    annual_income = models.DecimalField(
        _("household income per year"), max_digits=12, decimal_places=2, default=0
    )
    illness_costs = models.DecimalField(
        _("illness costs per year"), max_digits=12, decimal_places=2, default=0
    )
    disability_costs = models.DecimalField(
        _("disability costs per year"), max_digits=12, decimal_places=2, default=0
    )
    schooling_costs = models.DecimalField(
        _("schooling costs per year"), max_digits=12, decimal_places=2, default=0
    )
    household_notes = EncryptedTextField(_("household members and incomes"), blank=True)
    causes = EncryptedTextField(_("causes of hardship"), blank=True)
    accident = models.BooleanField(_("disaster, accident or major illness"), default=False)
    poverty_line = models.DecimalField(
        _("minimum living standard used"), max_digits=10, decimal_places=2, null=True
    )
    net_per_capita = models.DecimalField(
        _("net income per person and month"), max_digits=12, decimal_places=2, null=True
    )
    suggested_category = models.CharField(
        _("suggested category"), max_length=20, choices=HardshipCategory.choices, blank=True
    )
    category = models.CharField(
        _("category"), max_length=20, choices=HardshipCategory.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FileStatus.choices, default=FileStatus.DRAFT
    )
    review_due = models.DateField(_("review due"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = EncryptedTextField(_("reason for closing"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hardship file")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=~Q(status="closed"),
                name="hardship_one_open_file_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("welfare:file_detail", args=[self.pk])

    @property
    def rigid_costs(self) -> Decimal:
        return self.illness_costs + self.disability_costs + self.schooling_costs


class HouseholdMember(models.Model):
    """One person of the household with their yearly income (the worker included)."""

    hardship_file = models.ForeignKey(
        HardshipFile, on_delete=models.CASCADE, related_name="household"
    )
    name = EncryptedCharField(pgettext_lazy("person", "name"), max_length=60)
    relation = models.CharField(_("relation"), max_length=30)
    annual_income = models.DecimalField(
        _("income per year"), max_digits=12, decimal_places=2, default=0
    )
    note = EncryptedCharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(annual_income__gte=0), name="household_income_gte_0")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


# --- Relief applications -------------------------------------------------------------------


class ReliefStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")
    ON_NOTICE = "on_notice", _("On public notice")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("relief", "Rejected")
    PAID = "paid", pgettext_lazy("relief", "Paid")


class ReliefApplication(VettedCase):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="relief"
    )
    hardship_file = models.ForeignKey(
        HardshipFile,
        verbose_name=_("hardship file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    kind = models.CharField(_("relief kind"), max_length=20, choices=ReliefKind.choices)
    year = models.PositiveIntegerField(_("year"))
    reason = EncryptedTextField(_("reason for the application"))
    amount_requested = models.DecimalField(
        _("amount requested"), max_digits=12, decimal_places=2, validators=POSITIVE
    )
    amount_approved = models.DecimalField(
        _("amount approved"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReliefStatus.choices, default=ReliefStatus.DRAFT
    )
    home_visit = EncryptedTextField(_("home visit record"), blank=True)
    override_reason = EncryptedTextField(_("reason for overriding a check"), blank=True)
    reject_reason = EncryptedTextField(_("reason for rejection"), blank=True)
    # The form's one-time token: a double-clicked or replayed "save" finds this row instead
    # of making a second application (security.md H2).
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relief application")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="relief_requested_gt_0"
            ),
            models.CheckConstraint(
                condition=Q(amount_approved__isnull=True)
                | (Q(amount_approved__gt=0) & Q(amount_approved__lte=models.F("amount_requested"))),
                name="relief_approved_le_requested",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="relief_org_status")]

    def __str__(self) -> str:
        return f"{self.member.name} {self.get_kind_display()} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("welfare:relief_detail", args=[self.pk])


DECISION_LABELS = {
    "draft": _("Drafted"),
    "submit": _("Submitted by the union"),
    "review": _("Reviewed"),
    "notice": _("Put on public notice"),
    "approve": _("Approved"),
    "reject": pgettext_lazy("relief", "Rejected"),
    "pay": pgettext_lazy("relief", "Paid"),
}


class ReliefDecision(models.Model):
    """Every step of an application: who, when, what, with which comment."""

    application = models.ForeignKey(
        ReliefApplication, on_delete=models.CASCADE, related_name="decisions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(_("decision"), max_length=20)
    from_status = models.CharField(max_length=20, choices=ReliefStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReliefStatus.choices)
    # Often a copy of the home visit record, the income verification or the rejection reason.
    comment = EncryptedTextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"

    @property
    def label(self) -> str:
        return str(DECISION_LABELS.get(self.action, self.action))


class ReliefPayment(models.Model):
    """The one disbursement of an approved application (one-to-one: never two)."""

    application = models.OneToOneField(
        ReliefApplication, on_delete=models.PROTECT, related_name="payment"
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, validators=POSITIVE)
    paid_on = models.DateField(pgettext_lazy("relief", "paid on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_gt_0")]

    def __str__(self) -> str:
        return f"{self.amount} {self.reference}"


def _proof_name(instance: ReliefProof, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"welfare/proofs/{uuid.uuid4().hex}.{ext}"


class ReliefProof(models.Model):
    """A proof file (diagnosis, income certificate): private media, served through a view
    that scopes by the application."""

    application = models.ForeignKey(
        ReliefApplication, on_delete=models.CASCADE, related_name="proofs"
    )
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to=_proof_name, max_length=200)
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title

    @property
    def organisation(self) -> Organisation:
        return self.application.organisation


# --- Condolence visits ---------------------------------------------------------------------


class CondolenceVisit(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="visits"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    visited_on = models.DateField(_("date"))
    in_cash = models.BooleanField(_("in cash"), default=False)
    amount = models.DecimalField(
        _("amount or value"), max_digits=12, decimal_places=2, validators=POSITIVE
    )
    visitors = models.CharField(_("visitors"), max_length=200)
    # The employer visited (送温暖 counts the enterprises reached), as the union worker types
    # it: the visited workplace is often not a union of the portal. Blank on older visits.
    enterprise = models.CharField(
        _("enterprise visited"),
        max_length=120,
        blank=True,
        help_text=_("The employer whose workers were visited, e.g. 宜昌某某化工有限公司."),
    )
    note = EncryptedTextField(_("note"), blank=True)
    # The form's one-time token: a double-clicked "record" finds the visit it made (H2).
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("condolence visit")
        ordering = ["-visited_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="visit_gt_0")]

    def __str__(self) -> str:
        return f"{self.occasion} {self.visited_on}"

    def get_absolute_url(self) -> str:
        return reverse("welfare:visit_list") + f"#visit-{self.pk}"
