"""Collective contracts (集体合同, 《集体合同规定》2004, domain.md K): the register per employer
union, or per township, park or industry union for a regional or industry contract that lists
the employers it covers; the deadline rule table; every step of a contract.

Deadlines are counted in calendar days from the day after the event (as the casework does):
a contract signed on 1 March is due at the labour bureau by 11 March; received by the bureau on
1 March, it is in force on 16 March when no objection came."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organisation


class ContractKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive collective contract")
    WAGE = "wage", _("Wage collective contract")
    WOMEN = "women", _("Women workers' rights collective contract")
    SAFETY = "safety", _("Labour safety and health collective contract")


class ContractCoverage(models.TextChoices):
    ENTERPRISE = "enterprise", _("One employer")
    REGIONAL = "regional", _("Regional")
    INDUSTRY = "industry", _("Industry")


class VoteBody(models.TextChoices):
    CONGRESS = "congress", _("Workers' congress")
    ALL_STAFF = "all_staff", _("All-staff meeting")


class ContractStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("Under negotiation")
    SIGNED = "signed", _("Signed, to send")
    SENT = "sent", _("Sent to the labour bureau")
    APPROVED = "approved", _("Approved by the labour bureau")
    NO_OBJECTION = "no_objection", _("In force, no objection")
    OBJECTED = "objected", _("Objected by the labour bureau")


# The statuses whose outcome the bureau has decided (no reminder to record one).
DECIDED = (ContractStatus.APPROVED, ContractStatus.NO_OBJECTION, ContractStatus.OBJECTED)


class ContractRule(models.Model):
    """The contract and mediation deadlines with an effective-from date (defaults from
    《集体合同规定》 art. 42 and 47 and 《劳动争议调解仲裁法》 art. 14, seeded by migration).
    A contract keeps the rule in force on the day it was signed, a mediation case the rule
    in force on the day of its application."""

    effective_from = models.DateField(_("effective from"), unique=True)
    send_days = models.PositiveSmallIntegerField(
        _("days to send a signed contract to the labour bureau"),
        default=10,
        validators=[MinValueValidator(1)],
    )
    review_days = models.PositiveSmallIntegerField(
        _("days of the labour bureau's review"), default=15, validators=[MinValueValidator(1)]
    )
    renewal_reminder_days = models.PositiveSmallIntegerField(
        _("days before expiry to start the renewal"), default=90, validators=[MinValueValidator(1)]
    )
    mediation_days = models.PositiveSmallIntegerField(
        _("days to settle a mediation case"), default=15, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("contract and mediation deadlines")
        verbose_name_plural = _("contract and mediation deadlines")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from}"

    @classmethod
    def in_force(cls, day: date) -> ContractRule:
        rule = cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
        return rule or cls(effective_from=date(2004, 5, 1))


def _text_name(instance: CollectiveContract, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"rights/contracts/{uuid.uuid4().hex}.{ext}"


class CollectiveContract(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="collective_contracts",
    )
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=ContractKind.choices)
    coverage = models.CharField(
        _("coverage"),
        max_length=20,
        choices=ContractCoverage.choices,
        default=ContractCoverage.ENTERPRISE,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ContractStatus.choices,
        default=ContractStatus.NEGOTIATING,
    )
    # The negotiation.
    offered_on = models.DateField(_("negotiation requested on (要约)"), null=True, blank=True)
    rounds = models.PositiveSmallIntegerField(_("negotiation rounds"), default=0)
    vote_body = models.CharField(
        _("approved by"), max_length=20, choices=VoteBody.choices, blank=True
    )
    voted_on = models.DateField(_("draft approved on"), null=True, blank=True)
    # The contract.
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("term starts"), null=True, blank=True)
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    workers_covered = models.PositiveIntegerField(_("workers covered"), default=0)
    wage_increase = models.DecimalField(
        _("agreed wage increase (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
    )
    text = models.FileField(_("contract text"), upload_to=_text_name, max_length=200, blank=True)
    # The labour bureau's review; the deadlines of the rule in force on signing, copied.
    send_by = models.DateField(_("send to the labour bureau by"), null=True, blank=True)
    sent_on = models.DateField(_("sent to the labour bureau on"), null=True, blank=True)
    received_on = models.DateField(_("received by the labour bureau on"), null=True, blank=True)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    outcome_note = models.CharField(_("the bureau's comment"), max_length=300, blank=True)
    # The first day in force: the approval, or the day the review ended with no objection
    # (set on receipt, cleared by an objection).
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collective contract")
        verbose_name_plural = _("collective contracts")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="contract_term_positive",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="contract_org_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:contract_detail", args=[self.pk])

    @property
    def regional(self) -> bool:
        return self.coverage != ContractCoverage.ENTERPRISE

    def rule(self) -> ContractRule:
        return ContractRule.in_force(self.signed_on or timezone.localdate())

    def in_force(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return bool(
            self.in_force_on
            and self.in_force_on <= day
            and self.starts_on
            and self.starts_on <= day <= self.ends_on
        )

    def send_overdue(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.status == ContractStatus.SIGNED and bool(self.send_by) and day > self.send_by

    def renewal_due(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        days = self.rule().renewal_reminder_days
        return bool(self.ends_on) and day <= self.ends_on <= day + timedelta(days=days)


class ContractEmployer(models.Model):
    """An employer a contract covers, with the workers covered there: the contract's own union
    for a contract of one employer, each listed employer for a regional or industry one."""

    contract = models.ForeignKey(
        CollectiveContract, on_delete=models.CASCADE, related_name="employers"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    workers = models.PositiveIntegerField(_("workers covered"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "organisation"], name="contract_employer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}:{self.organisation_id}"


CONTRACT_STEP_LABELS = {
    "register": _("Registered"),
    "edit": _("Edited"),
    "send": _("Sent to the labour bureau"),
    "receive": _("Receipt by the labour bureau recorded"),
    "approved": _("Approved by the labour bureau"),
    "no_objection": _("No objection within the review"),
    "objected": _("Objected by the labour bureau"),
}


class ContractEvent(models.Model):
    contract = models.ForeignKey(
        CollectiveContract, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    on = models.DateField(_("date"))
    action = models.CharField(_("what was done"), max_length=20)
    from_status = models.CharField(max_length=20, choices=ContractStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ContractStatus.choices)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.on}"

    @property
    def label(self) -> str:
        return str(CONTRACT_STEP_LABELS.get(self.action, self.action))
