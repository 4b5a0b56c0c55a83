"""Helpers for the quarterly report page tests: an open period and the form data a page
posts back."""

from __future__ import annotations

from unionportal.reporting import services
from unionportal.reporting.models import QuarterlyReport

YEAR, QUARTER = 2026, 3

# Entered figures that fit together (parts never exceed wholes).
ENTERED = {
    "employees": 120,
    "women_employees": 50,
    "migrant_employees": 30,
}


def open_period(actor=None, **kwargs):
    return services.period_open(actor=actor, year=YEAR, quarter=QUARTER, **kwargs)


def report_of(period, organisation) -> QuarterlyReport:
    return QuarterlyReport.objects.get(period=period, organisation=organisation)


def form_data(report: QuarterlyReport, entered=None, **overrides) -> dict:
    """What the page posts when the user keeps the portal's figures and types `entered`."""
    report.refresh_from_db()
    computed = services.live_computed(report)
    data = {
        "version": report.version,
        "work_done": "开展职工之家建设",
        "problems": "",
        "requests": "",
    }
    for ind in services.report_indicators(report):
        if ind.computed:
            data[ind.code] = computed.get(ind.code, "")
            data[f"reason_{ind.code}"] = ""
        else:
            data[ind.code] = (entered or {}).get(ind.code, "")
    data.update(overrides)
    return {k: ("" if v is None else v) for k, v in data.items()}
