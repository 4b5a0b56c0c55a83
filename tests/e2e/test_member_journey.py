"""Browser journey in Debian's chromium: a chair finds a member by full ID and reveals the
number through htmx (CSP allows no inline script, so this checks the real wiring)."""

import re

import pytest
from auditlog.models import LogEntry
from playwright.sync_api import Page, expect

from ..factories import MemberFactory
from .test_scope_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_chair_looks_up_a_member_by_full_id_and_reveals_it(
    live_server, page: Page, city, chair_a, password
):
    member = MemberFactory(organisation=city.union_a, name="张三")
    MemberFactory(organisation=city.union_a, name="李四")
    number = member.resident_id
    log_in(page, live_server.url, "chair_a", password)

    page.goto(f"{live_server.url}/members/")
    expect(page.get_by_test_id("member-count")).to_contain_text("2")
    lookup = page.get_by_test_id("member-lookup")
    lookup.get_by_role("textbox").fill(number)
    lookup.get_by_role("button").click()

    expect(page).to_have_url(re.compile(rf"/members/{member.pk}/$"))
    assert number not in page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("张三")
    expect(page.get_by_test_id("masked-resident_id")).to_have_text(member.resident_id_masked)
    assert number not in page.content()

    page.get_by_test_id("reveal-resident_id").click()
    expect(page.get_by_test_id("revealed-resident_id")).to_have_text(number)
    assert page.url.endswith(f"/members/{member.pk}/")  # swapped in place, no navigation
    assert LogEntry.objects.filter(additional_data__event="member.reveal").count() == 1
