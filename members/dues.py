"""Dues and levy arithmetic (domain.md D). Pure functions on Decimal: no database, no floats.

The SQL of dues generation computes the same figure as `monthly_dues`; a test checks that the
two agree to the fen on many wages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
DUES_RATE = Decimal("0.005")  # 0.5% of the monthly wage (工发[1978]101号)
LEVY_RATE = Decimal("0.02")  # 2% of the payroll (章程 Art. 36)
HUNDRED = Decimal("100")


def _decimal(value, what: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{what} must be a Decimal, not a float")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{what} must be a finite number")
    if value < 0:
        raise ValueError(f"{what} cannot be negative")
    return value


def monthly_dues(wage: Decimal) -> Decimal:
    """0.5% of the wage after dropping the part below ¥10: 4,567.89 -> 4,560 -> 22.80.

    The result is always a whole number of fen (a multiple of 10 times 0.005 is a multiple
    of 0.05), so no rounding rule is involved beyond the floor."""
    wage = _decimal(wage, "wage")
    tens = (wage / 10).to_integral_value(rounding=ROUND_FLOOR)
    return (tens * 10 * DUES_RATE).quantize(FEN)


def union_levy(payroll: Decimal) -> Decimal:
    """The employer's 2% of the total payroll, to the fen, half up."""
    payroll = _decimal(payroll, "payroll")
    return (payroll * LEVY_RATE).quantize(FEN, rounding=ROUND_HALF_UP)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + (month.month - 1) + n
    return date(index // 12, index % 12 + 1, 1)


def last_day_of_month(month: date) -> date:
    return date.fromordinal(add_months(month, 1).toordinal() - 1)


_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(text: str) -> date:
    """'2026-03' -> date(2026, 3, 1); anything else raises ValueError."""
    match = _MONTH.match(text or "")
    if not match:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    return date(year, month, 1)


# --- Dividing the levy -----------------------------------------------------------------------


@dataclass(frozen=True)
class ShareSpec:
    """One upward share of a rule: a level above the union and its percentage."""

    level: int
    percent: Decimal
    label: str = ""


@dataclass
class Division:
    """How one levy divides: what the union keeps and each upward share, summing exactly to
    the levy."""

    levy: Decimal
    retained_percent: Decimal
    retained: Decimal
    shares: list[dict] = field(default_factory=list)  # level, label, percent, amount

    @property
    def total(self) -> Decimal:
        return self.retained + sum((s["amount"] for s in self.shares), Decimal("0"))


def check_split(retained_percent: Decimal, shares: Iterable[ShareSpec]) -> list[str]:
    """The problems with a split, as plain sentences (empty when it is valid)."""
    shares = list(shares)
    problems = []
    levels = [s.level for s in shares]
    if len(set(levels)) != len(levels):
        problems.append("each level may appear only once")
    for s in shares:
        if not 0 <= s.percent <= 100:
            problems.append(f"share of level {s.level} must be between 0 and 100")
    total = Decimal(retained_percent) + sum((Decimal(s.percent) for s in shares), Decimal("0"))
    if total != HUNDRED:
        problems.append(f"the retained part and the shares add up to {total}, not 100")
    return problems


def divide_levy(levy: Decimal, retained_percent: Decimal, shares: Iterable[ShareSpec]) -> Division:
    """Each share is levy x percent, to the fen, half up; the union keeps the rest, so the
    rounding remainder lands on the retained part and the parts sum exactly to the levy."""
    levy = _decimal(levy, "levy")
    retained_percent = Decimal(retained_percent)
    shares = sorted(shares, key=lambda s: s.level)
    problems = check_split(retained_percent, shares)
    if problems:
        raise ValueError("; ".join(problems))
    parts = [
        {
            "level": s.level,
            "label": s.label,
            "percent": Decimal(s.percent),
            "amount": (levy * Decimal(s.percent) / HUNDRED).quantize(FEN, rounding=ROUND_HALF_UP),
        }
        for s in shares
    ]
    retained = levy - sum((p["amount"] for p in parts), Decimal("0"))
    # Rounding every share up by half a fen can overshoot a levy of a few fen when the union
    # keeps (almost) nothing: take the excess back from the largest shares, a fen at a time.
    for part in sorted(parts, key=lambda p: -p["amount"]):
        if retained >= 0:
            break
        take = min(part["amount"], -retained)
        part["amount"] -= take
        retained += take
    return Division(levy=levy, retained_percent=retained_percent, retained=retained, shares=parts)


def remittance_what_if(
    amount: Decimal,
    retained_percent: Decimal,
    shares: Iterable[ShareSpec],
    *,
    is_payroll: bool = True,
) -> Division:
    """The division of a payroll's levy (or of a levy given directly) under any split; the
    what-if page compares the rule in force with an alternative."""
    levy = union_levy(amount) if is_payroll else _decimal(amount, "levy").quantize(FEN)
    return divide_levy(levy, retained_percent, shares)
