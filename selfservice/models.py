"""Online joining (申请入会) and member accounts (issue 19, domain.md L).

A join application is its own record, not a Member: the one-member-per-ID rule (constraint
member_one_current_membership) counts members only, so nobody can block a stranger's ID by
applying with it. Approval turns the application into a member through the members services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members import crypto
from members.models import EmploymentType, Gender, Member, Organisation
from members.validators import mask_mobile, mask_resident_id

# The privacy notice the applicant consents to (PIPL art. 13-14, 29); a new text gets a new
# version, and each application keeps the version it was given.
PRIVACY_NOTICE_VERSION = "2026-01"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the union's decision")
    APPROVED = "approved", pgettext_lazy("application", "Approved")
    REJECTED = "rejected", pgettext_lazy("application", "Rejected")


# The lifecycle in one place: from -> allowed targets.
TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.PENDING: {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED},
    ApplicationStatus.APPROVED: set(),
    ApplicationStatus.REJECTED: set(),
}


class JoinApplication(models.Model):
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("union applied to"),
        on_delete=models.PROTECT,
        related_name="join_applications",
    )
    employer_text = models.CharField(_("employer as given"), max_length=200, blank=True)
    no_union_at_employer = models.BooleanField(_("employer has no union"), default=False)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    resident_id_cipher = models.TextField(editable=False)
    resident_id_index = models.CharField(max_length=64, editable=False, db_index=True)
    resident_id_masked = models.CharField(_("resident ID"), max_length=18, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    mobile = models.CharField(_("mobile"), max_length=11)
    employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices
    )
    is_migrant = models.BooleanField(_("migrant worker"), default=False)
    consent_version = models.CharField(_("privacy notice version"), max_length=20)
    consented_at = models.DateTimeField(_("consented at"))
    # The city-wide one-person-one-membership check at submission: the person is already a
    # member of some union, so the receiving union arranges a transfer instead of approving.
    transfer_needed = models.BooleanField(_("a transfer is needed"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reject_reason = models.TextField(_("reason for rejecting"), blank=True)
    member = models.OneToOneField(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="join_application",
    )

    class Meta:
        verbose_name = _("join application")
        verbose_name_plural = _("join applications")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="joinapp_org_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(member__isnull=False),
                name="joinapp_approved_has_member",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("selfservice:application_detail", args=[self.pk])

    @property
    def resident_id(self) -> str:
        return crypto.decrypt(self.resident_id_cipher)

    def set_resident_id(self, number: str) -> None:
        self.resident_id_cipher = crypto.encrypt(number)
        self.resident_id_index = crypto.blind_index(number)
        self.resident_id_masked = mask_resident_id(number)

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def decided_on(self):
        return timezone.localdate(self.decided_at) if self.decided_at else None


class MemberAccount(models.Model):
    """A member's own login, bound to one member record. The union issues a one-time
    activation code; the member sets a password and logs in with mobile and password."""

    member = models.OneToOneField(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="account"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_account",
    )
    mobile = models.CharField(_("login mobile"), max_length=11, null=True, blank=True, unique=True)
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    code_issued_at = models.DateTimeField(_("code issued at"), null=True, blank=True)
    code_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("member account")
        verbose_name_plural = _("member accounts")

    def __str__(self) -> str:
        return str(self.member)

    @property
    def is_active(self) -> bool:
        return self.user_id is not None and self.activated_at is not None
