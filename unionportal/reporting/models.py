"""Quarterly reports, their periods and review steps, reminders, and the statistics snapshots
(architecture.md "unionportal/reporting")."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Organisation

from .indicators import KPI_BY_CODE, KPIS

MONEY = {"max_digits": 16, "decimal_places": 2}

# Days after the quarter's end a report is due, unless the period says otherwise.
DEFAULT_DUE_DAYS = 15


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end_month_next = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, end_month_next - timedelta(days=1)


def finished_quarters(n: int, today: date | None = None) -> list[tuple[int, int]]:
    """The last `n` quarters that have ended, as (year, quarter), oldest first."""
    today = today or timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _step in range(n):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        out.append((year, quarter))
    return list(reversed(out))


class ReportPeriod(models.Model):
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    starts_on = models.DateField(_("starts on"), editable=False)
    ends_on = models.DateField(_("ends on"), editable=False)
    due_on = models.DateField(_("due on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        verbose_name = _("report period")
        verbose_name_plural = _("report periods")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="reportperiod_unique"),
        ]

    def __str__(self) -> str:
        return _("%(year)s Q%(quarter)s") % {"year": self.year, "quarter": self.quarter}

    def save(self, *args, **kwargs):
        self.starts_on, self.ends_on = quarter_bounds(self.year, self.quarter)
        super().save(*args, **kwargs)

    @property
    def code(self) -> str:
        """2026Q3, as the export command takes it."""
        return f"{self.year}Q{self.quarter}"

    @staticmethod
    def default_due(year: int, quarter: int) -> date:
        return quarter_bounds(year, quarter)[1] + timedelta(days=DEFAULT_DUE_DAYS)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", pgettext_lazy("report", "Returned")
    ACCEPTED = "accepted", _("Accepted")


class QuarterlyReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED))


class QuarterlyReport(models.Model):
    """One union's report for one period.

    `computed` holds the figures the portal counted from its records when the report was last
    saved; `values` the figures of record (computed, overridden or entered); `reasons` why a
    computed figure was overridden. Once accepted, nothing recomputes them: the report is
    frozen and later edits to records do not change it.
    """

    period = models.ForeignKey(
        ReportPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    computed = models.JSONField(_("computed figures"), default=dict, blank=True)
    values = models.JSONField(_("figures"), default=dict, blank=True)
    reasons = models.JSONField(_("reasons for overrides"), default=dict, blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    requests = models.TextField(_("requests to the federation"), blank=True)
    # Denormalised from `values` so the statistics rollup can read it in SQL (建会率).
    employers_without_union = models.PositiveIntegerField(null=True, blank=True, editable=False)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = QuarterlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-period__year", "-period__quarter", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organisation"], name="quarterlyreport_unique"
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="qreport_period_status")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period}"

    @property
    def frozen(self) -> bool:
        return self.status == ReportStatus.ACCEPTED

    @property
    def editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    def overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.editable and today > self.period.due_on


class ReportEvent(models.Model):
    """Every step of a report: saved, submitted, returned, accepted (who, when, comment)."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.from_status}->{self.to_status}"


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Report due soon")
    OVERDUE = "overdue", _("Report overdue")
    RETURNED = "returned", _("Report returned")
    REMINDER = "reminder", _("Reminder from the reviewer")


