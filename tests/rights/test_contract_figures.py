"""The contract register's figures in reporting (issue 17): the quarterly report's prefilled
coverage and mediation, the snapshot and the coverage KPI, each against an aggregate of the
register written here."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Max, Q

from rights.models import CollectiveContract, ContractEmployer
from unionportal.reporting import services as reporting
from unionportal.reporting.models import QuarterlyReport, StatSnapshot
from unionportal.reporting.rollup import stats_rollup

from .test_contract_stats import _records

pytestmark = pytest.mark.django_db

END = date(2026, 6, 30)


def _hand_coverage(path: str, day: date) -> tuple[int, int]:
    """Employers under `path` covered by a contract in force on `day`, and their workers (the
    most any one contract covers at each employer)."""
    live = CollectiveContract.objects.filter(
        in_force_on__lte=day, starts_on__lte=day, ends_on__gte=day
    )
    rows = (
        ContractEmployer.objects.filter(contract__in=live, organisation__path__startswith=path)
        .values("organisation")
        .annotate(w=Max("workers"))
    )
    return len(rows), sum(r["w"] for r in rows)


def test_coverage_and_mediation_reach_the_report_the_snapshot_and_the_kpi(city, admin_user):
    _records(city, admin_user)
    stats_rollup(month=date(2026, 6, 1), today=date(2026, 12, 1))
    for org in (city.city, city.county_a, city.union_a):
        snap = StatSnapshot.objects.get(organisation=org, month=date(2026, 6, 1))
        assert (snap.contract_employers, snap.contract_workers) == _hand_coverage(org.path, END)
    city_snap = StatSnapshot.objects.get(organisation=city.city, month=date(2026, 6, 1))
    assert city_snap.contract_employers_safety == 1  # in force on the window's last day
    grassroots = city_snap.unions
    expected = round(city_snap.contract_employers * 100 / grassroots, 1)
    assert float(city_snap.rate("contract_coverage_rate")) == pytest.approx(expected)

    period = reporting.period_open(actor=admin_user, year=2026, quarter=2)
    union_a = reporting.live_computed(
        QuarterlyReport.objects.get(period=period, organisation=city.union_a)
    )
    assert union_a["contract_employers"] == 1
    assert union_a["contract_workers"] == 150  # its comprehensive contract, the larger
    assert union_a["contract_employers_wage"] == union_a["contract_employers_comprehensive"] == 1
    # applied for in Q2 at its committee: 1 June (twice), 20 June (twice) and 25 June
    assert union_a["mediation_received"] == 5
    # of them settled by 30 June within 15 days: one of 1 June (the other took 16 days)
    assert union_a["mediation_settled_in_time"] == 1
    assert union_a["mediation_referred"] == 1  # referred on 25 June
    assert CollectiveContract.objects.filter(Q(signed_on__range=(date(2026, 4, 1), END))).count()
