"""Browser journey (issue 17): a chair registers a wage contract, sends it to the labour
bureau and records the bureau's approval; at each step the step indicator shows where the
contract is, only the possible action is offered, and the county's coverage figure on the
contract register moves from nothing to the workers the contract covers."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from rights import services
from rights.models import CollectiveContract
from unionportal.reporting.rollup import stats_rollup

from .test_scope_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_wage_contract_from_registration_to_force(
    live_server, browser: Browser, city, chair_a, county_user, password
):
    base = live_server.url
    today = timezone.localdate()
    signed = today - timedelta(days=5)

    def session(username):
        page = browser.new_context().new_page()
        log_in(page, base, username, password)
        return page

    stats_rollup(month=today.replace(day=1), today=today)
    county = session("county")
    # Union A, the county's one grassroots union, has no contract yet: a known 0.0%.
    expect(county.get_by_test_id("rate-contract_coverage_rate")).to_have_text("0.0%")
    county.goto(f"{base}/rights/contracts/")
    expect(county.get_by_test_id("coverage-workers")).to_have_text("0")

    chair = session("chair_a")
    chair.goto(f"{base}/rights/contracts/")
    chair.get_by_test_id("contract-create").click()
    chair.locator("[name=organisation]").select_option(str(city.union_a.pk))
    chair.locator("[name=title]").fill("2026年工资专项集体合同")
    chair.locator("[name=kind]").select_option("wage")
    chair.locator("[name=offered_on]").fill((today - timedelta(days=60)).isoformat())
    chair.locator("[name=rounds]").fill("3")
    chair.locator("[name=vote_body]").select_option("congress")
    chair.locator("[name=voted_on]").fill((today - timedelta(days=10)).isoformat())
    chair.locator("[name=signed_on]").fill(signed.isoformat())
    chair.locator("[name=starts_on]").fill(signed.isoformat())
    # Four years: refused with a Chinese error, nothing saved.
    chair.locator("[name=ends_on]").fill(services.add_years(signed, 4).isoformat())
    chair.locator("[name=workers_covered]").fill("230")
    chair.locator("[name=wage_increase]").fill("6.5")
    chair.get_by_test_id("save").click()
    expect(chair.get_by_test_id("errors")).to_be_visible()
    expect(chair.locator("body")).to_contain_text("集体合同期限为1至3年")
    assert not CollectiveContract.objects.exists()
    end = services.add_years(signed, 2) - timedelta(days=1)
    chair.locator("[name=ends_on]").fill(end.isoformat())
    chair.get_by_test_id("save").click()

    expect(chair.get_by_test_id("steps")).to_be_visible()
    expect(chair.locator("[aria-current=step]")).to_contain_text("报送")
    expect(chair.get_by_test_id("record-outcome")).to_have_count(0)
    chair.locator("[name=on]").fill(today.isoformat())
    chair.get_by_test_id("send").click()

    expect(chair.locator("[aria-current=step]")).to_contain_text("生效")
    expect(chair.get_by_test_id("send")).to_have_count(0)
    expect(chair.get_by_test_id("next-actor")).to_contain_text("劳动保障行政部门")
    form = chair.get_by_test_id("outcome-form")
    form.locator("[name=received_on]").fill(today.isoformat())
    form.locator("[name=outcome]").select_option("approved")
    form.locator("[name=on]").fill(today.isoformat())
    chair.get_by_test_id("record-outcome").click()

    expect(chair.get_by_test_id("status")).to_contain_text("经审查同意")
    expect(chair.locator("[data-testid=step][data-state=done]")).to_have_count(6)
    expect(chair.get_by_test_id("outcome")).to_contain_text("起生效")
    expect(chair.get_by_test_id("record-outcome")).to_have_count(0)

    county.goto(f"{base}/rights/contracts/")
    expect(county.get_by_test_id("coverage-employers")).to_have_text("1")
    expect(county.get_by_test_id("coverage-workers")).to_have_text("230")
    # The nightly rollup carries the contract in force into the county's statistics.
    stats_rollup(month=today.replace(day=1), today=today)
    county.goto(f"{base}/")
    expect(county.get_by_test_id("rate-contract_coverage_rate")).to_have_text("100.0%")
