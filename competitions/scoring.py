"""The rules a total is worked out by (domain.md G), apart from the database writes: who
stands aside, how one judge's sheet is weighted, how the judges' totals are combined and
rounded, and how equal totals share a rank.

- Recusal: a judge holding a current role anywhere in the entrant's grassroots union (the
  union itself, its branches and its groups) does not score the entry, so a branch officer
  stands aside for the parent union's entries and for the sibling branches' too. An entrant
  above the grassroots (a township union holding members itself) recuses the roles held in
  that union only.
- Weighting: each criterion's score is scaled to its range, (score - lowest) / (highest -
  lowest), and weighted; the weights sum to 100, so every total lies between 0 and 100.
- Combining, one rule for every entry: when 5 or more judges' totals count for the entry
  (after recusal and assignment), the highest and the lowest are dropped and the rest are
  averaged; with fewer, all are averaged.
- Rounding: the arithmetic is exact (fractions) up to the mean, which is rounded half up to
  2 decimal places (10.005 -> 10.01).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from members.models import GRASSROOTS_KINDS, Organisation, Role

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
TRIM_FROM = 5  # judges' totals needed before the highest and the lowest are dropped

# Where an entrant's conflicts of interest lie: a path and whether the subtree under it counts.
Unit = tuple[str, bool]


def role_paths(user_id: int) -> list[str]:
    """The paths of the organisations where the user holds a current role."""
    return list(
        Role.objects.current()
        .filter(user_id=user_id)
        .values_list("organisation__path", flat=True)
        .distinct()
    )


def conflict_units(orgs: Iterable[Organisation]) -> dict[int, Unit]:
    """For each organisation, the grassroots union it belongs to and all below it (what
    members.services.grassroots_of finds, for many organisations in one query); an
    organisation above the grassroots stands for itself alone."""
    orgs = {o.pk: o for o in orgs}
    step = Organisation.steplen
    prefixes = {o.path[:i] for o in orgs.values() for i in range(step, len(o.path) + 1, step)}
    grassroots = set(
        Organisation.objects.filter(path__in=prefixes, kind__in=GRASSROOTS_KINDS).values_list(
            "path", flat=True
        )
    )
    units = {}
    for pk, org in orgs.items():
        found = [p for p in grassroots if org.path.startswith(p)]
        units[pk] = (max(found, key=len), True) if found else (org.path, False)
    return units


def recused(paths: Iterable[str], unit: Unit) -> bool:
    """Whether a judge with roles at `paths` stands aside for an entrant of `unit`."""
    where, subtree = unit
    return any(p.startswith(where) if subtree else p == where for p in paths)


def judge_total(values: dict[int, Decimal], criteria) -> Fraction:
    """One judge's weighted score of one entry, exact (no rounding yet): each criterion's score
    is first scaled to its range, (score - lowest) / (highest - lowest), then weighted (the
    weights sum to 100). A sheet at the top of every range totals 100, one at 75% of every
    range 75, whatever the ranges are."""
    total = Fraction(0)
    for c in criteria:
        share = Fraction(values[c.pk] - c.min_score) / Fraction(c.max_score - c.min_score)
        total += share * Fraction(c.weight)
    return total


def round_cents(value: Fraction) -> Decimal:
    """Half up to 2 decimal places (10.005 -> 10.01), from the exact value, so a third stays
    33.33 and no binary or 28-digit rounding decides a tie."""
    cents = math.floor(value * 100 + Fraction(1, 2))
    return (Decimal(cents) / HUNDRED).quantize(CENT)


def combine(totals: list[Fraction]) -> Decimal | None:
    """The judges' totals of one entry combined by the one rule: with 5 or more, the highest
    and the lowest are dropped and the rest averaged; with fewer, all are averaged. Rounded
    half up to 2 places (round_cents). None when no judge has scored."""
    if not totals:
        return None
    totals = sorted(totals)
    if len(totals) >= TRIM_FROM:
        totals = totals[1:-1]
    return round_cents(sum(totals, Fraction(0)) / len(totals))


def rank_with_ties(totals: dict[int, Decimal | None]) -> dict[int, int | None]:
    """Standard competition ranking: equal totals share a rank and the next rank skips
    (1, 2, 2, 4). Entries without a total have no rank."""
    ordered = sorted(((t, k) for k, t in totals.items() if t is not None), key=lambda x: -x[0])
    ranks: dict[int, int | None] = {k: None for k, t in totals.items() if t is None}
    previous, rank = None, 0
    for position, (total, key) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        ranks[key] = rank
    return ranks