class Notification(models.Model):
    """An in-app notice to one person (the bell in the top bar). One per person, kind,
    report and day: the daily reminder task can run twice without repeating itself."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    report = models.ForeignKey(
        QuarterlyReport, on_delete=models.CASCADE, related_name="notifications"
    )
    day = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "report", "day"], name="notification_once_a_day"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.report_id}"


class KpiTarget(models.Model):
    """A KPI's target in percent, from a date on (domain.md: targets are data)."""

    kpi = models.CharField(_("indicator"), max_length=40, choices=[(k.code, k.label) for k in KPIS])
    percent = models.DecimalField(
        _("target (%)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["kpi", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "effective_from"], name="kpitarget_unique"),
        ]

    def __str__(self) -> str:
        return f"{KPI_BY_CODE[self.kpi].label} {self.percent}%"

    @classmethod
    def in_force(cls, day: date) -> dict:
        """Each KPI's target in force on `day`: the row with the latest effective_from on or
        before it."""
        targets: dict = {}
        for t in cls.objects.filter(effective_from__lte=day).order_by("kpi", "-effective_from"):
            targets.setdefault(t.kpi, t.percent)
        return targets


class StatSnapshot(models.Model):
    """One organisation's figures for one month, summed over its whole subtree.

    Stocks (members, cards, open hardship files, unions, employees) are as of the month's
    end (or today, for the current month); flows (new members, dues, relief, visits,
    sessions, items reviewed, suggestions, competitions, honours, studios named, 送温暖) are
    the month's; studios (named by then, by level, exemplary) are as of the month's end, never
    summed over months; casework figures (requests received by channel, accepted, closed,
    followed up) are year to date, overdue requests as of the month's end; motion figures are
    year to date (motions filed this year by the month's end, and how many of them are
    answered), so the answer rate never exceeds 100%.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    unions = models.PositiveIntegerField(default=0)
    # The employers the grassroots unions cover (a joint union covers several).
    employers_with_union = models.PositiveIntegerField(default=0)
    employers_without_union = models.PositiveIntegerField(default=0)
    # Counties, townships and parks with an accepted figure of employers without a union in
    # force for the month: with none, the establishment rate cannot be known.
    territories_reporting = models.PositiveIntegerField(default=0)
    # Of the unions that reported their (migrant) employees only; the others are counted here.
    employees = models.PositiveIntegerField(default=0)
    migrant_employees = models.PositiveIntegerField(default=0)
    unions_without_employees = models.PositiveIntegerField(default=0)
    unions_without_migrant_employees = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    # The membership rates' numerators: (migrant) members of unions with the figure.
    members_counted = models.PositiveIntegerField(default=0)
    migrant_members_counted = models.PositiveIntegerField(default=0)
    women_members = models.PositiveIntegerField(default=0)
    migrant_members = models.PositiveIntegerField(default=0)
    retained_members = models.PositiveIntegerField(default=0)
    new_members = models.PositiveIntegerField(default=0)
    cards_valid = models.PositiveIntegerField(default=0)
    cards_active = models.PositiveIntegerField(default=0)
    cards_issued = models.PositiveIntegerField(default=0)
    dues_expected = models.DecimalField(**MONEY, default=0)
    dues_collected = models.DecimalField(**MONEY, default=0)
    hardship_files = models.PositiveIntegerField(default=0)
    relief_count = models.PositiveIntegerField(default=0)
    relief_amount = models.DecimalField(**MONEY, default=0)
    visits_count = models.PositiveIntegerField(default=0)
    visits_amount = models.DecimalField(**MONEY, default=0)
    congress_sessions = models.PositiveIntegerField(default=0)
    motions_filed = models.PositiveIntegerField(default=0)
    motions_answered = models.PositiveIntegerField(default=0)
    motions_feedback = models.PositiveIntegerField(default=0)
    motions_satisfied = models.PositiveIntegerField(default=0)
    suggestions = models.PositiveIntegerField(default=0)
    suggestions_adopted = models.PositiveIntegerField(default=0)
    competitions = models.PositiveIntegerField(default=0)
    competition_entries = models.PositiveIntegerField(default=0)
    honours = models.PositiveIntegerField(default=0)
    honours_national = models.PositiveIntegerField(default=0)
    honours_provincial = models.PositiveIntegerField(default=0)
    honours_city = models.PositiveIntegerField(default=0)
    honours_county = models.PositiveIntegerField(default=0)
    model_workers_national = models.PositiveIntegerField(default=0)
    advanced_workers_national = models.PositiveIntegerField(default=0)
    model_workers_provincial = models.PositiveIntegerField(default=0)
    advanced_workers_provincial = models.PositiveIntegerField(default=0)
    model_workers_city = models.PositiveIntegerField(default=0)
    advanced_workers_city = models.PositiveIntegerField(default=0)
    may_day_awards_national = models.PositiveIntegerField(default=0)
    may_day_awards_provincial = models.PositiveIntegerField(default=0)
    may_day_awards_city = models.PositiveIntegerField(default=0)
    may_day_medals_national = models.PositiveIntegerField(default=0)
    may_day_medals_provincial = models.PositiveIntegerField(default=0)
    may_day_medals_city = models.PositiveIntegerField(default=0)
    pioneer_teams_national = models.PositiveIntegerField(default=0)
    pioneer_teams_provincial = models.PositiveIntegerField(default=0)
    pioneer_teams_city = models.PositiveIntegerField(default=0)
    studios_named = models.PositiveIntegerField(default=0)
    studios_named_city = models.PositiveIntegerField(default=0)
    studios_named_provincial = models.PositiveIntegerField(default=0)
    studios_named_national = models.PositiveIntegerField(default=0)
    exemplary_studios_named = models.PositiveIntegerField(default=0)
    studios = models.PositiveIntegerField(default=0)
    studios_city = models.PositiveIntegerField(default=0)
    studios_provincial = models.PositiveIntegerField(default=0)
    studios_national = models.PositiveIntegerField(default=0)
    exemplary_studios = models.PositiveIntegerField(default=0)
    reviewed_items = models.PositiveIntegerField(default=0)
    warmth_amount = models.DecimalField(**MONEY, default=0)
    warmth_households = models.PositiveIntegerField(default=0)
    warmth_enterprises = models.PositiveIntegerField(default=0)
    # Casework (rights.stats), year to date as the motions are; overdue requests as of the
    # month's end.
    petition_visits = models.PositiveIntegerField(default=0)
    petition_people = models.PositiveIntegerField(default=0)
    petition_letters = models.PositiveIntegerField(default=0)
    petition_calls = models.PositiveIntegerField(default=0)
    petition_online = models.PositiveIntegerField(default=0)
    petition_consultations = models.PositiveIntegerField(default=0)
    petitions_accepted = models.PositiveIntegerField(default=0)
    petitions_closed = models.PositiveIntegerField(default=0)
    petitions_closed_on_time = models.PositiveIntegerField(default=0)
    petitions_followed_up = models.PositiveIntegerField(default=0)
    petitions_satisfied = models.PositiveIntegerField(default=0)
    petitions_overdue = models.PositiveIntegerField(default=0)
    # Collective contracts (rights.contract_stats): coverage as of the month's end (a stock),
    # contracts signed and disputes taken to mediation in the month.
    contract_employers = models.PositiveIntegerField(default=0)
    contract_employers_comprehensive = models.PositiveIntegerField(default=0)
    contract_employers_wage = models.PositiveIntegerField(default=0)
    contract_employers_women = models.PositiveIntegerField(default=0)
    contract_employers_safety = models.PositiveIntegerField(default=0)
    contract_workers = models.PositiveIntegerField(default=0)
    contracts_signed = models.PositiveIntegerField(default=0)
    mediation_received = models.PositiveIntegerField(default=0)
    mediation_settled_in_time = models.PositiveIntegerField(default=0)
    mediation_referred = models.PositiveIntegerField(default=0)
    # 六有六好 (assessment.stats.standards): grassroots unions with a confirmed result of
    # record at the month's end, and those of them meeting the standard (stocks).
    standard_assessed = models.PositiveIntegerField(default=0)
    standard_passed = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="statsnapshot_unique"),
        ]
        # (month, organisation) serves the rollup's comparison with a month's rows. The table
        # keeps free room in its pages (fillfactor, migration 0003) so the rollup's updates are
        # HOT: neither indexed column changes, so no index is written.
        indexes = [models.Index(fields=["month", "organisation"], name="statsnapshot_month_org")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m}"

    def rate(self, kpi_code: str):
        return KPI_BY_CODE[kpi_code].rate(self)


# The snapshot's figure columns, in order (the rollup's SQL is built from this list).
SNAPSHOT_COLUMNS = [
    f.column
    for f in StatSnapshot._meta.concrete_fields
    if f.column not in ("id", "organisation_id", "month", "computed_at")
]
SNAPSHOT_MONEY = [
    f.column for f in StatSnapshot._meta.concrete_fields if isinstance(f, models.DecimalField)
]
