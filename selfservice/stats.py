"""Online joining figures (issue 19), per subtree, computed from the join applications
themselves (no snapshot columns): applications, approved, median days to decide, and the
migrant workers among them. The year counts applications by the day they were submitted."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from members.models import Organisation

from .models import ApplicationStatus, JoinApplication


@dataclass(frozen=True)
class Figures:
    year: int
    applications: int
    approved: int  # approved into a new membership (a transfer arranged instead is not)
    rejected: int
    pending: int
    median_days: float | None  # None: nothing decided yet ("no data")
    migrant_applications: int
    migrant_approved: int

    @property
    def approval_rate(self) -> float | None:
        decided = self.approved + self.rejected
        return None if not decided else round(100 * self.approved / decided, 1)


def _bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min), tz)
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min), tz)
    return start, end


def online_joining(org: Organisation, year: int | None = None) -> Figures:
    year = year or timezone.localdate().year
    start, end = _bounds(year)
    rows = list(
        JoinApplication.objects.filter(
            organisation__path__startswith=org.path, submitted_at__gte=start, submitted_at__lt=end
        ).values_list("status", "transfer_needed", "is_migrant", "submitted_at", "decided_at")
    )
    approved = [r for r in rows if r[0] == ApplicationStatus.APPROVED and not r[1]]
    days = [
        (timezone.localdate(decided) - timezone.localdate(submitted)).days
        for status, _t, _m, submitted, decided in rows
        if decided is not None and status != ApplicationStatus.PENDING
    ]
    return Figures(
        year=year,
        applications=len(rows),
        approved=len(approved),
        rejected=sum(1 for r in rows if r[0] == ApplicationStatus.REJECTED),
        pending=sum(1 for r in rows if r[0] == ApplicationStatus.PENDING),
        median_days=statistics.median(days) if days else None,
        migrant_applications=sum(1 for r in rows if r[2]),
        migrant_approved=sum(1 for r in approved if r[2]),
    )
