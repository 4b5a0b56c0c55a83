"""The data set's sizes (full, smoke) and the window of dates its records fall in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Size:
    counties: int
    industries: int
    unions: int
    branches: int
    members: int
    months: int = 12

    @property
    def label(self) -> str:
        return f"{self.members} members, {self.unions} unions, {self.months} months"


FULL = Size(counties=12, industries=6, unions=5_000, branches=20_000, members=1_000_000)
# A quarter of the full set: what a shared 2-core machine builds and measures in minutes.
MID = Size(counties=12, industries=6, unions=1_250, branches=5_000, members=250_000)
SMOKE = Size(counties=4, industries=2, unions=50, branches=200, members=10_000)

FULL_EXTRA = {
    "cards": 600_000,  # 60% of members hold a service card (80% of them activated)
    "hardship": 10_000,
    "relief": 50_000,
    "visits": 100_000,
    "motions": 20_000,
    "suggestions": 30_000,
    "competitions": 2_000,
    "honours": 10_000,
}


def scaled(size: Size, what: str) -> int:
    return max(1, round(FULL_EXTRA[what] * size.members / FULL.members))


def months_back(n: int, today: date | None = None) -> list[date]:
    first = (today or timezone.localdate()).replace(day=1)
    out = []
    for _ in range(n):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return sorted(out)


def window(today: date | None = None) -> tuple[date, date]:
    """The last 12 months: the first day of the month 11 months back, to yesterday."""
    today = today or timezone.localdate()
    return months_back(12, today)[0], today - timedelta(days=1)
