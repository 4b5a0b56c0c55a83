"""Condolence caps per person, not per membership row, and no visits dated in the future
(issue 13 item 7, domain.md E)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from members.models import Member, MemberStatus
from tests.factories import MemberFactory
from welfare import services
from welfare.models import CondolenceVisit

pytestmark = [pytest.mark.django_db, pytest.mark.money]

DAY = date(2026, 1, 20)


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def person_in_two_unions(city):
    """One resident ID: a membership in union A that ended, and a new one in union B."""
    first = MemberFactory(organisation=city.union_a)
    second_id = first.resident_id
    Member.objects.filter(pk=first.pk).update(status=MemberStatus.WITHDRAWN)
    second = MemberFactory(organisation=city.union_b, resident_id=second_id)
    assert first.resident_id_index == second.resident_id_index and first.pk != second.pk
    return first, second


def festival(member, amount, actor, visited_on=DAY):
    return services.visit_record(
        actor=actor,
        member=member,
        occasion="festival",
        visited_on=visited_on,
        in_cash=False,
        amount=amount,
        visitors="工会主席",
    )


def test_the_holiday_cap_is_reached_exactly_across_two_unions(person_in_two_unions, chair_a):
    first, second = person_in_two_unions
    festival(first, "700.00", chair_a)
    festival(second, "500.00", None)  # exactly ¥1,200.00 for the person this year
    assert CondolenceVisit.objects.count() == 2


def test_one_fen_over_the_holiday_cap_in_another_union_is_refused(person_in_two_unions, chair_a):
    first, second = person_in_two_unions
    festival(first, "700.00", chair_a)
    with pytest.raises(ValidationError, match=r"¥700\.00 is already given"):
        festival(second, "500.01", None)
    assert CondolenceVisit.objects.filter(member=second).count() == 0
    festival(second, "500.01", None, visited_on=date(2025, 12, 20))  # another year, its own cap


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_a_visit_dated_today_is_accepted_tomorrow_refused(city, chair_a, member_a):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        festival(member_a, "100", chair_a, visited_on=today + timedelta(days=1))
    assert "visited_on" in refused.value.message_dict
    festival(member_a, "100", chair_a, visited_on=today)
    assert CondolenceVisit.objects.get().amount == Decimal("100.00")


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_the_visit_form_refuses_a_future_date_in_chinese(as_user, chair_a, member_a):
    client = as_user(chair_a)
    data = {
        "member": member_a.name,
        "occasion": "festival",
        "visited_on": "2026-03-03",
        "amount": "100",
        "visitors": "工会主席",
    }
    with translation.override("zh-hans"):
        refused = client.post(reverse("welfare:visit_create"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 200
    assert "慰问日期不能晚于今天" in refused.content.decode()
    assert not CondolenceVisit.objects.exists()
    ok = client.post(reverse("welfare:visit_create"), {**data, "visited_on": "2026-03-02"})
    assert ok.status_code == 302 and CondolenceVisit.objects.count() == 1
