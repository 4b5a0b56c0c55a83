"""Browser journey in Debian's chromium: a delegate's motion is entered with co-signers,
filed, assigned, answered, found unsatisfied, answered again and closed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from congress import services
from congress.models import Motion

from ..congress.helpers import make_delegates
from .test_scope_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_motion_goes_from_entry_to_the_proposers_satisfaction(
    live_server, page: Page, city, chair_a, password
):
    session = services.session_create(
        actor=None,
        organisation=city.union_a,
        term=3,
        session_number=1,
        held_on=timezone.localdate() + timedelta(days=10),
        delegates_expected=30,
    )
    proposer, first, second, _ = make_delegates(session, 4, is_frontline=True)
    log_in(page, live_server.url, "chair_a", password)

    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.get_by_test_id("motion-create").click()
    page.locator("#id_proposer").select_option(str(proposer.pk))
    page.locator("#id_title").fill("夜班职工就餐难")
    page.locator("#id_category").select_option("welfare")
    page.locator("#id_body").fill("建议食堂增加夜间供餐。")
    page.locator(f"input[name=cosigners][value='{first.pk}']").check()
    page.locator("input[type=submit], button[type=submit]").last.click()
    # One co-signer is not enough: the form says so and nothing is written.
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    assert not Motion.objects.exists()
    page.locator(f"input[name=cosigners][value='{second.pk}']").check()
    page.locator("input[type=submit], button[type=submit]").last.click()

    motion = Motion.objects.get()
    expect(page).to_have_url(re.compile(rf"/congress/motions/{motion.pk}/$"))
    status = page.locator("h1").get_by_test_id("motion-status")
    expect(status).to_have_attribute("data-status", "submitted")
    expect(page.get_by_test_id("cosigners")).to_contain_text(first.member.name)

    page.get_by_test_id("act-review").click()
    expect(status).to_have_attribute("data-status", "under_review")
    page.locator("#file-comment").fill("一事一案，予以立案")
    page.get_by_test_id("act-file").click()
    expect(status).to_have_attribute("data-status", "filed")

    page.locator("#unit").fill("后勤保障部")
    page.locator("#person").fill("周主任")
    page.get_by_test_id("act-assign").click()
    expect(status).to_have_attribute("data-status", "assigned")
    expect(page.get_by_test_id("handling-unit")).to_contain_text("后勤保障部")

    page.locator("#answer").fill("已在二号食堂试点夜间供餐。")
    page.get_by_test_id("act-answer").click()
    expect(status).to_have_attribute("data-status", "answered")

    page.locator("#verdict").select_option("unsatisfied")
    page.locator("#verdict-comment").fill("只有一个食堂，远远不够")
    page.get_by_test_id("act-verdict").click()
    expect(status).to_have_attribute("data-status", "reopened")

    page.locator("#answer").fill("三个食堂全部开放夜间供餐。")
    page.get_by_test_id("act-answer").click()
    expect(status).to_have_attribute("data-status", "answered")
    page.locator("#verdict").select_option("satisfied")
    page.get_by_test_id("act-verdict").click()
    expect(status).to_have_attribute("data-status", "closed")
    expect(page.get_by_test_id("verdict")).to_be_visible()
    expect(page.get_by_test_id("event")).to_have_count(8)
    expect(page.locator("[data-testid^=act-]")).to_have_count(0)
