"""Nomination quotas (domain.md G): rules on every attribute they use, the defaults seeded per
honour kind and copied into a new round, the attributes recorded on the nomination, and each
rule at its exact threshold."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from competitions import nominations as svc
from competitions.models import (
    HonourKind,
    Nomination,
    NominationRound,
    QuotaDefault,
    QuotaRule,
)
from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 2)
SEEDED = {
    "may_day_medal": {
        ("industrial", "gte", 35), ("other_frontline", "gte", 20),
        ("science_education", "gte", 20), ("migrant", "gte", 10), ("non_public", "gte", 35),
        ("key_industry", "gte", 35),
    },
    "may_day_award": {("non_public", "gte", 35), ("key_industry", "gte", 35)},
    "pioneer_team": {("non_public", "gte", 35), ("key_industry", "gte", 35)},
    "national_model_worker": {
        ("frontline", "gte", 57), ("enterprise_head", "lte", 20), ("migrant", "gte", 25),
    },
}  # fmt: skip

# A nominee who has the attribute, and one who has none (unsaved: check_rules only reads).
HAS = {
    "industrial": dict(is_industrial_worker=True),
    "frontline": dict(member=dict(is_frontline=True)),
    "other_frontline": dict(member=dict(is_frontline=True)),
    "science_education": dict(is_science_education=True),
    "migrant": dict(member=dict(is_migrant=True)),
    "women": dict(member=dict(gender="F")),
    "non_public": dict(is_non_public=True),
    "key_industry": dict(is_key_industry=True),
    "enterprise_head": dict(is_enterprise_head=True),
    "manager": dict(member=dict(is_manager=True)),
}


def kind(code):
    return HonourKind.objects.get(code=code)


def nominee(has=None):
    has = dict(has or {})
    member = Member(**{"gender": "M", **has.pop("member", {})})
    return Nomination(member=member, **has)


def a_list(attribute, matching, total):
    return [nominee(HAS[attribute]) for _ in range(matching)] + [
        nominee() for _ in range(total - matching)
    ]


def test_the_defaults_are_seeded_per_honour_kind():
    for code, wanted in SEEDED.items():
        rules = svc.defaults_in_force(kind(code), DAY)
        assert {(r.attribute, r.operator, int(r.percent)) for r in rules} == wanted, code
    assert svc.defaults_in_force(kind("city_model_worker"), DAY) == []


@pytest.mark.parametrize(
    ("code", "attribute", "operator", "percent"),
    sorted((code, *rule) for code, rules in SEEDED.items() for rule in rules),
)
def test_each_default_rule_at_its_threshold(code, attribute, operator, percent):
    """Of 100 nominees exactly the share passes; one nominee fewer (at least) or more (at
    most) fails. So does 7 of 20 for 35%."""
    (rule,) = [r for r in svc.defaults_in_force(kind(code), DAY) if r.attribute == attribute]
    quota = QuotaRule(attribute=attribute, operator=operator, percent=rule.percent)
    beyond = percent - 1 if operator == "gte" else percent + 1
    assert svc.check_rules([quota], a_list(attribute, percent, 100))[0].ok is True
    assert svc.check_rules([quota], a_list(attribute, beyond, 100))[0].ok is False
    if percent == 35:
        assert svc.check_rules([quota], a_list(attribute, 7, 20))[0].ok is True
        assert svc.check_rules([quota], a_list(attribute, 6, 20))[0].ok is False


@pytest.mark.parametrize("attribute", sorted(HAS))
def test_every_attribute_can_carry_a_rule(attribute):
    quota = QuotaRule(attribute=attribute, operator="gte", percent=Decimal("35"))
    (check,) = svc.check_rules([quota], a_list(attribute, 7, 20))
    assert (check.matching, check.total, check.actual, check.ok) == (7, 20, Decimal("35.00"), True)


def test_other_frontline_leaves_the_industrial_workers_out():
    quota = QuotaRule(attribute="other_frontline", operator="gte", percent=Decimal("20"))
    both = nominee({"is_industrial_worker": True, "member": {"is_frontline": True}})
    (check,) = svc.check_rules([quota], [both, nominee(HAS["frontline"]), *a_list("women", 0, 3)])
    assert (check.matching, check.ok) == (1, True)


def test_enterprise_heads_are_not_managers():
    heads = QuotaRule(attribute="enterprise_head", operator="lte", percent=Decimal("20"))
    managers = QuotaRule(attribute="manager", operator="lte", percent=Decimal("20"))
    checks = svc.check_rules([heads, managers], a_list("manager", 5, 10))
    assert [(c.matching, c.ok) for c in checks] == [(0, True), (5, False)]


def test_a_new_round_starts_with_the_defaults_in_force(city, staff_user):
    round_ = svc.round_create(
        actor=staff_user, organiser=city.city, kind=kind("national_model_worker"),
        level="national", year=2025, awarding_body="中共中央、国务院", today=DAY,
    )  # fmt: skip
    assert {(r.attribute, r.operator, int(r.percent)) for r in round_.rules.all()} == SEEDED[
        "national_model_worker"
    ]


def test_a_newer_row_replaces_or_withdraws_a_default(city, admin_user):
    medal = kind("may_day_medal")
    add = lambda attribute, percent, day: svc.quota_default_add(  # noqa: E731
        actor=admin_user, kind=medal, attribute=attribute, operator="gte",
        percent=Decimal(percent), effective_from=day,
    )  # fmt: skip
    add("industrial", 40, date(2026, 1, 1))
    add("science_education", 0, date(2026, 1, 1))  # withdrawn
    add("migrant", 50, date(2027, 1, 1))  # not yet in force
    rules = {r.attribute: int(r.percent) for r in svc.defaults_in_force(medal, DAY)}
    assert rules == {
        "industrial": 40, "other_frontline": 20, "migrant": 10, "non_public": 35,
        "key_industry": 35,
    }  # fmt: skip
    assert {r.attribute: int(r.percent) for r in svc.defaults_in_force(medal, date(2025, 6, 1))}[
        "industrial"
    ] == 35
    with pytest.raises(ValidationError):
        add("women", 101, date(2026, 1, 1))


def test_the_list_meets_a_rule_at_exactly_35_percent_of_its_nominees(city, staff_user, chair_a):
    round_ = svc.round_create(
        actor=staff_user, organiser=city.city, kind=kind("may_day_medal"), level="city",
        year=2026, awarding_body="宜昌市总工会", with_defaults=False,
    )  # fmt: skip
    svc.quota_set(actor=staff_user, round_=round_, organisation=city.union_a, seats=20)
    svc.rule_add(actor=staff_user, round_=round_, attribute="industrial", operator="gte",
                 percent=Decimal(35))  # fmt: skip
    for i in range(20):
        svc.nominate(
            actor=chair_a, round_=round_, organisation=city.union_a,
            member=MemberFactory(organisation=city.union_a), is_industrial_worker=i < 7,
        )  # fmt: skip
    assert svc.quota_check(round_)[0].ok is True
    assert svc.notice_problem(round_) is None
    Nomination.objects.filter(is_industrial_worker=True).first().delete()
    svc.nominate(
        actor=chair_a, round_=round_, organisation=city.union_a,
        member=MemberFactory(organisation=city.union_a),
    )  # fmt: skip
    (check,) = svc.quota_check(round_)
    assert (check.matching, check.total, check.ok) == (6, 20, False)
    assert svc.notice_problem(round_)


def url(name, *args):
    return reverse(f"competitions:{name}", args=args)


def make_round(city, organiser=None):
    round_ = NominationRound.objects.create(
        organiser=organiser or city.city, kind=kind("may_day_medal"), level="city", year=2026,
        awarding_body="宜昌市总工会",
    )  # fmt: skip
    round_.quotas.create(organisation=city.union_a, seats=3)
    return round_


def test_the_nominating_union_records_the_attributes(city, as_user, staff_user, chair_a):
    round_ = make_round(city)
    round_.rules.create(attribute="non_public", operator="gte", percent=Decimal(35))
    member = MemberFactory(organisation=city.union_a, is_frontline=True)
    client = as_user(chair_a)
    form = client.get(url("nomination_create", round_.pk)).content.decode()
    assert 'name="is_enterprise_head"' in form and 'name="is_non_public"' in form
    client.post(
        url("nomination_create", round_.pk),
        {"organisation": city.union_a.pk, "member": member.pk, "is_non_public": "on",
         "is_industrial_worker": "on"},
    )  # fmt: skip
    nomination = Nomination.objects.get()
    assert (nomination.is_non_public, nomination.is_industrial_worker) == (True, True)
    assert (nomination.is_key_industry, nomination.is_enterprise_head) == (False, False)
    staff = as_user(staff_user)
    page = staff.get(url("round_detail", round_.pk))
    assert [c.ok for c in page.context["checks"]] == [True]
    assert "非公有制企业" in page.content.decode()
    rows = list(
        load_workbook(BytesIO(staff.get(url("round_export", round_.pk)).content)).active.iter_rows(
            values_only=True
        )
    )
    assert "企业负责人" in rows[0] and rows[1][rows[0].index("产业工人")] == "是"


@pytest.mark.parametrize(
    ("persona", "get", "post"),
    [("admin_user", 200, 302), ("staff_user", 200, 403), ("chair_a", 200, 403),
     ("auditor_user", 403, 403)],
)  # fmt: skip
def test_only_the_administrator_edits_the_default_rules(request, as_user, persona, get, post):
    client = as_user(request.getfixturevalue(persona))
    response = client.get(url("quota_rules"))
    assert response.status_code == get
    if get == 200:
        content = response.content.decode()
        assert "五一劳动奖章" in content and "产业工人" in content
        assert "不高于 100%”的记录即取消该要求" in content
    data = {"kind": kind("may_day_medal").pk, "attribute": "women", "operator": "gte",
            "percent": "20", "effective_from": "2026-01-01", "note": "市总规定"}  # fmt: skip
    before = QuotaDefault.objects.count()
    assert client.post(url("quota_rules"), data).status_code == post
    assert QuotaDefault.objects.count() == before + (post == 302)


def test_the_organiser_removes_a_rule_while_the_round_is_open(
    city, as_user, staff_user, chair_a, chair_b
):
    round_ = make_round(city)
    rule = round_.rules.create(attribute="women", operator="gte", percent=Decimal(20))
    county_round = make_round(city, organiser=city.county_a)
    theirs = county_round.rules.create(attribute="women", operator="gte", percent=Decimal(20))
    assert as_user(staff_user).get(url("rule_remove", rule.pk)).status_code == 405
    assert as_user(chair_a).post(url("rule_remove", rule.pk)).status_code == 403
    assert as_user(chair_b).post(url("rule_remove", theirs.pk)).status_code == 404
    page = as_user(staff_user).get(url("round_detail", round_.pk)).content.decode()
    assert 'data-testid="remove-rule"' in page
    assert as_user(staff_user).post(url("rule_remove", rule.pk)).status_code == 302
    assert not round_.rules.exists() and county_round.rules.exists()
    round_.rules.create(attribute="women", operator="gte", percent=Decimal(20))
    round_.status = "notice"
    round_.save()
    as_user(staff_user).post(url("rule_remove", round_.rules.get().pk))
    assert round_.rules.count() == 1
