"""Browser journey: a chair submits a relief application, county staff review it and put it
on public notice, federation staff approve it after the notice and record the payment, and
the chair sees it paid. At each step the step indicator shows where the case is and who acts
next; during the notice the approver is told when approval opens instead of a form."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from tests.factories import MemberFactory
from welfare.models import ReliefApplication

from .test_scope_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_relief_application_from_request_to_payment(
    live_server, browser: Browser, city, chair_a, county_user, staff_user, password
):
    member = MemberFactory(organisation=city.union_a, name="周困难")
    base = live_server.url

    def session(username):
        page = browser.new_context().new_page()
        log_in(page, base, username, password)
        return page

    chair = session("chair_a")
    chair.goto(f"{base}/welfare/relief/new/")
    chair.locator("[name=member]").fill("周困难")
    chair.locator("[name=kind]").select_option("medical")
    chair.locator("[name=amount_requested]").fill("3000")
    chair.locator("[name=reason]").fill("大病住院，自付费用高")
    chair.get_by_test_id("save").click()
    expect(chair.get_by_test_id("status")).to_have_attribute("data-status", "draft")
    chair.locator("[name=home_visit]").fill("已入户走访，情况属实")
    chair.get_by_test_id("submit").click()
    expect(chair.get_by_test_id("status")).to_have_attribute("data-status", "submitted")
    expect(chair.get_by_test_id("steps")).to_be_visible()
    expect(chair.locator("[aria-current=step]")).to_contain_text("审核")
    expect(chair.get_by_test_id("next-actor")).to_have_text(re.compile("等待 西陵区总工会 审核"))
    app = ReliefApplication.objects.get(member=member)

    county = session("county")
    county.goto(f"{base}/welfare/relief/{app.pk}/")
    expect(county.get_by_test_id("checks")).to_be_visible()
    county.locator("[name=income_verification]").fill("民政核对：收入属实")
    county.get_by_test_id("review").click()
    expect(county.get_by_test_id("status")).to_have_attribute("data-status", "reviewed")
    county.get_by_test_id("start-notice").click()
    expect(county.get_by_test_id("status")).to_have_attribute("data-status", "on_notice")

    staff = session("staff")
    staff.goto(f"{base}/welfare/relief/{app.pk}/")
    expect(staff.get_by_test_id("steps")).to_be_visible()
    expect(staff.locator("[aria-current=step]")).to_contain_text("公示")
    expect(staff.get_by_test_id("next-actor")).to_contain_text("起由 宜昌市总工会 审批")
    expect(staff.get_by_test_id("deadline")).to_contain_text(re.compile(r"公示截止 \d{4}年"))
    expect(staff.get_by_test_id("notice-running")).to_be_visible()
    expect(staff.get_by_test_id("approve")).to_have_count(0)
    staff.on("dialog", lambda dialog: dialog.accept())

    # The notice period runs out.
    today = timezone.localdate()
    ReliefApplication.objects.filter(pk=app.pk).update(
        notice_starts=today - timedelta(days=7), notice_ends=today
    )
    staff.goto(f"{base}/welfare/relief/{app.pk}/")
    expect(staff.locator("[aria-current=step]")).to_contain_text("审批")
    staff.locator("[name=amount_approved]").fill("2500")
    staff.get_by_test_id("approve").click()
    expect(staff.get_by_test_id("status")).to_have_attribute("data-status", "approved")
    staff.locator("[name=reference]").fill("YC-2026-0001")
    staff.get_by_test_id("pay").click()
    expect(staff.get_by_test_id("status")).to_have_attribute("data-status", "paid")

    chair.goto(f"{base}/welfare/relief/")
    chair.get_by_role("link", name="周困难").click()
    expect(chair.get_by_test_id("status")).to_have_attribute("data-status", "paid")
    expect(chair.get_by_test_id("payment")).to_contain_text(re.compile(r"2,500"))
    expect(chair.locator("body")).not_to_contain_text(member.resident_id)
