"""The shared step indicator (unionportal/core/steps.py, templates/_steps.html): the steps in
a row, the current one marked for assistive technology and in words, who acts next, the
deadline in the 2026年12月2日 style; and members.access.acting_role, which names who acts."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from members import access
from members.models import RoleName
from tests.factories import RoleFactory, UserFactory
from unionportal.core.steps import Actor, Deadline, Progress, State, Step, linear, long_date

LABELS = ("提交", "审核", "公示", "审批", "发放")


def render(progress) -> str:
    return Template("{% load steps %}{% step_indicator progress %}").render(
        Context({"progress": progress})
    )


def states(html: str) -> list[str]:
    return re.findall(r'data-state="(\w+)"', html)


def test_linear_marks_the_steps_before_at_and_after_the_current_one():
    steps = linear(LABELS, 2)
    assert [s.state for s in steps] == ["done", "done", "current", "upcoming", "upcoming"]
    assert [s.state for s in linear(LABELS, 5)] == ["done"] * 5
    assert [s.state for s in linear(LABELS, 1, stopped=State.REJECTED)] == [
        "done",
        "rejected",
        "skipped",
        "skipped",
        "skipped",
    ]
    assert linear(LABELS, 0, notes={0: "已退回"})[0].note == "已退回"
    with pytest.raises(ValueError):
        linear(LABELS, 1, stopped=State.DONE)


def test_the_indicator_marks_the_current_step_with_aria_current_and_words():
    with translation.override("zh-hans"):
        html = render(Progress(linear(LABELS, 1), Actor("西陵区总工会", "审核")))
    assert states(html) == ["done", "current", "upcoming", "upcoming", "upcoming"]
    assert html.count('aria-current="step"') == 1
    current = re.search(r'<li[^>]*aria-current="step"[^>]*>(.*?)</li>', html, re.S).group(1)
    assert "审核" in current and "当前步骤" in current
    assert "已完成" in html and "未开始" in html  # the state in words, not colour alone
    assert "等待 西陵区总工会 审核。" in html


def test_a_draft_says_who_submits_it_and_a_gate_says_from_when():
    with translation.override("zh-hans"):
        draft = render(
            Progress(linear(LABELS, 0), Actor("甲公司工会 · 基层工会主席", "提交", draft=True))
        )
        gated = render(
            Progress(
                linear(LABELS, 2),
                Actor("宜昌市总工会", "审批", from_day=date(2026, 12, 2)),
                Deadline("公示截止", date(2026, 12, 2)),
            )
        )
    assert "草稿：由 甲公司工会 · 基层工会主席 提交。" in draft
    assert "2026年12月2日 起由 宜昌市总工会 审批。" in gated
    assert '<time datetime="2026-12-02">2026年12月2日</time>' in gated


def test_an_overdue_deadline_says_so_in_words():
    with translation.override("zh-hans"):
        html = render(
            Progress(linear(LABELS, 3), None, Deadline("答复期限", date(2026, 1, 5), True))
        )
    assert "超期" in html and 'data-testid="next-actor"' not in html


def test_dates_read_as_in_a_notice_in_chinese_and_in_english():
    with translation.override("zh-hans"):
        assert long_date(date(2026, 12, 2)) == "2026年12月2日"
    with translation.override("en"):
        assert long_date(date(2026, 12, 2)) == "December 2, 2026"


def test_nothing_is_rendered_without_progress():
    assert render(None).strip() == ""
    assert Progress((Step("a", State.CURRENT),)).current.label == "a"


# --- Who acts next ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_nearest_union_holding_the_capability_acts(city, county_user, staff_user):
    assert access.acting_role(city.branch_a, "relief.review") == (
        city.county_a,
        RoleName.UNION_STAFF,
    )
    assert access.acting_role(city.union_a, "relief.approve")[0] == city.city
    # strictly above: a county's own report is reviewed by the city
    assert access.acting_role(city.county_a, "report.review", strictly_above=True)[0] == city.city


@pytest.mark.django_db
def test_without_accounts_the_union_whose_kind_could_act_is_named(city):
    assert access.acting_role(city.union_b, "relief.review")[0] == city.county_b
    assert access.acting_role(city.branch_b, "relief.submit") == (
        city.union_b,
        RoleName.BRANCH_CHAIR,
    )
    assert access.acting_text(city.union_b, RoleName.BRANCH_CHAIR).startswith("乙公司工会委员会 · ")


@pytest.mark.django_db
def test_an_inactive_account_or_an_ended_role_does_not_act(city):
    gone = UserFactory(username="gone", organisation=city.county_b, is_active=False)
    RoleFactory(user=gone, organisation=city.county_b, role=RoleName.UNION_STAFF)
    left = UserFactory(username="left", organisation=city.county_b)
    RoleFactory(
        user=left, organisation=city.county_b, role=RoleName.UNION_STAFF, active_to=date(2025, 1, 1)
    )
    staff = UserFactory(username="cityhall", organisation=city.city)
    RoleFactory(user=staff, organisation=city.city, role=RoleName.FEDERATION_STAFF)
    # nobody acts at the county any more: the city's staff do
    assert access.acting_role(city.union_b, "relief.review")[0] == city.city
