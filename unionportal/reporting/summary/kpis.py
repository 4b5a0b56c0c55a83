"""The KPI sheet: each KPI of the quarter's last month with its numerator and denominator."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext as _

from members.models import Organisation
from unionportal.core.excel import (
    COUNT_FORMAT,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    Column,
)

from ..indicators import KPIS
from ..models import SNAPSHOT_MONEY, ReportPeriod, StatSnapshot
from .common import _l, _money, snapshot_month

KPI_PARTS = {
    "establishment_rate": (_l("Grassroots unions"), _l("Employers that should have a union")),
    "membership_rate": (_l("Members"), _l("Employees")),
    "migrant_membership_rate": (_l("Migrant members"), _l("Migrant employees")),
    "card_activation_rate": (_l("Cards activated"), _l("Valid cards")),
    "dues_collection_rate": (_l("Dues collected"), _l("Dues due")),
    "motion_answer_rate": (
        _l("Motions answered (year to date)"),
        _l("Motions filed (year to date)"),
    ),
    "motion_satisfaction_rate": (_l("Satisfied or basically satisfied"), _l("Verdicts given")),
}


# --- Sheet 1: KPI summary ---------------------------------------------------------------------


def kpi_sheet(period: ReportPeriod, scope: Organisation):
    month = snapshot_month(period)
    headers = [Column(_("Organisation"), 30), Column(_("Month"), 10)]
    for kpi in KPIS:
        num, den = KPI_PARTS[kpi.code]
        fmt = MONEY_FORMAT if kpi.numerator in SNAPSHOT_MONEY else COUNT_FORMAT
        headers += [
            Column(str(num), 14, fmt),
            Column(str(den), 14, fmt),
            Column(str(kpi.label), 12, PERCENT_FORMAT),
        ]

    def rows() -> Iterator[tuple]:
        orgs = Organisation.objects.filter(
            Q(pk=scope.pk) | Q(path__startswith=scope.path, depth=scope.depth + 1, active=True)
        ).order_by("path")
        snaps = {
            s.organisation_id: s
            for s in StatSnapshot.objects.filter(month=month, organisation__in=orgs)
        }
        if not snaps:
            yield (
                _("No statistics for %(month)s yet: run the statistics rollup for that month.")
                % {"month": f"{month:%Y-%m}"},
            )
            return
        for org in orgs.only("pk", "name", "path"):
            snap = snaps.get(org.pk)
            row: list = [org.name, f"{month:%Y-%m}"]
            for kpi in KPIS:
                if snap is None:
                    row += [None, None, None]
                    continue
                num = getattr(snap, kpi.numerator) or 0
                den = getattr(snap, kpi.denominator) or 0
                if kpi.denominator_plus:
                    den += getattr(snap, kpi.denominator_plus) or 0
                if kpi.numerator in SNAPSHOT_MONEY:
                    num, den = _money(num), _money(den)
                rate = kpi.rate(snap)
                row += [num, den, rate / 100 if rate is not None else None]
            yield tuple(row)

    return _("KPI summary"), headers, rows()
