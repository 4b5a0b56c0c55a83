"""Months whose statistics a change in the past has made stale.

The nightly statistics rollup recomputes the current and the previous month. A record dated
further back (a status change backdated to August, a corrected joining date, an import of
members who joined years ago) changes figures of months the rollup would not look at again:
the app that writes it calls `mark_since(day)`, and the next nightly rollup recomputes every
marked month and clears the marks (reporting/tasks.py). Snapshots that do not exist are not
created by a mark: the rollup skips marked months before its oldest snapshot.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from .models import StaleMonth


def _first(day: date) -> date:
    return day.replace(day=1)


def _months(start: date, end: date) -> list[date]:
    out, month = [], _first(start)
    while month <= end:
        out.append(month)
        month = _first(month + timedelta(days=32))
    return out


def mark_since(day: date | None, reason: str = "", today: date | None = None) -> int:
    """Mark every month from `day`'s up to the one before the previous month (those two the
    nightly rollup covers anyway). Returns the months newly marked; idempotent."""
    if day is None:
        return 0
    today = today or timezone.localdate()
    previous = _first(_first(today) - timedelta(days=1))
    last = previous - timedelta(days=1)
    if day > last:
        return 0
    months = _months(day, last)
    with transaction.atomic():
        marks = StaleMonth.objects.filter(month__in=months)
        existing = set(marks.values_list("month", flat=True))
        # A month marked again while the rollup runs must stay marked after it (see clear).
        marks.update(marked_at=timezone.now())
        StaleMonth.objects.bulk_create(
            [StaleMonth(month=m, reason=reason[:100]) for m in months if m not in existing],
            ignore_conflicts=True,
        )
    return len(set(months) - existing)


def marked_months() -> list[date]:
    return list(StaleMonth.objects.values_list("month", flat=True))


def clear(months: list[date], marked_before) -> int:
    """Clear the marks of `months` set before `marked_before` (a mark set while the rollup
    ran stays for the next night)."""
    deleted, _ = StaleMonth.objects.filter(month__in=months, marked_at__lte=marked_before).delete()
    return deleted
