"""Browser journey: the chair scores the union's 六有六好 checklist (the total adds up as the
fields change) and submits it; county staff review it beside the self score, changing one
score with a reason, and accept; federation staff confirm it; after the nightly statistics
rollup the county's dashboard shows the share of its unions meeting the standard move from
"no data" to 100%."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from assessment.models import Assessment
from members.models import Organisation
from unionportal.reporting.rollup import stats_rollup

from ..assessment.helpers import open_round
from ..factories import MemberFactory
from .test_scope_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_self_assess_review_confirm_and_the_county_share_moves(
    live_server, browser: Browser, city, chair_a, county_user, staff_user, password
):
    today = timezone.localdate()
    # What the records say of union A: a chair with a term in force, both committees, every
    # employee a member (the congress, dues and activities items stay unmet: 84 points).
    Organisation.objects.filter(pk=city.union_a.pk).update(
        employees=2,
        migrant_employees=0,
        term_start=date(today.year - 2, 1, 1),
        term_end=date(today.year + 3, 1, 1),
        has_audit_committee=True,
        has_women_committee=True,
    )
    for _ in range(2):
        MemberFactory(organisation=city.union_a, joined_on=date(2020, 3, 1))
    open_round(
        city,
        year=today.year,
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        self_due_on=date(today.year, 12, 31),
    )
    a = Assessment.objects.get(organisation=city.union_a)
    stats_rollup(month=today.replace(day=1), today=today)
    base = live_server.url

    def session(username):
        page = browser.new_context().new_page()
        log_in(page, base, username, password)
        return page

    county = session("county")
    expect(county.get_by_test_id("rate-standard_rate")).to_have_text("暂无数据")

    chair = session("chair_a")
    chair.goto(f"{base}/assessment/")
    chair.get_by_role("link", name="甲公司工会委员会").click()
    expect(chair.get_by_test_id("steps")).to_be_visible()
    expect(chair.get_by_test_id("computed-membership")).to_contain_text("入会率 100.0%")
    total = chair.get_by_test_id("running-total")
    expect(total).to_have_text("16.0")  # the computed items the records meet
    for select in chair.locator("select[data-score-area]").all():
        select.select_option(index=1)  # 是
    for field in chair.locator("input[type=number][data-score-area]").all():
        field.fill(field.get_attribute("max"))
    expect(total).to_have_text("84.0")
    chair.get_by_test_id("submit").click()
    expect(chair.get_by_test_id("status")).to_have_attribute("data-status", "submitted")
    expect(chair.get_by_test_id("next-actor")).to_contain_text("西陵区总工会")

    county.goto(f"{base}/assessment/{a.pk}/")
    expect(county.get_by_test_id("self-culture")).to_have_text("5.0")
    review = county.get_by_test_id("review-culture")
    review.locator("[name=score]").fill("4")
    review.get_by_role("button").click()
    expect(county.locator(".alert-danger, .alert-error")).to_contain_text("原因")
    review = county.get_by_test_id("review-culture")
    review.locator("[name=score]").fill("4")
    review.locator("[name=reason]").fill("文体活动记录不全")
    review.get_by_role("button").click()
    expect(county.get_by_test_id("total")).to_contain_text("83.0")
    expect(county.get_by_test_id("self-culture")).to_have_text("5.0")  # both kept
    county.get_by_test_id("accept").click()
    expect(county.get_by_test_id("status")).to_have_attribute("data-status", "reviewed")

    staff = session("staff")
    staff.goto(f"{base}/assessment/{a.pk}/")
    expect(staff.get_by_test_id("reviewer-culture")).to_contain_text("文体活动记录不全")
    staff.get_by_test_id("confirm").click()
    expect(staff.get_by_test_id("status")).to_have_attribute("data-status", "confirmed")
    expect(staff.get_by_test_id("result")).to_have_attribute("data-passed", "yes")

    # The nightly rollup carries the confirmed result into the county's statistics.
    stats_rollup(month=today.replace(day=1), today=today)
    county.goto(f"{base}/")
    expect(county.get_by_test_id("rate-standard_rate")).to_have_text("100.0%")
    expect(county.get_by_test_id("kpi-standard_rate")).not_to_contain_text(re.compile("未达目标"))
