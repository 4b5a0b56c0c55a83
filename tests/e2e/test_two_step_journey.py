"""Browser journey in Debian's chromium with two-step login enforced (security.md B5):
federation staff enrol an authenticator app from the QR page, log out, log in with a code,
and once more with a recovery code."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from ..members.test_two_step import totp
from .test_scope_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("测试用户")).click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_staff_enrol_then_log_in_with_a_code_and_with_a_recovery_code(
    live_server, page: Page, settings, staff_user, password
):
    settings.MFA_ENFORCED = True
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

    # First login: the password leads to the enrolment page and nowhere else.
    log_in(page, live_server.url, "staff", password)
    expect(page.get_by_role("heading", level=1)).to_have_text("开启两步验证")
    page.goto(f"{live_server.url}/members/")
    expect(page).to_have_url(re.compile(r"/accounts/two-step/enrol/\?next=%2Fmembers%2F"))
    page.screenshot(path="/tmp/two-step-enrol.png", full_page=True)
    qr = page.get_by_test_id("mfa-qr")
    expect(qr).to_be_visible()
    # The QR code is drawn by the portal (a data: SVG) and the CSP lets it show.
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    secret = page.get_by_test_id("mfa-secret").get_attribute("data-secret")

    page.locator("#id_code").fill("000000" if totp(secret) != "000000" else "111111")
    page.get_by_role("button", name="开启两步验证").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("验证码不正确")
    time.sleep(1.2)  # django-otp's back-off after a wrong code
    page.locator("#id_code").fill(totp(secret))
    page.get_by_role("button", name="开启两步验证").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("恢复码")
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", c) for c in codes)
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page).to_have_url(re.compile(r"/members/$"))
    log_out(page)

    # Second login: password, then the code of the app (the next 30-second step: the one
    # used for enrolment is never accepted twice).
    log_in(page, live_server.url, "staff", password)
    expect(page.get_by_role("heading", level=1)).to_have_text("两步验证")
    page.get_by_role("textbox", name=re.compile("验证码或恢复码")).fill(
        totp(secret, time.time() + 30)
    )
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("首页"))
    log_out(page)

    # Third login: the phone is not at hand; a recovery code instead.
    log_in(page, live_server.url, "staff", password)
    page.get_by_role("textbox", name=re.compile("验证码或恢复码")).fill(codes[0])
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("首页"))
    expect(page.locator("body")).to_contain_text("还剩 9 个")
    log_out(page)

    # The used recovery code does not work twice.
    log_in(page, live_server.url, "staff", password)
    page.get_by_role("textbox", name=re.compile("验证码或恢复码")).fill(codes[0])
    page.get_by_role("button", name="验证").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("验证码错误或已过期")
    page.screenshot(path="/tmp/two-step-verify.png", full_page=True)
    assert not errors, errors
