"""Browser journey in Debian's chromium: staff creates a competition, a chair registers
entries, two judges score, staff publishes, the ranking shares ties, winners become honours."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from competitions.models import Honour, HonourKind, Score
from tests.factories import MemberFactory, UserFactory

from .test_scope_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_to(page: Page, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, username, password)


def test_a_competition_from_creation_to_honours(
    live_server, page: Page, city, staff_user, chair_a, password
):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    UserFactory(username="judge1")
    UserFactory(username="judge2")
    members = [MemberFactory(organisation=city.union_a, name=n) for n in ("甲一", "甲二", "甲三")]
    today = timezone.localdate()

    # Staff creates the competition with two criteria and two judges, and opens it.
    log_in(page, base, "staff", password)
    page.goto(f"{base}/competitions/new/")
    form = page.get_by_test_id("competition-form")
    form.locator("[name=organiser]").select_option(str(city.city.pk))
    form.locator("[name=name]").fill("青工焊接技能大赛")
    form.locator("[name=field]").select_option("vocational")
    form.locator("[name=kind]").select_option("skills")
    form.locator("[name=starts_on]").fill(str(today - timedelta(days=5)))
    form.locator("[name=ends_on]").fill(str(today + timedelta(days=30)))
    form.locator("[name=registration_opens]").fill(str(today - timedelta(days=5)))
    form.locator("[name=registration_closes]").fill(str(today + timedelta(days=5)))
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("competition-status")).to_have_attribute("data-status", "planned")
    detail = page.url
    for name, weight in (("实操", "60"), ("理论", "40")):
        criterion = page.get_by_test_id("criterion-form")
        criterion.locator("[name=name]").fill(name)
        criterion.locator("[name=weight]").fill(weight)
        criterion.locator("[name=min_score]").fill("0")
        criterion.locator("[name=max_score]").fill("100")
        criterion.get_by_role("button").click()
    expect(page.get_by_test_id("weight-total")).to_contain_text("100")
    for judge in ("judge1", "judge2"):
        page.get_by_test_id("judge-form").locator("[name=username]").fill(judge)
        page.get_by_test_id("judge-form").get_by_role("button").click()
    page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("competition-status")).to_have_attribute(
        "data-status", "registering"
    )

    # The chair of union A registers three members.
    switch_to(page, base, "chair_a", password)
    for member in members:
        page.goto(detail)
        page.get_by_test_id("new-entry").click()
        page.get_by_test_id("entry-form").locator("[name=member]").select_option(str(member.pk))
        page.get_by_test_id("save").click()
    expect(page.get_by_test_id("entries").locator("tbody tr")).to_have_count(3)

    switch_to(page, base, "staff", password)
    page.goto(detail)
    page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("competition-status")).to_have_attribute("data-status", "judging")

    # Two judges score: 甲二 and 甲三 tie.
    scores = {"甲一": ("90", "90"), "甲二": ("80", "80"), "甲三": ("80", "80")}
    for judge in ("judge1", "judge2"):
        switch_to(page, base, judge, password)
        page.goto(detail)
        page.get_by_test_id("score-link").click()
        # The whole sheet is typed and saved with one button (issue 20 item 9).
        rows = {}
        for member in members:
            entry_pk = member.competition_entries.get().pk
            rows[member.name] = entry_pk
            inputs = page.get_by_test_id(f"sheet-{entry_pk}").locator("input[type=number]")
            inputs.nth(0).fill(scores[member.name][0])
            inputs.nth(1).fill(scores[member.name][1])
        if judge == "judge1":
            # A slip on one entry: its error shows beside it and nothing is saved.
            slip = page.get_by_test_id(f"sheet-{rows['甲二']}").locator("input[type=number]")
            slip.nth(1).fill("800")
            page.get_by_test_id("save-sheet").click()
            expect(page.get_by_test_id(f"sheet-{rows['甲二']}")).to_contain_text("的评分应在")
            expect(page.get_by_test_id("done")).to_have_count(0)
            assert not Score.objects.exists()
            # What was typed is kept: only the slip is corrected.
            expect(
                page.get_by_test_id(f"sheet-{rows['甲一']}").locator("input").nth(0)
            ).to_have_value("90")
            page.get_by_test_id(f"sheet-{rows['甲二']}").locator("input[type=number]").nth(1).fill(
                "80"
            )
        page.get_by_test_id("save-sheet").click()
        expect(page.get_by_role("alert").filter(has_text="已保存 3 名参赛者的评分")).to_be_visible()
        for entry_pk in rows.values():
            expect(page.get_by_test_id(f"sheet-{entry_pk}").get_by_test_id("done")).to_be_visible()

    # Staff publishes; the ranking reads 1, 2, 2.
    switch_to(page, base, "staff", password)
    page.goto(detail)
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("competition-status")).to_have_attribute("data-status", "published")
    ranks = page.get_by_test_id("entries").get_by_test_id("rank")
    expect(ranks).to_have_text(["1", "2", "2"])

    # The winners (ranks up to 2) become honours in one step.
    winners = page.get_by_test_id("winners-form")
    kind = HonourKind.objects.get(code="skills_champion")
    winners.locator("[name=kind]").select_option(str(kind.pk))
    winners.locator("[name=level]").select_option("city")
    winners.locator("[name=awarding_body]").fill("宜昌市总工会")
    winners.locator("[name=top]").fill("2")
    page.get_by_test_id("make-honours").click()
    expect(page.get_by_test_id("honours").get_by_test_id("recipient")).to_have_count(3)
    assert Honour.objects.filter(kind=kind).count() == 3
