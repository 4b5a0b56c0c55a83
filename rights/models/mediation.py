"""Labour-dispute mediation (劳动争议调解, 《劳动争议调解仲裁法》 art. 14, domain.md K): a union's
mediation committee, its members, and its cases. A case must be settled within 15 days of the
application (the rule table's mediation_days), counted from the day after: applied on 1 March,
settled on 16 March is in time, on 17 March it is not."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.crypto import EncryptedCharField
from members.models import Organisation


class MediationCommittee(models.Model):
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="mediation_committee",
    )
    set_up_on = models.DateField(_("set up on"))
    active = models.BooleanField(_("exists"), default=True)

    class Meta:
        verbose_name = _("mediation committee")
        verbose_name_plural = _("mediation committees")

    def __str__(self) -> str:
        return f"{self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:committee", args=[self.organisation_id])


class MediatorRole(models.TextChoices):
    CHAIR = "chair", _("Chair of the committee")
    WORKER = "worker", _("Workers' representative")
    EMPLOYER = "employer", _("Employer's representative")
    MEMBER = "member", _("Member of the committee")


class Mediator(models.Model):
    committee = models.ForeignKey(
        MediationCommittee, on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    role = models.CharField(_("role"), max_length=20, choices=MediatorRole.choices)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class MediationOutcome(models.TextChoices):
    OPEN = "open", _("Being mediated")
    SETTLED = "settled", _("Settled")
    REFERRED = "referred", _("Referred to arbitration")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MediationCase(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="mediation_cases",
    )
    applied_on = models.DateField(_("applied on"))
    applicant = EncryptedCharField(_("applicant"), max_length=200)
    respondent = models.CharField(_("other party"), max_length=120)
    subject = models.CharField(_("subject of the dispute"), max_length=200)
    status = models.CharField(
        _("outcome"),
        max_length=20,
        choices=MediationOutcome.choices,
        default=MediationOutcome.OPEN,
    )
    # The last day to settle, from the rule in force on the application, copied.
    settle_by = models.DateField(_("settle by"))
    closed_on = models.DateField(_("settled or closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-applied_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "applied_on"], name="mediation_org_day")]

    def __str__(self) -> str:
        return f"{self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:mediation_update", args=[self.pk])

    @property
    def settled_in_time(self) -> bool:
        return (
            self.status == MediationOutcome.SETTLED
            and self.closed_on is not None
            and self.closed_on <= self.settle_by
        )

    def overdue(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.status == MediationOutcome.OPEN and day > self.settle_by
