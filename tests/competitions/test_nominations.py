"""Nomination rounds: quotas, quota rules at their exact boundaries, notice, decision."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from competitions import nominations as svc
from competitions.models import Honour, HonourKind, NominationRound
from tests.factories import MemberFactory

from .helpers import D

pytestmark = pytest.mark.django_db


def make_round(city, staff_user, seats=10):
    round_ = svc.round_create(
        actor=staff_user, organiser=city.city, kind=HonourKind.objects.get(code="may_day_medal"),
        level="city", year=2026, awarding_body="宜昌市总工会", with_defaults=False,
    )  # fmt: skip
    svc.quota_set(actor=staff_user, round_=round_, organisation=city.union_a, seats=seats)
    return round_


def nominate(round_, city, user, n, **flags):
    for _ in range(n):
        svc.nominate(
            actor=user, round_=round_, organisation=city.union_a,
            member=MemberFactory(organisation=city.union_a, **flags),
        )  # fmt: skip


@pytest.mark.parametrize(("frontline", "ok"), [(2, False), (3, True)])
def test_at_least_60_percent_is_met_exactly_at_3_of_5(city, staff_user, chair_a, frontline, ok):
    round_ = make_round(city, staff_user)
    svc.rule_add(actor=staff_user, round_=round_, attribute="frontline", operator="gte",
                 percent=D("60"))  # fmt: skip
    nominate(round_, city, chair_a, frontline, is_frontline=True)
    nominate(round_, city, chair_a, 5 - frontline)
    (check,) = svc.quota_check(round_)
    assert (check.matching, check.total, check.ok) == (frontline, 5, ok)
    assert check.actual == D(frontline * 20)


@pytest.mark.parametrize(("managers", "ok"), [(3, True), (4, False)])
def test_at_most_15_percent_is_met_exactly_at_3_of_20(city, staff_user, chair_a, managers, ok):
    round_ = make_round(city, staff_user, seats=20)
    svc.rule_add(actor=staff_user, round_=round_, attribute="manager", operator="lte",
                 percent=D("15"))  # fmt: skip
    nominate(round_, city, chair_a, managers, is_manager=True)
    nominate(round_, city, chair_a, 20 - managers)
    (check,) = svc.quota_check(round_)
    assert check.ok is ok


def test_women_and_migrant_rules_show_their_actual_share(city, staff_user, chair_a):
    round_ = make_round(city, staff_user)
    svc.rule_add(actor=staff_user, round_=round_, attribute="women", operator="gte", percent=D(20))
    svc.rule_add(actor=staff_user, round_=round_, attribute="migrant", operator="gte",
                 percent=D(20))  # fmt: skip
    from tests.factories import make_resident_id

    svc.nominate(
        actor=chair_a, round_=round_, organisation=city.union_a,
        member=MemberFactory(
            organisation=city.union_a, resident_id=make_resident_id(7, female=True)
        ),
    )  # fmt: skip
    nominate(round_, city, chair_a, 2)
    women, migrant = svc.quota_check(round_)
    assert (women.actual, women.ok) == (D("33.33"), True)
    assert (migrant.actual, migrant.ok) == (D("0.00"), False)


def test_a_union_nominates_within_its_quota(city, staff_user, chair_a):
    round_ = make_round(city, staff_user, seats=2)
    nominate(round_, city, chair_a, 2)
    with pytest.raises(ValidationError):
        nominate(round_, city, chair_a, 1)
    with pytest.raises(ValidationError):
        svc.nominate(actor=chair_a, round_=round_, organisation=city.union_b,
                     member=MemberFactory(organisation=city.union_b))  # fmt: skip


def test_the_notice_needs_every_rule_met_and_the_outcome_writes_honours(city, staff_user, chair_a):
    round_ = make_round(city, staff_user)
    svc.rule_add(actor=staff_user, round_=round_, attribute="frontline", operator="gte",
                 percent=D(50))  # fmt: skip
    nominate(round_, city, chair_a, 1)
    with pytest.raises(ValidationError):
        svc.round_start_notice(actor=staff_user, round_=round_, notice_from=date(2026, 4, 1),
                               notice_to=date(2026, 4, 7))  # fmt: skip
    nominate(round_, city, chair_a, 1, is_frontline=True)
    svc.round_start_notice(actor=staff_user, round_=round_, notice_from=date(2026, 4, 1),
                           notice_to=date(2026, 4, 7))  # fmt: skip
    first, second = round_.nominees.order_by("pk")
    svc.objection_record(actor=staff_user, nomination=first, received_on=date(2026, 4, 3),
                         body="群众反映", handling="经核实不属实")  # fmt: skip
    with pytest.raises(ValidationError):
        svc.round_decide(actor=staff_user, round_=round_, awarded={second.pk},
                         today=date(2026, 4, 7))  # fmt: skip
    svc.round_decide(actor=staff_user, round_=round_, awarded={second.pk}, today=date(2026, 4, 8))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("not_awarded", "awarded")
    honour = Honour.objects.get()
    assert (honour.member, honour.year, honour.kind.code) == (second.member, 2026, "may_day_medal")
    assert NominationRound.objects.get().status == "closed"
