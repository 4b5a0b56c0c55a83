"""Dues (会费), union funds (工会经费) and their remittance (domain.md D)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation
from .people import Member

MONEY = {"max_digits": 14, "decimal_places": 2}


class WageBase(models.Model):
    """A member's wage base for dues from a month on; the latest one at or before a month
    applies to that month."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="wage_bases")
    effective_month = models.DateField(_("effective from month"))  # always the 1st
    amount = models.DecimalField(_("monthly wage base"), max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wage base")
        verbose_name_plural = _("wage bases")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "effective_month"], name="wagebase_one_per_month"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="wagebase_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.effective_month:%Y-%m} {self.amount}"


class PaidHow(models.TextChoices):
    PAYROLL = "payroll", _("Deducted from pay")
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    ONLINE = "online", _("Online payment")


class DuesRecord(models.Model):
    """What one member owes for one month, in the union they belonged to that month."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # always the 1st
    wage_base = models.DecimalField(_("wage base"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("dues"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_how = models.CharField(_("paid how"), max_length=10, choices=PaidHow.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("dues record")
        verbose_name_plural = _("dues records")
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_one_per_member_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="dues_amount_gte_0"),
            models.CheckConstraint(condition=Q(wage_base__gte=0), name="dues_wage_base_gte_0"),
        ]
        indexes = [
            # The rollup's access path (performance.md: covering index, 0.29 s per 1M rows).
            models.Index(
                fields=["month", "organisation"],
                include=["amount", "paid_on"],
                name="dues_month_org_cover",
            ),
            models.Index(fields=["member", "month"], name="dues_member_month"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m} {self.amount}"


class DuesRollup(models.Model):
    """Per organisation and month: its own figures and the sum over its subtree."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    members_liable = models.PositiveIntegerField(default=0)
    expected = models.DecimalField(**MONEY, default=0)
    collected = models.DecimalField(**MONEY, default=0)
    arrears = models.DecimalField(**MONEY, default=0)
    subtree_members_liable = models.PositiveIntegerField(default=0)
    subtree_expected = models.DecimalField(**MONEY, default=0)
    subtree_collected = models.DecimalField(**MONEY, default=0)
    subtree_arrears = models.DecimalField(**MONEY, default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dues rollup")
        verbose_name_plural = _("dues rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="duesrollup_one_per_org_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.month:%Y-%m}"


class RemittanceRule(models.Model):
    """How the 2% levy is divided (rule table). organisation=None is the city-wide default;
    an organisation's own rule covers its subtree (the tobacco union's 50% to the city)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="remittance_rules",
    )
    effective_from = models.DateField(_("effective from"))
    retained_percent = models.DecimalField(
        _("kept by the grassroots union (%)"), max_digits=5, decimal_places=2, default=60
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("remittance rule")
        verbose_name_plural = _("remittance rules")
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "effective_from"], name="remittancerule_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(retained_percent__gte=0) & Q(retained_percent__lte=100),
                name="remittancerule_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation or _('City default')} {self.effective_from}"


class RemittanceShare(models.Model):
    """One upward share of a rule. `level` counts up the tree from the grassroots union
    (1 = the union directly above, 2 = the one above that, ...); LEVEL_OUTSIDE goes to the
    province and the national federation, outside the city's tree.

    A level that reaches above the root goes to the root: for a grassroots union directly under
    the city, level 1 and level 2 both go to the city federation. The retained part and the
    shares of a rule make exactly 100% (checked by services.remittance_rule_save); each share
    is rounded to the fen and the rounding remainder stays with the union
    (members/dues.py divide_levy)."""

    LEVEL_OUTSIDE = 99

    rule = models.ForeignKey(RemittanceRule, on_delete=models.CASCADE, related_name="shares")
    level = models.PositiveSmallIntegerField(_("level above"))
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    label = models.CharField(_("recipient"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("remittance share")
        verbose_name_plural = _("remittance shares")
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "level"], name="remittanceshare_one_per_level"),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="remittanceshare_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label or self.level}: {self.percent}%"


class FundRecord(models.Model):
    """An organisation's payroll for a month, the 2% levy and how it is divided."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="fund_records",
    )
    month = models.DateField(_("month"))
    payroll = models.DecimalField(_("total payroll"), **MONEY)
    levy = models.DecimalField(_("2% levy"), **MONEY)
    retained = models.DecimalField(_("kept by the union"), **MONEY)
    rule = models.ForeignKey(RemittanceRule, on_delete=models.PROTECT, related_name="+")
    # [{"level": 1, "organisation_id": 7, "name": "...", "percent": "20", "amount": "123.45"}]
    shares = models.JSONField(_("shares by level"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("union fund record")
        verbose_name_plural = _("union fund records")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="fundrecord_one_per_org_month"
            ),
            models.CheckConstraint(condition=Q(payroll__gte=0), name="fundrecord_payroll_gte_0"),
            models.CheckConstraint(
                condition=Q(levy__gte=0) & Q(levy__lte=F("payroll")), name="fundrecord_levy_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.month:%Y-%m}"
