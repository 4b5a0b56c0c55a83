"""Browser journey in Debian's chromium: the county's dashboard draws its trends (Chart.js
under the CSP, no console errors), ranks its unions, and a row opens that union's page."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from members.models import Organisation
from unionportal.reporting.rollup import stats_rollup

from ..factories import MemberFactory
from .test_scope_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_county_reads_its_dashboard_and_opens_a_union(
    live_server, page: Page, city, county_user, password
):
    Organisation.objects.filter(pk=city.union_a.pk).update(employees=20, migrant_employees=4)
    for _ in range(8):
        MemberFactory(organisation=city.union_a, joined_on=date(2020, 3, 1))
    MemberFactory(organisation=city.union_a, joined_on=date(2026, 2, 5))
    for month in (date(2026, 1, 1), date(2026, 2, 1)):
        stats_rollup(month=month, today=date(2026, 2, 20))
    errors: list[str] = []
    # CSP refusals and script errors; not the favicon's 404.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))

    log_in(page, live_server.url, "county", password)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("首页"))
    expect(page.get_by_test_id("rate-membership_rate")).to_have_text("45.0%")  # 9 of 20
    expect(page.get_by_test_id("todo")).to_be_visible()
    # Chart.js drew every chart: a canvas it sized has a height.
    for chart in ("chart-rates", "chart-dues", "chart-relief", "chart-members"):
        expect(page.locator(f"#{chart}")).to_have_attribute("height", re.compile(r"^[1-9]"))
    ranking = page.get_by_test_id("ranking")
    expect(ranking).to_contain_text("甲公司工会委员会")
    expect(ranking).not_to_contain_text("乙公司")

    ranking.get_by_role("link", name="甲公司工会委员会").click()
    expect(page).to_have_url(re.compile(rf"/statistics/{city.union_a.pk}/\?month=2026-02"))
    expect(page.get_by_test_id("rate-membership_rate")).to_have_text("45.0%")
    page.select_option("#stats-month", "2026-01")
    expect(page).to_have_url(re.compile(r"month=2026-01"))
    expect(page.get_by_test_id("rate-membership_rate")).to_have_text("40.0%")
    page.screenshot(path="/tmp/dash-stats.png", full_page=True)
    assert not errors, errors


def test_the_money_cards_fit_their_figure_at_1366_px(
    live_server, page: Page, city, county_user, password
):
    """Issue 20 item 5: the relief card was cut to "¥6,800." on a 1366 px office screen."""
    from unionportal.reporting.models import StatSnapshot

    MemberFactory(organisation=city.union_a, joined_on=date(2020, 3, 1))
    stats_rollup(month=date(2026, 2, 1), today=date(2026, 2, 20))
    StatSnapshot.objects.filter(month=date(2026, 2, 1)).update(
        relief_amount=Decimal("1234567.89"), warmth_amount=Decimal("6800.00")
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server.url, "county", password)
    expect(page.get_by_test_id("figure-relief_amount")).to_have_text("¥1,234,567.89")
    expect(page.get_by_test_id("figure-warmth_amount")).to_have_text("¥6,800.00")
    figures = page.locator(".kpi-figure")
    assert figures.count() > 10
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.kpi-figure')]
              .filter(e => {
                  const range = document.createRange();
                  range.selectNodeContents(e);  // a figure on two lines is cut as well
                  return e.scrollWidth > e.clientWidth || range.getClientRects().length > 1;
              })
              .map(e => e.textContent)"""
    )
    assert cut == []
    page.screenshot(path="/tmp/dash-1366.png", full_page=True)
