"""The 六有六好 figures: 40 grassroots unions, 36 confirmed as meeting the standard: the city's
share reads 90.0%, the KPI card shows the 90% target met, and the summary sheet lists the 4
that did not pass with their weakest area. Every figure agrees with a count written here."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment import services, stats
from assessment.models import Assessment, AssessmentStatus, ItemScore
from members.models import Organisation
from tests.factories import OrganisationFactory
from unionportal.reporting import summary
from unionportal.reporting.models import KpiTarget, ReportPeriod, StatSnapshot
from unionportal.reporting.rollup import stats_rollup

from .helpers import open_round

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)
# The four that fail, and how: an area at zero (below its minimum) or a low total.
FAILING = {
    3: {"service": 0},  # 85 points, 服务平台 below its minimum
    11: {"support": 0},  # 85 points, 工作保障 below its minimum
    # 78 points: every area at its minimum, the total below the mark; the first of the
    # areas at 60% of their points is the weakest
    22: {"organisation": Decimal("0.6"), "team": Decimal("0.6"), "rules": Decimal("0.6")},
    35: {"activities": 0},  # 85 points, 活动开展 below its minimum
}
WEAKEST = {3: "服务平台", 11: "工作保障", 22: "组织建设", 35: "活动开展"}


def _scores(assessment: Assessment, shares: dict) -> None:
    """Every item at its points times the area's share (1 unless told)."""
    rows = {s.item_code: s for s in assessment.scores.all()}
    for area in assessment.round.standard["areas"]:
        share = Decimal(shares.get(area["code"], 1))
        for item in area["items"]:
            row = rows[item["code"]]
            row.self_score = (Decimal(item["points"]) * share).quantize(Decimal("1"))
    ItemScore.objects.bulk_update(rows.values(), ["self_score"])


@pytest.fixture
def forty(city, staff_user):
    """40 grassroots unions (A and B and 38 more), a round over the city, all confirmed."""
    for i in range(38):
        OrganisationFactory(parent=city.county_a if i % 2 else city.county_b, name=f"第{i}公司工会")
    round_ = open_round(city)
    assessments = list(round_.assessments.order_by("organisation__path"))
    assert len(assessments) == 40
    for n, a in enumerate(assessments):
        _scores(a, FAILING.get(n, {}))
        Assessment.objects.filter(pk=a.pk).update(status=AssessmentStatus.REVIEWED)
        a.refresh_from_db()
        services.confirm(actor=staff_user, assessment=a, today=date(2026, 11, 1))
    stats_rollup(month=TODAY.replace(day=1), today=TODAY)
    return round_, assessments


def test_the_city_share_is_90_percent_and_agrees_with_a_count(city, forty):
    _round, assessments = forty
    passed = sum(1 for a in Assessment.objects.all() if a.passed)
    assert passed == 36
    snap = StatSnapshot.objects.get(organisation=city.city, month=TODAY.replace(day=1))
    assert (snap.standard_passed, snap.standard_assessed, snap.unions) == (36, 40, 40)
    assert snap.rate("standard_rate") == Decimal("90.0")
    # Per county: the subtree's own share.
    for county in (city.county_a, city.county_b):
        subtree = Assessment.objects.filter(organisation__path__startswith=county.path)
        snap = StatSnapshot.objects.get(organisation=county, month=TODAY.replace(day=1))
        assert snap.standard_passed == subtree.filter(passed=True).count()
        assert snap.unions == subtree.count()


def test_the_kpi_card_shows_the_target_met(city, forty, staff_user, as_user):
    assert KpiTarget.in_force(TODAY)["standard_rate"] == Decimal("90.0")
    response = as_user(staff_user).get(reverse("dashboard"))
    card = next(c for c in response.context["stats"].kpi_cards if c.kpi.code == "standard_rate")
    assert card.rate == Decimal("90.0") and card.below_target is False
    page = response.content.decode()
    start = page.index('data-testid="kpi-standard_rate"')
    html = page[start : page.index("</div>\n  </div>", start)]
    assert "90.0%" in html and "目标 90.0%" in html and "未达目标" not in html


def test_one_more_failure_puts_the_city_below_target(city, forty, staff_user, as_user):
    _round, assessments = forty
    Assessment.objects.filter(pk=assessments[0].pk).update(passed=False)
    stats_rollup(month=TODAY.replace(day=1), today=TODAY)
    response = as_user(staff_user).get(reverse("dashboard"))
    card = next(c for c in response.context["stats"].kpi_cards if c.kpi.code == "standard_rate")
    assert card.rate == Decimal("87.5") and card.below_target is True


def test_the_summary_sheet_lists_the_four_with_their_weakest_area(city, forty):
    _round, assessments = forty
    period = ReportPeriod.objects.create(year=2026, quarter=4, due_on=date(2027, 1, 15))
    out = BytesIO()
    summary.write_summary(period, city.city, out)
    out.seek(0)
    ws = load_workbook(out)["六有六好未达标"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    failed = [assessments[n] for n in sorted(FAILING)]
    expected_names = sorted((a.organisation for a in failed), key=lambda o: o.path)
    assert [r[0] for r in rows] == [o.name for o in expected_names]
    weakest = {r[0]: r[4] for r in rows}
    assert weakest == {assessments[n].organisation.name: area for n, area in WEAKEST.items()}
    assert {r[0]: r[2] for r in rows}[assessments[22].organisation.name] == 78
    assert all(r[6] == "未达标" for r in rows)


def test_no_confirmed_result_is_no_data_not_zero(city, staff_user, as_user):
    open_round(city)
    stats_rollup(month=TODAY.replace(day=1), today=TODAY)
    snap = StatSnapshot.objects.get(organisation=city.city, month=TODAY.replace(day=1))
    assert snap.rate("standard_rate") is None
    page = as_user(staff_user).get(reverse("dashboard")).content.decode()
    start = page.index('data-testid="rate-standard_rate"')
    assert "暂无数据" in page[start : start + 120]


def test_an_unassessed_union_counts_as_not_passed(city, chair_a, county_user, staff_user):
    round_ = open_round(city)
    a = round_.assessments.get(organisation=city.union_a)
    _scores(a, {})
    Assessment.objects.filter(pk=a.pk).update(status=AssessmentStatus.REVIEWED)
    a.refresh_from_db()
    services.confirm(actor=staff_user, assessment=a, today=date(2026, 11, 1))
    rows = list(stats.standards(date(2026, 12, 1), TODAY, city.city))
    assert rows == [
        {"organisation_id": city.union_a.pk, "standard_assessed": 1, "standard_passed": 1}
    ]
    stats_rollup(month=TODAY.replace(day=1), today=TODAY)
    snap = StatSnapshot.objects.get(organisation=city.city, month=TODAY.replace(day=1))
    assert snap.rate("standard_rate") == Decimal("50.0")  # union B has no result
    not_passed = stats.not_passed(TODAY, city.city)
    assert [(u.pk, x) for u, x in not_passed] == [(city.union_b.pk, None)]
    assert Organisation.objects.filter(kind="grassroots").count() == 2
