"""The quarterly report page says where the report is, who submits or reviews it next and by
when it is due (ux.md "Workflow")."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from tests.steps_helpers import indicator
from unionportal.reporting import services

from .page_helpers import ENTERED, form_data, open_period, report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_a(city):
    return report_of(open_period(), city.union_a)


def page(client, report):
    return client.get(reverse("reporting:report_detail", args=[report.pk]))


def submit(client, report, entered=ENTERED):
    url = reverse("reporting:report_submit", args=[report.pk])
    assert client.post(url, form_data(report, entered)).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"


def test_a_draft_tells_the_officer_the_chair_submits_it_by_the_due_date(
    as_user, officer_a, chair_a, report_a
):
    with time_machine.travel("2026-10-02 10:00 +0800"):
        response = page(as_user(officer_a), report_a)
    shown = indicator(response)
    assert shown.labels == ["填报", "审核", "通过"]
    assert shown.current == "填报"
    assert shown.next_actor == "草稿：由 甲公司工会委员会 · 基层工会主席 提交。"
    assert shown.deadline == "报送截止 2026年10月15日"
    assert b'data-testid="submit"' not in response.content  # the officer only saves
    with time_machine.travel("2026-10-16 10:00 +0800"):
        assert "超期" in indicator(page(as_user(officer_a), report_a)).deadline


def test_a_submitted_report_waits_for_the_county_then_is_accepted(
    as_user, chair_a, county_user, report_a
):
    chair = as_user(chair_a)
    submit(chair, report_a)
    shown = indicator(page(chair, report_a))
    assert shown.current == "审核" and shown.next_actor == "等待 西陵区总工会 审核。"
    assert shown.deadline == ""
    response = page(as_user(county_user), report_a)
    assert b'data-testid="review"' in response.content
    services.report_review(actor=county_user, report=report_a, accept=True)
    shown = indicator(page(chair, report_a))
    assert shown.states == ["done", "done", "done"] and shown.next_actor == ""


def test_a_returned_report_is_back_with_the_union(as_user, chair_a, county_user, report_a):
    chair = as_user(chair_a)
    submit(chair, report_a)
    services.report_review(actor=county_user, report=report_a, accept=False, reason="数字有误")
    response = page(chair, report_a)
    shown = indicator(response)
    assert shown.current == "填报"
    assert shown.next_actor == "等待 甲公司工会委员会 · 基层工会主席 修改后重新提交。"
    assert "退回修改" in response.content.decode()


def test_a_countys_own_report_is_reviewed_by_the_city(as_user, county_user, staff_user, city):
    report = report_of(open_period(), city.county_a)
    submit(as_user(county_user), report, {"employers_without_union": 3})
    shown = indicator(page(as_user(county_user), report))
    assert shown.next_actor == "等待 宜昌市总工会 审核。"


def test_another_unions_report_is_still_404(as_user, chair_b, report_a):
    assert page(as_user(chair_b), report_a).status_code == 404
