"""The membership history the statistics count from (issue "membership history").

A MembershipSpell is one stretch of a person's membership during which everything the figures
count stays the same: the union that holds them, the status (active or retained) and the
attributes the reports break members down by. `valid_from` is the first day, `valid_to` the
first day it no longer holds (None while it does), so "who was a member of union X on day D"
is one query: `valid_from <= D AND (valid_to IS NULL OR valid_to > D)` (see `at`).

Every join, status change, transfer and edit of a counted attribute closes the open spell and
opens the next one (members/history.py writes them); a spell is never empty (valid_to >
valid_from), and a person has at most one open spell.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation
from .people import Gender, Member, MemberStatus, RetainedReason


class SpellStart(models.TextChoices):
    JOIN = "join", _("Joined (approved)")
    TRANSFER = "transfer", _("Transferred in")
    CHANGE = "change", _("Status or details changed")


class MembershipSpellQuerySet(models.QuerySet):
    def at(self, day: date) -> MembershipSpellQuerySet:
        """The spells that hold on `day`."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)

    def overlapping(self, start: date, end: date) -> MembershipSpellQuerySet:
        """The spells that hold on some day of [start, end]."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start), valid_from__lte=end)


class MembershipSpell(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="spells")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=[(s.value, s.label) for s in (MemberStatus.ACTIVE, MemberStatus.RETAINED)],
    )
    retained_reason = models.CharField(
        _("reason for retaining"), max_length=20, choices=RetainedReason.choices, blank=True
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    is_migrant = models.BooleanField(_("migrant worker"), default=False)
    is_frontline = models.BooleanField(_("frontline worker"), default=False)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until (exclusive)"), null=True, blank=True)
    started_by = models.CharField(
        _("began with"), max_length=10, choices=SpellStart.choices, default=SpellStart.JOIN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipSpellQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership spell")
        verbose_name_plural = _("membership spells")
        ordering = ["member", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(valid_to__isnull=True),
                name="spell_one_open_per_member",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="spell_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "retained"]), name="spell_status_counted"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "valid_from"], name="spell_org_from"),
            models.Index(fields=["member", "valid_from"], name="spell_member_from"),
        ]

    def __str__(self) -> str:
        until = f"{self.valid_to:%Y-%m-%d}" if self.valid_to else "…"
        return f"{self.member_id} {self.organisation_id} {self.status} {self.valid_from}–{until}"
