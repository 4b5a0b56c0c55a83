"""Members and what happens to them: status changes, transfers, service cards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import crypto
from ..validators import PHONE_MAX_LENGTH, mask_mobile
from .organisations import Organisation


class MemberStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACTIVE = "active", _("Active")
    RETAINED = "retained", _("Retained membership")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out of the city")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Lapsed")
    EXPELLED = "expelled", _("Expelled")


# "Current" members hold their one membership in the city (architecture.md).
CURRENT_STATUSES = [MemberStatus.APPLIED, MemberStatus.ACTIVE, MemberStatus.RETAINED]

# The lifecycle in one place (domain.md C): from -> allowed targets. Rejoining after leaving
# goes back through an application.
TRANSITIONS: dict[str, set[str]] = {
    MemberStatus.APPLIED: {MemberStatus.ACTIVE, MemberStatus.WITHDRAWN},
    MemberStatus.ACTIVE: {
        MemberStatus.RETAINED,
        MemberStatus.TRANSFERRED_OUT,
        MemberStatus.WITHDRAWN,
        MemberStatus.LAPSED,
        MemberStatus.EXPELLED,
    },
    MemberStatus.RETAINED: {
        MemberStatus.ACTIVE,
        MemberStatus.TRANSFERRED_OUT,
        MemberStatus.WITHDRAWN,
        MemberStatus.EXPELLED,
    },
    MemberStatus.TRANSFERRED_OUT: {MemberStatus.APPLIED},
    MemberStatus.WITHDRAWN: {MemberStatus.APPLIED},
    MemberStatus.LAPSED: {MemberStatus.APPLIED},
    MemberStatus.EXPELLED: set(),
}
# Statuses in which a person holds a membership that the statistics count (a spell of
# MembershipSpell): an applicant is not a member yet, and the other statuses have left.
SPELL_STATUSES = (MemberStatus.ACTIVE, MemberStatus.RETAINED)


class RetainedReason(models.TextChoices):
    """Why a membership is retained (domain.md C, 章程 Art. 8): kept by the original union for
    a retiree or an unemployed member, by the higher union for a closed or bankrupt employer."""

    RETIRED = "retired", _("Retired")
    UNEMPLOYED = "unemployed", _("Unemployed")
    EMPLOYER_CLOSED = "employer_closed", _("Employer closed or bankrupt")


class ExpulsionReason(models.TextChoices):
    """The one ground for expulsion (domain.md C, 章程 Art. 7): a serious crime with a
    criminal penalty; the decision is filed with the higher union."""

    CRIMINAL_PENALTY = "criminal_penalty", _("Serious crime with a criminal penalty")


# Moves that need a written reason (retirement, the lapse conversation, the crime, ...).
REASON_REQUIRED = {
    MemberStatus.RETAINED,
    MemberStatus.TRANSFERRED_OUT,
    MemberStatus.WITHDRAWN,
    MemberStatus.LAPSED,
    MemberStatus.EXPELLED,
}


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school or below")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary or vocational")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class EmploymentType(models.TextChoices):
    PERMANENT = "permanent", _("Open-ended contract")
    FIXED_TERM = "fixed_term", _("Fixed-term contract")
    DISPATCHED = "dispatched", _("Agency (dispatched) worker")
    PART_TIME = "part_time", _("Part-time")
    PLATFORM = "platform", _("New forms of employment (platform)")
    CIVIL_SERVICE = "civil_service", _("Civil service or public institution staff")


class MemberQuerySet(models.QuerySet):
    def current(self) -> MemberQuerySet:
        return self.filter(status__in=CURRENT_STATUSES)

    def active(self) -> MemberQuerySet:
        return self.filter(status=MemberStatus.ACTIVE)

    def with_resident_id(self, number: str) -> MemberQuerySet:
        """Exact lookup by full resident ID through the blind index (one indexed query)."""
        return self.filter(resident_id_index=crypto.blind_index(number))


class Member(models.Model):
    """One row per person. A transfer inside the city changes `organisation`; the person's
    events (dues, relief, motions) keep the organisation they happened in."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    # The resident ID is never stored in clear (security.md F4): ciphertext, blind index, mask.
    resident_id_cipher = models.TextField(editable=False, blank=True)
    resident_id_index = models.CharField(max_length=64, editable=False, db_index=True)
    resident_id_masked = models.CharField(_("resident ID"), max_length=18, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=PHONE_MAX_LENGTH, blank=True)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices, blank=True
    )
    is_migrant = models.BooleanField(_("migrant worker"), default=False)
    is_frontline = models.BooleanField(_("frontline worker"), default=False)
    is_manager = models.BooleanField(_("manager or leader"), default=False)
    # Membership runs from the approval date (domain.md C): `joined_on` is that date; an
    # applicant's holds the application date until approval sets it. `applied_on` keeps the
    # application date for good.
    joined_on = models.DateField(_("joined on"))
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    retained_reason = models.CharField(
        _("reason for retaining"), max_length=20, choices=RetainedReason.choices, blank=True
    )
    wage_base = models.DecimalField(
        _("wage base for dues"), max_digits=10, decimal_places=2, default=0
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            # One person, one membership, city-wide (architecture.md).
            models.UniqueConstraint(
                fields=["resident_id_index"],
                condition=Q(status__in=["applied", "active", "retained"]),
                name="member_one_current_membership",
                violation_error_message=_("This person already holds a membership in the city."),
            ),
            models.CheckConstraint(condition=Q(wage_base__gte=0), name="member_wage_base_gte_0"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="member_org_status"),
            models.Index(fields=["organisation", "name", "id"], name="member_org_name"),
            # The city-wide list's default order: a keyset page is a seek on it (issue 21).
            models.Index(fields=["name", "id"], name="member_name_id"),
            models.Index(fields=["phone"], name="member_phone"),
            models.Index(fields=["joined_on"], name="member_joined_on"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:member_detail", args=[self.pk])

    @property
    def resident_id(self) -> str:
        """The full number: decrypt only for an audited reveal or a sensitive export."""
        return crypto.decrypt(self.resident_id_cipher)

    def set_resident_id(self, number: str) -> None:
        """`number` must already be normalised (validators.parse_resident_id)."""
        from ..validators import mask_resident_id

        self.resident_id_cipher = crypto.encrypt(number)
        self.resident_id_index = crypto.blind_index(number)
        self.resident_id_masked = mask_resident_id(number)

    @property
    def phone_masked(self) -> str:
        return mask_mobile(self.phone)

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES

    def allowed_statuses(self) -> list[str]:
        return sorted(TRANSITIONS[self.status])


class MemberStatusChange(models.Model):
    """Every status change: who, when, from, to, why."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_changes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, choices=MemberStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=MemberStatus.choices)
    changed_on = models.DateField(_("effective on"), default=timezone.localdate)
    reason = models.TextField(_("reason"), blank=True)
    # The reason's category where the rules need one: RetainedReason for a retained
    # membership, ExpulsionReason for an expulsion.
    category = models.CharField(_("reason category"), max_length=20, blank=True)
    # An expulsion is filed with the higher union (备案), which acknowledges it.
    filed_with = models.ForeignKey(
        Organisation,
        verbose_name=_("filed with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.from_status} → {self.to_status}"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class TransferQuerySet(models.QuerySet):
    def open(self) -> TransferQuerySet:
        return self.filter(status=TransferStatus.REQUESTED)


class Transfer(models.Model):
    """会员关系接转: started by either side, accepted by the other."""

    class Side(models.TextChoices):
        SENDING = "sending", _("Sending union")
        RECEIVING = "receiving", _("Receiving union")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_organisation = models.ForeignKey(
        Organisation, verbose_name=_("from union"), on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("to union"), on_delete=models.PROTECT, related_name="+"
    )
    started_by_side = models.CharField(_("started by"), max_length=10, choices=Side.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    reason = models.TextField(_("reason for the transfer"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="requested"),
                name="transfer_one_open_per_member",
                violation_error_message=_("This member already has an open transfer."),
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="transfer_between_two_unions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_organisation} → {self.to_organisation}"

    def get_absolute_url(self) -> str:
        return reverse("members:transfer_detail", args=[self.pk])

    @property
    def deciding_organisation(self) -> Organisation:
        """The side that must accept: the one that did not start it."""
        return (
            self.to_organisation
            if self.started_by_side == self.Side.SENDING
            else self.from_organisation
        )


class CardStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ACTIVE = "active", _("Activated")
    LOST = "lost", _("Reported lost")
    REPLACED = "replaced", _("Replaced")
    CANCELLED = "cancelled", _("Cancelled")


class ServiceCard(models.Model):
    """会员服务卡, often co-issued with a bank."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="cards"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("issuing union"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("card number"), max_length=32, unique=True)
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    activated_on = models.DateField(_("activated on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CardStatus.choices, default=CardStatus.ISSUED
    )
    # The day the card stopped being valid (reported lost, replaced, cancelled): past periods
    # count it valid until then.
    ended_on = models.DateField(_("valid until"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )

    class Meta:
        verbose_name = _("service card")
        verbose_name_plural = _("service cards")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=["issued", "active"]),
                name="card_one_valid_per_member",
                violation_error_message=_("This member already holds a valid card."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return self.member.get_absolute_url()
