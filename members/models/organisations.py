"""The organisation tree (architecture.md "The organisation tree")."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .. import validators


class OrgKind(models.TextChoices):
    FEDERATION = "federation", _("Federation of trade unions")
    INDUSTRY_UNION = "industry_union", _("Industry union")
    TOWNSHIP_UNION = "township_union", _("Township (street) federation")
    PARK_UNION = "park_union", _("Park or regional union federation")
    GRASSROOTS = "grassroots", _("Grassroots union")
    JOINT_GRASSROOTS = "joint_grassroots", _("Joint grassroots union")
    BRANCH = "branch", _("Branch (workshop) union")
    GROUP = "group", _("Union group")


class FederationLevel(models.TextChoices):
    CITY = "city", _("City")
    COUNTY = "county", _("County or district")


class EmployerCategory(models.TextChoices):
    """单位类别 codes (domain.md B, S20)."""

    STATE = "110", _("State-owned enterprise")
    COLLECTIVE = "120", _("Collective enterprise")
    JOINT_STOCK_COOP = "130", _("Joint-stock cooperative")
    JOINT_VENTURE = "140", _("Jointly operated enterprise")
    STATE_SOLE_LLC = "151", _("Wholly state-owned company")
    OTHER_LLC = "159", _("Other limited liability company")
    STATE_HOLDING = "161", _("State-controlled joint-stock company")
    OTHER_JOINT_STOCK = "169", _("Other joint-stock company")
    PRIVATE = "170", _("Private enterprise")
    OTHER_DOMESTIC = "190", _("Other domestic enterprise")
    HK_MACAO_TAIWAN = "200", _("Hong Kong, Macao or Taiwan invested")
    FOREIGN = "300", _("Foreign invested")
    PUBLIC_INSTITUTION = "400", _("Public institution")
    GOVERNMENT = "500", _("Government organ")
    INDIVIDUAL = "600", _("Individual business")
    PRIVATE_NON_ENTERPRISE = "700", _("Private non-enterprise unit")


FEDERATION_LABELS = {
    FederationLevel.CITY: _("City federation of trade unions"),
    FederationLevel.COUNTY: _("County (district) federation of trade unions"),
}

# Which kinds may sit under which (architecture.md "The organisation tree").
UPPER_KINDS = {
    OrgKind.FEDERATION,
    OrgKind.INDUSTRY_UNION,
    OrgKind.TOWNSHIP_UNION,
    OrgKind.PARK_UNION,
}
GRASSROOTS_KINDS = {OrgKind.GRASSROOTS, OrgKind.JOINT_GRASSROOTS}
# Unions above the grassroots that hold members themselves (domain.md C): workers whose
# employer has no union, and retained members of a closed or bankrupt employer, moved there by
# a transfer. County federations hold them too (HOLDS_MEMBERS).
HOLDING_KINDS = {OrgKind.TOWNSHIP_UNION, OrgKind.PARK_UNION}
# Where a member may be registered: a grassroots union, its branches and groups, or a union
# that holds members above the grassroots.
MEMBER_ORG_KINDS = GRASSROOTS_KINDS | {OrgKind.BRANCH, OrgKind.GROUP} | HOLDING_KINDS
HOLDS_MEMBERS = Q(kind__in=MEMBER_ORG_KINDS) | Q(kind="federation", level="county")
ALLOWED_PARENTS: dict[str, set[str]] = {
    OrgKind.FEDERATION: {OrgKind.FEDERATION},
    OrgKind.INDUSTRY_UNION: {OrgKind.FEDERATION},
    OrgKind.TOWNSHIP_UNION: {OrgKind.FEDERATION},  # county level only, checked in allowed_under
    OrgKind.PARK_UNION: {OrgKind.FEDERATION},
    OrgKind.GRASSROOTS: UPPER_KINDS,
    OrgKind.JOINT_GRASSROOTS: UPPER_KINDS,
    OrgKind.BRANCH: GRASSROOTS_KINDS,
    OrgKind.GROUP: GRASSROOTS_KINDS | {OrgKind.BRANCH},
}


class OrganisationQuerySet(MP_NodeQuerySet):
    def active(self) -> OrganisationQuerySet:
        return self.filter(active=True)

    def subtree_of(self, org: Organisation) -> OrganisationQuerySet:
        return self.filter(path__startswith=org.path)


class OrganisationManager(MP_NodeManager.from_queryset(OrganisationQuerySet)):
    def get_queryset(self) -> OrganisationQuerySet:
        # treebeard's manager builds its own queryset class; keep ours and its path order.
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")


class Organisation(MP_Node):
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    level = models.CharField(
        _("federation level"), max_length=10, choices=FederationLevel.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    uscc = models.CharField(
        _("union's unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validators.validate_union_uscc],
        help_text=_("18 characters on the union's legal person certificate; starts with 8."),
    )
    employer_name = models.CharField(_("employer name"), max_length=200, blank=True)
    employer_uscc = models.CharField(
        _("employer's unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validators.validate_uscc],
    )
    employer_category = models.CharField(
        _("employer category"), max_length=3, choices=EmployerCategory.choices, blank=True
    )
    industry_code = models.CharField(
        _("industry code (GB/T 4754)"),
        max_length=5,
        blank=True,
        validators=[validators.validate_industry_code],
    )
    region_code = models.CharField(
        _("region code (GB/T 2260)"),
        max_length=6,
        blank=True,
        validators=[validators.validate_region_code],
    )
    # None: not reported (the union has not said), which is not the same as 0 (domain.md C:
    # a union without the figure is left out of both sides of the membership rates).
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    migrant_employees = models.PositiveIntegerField(_("migrant employees"), null=True, blank=True)
    # A joint grassroots union (联合基层工会) stands for several employers (domain.md B); each
    # counts in the establishment rate. Any other union stands for its one employer.
    employers_covered = models.PositiveIntegerField(
        _("employers covered"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("For a joint grassroots union: how many employers it covers."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    term_start = models.DateField(_("current term starts"), null=True, blank=True)
    term_end = models.DateField(_("current term ends"), null=True, blank=True)
    has_audit_committee = models.BooleanField(_("has an audit committee"), default=False)
    has_women_committee = models.BooleanField(_("has a women workers' committee"), default=False)
    active = models.BooleanField(_("active"), default=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolved_reason = models.TextField(_("reason for dissolving"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    node_order_by = ["name"]
    objects = OrganisationManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~Q(uscc=""),
                name="organisation_uscc_unique",
                violation_error_message=_("Another organisation already has this code."),
            ),
            models.CheckConstraint(
                condition=Q(migrant_employees__isnull=True)
                | Q(employees__isnull=True)
                | Q(migrant_employees__lte=models.F("employees")),
                name="organisation_migrants_within_employees",
            ),
            models.CheckConstraint(
                condition=Q(employers_covered__gte=1),
                name="organisation_covers_an_employer",
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gt=models.F("term_start")),
                name="organisation_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:organisation_detail", args=[self.pk])

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS

    @property
    def holds_members(self) -> bool:
        """Members may be registered in or transferred to this organisation."""
        return self.kind in MEMBER_ORG_KINDS or (
            self.kind == OrgKind.FEDERATION and self.level == FederationLevel.COUNTY
        )

    @property
    def holds_members_above_grassroots(self) -> bool:
        return self.holds_members and self.kind not in MEMBER_ORG_KINDS - HOLDING_KINDS

    def allowed_under(self, parent: Organisation | None) -> bool:
        """Whether this organisation's kind may sit under `parent` (None: as the root)."""
        if parent is None:
            return self.kind == OrgKind.FEDERATION and self.level == FederationLevel.CITY
        if parent.kind not in ALLOWED_PARENTS[self.kind]:
            return False
        if self.kind == OrgKind.FEDERATION:
            # Only a county federation sits under the city; nothing sits under a county one.
            return self.level == FederationLevel.COUNTY and parent.level == FederationLevel.CITY
        if self.kind == OrgKind.TOWNSHIP_UNION:
            return parent.level == FederationLevel.COUNTY
        return True

    def kind_display(self) -> str:
        if self.kind == OrgKind.FEDERATION and self.level:
            return str(FEDERATION_LABELS[self.level])
        return self.get_kind_display()
