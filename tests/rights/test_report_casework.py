"""The casework in the quarterly reports: prefilled from the records, and counted once in the
summary when a county's report and a union's under it both carry a case."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.utils.translation import gettext as t
from openpyxl import load_workbook

from rights.models import Channel
from unionportal.reporting import services as reporting
from unionportal.reporting import summary
from unionportal.reporting.indicators import BY_CODE
from unionportal.reporting.models import QuarterlyReport

from .helpers import closed

pytestmark = pytest.mark.django_db


def _file(report, actor, reviewer):
    values = {
        i.code: (0 if i.part_of else 10)
        for i in reporting.report_indicators(report)
        if not i.computed
    }
    report = reporting.report_save(
        actor=actor, report=report, values=values, reasons={}, narrative={"work_done": "维权工作"}
    )
    report = reporting.report_submit(actor=actor, report=report)
    return reporting.report_review(actor=reviewer, report=report, accept=True)


def test_reports_prefill_the_cases_and_the_summary_counts_each_once(
    city, admin_user, county_user, chair_a, staff_user
):
    closed(admin_user, city.union_a, on=date(2026, 8, 3), people=3)
    closed(admin_user, city.county_a, on=date(2026, 8, 4), people=6)
    closed(admin_user, city.county_a, on=date(2026, 8, 5), channel=Channel.LETTER)
    period = reporting.period_open(actor=admin_user, year=2026, quarter=3)
    union = QuarterlyReport.objects.get(period=period, organisation=city.union_a)
    county = QuarterlyReport.objects.get(period=period, organisation=city.county_a)
    union = _file(union, chair_a, county_user)
    county = _file(county, county_user, staff_user)
    assert union.values["petition_visits"] == 1 and union.values["petition_people"] == 3
    assert county.values["petition_visits"] == 2 and county.values["petition_people"] == 9
    assert county.values["petition_letters"] == 1
    # an accepted report keeps its figures when a case of its quarter is added later
    closed(admin_user, city.county_a, on=date(2026, 9, 1))
    county.refresh_from_db()
    assert county.values["petition_visits"] == 2
    assert [c["ind"].code for c in reporting.changed_since_frozen(county)][:1] == [
        "petition_visits"
    ]

    buffer = BytesIO()
    summary.write_summary(period, city.city, buffer)
    sheet = load_workbook(BytesIO(buffer.getvalue()))[t("Consolidated report")]
    totals = {row[1]: row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    # the county's report carries union A's visit: 2 visits and 9 people, not 3 and 12
    assert totals[str(BY_CODE["petition_visits"].label)] == 2
    assert totals[str(BY_CODE["petition_people"].label)] == 9
    units = load_workbook(BytesIO(buffer.getvalue()))[t("Unions")]
    rows = list(units.iter_rows(values_only=True))
    col = list(rows[0]).index(str(BY_CODE["petition_visits"].label))
    assert rows[-1][col] == 2
