"""The KPI sheet: each KPI of the quarter's last month with its numerator and denominator."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from members.models import Organisation
from unionportal.core.excel import (
    COUNT_FORMAT,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    Column,
)

from ..indicators import KPIS
from ..models import SNAPSHOT_MONEY, ReportPeriod, StatSnapshot
from .common import _money, snapshot_month

KPI_PARTS = {
    "establishment_rate": (
        gettext_lazy("Employers with a union"),
        gettext_lazy("Employers that should have a union"),
    ),
    "membership_rate": (
        gettext_lazy("Members of unions that reported employees"),
        gettext_lazy("Employees"),
    ),
    "migrant_membership_rate": (
        gettext_lazy("Migrant members of unions that reported migrant employees"),
        gettext_lazy("Migrant employees"),
    ),
    "card_activation_rate": (gettext_lazy("Cards activated"), gettext_lazy("Valid cards")),
    "dues_collection_rate": (gettext_lazy("Dues collected"), gettext_lazy("Dues due")),
    "motion_answer_rate": (
        gettext_lazy("Motions answered (year to date)"),
        gettext_lazy("Motions filed (year to date)"),
    ),
    "motion_satisfaction_rate": (
        gettext_lazy("Satisfied or basically satisfied"),
        gettext_lazy("Verdicts given"),
    ),
    "contract_coverage_rate": (
        gettext_lazy("Unions covered by a collective contract in force"),
        gettext_lazy("Grassroots unions"),
    ),
    "case_closure_rate": (
        gettext_lazy("Requests closed (year to date)"),
        gettext_lazy("Requests accepted (year to date)"),
    ),
    "case_satisfaction_rate": (
        gettext_lazy("Petitioners satisfied or basically satisfied"),
        gettext_lazy("Petitioners reached by a follow-up"),
    ),
    "standard_rate": (
        gettext_lazy("Unions meeting the standard"),
        gettext_lazy("Grassroots unions"),
    ),
}
# The organisations a rate leaves out for lack of data, in a column after the rate.
KPI_MISSING = {
    "unions_without_employees": gettext_lazy("Unions without an employee figure"),
    "unions_without_migrant_employees": gettext_lazy("Unions without a migrant employee figure"),
}


# (Spelled gettext_lazy, not an alias: makemessages finds only the names it knows, and an
# alias let these headers reach the workbook in English.)

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
        if kpi.missing:
            headers.append(Column(str(KPI_MISSING[kpi.missing]), 14, COUNT_FORMAT))

    no_data = pgettext("rate", "No data")

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
                    row += [None] * (4 if kpi.missing else 3)
                    continue
                num = getattr(snap, kpi.numerator) or 0
                den = getattr(snap, kpi.denominator) or 0
                if kpi.denominator_plus:
                    den += getattr(snap, kpi.denominator_plus) or 0
                if kpi.numerator in SNAPSHOT_MONEY:
                    num, den = _money(num), _money(den)
                rate = kpi.rate(snap)
                row += [num, den, rate / 100 if rate is not None else no_data]
                if kpi.missing:
                    row.append(getattr(snap, kpi.missing))
            yield tuple(row)

    return _("KPI summary"), headers, rows()
