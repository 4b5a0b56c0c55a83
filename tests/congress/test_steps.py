"""The motion page says where a motion is, who acts next (the congress's union, the handling
unit, the proposer) and by when the answer is due (ux.md "Workflow")."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from congress import services
from tests.steps_helpers import indicator

from .helpers import make_motion, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def motion(city):
    return make_motion(make_session(city.union_a))


def page(client, motion):
    return client.get(reverse("congress:motion_detail", args=[motion.pk]))


def test_a_new_motion_waits_for_its_union_to_review_it(as_user, chair_a, motion):
    response = page(as_user(chair_a), motion)
    shown = indicator(response)
    assert shown.labels == ["提交", "审查立案", "交办", "办理答复", "提案人评价"]
    assert shown.current == "审查立案"
    assert shown.next_actor == "等待 甲公司工会委员会 开始审查。"
    assert b'data-testid="act-review"' in response.content
    services.motion_start_review(actor=chair_a, motion=motion)
    assert indicator(page(as_user(chair_a), motion)).next_actor == (
        "等待 甲公司工会委员会 审查立案。"
    )


def test_an_assigned_motion_waits_for_the_handling_unit_by_its_due_date(as_user, chair_a, motion):
    services.motion_start_review(actor=chair_a, motion=motion)
    services.motion_file(actor=chair_a, motion=motion)
    with time_machine.travel("2026-03-02 10:00 +0800"):
        services.motion_assign(
            actor=chair_a,
            motion=motion,
            handling_unit="后勤保障部",
            responsible_person="王经理",
            due_on=date(2026, 4, 1),
        )
        shown = indicator(page(as_user(chair_a), motion))
    assert shown.current == "办理答复"
    assert shown.next_actor == "等待 后勤保障部（负责人：王经理） 答复。"
    assert shown.deadline == "办理期限 2026年4月1日"
    with time_machine.travel("2026-04-02 10:00 +0800"):
        late = indicator(page(as_user(chair_a), motion))
    assert "超期" in late.deadline


def test_an_answered_motion_waits_for_the_proposers_verdict_then_closes(as_user, chair_a, motion):
    services.motion_start_review(actor=chair_a, motion=motion)
    services.motion_file(actor=chair_a, motion=motion)
    services.motion_assign(
        actor=chair_a, motion=motion, handling_unit="后勤保障部", responsible_person="王经理"
    )
    services.motion_answer(actor=chair_a, motion=motion, answer="已安排夜班供餐")
    shown = indicator(page(as_user(chair_a), motion))
    name = motion.proposer.member.name
    assert shown.current == "提案人评价"
    assert shown.next_actor == f"等待 提案人 {name} 评价。"
    services.motion_verdict(actor=chair_a, motion=motion, verdict="satisfied")
    shown = indicator(page(as_user(chair_a), motion))
    assert shown.states == ["done"] * 5 and shown.next_actor == ""


def test_a_rejected_or_converted_motion_shows_where_it_ended(as_user, chair_a, city, motion):
    services.motion_start_review(actor=chair_a, motion=motion)
    services.motion_reject(actor=chair_a, motion=motion, reason="不属于提案范围")
    shown = indicator(page(as_user(chair_a), motion))
    assert shown.states == ["done", "rejected", "skipped", "skipped", "skipped"]
    other = make_motion(motion.session, title="增设职工书屋")
    services.motion_start_review(actor=chair_a, motion=other)
    services.motion_convert(actor=chair_a, motion=other)
    response = page(as_user(chair_a), other)
    assert indicator(response).states == ["done", "done", "skipped", "skipped", "skipped"]
    assert "已转为合理化建议办理。" in response.content.decode()


def test_another_unions_motion_is_still_404(as_user, chair_b, motion):
    assert page(as_user(chair_b), motion).status_code == 404
