"""Browser journey at phone size (issue 19): a worker applies to join, the chair approves and
hands over an activation code, the member activates the account, logs in, sees the
certificate and submits a request, and the county sees it as a case."""

import re

import pytest
from django.core.cache import caches
from playwright.sync_api import Browser, expect

from rights.models import Case
from tests.selfservice.helpers import RID

from .test_scope_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_apply_approve_activate_and_a_request_the_county_sees(
    live_server, browser: Browser, city, chair_a, county_user, password, settings
):
    settings.SELFSERVICE_CAPTCHA_TEST_MODE = True
    caches["shared"].clear()
    base = live_server.url

    worker = browser.new_context(**PHONE).new_page()
    worker.goto(f"{base}/join/")
    worker.get_by_label("姓名").fill("王小丽")
    worker.get_by_label("身份证号", exact=True).fill(RID)
    worker.get_by_label("手机号码").fill("13912340001")
    worker.get_by_label(re.compile("工作单位（名称")).fill(city.union_a.name)
    worker.get_by_test_id("employer-search").click()
    expect(worker.get_by_test_id("employer-matches")).to_contain_text(city.union_a.name)
    worker.get_by_label("用工形式").select_option("fixed_term")
    worker.get_by_label("我是农民工").check()
    worker.get_by_label("我已阅读并同意隐私告知").check()
    expect(worker.get_by_test_id("captcha-image")).to_be_visible()
    worker.get_by_label("请填写图中算式的结果").fill("PASSED")
    worker.get_by_test_id("join-submit").click()
    expect(worker.get_by_test_id("received")).to_contain_text("已受理")
    reference = worker.get_by_test_id("reference").inner_text()
    # the form fits the phone: no sideways scrolling
    assert worker.evaluate("document.documentElement.scrollWidth") <= 390

    chair = browser.new_context().new_page()
    log_in(chair, base, "chair_a", password)
    chair.goto(f"{base}/join-applications/")
    chair.get_by_role("link", name=reference).click()
    chair.get_by_test_id("approve").click()
    expect(chair.get_by_test_id("status")).to_have_attribute("data-status", "approved")
    chair.get_by_test_id("account-link").click()
    chair.get_by_test_id("issue-code").click()
    code = chair.get_by_test_id("activation-code").inner_text().strip()

    worker.goto(f"{base}/join/status/")
    worker.get_by_label("受理编号").fill(reference)
    worker.get_by_label("身份证号后6位").fill(RID[-6:])
    worker.get_by_test_id("status-check").click()
    expect(worker.get_by_test_id("outcome")).to_contain_text("已批准")

    worker.goto(f"{base}/me/activate/")
    worker.get_by_label("激活码").fill(code)
    worker.get_by_label("手机号码").fill("13912340001")
    worker.locator("[name=password]").fill(password)
    worker.locator("[name=password2]").fill(password)
    worker.get_by_test_id("activate").click()
    expect(worker.get_by_test_id("member-login")).to_be_visible()
    worker.locator("[name=username]").fill("13912340001")
    worker.locator("[name=password]").fill(password)
    worker.get_by_test_id("member-login").click()
    expect(worker.get_by_test_id("my-name")).to_have_text("王小丽")
    expect(worker.locator("body")).not_to_contain_text(RID)

    worker.get_by_role("link", name="会员证", exact=True).click()
    expect(worker.get_by_test_id("certificate-number")).to_have_text(re.compile(r"YC\d{12}"))

    worker.get_by_role("link", name="诉求", exact=True).click()
    worker.get_by_label("反映事项").select_option(label="劳动报酬/欠薪")
    worker.get_by_label("您的诉求或咨询内容").fill("公司拖欠两个月加班费")
    worker.get_by_test_id("request-submit").click()
    expect(worker.get_by_test_id("my-case")).to_contain_text("劳动报酬/欠薪")
    case = Case.objects.get()
    assert case.channel == "online" and case.received_by_id == city.union_a.pk

    county = browser.new_context().new_page()
    log_in(county, base, "county", password)
    county.goto(f"{base}/rights/cases/")
    county.get_by_role("link", name=case.number).click()
    expect(county.locator("body")).to_contain_text("公司拖欠两个月加班费")
    expect(county.locator("body")).to_contain_text(city.union_a.name)
