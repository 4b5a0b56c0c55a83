"""The benchmark's data set and measurement code (not its timings: performance.md keeps timed
assertions out of the suite). The data set is built with PostgreSQL-only SQL."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection

from competitions.models import Score
from congress.models import Motion
from members.models import Organisation
from unionportal.bench import dataset, reports
from unionportal.bench.dataset.competitions import CRITERIA, ENTRIES, JUDGES
from unionportal.bench.dataset.reporting import last_quarters, report_values_sql
from unionportal.bench.dataset.sizes import scaled, window
from unionportal.reporting.indicators import UNION, indicators_for
from unionportal.reporting.models import QuarterlyReport, ReportPeriod, StatSnapshot
from unionportal.reporting.rollup import month_window
from welfare.models import CondolenceVisit, ReliefApplication, ReliefPayment

TINY = dataset.Size(counties=2, industries=1, unions=6, branches=12, members=600)


def test_every_union_indicator_has_a_bench_figure():
    values, computed = report_values_sql()
    for indicator in indicators_for(UNION):
        assert f"'{indicator.code}'" in values
        assert (f"'{indicator.code}'" in computed) == indicator.computed


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 24), [(2025, 4), (2026, 1), (2026, 2), (2026, 3)]),
        (date(2026, 1, 5), [(2025, 1), (2025, 2), (2025, 3), (2025, 4)]),
        (date(2026, 4, 1), [(2025, 2), (2025, 3), (2025, 4), (2026, 1)]),
    ],
)
def test_report_periods_are_the_last_quarters_that_have_ended(today, expected):
    assert last_quarters(4, today) == expected


def test_the_summary_part_says_not_available_while_write_summary_is_missing(monkeypatch):
    monkeypatch.setattr(reports, "summary_available", lambda: False)
    lines = []
    [result] = reports.summary_part(1, log=lines.append)
    assert result.ok is None
    assert "not available yet" in result.line()
    assert any("not available yet" in line for line in lines)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_data_set_holds_the_reporting_records_and_the_anchor_matches_the_rollup():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark data set is built with PostgreSQL SQL")
    dataset.build(TINY, log=lambda _: None)
    start, end = window()

    assert ReliefApplication.objects.exclude(status="paid").count() == 0
    payments = ReliefPayment.objects.all()
    assert payments.count() == scaled(TINY, "relief") == 30
    assert all(start <= p.paid_on <= end for p in payments)
    assert CondolenceVisit.objects.count() == scaled(TINY, "visits")
    assert Motion.objects.filter(answered_on__isnull=False).exclude(verdict="").exists()
    per_competition = CRITERIA * JUDGES * ENTRIES
    assert Score.objects.count() == scaled(TINY, "competitions") * per_competition

    periods = list(ReportPeriod.objects.order_by("ends_on"))
    assert [(p.year, p.quarter) for p in periods] == last_quarters(4)
    unions = Organisation.objects.filter(kind="grassroots")
    reports_of_unions = QuarterlyReport.objects.filter(organisation__in=unions)
    assert reports_of_unions.count() == 4 * TINY.unions
    assert set(reports_of_unions.values_list("status", flat=True)) == {
        "accepted",
        "submitted",
        "draft",
    }
    for report in reports_of_unions[:5]:
        for indicator in indicators_for(UNION):
            value = report.values[indicator.code]
            if indicator.money:
                assert re.fullmatch(r"\d+\.\d\d", value), value
            else:
                assert isinstance(value, int) and value >= 0
            if indicator.part_of and isinstance(indicator.part_of, str):
                assert value_of(value) <= value_of(report.values[indicator.part_of])
    assert StatSnapshot.objects.values("month").distinct().count() == 12

    # The stats part's anchor computes the figures the rollup stored for the city.
    month = reports.rollup_month()
    _, per_source, totals = reports.run_aggregates(reports.hand_aggregates(*month_window(month)))
    assert totals["relief_count"] > 0 and totals["members"] > 0
    assert reports.differences(totals, month) == []

    # A second build adds nothing.
    counts = (ReliefPayment.objects.count(), Score.objects.count(), QuarterlyReport.objects.count())
    dataset.build(TINY, log=lambda _: None)
    assert counts == (
        ReliefPayment.objects.count(),
        Score.objects.count(),
        QuarterlyReport.objects.count(),
    )


def value_of(v):
    return float(v) if isinstance(v, str) else v
