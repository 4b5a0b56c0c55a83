"""Membership KPIs (domain.md C): the migrant workers' membership rate (农民工入会率) and the
service card activation rate. Reads, not services: each figure is one SQL aggregate, never a
Python loop over members.

An "organisation selection" is either one Organisation, meaning its whole subtree, or a
queryset of organisations, meaning exactly those rows (e.g. `access.organisations_in_scope(u)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import pgettext

from . import stats
from .models import (
    CURRENT_STATUSES,
    GRASSROOTS_KINDS,
    CardStatus,
    Member,
    MemberStatus,
    Organisation,
    OrgKind,
    ServiceCard,
)

# Members counted in the numerator of the membership rate. Retained members are excluded
# (domain.md C); applicants are not members yet (membership runs from the approval date).
COUNTED_MEMBER_STATUSES = (MemberStatus.ACTIVE,)
VALID_CARD_STATUSES = (CardStatus.ISSUED, CardStatus.ACTIVE)
# Branches and groups hold no unions below them; their own figures are their share of their
# union's workforce.
INSIDE_A_UNION = (OrgKind.BRANCH, OrgKind.GROUP)

OrgSelection = Organisation | QuerySet


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent with one decimal (96.4), or None when nothing is counted."""
        if not self.denominator:
            return None
        value = Decimal(self.numerator) * 100 / Decimal(self.denominator)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        return pgettext("rate", "No data") if self.percent is None else f"{self.percent}%"


@dataclass(frozen=True)
class UnionRates:
    organisation: Organisation
    migrant_membership: Rate
    card_activation: Rate


def _within(orgs: OrgSelection, field: str = "") -> Q:
    """Rows whose organisation (reached through `field`) lies in the selection."""
    prefix = f"{field}__" if field else ""
    if isinstance(orgs, Organisation):
        return Q(**{f"{prefix}path__startswith": orgs.path})
    return Q(**{f"{field or 'pk'}__in": orgs.order_by().values("pk")})


def _migrant_members(orgs: OrgSelection) -> QuerySet:
    """Migrant members of the unions that reported their migrant employees: members of a
    union without the figure are left out, as the union is out of the denominator."""
    return Member.objects.filter(
        _within(orgs, "organisation"),
        is_migrant=True,
        status__in=COUNTED_MEMBER_STATUSES,
        organisation_id__in=stats.reporting(timezone.localdate(), "migrant_employees"),
    )


def _valid_cards(orgs: OrgSelection) -> QuerySet:
    # Cards count where the member is now: the union that serves the card holder.
    return ServiceCard.objects.filter(
        _within(orgs, "member__organisation"),
        member__status__in=CURRENT_STATUSES,
        status__in=VALID_CARD_STATUSES,
    )


def _unions(orgs: OrgSelection) -> QuerySet:
    """The organisations that stand for an employer with a union: grassroots and joint
    grassroots unions. Branches and groups share their union's workforce, so counting
    them too would count workers twice."""
    return Organisation.objects.filter(_within(orgs), kind__in=GRASSROOTS_KINDS, active=True)


def _card_counts() -> dict:
    return {"active": Count("pk", filter=Q(status=CardStatus.ACTIVE)), "valid": Count("pk")}


def migrant_employees_of(orgs: OrgSelection) -> int:
    """The migrant workforce of the selection: the migrant employees of its grassroots
    unions. A subtree inside one union (a branch or group) uses its own figure."""
    if isinstance(orgs, Organisation) and orgs.kind in INSIDE_A_UNION:
        return orgs.migrant_employees or 0
    total = _unions(orgs).order_by().aggregate(n=Sum("migrant_employees"))["n"]
    return total or 0


def unions_without_migrant_employees(orgs: OrgSelection) -> int:
    """How many grassroots unions of the selection have not reported their migrant employees."""
    return _unions(orgs).filter(migrant_employees__isnull=True).count()


def migrant_membership_rate(orgs: OrgSelection) -> Rate:
    """农民工入会率 = migrant workers who are active members ÷ migrant employees, counted
    within employers that have a union (domain.md C). Numerator: members with the migrant
    flag and status active (retained members and applicants excluded) whose organisation
    lies in the selection and whose union reported its migrant employees. Denominator: see
    migrant_employees_of (unions without the figure add nothing to either side)."""
    return Rate(_migrant_members(orgs).count(), migrant_employees_of(orgs))


def card_activation_rate(orgs: OrgSelection) -> Rate:
    """Card activation rate = activated cards ÷ valid cards (issued or activated), over the
    cards of current members whose organisation lies in the selection. Lost, replaced and
    cancelled cards are out of both figures; a replacement card counts as a new card."""
    counts = _valid_cards(orgs).aggregate(**_card_counts())
    return Rate(counts["active"], counts["valid"])


def per_union_rates(root: Organisation) -> list[UnionRates]:
    """One row per active organisation directly below `root`, with both rates over its
    subtree: four queries whatever the size of the tree (children, then one grouped
    aggregate per figure, grouped by the child's path prefix)."""
    children = list(root.get_children().filter(active=True).order_by("path"))
    if not children:
        return []
    width = (root.depth + 1) * Organisation.steplen
    below = {"depth__gt": root.depth}

    def grouped(queryset: QuerySet, path: str, **aggregates) -> dict[str, dict]:
        rows = (
            queryset.annotate(prefix=Substr(path, 1, width))
            .order_by()
            .values("prefix")
            .annotate(**aggregates)
        )
        return {row.pop("prefix"): row for row in rows}

    members = grouped(
        _migrant_members(root).filter(organisation__depth__gt=root.depth),
        "organisation__path",
        n=Count("pk"),
    )
    workforce = grouped(_unions(root).filter(**below), "path", n=Sum("migrant_employees"))
    cards = grouped(
        _valid_cards(root).filter(member__organisation__depth__gt=root.depth),
        "member__organisation__path",
        **_card_counts(),
    )
    rows = []
    for child in children:
        if child.kind in INSIDE_A_UNION:
            migrants = child.migrant_employees or 0
        else:
            migrants = (workforce.get(child.path) or {}).get("n") or 0
        card = cards.get(child.path, {"active": 0, "valid": 0})
        rows.append(
            UnionRates(
                organisation=child,
                migrant_membership=Rate((members.get(child.path) or {}).get("n", 0), migrants),
                card_activation=Rate(card["active"], card["valid"]),
            )
        )
    return rows
