"""Browser journey (issue 16): a call received at the county, dispatched to a grassroots
union, answered there by the union's chair, closed and followed up by the county. At each
step the step bar shows where the case is and who acts next, and only that user's actions
are offered. The county's dashboard closure rate moves from "no data" (nothing accepted this
year) to 100.0% once the nightly statistics rollup has counted the closed case."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from rights.models import Case
from unionportal.reporting.rollup import stats_rollup

from .test_scope_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_call_from_registration_to_follow_up(
    live_server, browser: Browser, city, county_user, chair_a, password
):
    base = live_server.url
    due = (timezone.localdate() + timedelta(days=10)).isoformat()

    def session(username):
        page = browser.new_context().new_page()
        log_in(page, base, username, password)
        return page

    today = timezone.localdate()
    stats_rollup(month=today.replace(day=1), today=today)
    county = session("county")
    expect(county.get_by_test_id("rate-case_closure_rate")).to_have_text("暂无数据")
    county.goto(f"{base}/rights/cases/")
    county.get_by_test_id("case-create").click()
    county.locator("[name=channel]").select_option("call")
    county.locator("[name=hotline]").check()
    county.locator("[name=petitioner_name]").fill("孙师傅")
    county.locator("[name=petitioner_contact]").fill("13912345678")
    county.locator("[name=category]").select_option(label="劳动报酬/欠薪")
    county.locator("[name=request]").fill("反映公司拖欠两个月工资")
    county.get_by_test_id("save").click()
    expect(county.get_by_test_id("status")).to_have_attribute("data-status", "received")
    expect(county.locator("[aria-current=step]")).to_contain_text("受理")
    expect(county.get_by_test_id("next-actor")).to_contain_text("西陵区总工会")
    expect(county.get_by_test_id("deadline")).to_contain_text(re.compile(r"\d{4}年"))
    case = Case.objects.get()

    county.get_by_test_id("accept").click()
    expect(county.get_by_test_id("status")).to_have_attribute("data-status", "accepted")
    county.locator("[name=dispatch-to]").select_option(label=city.union_a.name)
    county.locator("[name=dispatch-due_on]").fill(due)
    county.locator("[name=dispatch-comment]").fill("请核实并答复")
    county.get_by_test_id("dispatch").click()
    expect(county.get_by_test_id("status")).to_have_attribute("data-status", "dispatched")
    expect(county.get_by_test_id("next-actor")).to_contain_text(city.union_a.name)
    expect(county.get_by_test_id("slip")).to_be_visible()

    chair = session("chair_a")
    chair.goto(f"{base}/rights/cases/?status=handling&mine=1")
    chair.get_by_role("link", name=case.number).click()
    expect(chair.get_by_test_id("close-form")).to_have_count(0)
    chair.locator("[name=answer-answer]").fill("已与公司协调，月底前补发")
    chair.get_by_test_id("answer").click()
    expect(chair.get_by_test_id("status")).to_have_attribute("data-status", "answered")
    expect(chair.get_by_test_id("next-actor")).to_contain_text("西陵区总工会")

    county.goto(f"{base}/rights/cases/{case.pk}/")
    county.locator("[name=close-outcome]").fill("工资已补发")
    county.get_by_test_id("close").click()
    expect(county.get_by_test_id("status")).to_have_attribute("data-status", "closed")
    expect(county.locator("[aria-current=step]")).to_contain_text("回访")
    county.locator("[name=follow_up-satisfaction]").select_option("satisfied")
    county.get_by_test_id("follow_up").click()
    expect(county.get_by_test_id("satisfaction")).to_contain_text("满意")
    expect(county.locator("[aria-current=step]")).to_have_count(0)
    expect(county.locator("body")).not_to_contain_text("13912345678")

    # The nightly rollup carries the closed case into the county's statistics.
    stats_rollup(month=today.replace(day=1), today=today)
    county.goto(f"{base}/")
    expect(county.get_by_test_id("rate-case_closure_rate")).to_have_text("100.0%")
