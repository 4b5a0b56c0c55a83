"""What the summary's sheets share: the month of the quarter's snapshots, money and dates as
cells, the subtree filter."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from members.models import Organisation

from .. import rollup
from ..models import ReportPeriod, ReportStatus, StatSnapshot

CHUNK = 2_000
# Reports whose figures count: submitted ones (awaiting review) and accepted ones.
COUNTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)

# The numerator and denominator of each KPI, as the summary names them (domain.md C).


def _money(value) -> Decimal:
    """A money figure as Decimal with two places (SQLite hands back floats)."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _in(scope: Organisation, field: str = "") -> Q:
    return Q(**{f"{field}path__startswith": scope.path})


def snapshot_month(period: ReportPeriod) -> date:
    return period.ends_on.replace(day=1)


def ensure_snapshots(period: ReportPeriod) -> bool:
    """Run the statistics rollup for the quarter's last month when no snapshot exists for it,
    so the KPI sheet is never empty. Returns whether it ran."""
    month = snapshot_month(period)
    if StatSnapshot.objects.filter(month=month).exists():
        return False
    rollup.stats_rollup(month=month)
    return True
