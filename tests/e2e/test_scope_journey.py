"""Browser journey in Debian's chromium: a chair sees only their own union."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(re.compile("用户名|Username")).fill(username)
    page.get_by_label(re.compile("密码|Password")).fill(password)
    page.get_by_role("button", name=re.compile("登录|Log in")).click()


def test_a_chair_sees_only_their_union_and_a_changed_id_gives_the_404_page(
    live_server, page: Page, city, chair_a, password
):
    log_in(page, live_server.url, "chair_a", password)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("首页"))
    expect(page.get_by_test_id("current-role")).to_contain_text("甲公司工会委员会")

    page.get_by_role("link", name="组织架构").click()
    tree = page.get_by_test_id("org-tree")
    expect(tree).to_contain_text("甲公司工会委员会")
    expect(tree).not_to_contain_text("乙公司")
    expect(tree).not_to_contain_text("宜昌市总工会")

    page.get_by_role("link", name="甲公司工会委员会").click()
    expect(page).to_have_url(re.compile(rf"/organisations/{city.union_a.pk}/$"))

    # The chair edits the id in the address bar to union B's.
    response = page.goto(f"{live_server.url}/organisations/{city.union_b.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    expect(page.locator("body")).not_to_contain_text("乙公司")
