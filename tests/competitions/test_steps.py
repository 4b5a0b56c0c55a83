"""The nomination round page says where the round is, that the organiser acts next and by
when, and offers the notice and the outcome only when they would be taken (ux.md
"Workflow")."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from competitions import nominations as svc
from tests.factories import MemberFactory
from tests.steps_helpers import indicator

from .helpers import D
from .test_nomination_views import make_round

pytestmark = pytest.mark.django_db


def page(client, round_):
    return client.get(reverse("competitions:round_detail", args=[round_.pk]))


def on_notice(city, chair_a):
    round_ = make_round(city)
    svc.nominate(
        actor=chair_a,
        round_=round_,
        organisation=city.union_a,
        member=MemberFactory(organisation=city.union_a),
    )
    return svc.round_start_notice(
        actor=None, round_=round_, notice_from=date(2026, 4, 1), notice_to=date(2026, 4, 7)
    )


def test_an_open_round_waits_for_the_organiser_to_start_the_notice(
    city, as_user, staff_user, chair_a
):
    round_ = make_round(city)
    response = page(as_user(chair_a), round_)
    shown = indicator(response)
    assert shown.labels == ["推荐", "公示", "评定"]
    assert shown.current == "推荐"
    assert shown.next_actor == "等待 宜昌市总工会 启动公示。"
    # no nominees yet: the organiser is told so instead of a notice form
    staff = page(as_user(staff_user), round_).content.decode()
    assert 'data-testid="notice-form"' not in staff
    assert "暂无推荐人选，请先推荐再公示。" in staff


def test_a_list_breaking_a_quota_rule_is_not_offered_for_notice(city, as_user, staff_user, chair_a):
    round_ = make_round(city)
    round_.rules.create(attribute="frontline", operator="gte", percent=D(50))
    member = MemberFactory(organisation=city.union_a, is_frontline=False)
    svc.nominate(actor=chair_a, round_=round_, organisation=city.union_a, member=member)
    content = page(as_user(staff_user), round_).content.decode()
    assert 'data-testid="notice-form"' not in content
    assert "推荐名单有 1 项名额结构要求未达标，请调整后再公示。" in content
    member.is_frontline = True
    member.save(update_fields=["is_frontline"])
    assert b'data-testid="notice-form"' in page(as_user(staff_user), round_).content


def test_during_the_notice_the_outcome_waits_until_it_ends(city, as_user, staff_user, chair_a):
    round_ = on_notice(city, chair_a)
    with time_machine.travel("2026-04-05 10:00 +0800"):
        response = page(as_user(staff_user), round_)
    shown = indicator(response)
    assert shown.current == "公示"
    assert shown.next_actor == "2026年4月8日 起由 宜昌市总工会 评定。"
    assert shown.deadline == "公示截止 2026年4月7日"
    content = response.content.decode()
    assert 'data-testid="decide"' not in content and 'name="awarded"' not in content
    assert 'data-testid="decide-wait"' in content and "2026年4月7日" in content
    with time_machine.travel("2026-04-08 10:00 +0800"):
        after = page(as_user(staff_user), round_)
    assert indicator(after).current == "评定"
    assert indicator(after).next_actor == "等待 宜昌市总工会 评定。"
    assert b'data-testid="decide"' in after.content


def test_a_decided_round_is_done(city, as_user, staff_user, chair_a):
    round_ = on_notice(city, chair_a)
    svc.round_decide(actor=staff_user, round_=round_, awarded=set(), today=date(2026, 4, 8))
    shown = indicator(page(as_user(chair_a), round_))
    assert shown.states == ["done", "done", "done"] and shown.next_actor == ""


def test_another_countys_round_is_still_404(city, as_user, county_user):
    round_ = make_round(city, organiser=city.county_b)
    assert page(as_user(county_user), round_).status_code == 404
