"""Competitions and honours (domain.md G): competitions with criteria, judges, entries and
scores; the honours register; nomination rounds with quota rules; innovation studios.

Every row keeps the organisation it belongs to, and scoping goes through members.access."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import Member, Organisation


class Field(models.TextChoices):
    INNOVATION = "innovation", _("Economic and technical innovation")
    KEY_PROJECTS = "key_projects", _("Key projects")
    VOCATIONAL = "vocational", _("Vocational skills")
    SERVICES = "services", _("Service industries")


class CompetitionKind(models.TextChoices):
    LABOUR = "labour", _("Labour competition")
    SKILLS = "skills", _("Skills contest")
    TECHNICAL = "technical", _("Technical contest")


class CompetitionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REGISTERING = "registering", _("Registering")
    JUDGING = "judging", _("Judging")
    PUBLISHED = "published", _("Published")


NEXT_STATUS = {
    CompetitionStatus.PLANNED: CompetitionStatus.REGISTERING,
    CompetitionStatus.REGISTERING: CompetitionStatus.JUDGING,
}


class Competition(models.Model):
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=CompetitionKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    registration_opens = models.DateField(_("registration opens"))
    registration_closes = models.DateField(_("registration closes"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CompetitionStatus.choices,
        default=CompetitionStatus.PLANNED,
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("competition")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("competitions:competition_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status == CompetitionStatus.PUBLISHED


class Criterion(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=80)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    min_score = models.DecimalField(
        _("lowest score"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    max_score = models.DecimalField(
        _("highest score"), max_digits=6, decimal_places=2, default=Decimal("100")
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Judge(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The entries assigned to this judge; none assigned means every entry of the competition.
    entries = models.ManyToManyField("Entry", blank=True, related_name="assigned_judges")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "user"], name="judge_once"),
        ]

    def __str__(self) -> str:
        return self.user.display_name


class Entry(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="entries")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competition_entries",
    )
    team_name = models.CharField(_("team name"), max_length=80, blank=True)
    team_members = models.ManyToManyField(Member, blank=True, related_name="team_entries")
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.DecimalField(
        _("total"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["rank", "pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.member.name if self.member_id else self.team_name


class Score(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "judge", "criterion"], name="score_once_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value}"


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County or district")


class RecipientKind(models.TextChoices):
    MEMBER = "member", _("Member")
    ORGANISATION = "organisation", _("Organisation")
    TEAM = "team", _("Team")


class HonourKind(models.Model):
    """A kind of honour (rule table: the built-in kinds come with the data migration, named in
    Chinese; the federation administrator adds more). A kind whose level is given (全国劳动模范:
    national) is awarded at that level only; without one (五一劳动奖章) at any level."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    recipient = models.CharField(
        _("awarded to"), max_length=20, choices=RecipientKind.choices, default="member"
    )
    level = models.CharField(
        _("only at level"), max_length=20, choices=HonourLevel.choices, blank=True
    )
    builtin = models.BooleanField(default=False, editable=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Honour(models.Model):
    kind = models.ForeignKey(HonourKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    level = models.CharField(_("level"), max_length=20, choices=HonourLevel.choices)
    year = models.PositiveIntegerField(_("year"))
    # The day the awarding body conferred it: the figures count honours by this day, not by the
    # day they were typed in (created_at).
    awarded_on = models.DateField(_("awarded on"))
    awarding_body = models.CharField(_("awarding body"), max_length=120)
    # The organisation the honour belongs to (the member's union at the time, the honoured
    # organisation itself, or the team's union): scoping goes through it.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    team_name = models.CharField(_("team name"), max_length=80, blank=True)
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="honours"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-awarded_on", "kind_id", "pk"]
        verbose_name = _("honour")

    def __str__(self) -> str:
        return f"{self.kind} {self.year}"

    @property
    def recipient_name(self) -> str:
        if self.member_id:
            return self.member.name
        return self.team_name or self.organisation.name


class StudioLevel(models.TextChoices):
    CITY = "city", _("City")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National")


class InnovationStudio(models.Model):
    """An innovation studio (创新工作室, domain.md G): named at a level (city, provincial or
    national) on `recognised_on`, and, apart from its level, possibly named exemplary (示范)
    on `exemplary_on`: a city-level studio may be exemplary too."""

    name = models.CharField(_("name"), max_length=120)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        Member,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="studios",
    )
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    level = models.CharField(_("level"), max_length=20, choices=StudioLevel.choices)
    recognised_on = models.DateField(_("recognised on"))
    exemplary_on = models.DateField(_("named exemplary on"), null=True, blank=True)
    achievements = models.TextField(_("achievements"), blank=True)

    class Meta:
        ordering = ["-recognised_on", "name"]
        verbose_name = _("innovation studio")

    def __str__(self) -> str:
        return self.name

    @property
    def is_exemplary(self) -> bool:
        return self.exemplary_on is not None


# --- Nomination rounds ---------------------------------------------------------------------


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Nominating")
    NOTICE = "notice", _("Public notice")
    CLOSED = "closed", _("Decided")


class QuotaAttribute(models.TextChoices):
    """Who a quota rule counts (domain.md G). The member's record holds frontline, migrant,
    gender and manager; the nomination records the rest (Nomination.is_*)."""

    INDUSTRIAL = "industrial", _("Industrial workers")
    FRONTLINE = "frontline", _("Frontline workers")
    # Frontline nominees who are not industrial workers (五一 medals: 其他一线职工).
    OTHER_FRONTLINE = "other_frontline", _("Other frontline workers")
    SCIENCE_EDUCATION = "science_education", _("Science and education staff")
    MIGRANT = "migrant", _("Migrant workers")
    WOMEN = "women", _("Women")
    NON_PUBLIC = "non_public", _("From non-public enterprises")
    KEY_INDUSTRY = "key_industry", _("From key industries")
    ENTERPRISE_HEAD = "enterprise_head", _("Enterprise heads")
    MANAGER = "manager", _("Managers and leaders")


class QuotaOperator(models.TextChoices):
    AT_LEAST = "gte", _("at least")
    AT_MOST = "lte", _("at most")


class NominationRound(models.Model):
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(HonourKind, verbose_name=_("honour"), on_delete=models.PROTECT)
    level = models.CharField(_("level"), max_length=20, choices=HonourLevel.choices)
    year = models.PositiveIntegerField(_("year"))
    awarding_body = models.CharField(_("awarding body"), max_length=120)
    status = models.CharField(max_length=20, choices=RoundStatus.choices, default="open")
    notice_from = models.DateField(_("notice from"), null=True, blank=True)
    notice_to = models.DateField(_("notice until"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return _("%(year)s %(honour)s") % {"year": self.year, "honour": self.kind}

    def get_absolute_url(self) -> str:
        return reverse("competitions:round_detail", args=[self.pk])


class QuotaRule(models.Model):
    round = models.ForeignKey(NominationRound, on_delete=models.CASCADE, related_name="rules")
    attribute = models.CharField(_("who"), max_length=20, choices=QuotaAttribute.choices)
    operator = models.CharField(_("rule"), max_length=3, choices=QuotaOperator.choices)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.attribute} {self.operator} {self.percent}"


class QuotaDefault(models.Model):
    """A default quota rule of an honour kind (rule table, seeded from the 2024 五一 notice and
    the 2015 全国劳模 quotas; the administrator adds newer rows). A round starts with the rules
    in force for its kind on the day it is created: per attribute and direction, the newest row
    effective by then; a row of "at least 0%" or "at most 100%" withdraws the rule."""

    kind = models.ForeignKey(
        HonourKind, verbose_name=_("honour"), on_delete=models.CASCADE, related_name="quotas"
    )
    attribute = models.CharField(_("who"), max_length=20, choices=QuotaAttribute.choices)
    operator = models.CharField(_("rule"), max_length=3, choices=QuotaOperator.choices)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind_id", "attribute", "operator", "-effective_from", "-pk"]
        verbose_name = _("default quota rule")

    def __str__(self) -> str:
        return f"{self.kind} {self.attribute} {self.operator} {self.percent}"

    @property
    def withdraws(self) -> bool:
        """A rule every list meets: the row ends the default instead of setting one."""
        if self.operator == QuotaOperator.AT_LEAST:
            return self.percent <= 0
        return self.percent >= 100


class NominationQuota(models.Model):
    round = models.ForeignKey(NominationRound, on_delete=models.CASCADE, related_name="quotas")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveIntegerField(_("seats"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="quota_once"),
        ]

    def __str__(self) -> str:
        return f"{self.seats}"


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")


class Nomination(models.Model):
    round = models.ForeignKey(NominationRound, on_delete=models.CASCADE, related_name="nominees")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="nominations")
    status = models.CharField(
        max_length=20, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    honour = models.ForeignKey(Honour, null=True, blank=True, on_delete=models.SET_NULL)
    # What the quota rules ask of a nominee that the member's record does not hold, recorded by
    # the nominating union.
    is_industrial_worker = models.BooleanField(_("industrial worker"), default=False)
    is_science_education = models.BooleanField(_("science or education staff"), default=False)
    is_non_public = models.BooleanField(_("works in a non-public enterprise"), default=False)
    is_key_industry = models.BooleanField(_("works in a key industry"), default=False)
    is_enterprise_head = models.BooleanField(_("enterprise head"), default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="nominated_once"),
        ]

    def __str__(self) -> str:
        return self.member.name


class Objection(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("received on"))
    body = models.TextField(_("objection"))
    handling = models.TextField(_("handling"), blank=True)

    def __str__(self) -> str:
        return self.body[:40]
