"""Nomination round pages: permission matrix, nominating, notice, outcome, export."""

from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from competitions import nominations as svc
from competitions.models import Honour, HonourKind, Nomination, NominationRound
from tests.factories import MemberFactory

from .helpers import D

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"competitions:{name}", args=args)


def make_round(city, organiser=None, seats=3):
    round_ = NominationRound.objects.create(
        organiser=organiser or city.city, kind=HonourKind.objects.get(code="may_day_medal"),
        level="city", year=2026, awarding_body="宜昌市总工会",
    )  # fmt: skip
    round_.quotas.create(organisation=city.union_a, seats=seats)
    round_.quotas.create(organisation=city.union_b, seats=seats)
    return round_


@pytest.mark.parametrize(
    ("persona", "code"),
    [("staff_user", 200), ("county_user", 200), ("chair_a", 403), ("officer_a", 403),
     ("auditor_user", 403)],
)  # fmt: skip
def test_who_may_create_a_round(request, as_user, persona, code):
    assert as_user(request.getfixturevalue(persona)).get(url("round_create")).status_code == code


def test_staff_creates_a_round_with_rules_and_quotas(city, as_user, staff_user):
    client = as_user(staff_user)
    kind = HonourKind.objects.get(code="may_day_medal")
    client.post(
        url("round_create"),
        {"organiser": city.city.pk, "kind": kind.pk, "level": "city", "year": 2026,
         "awarding_body": "市总"},
    )  # fmt: skip
    round_ = NominationRound.objects.get()
    defaults = round_.rules.count()  # the 五一 medal's default rules (test_quotas.py)
    client.post(url("rule_add", round_.pk), {"attribute": "frontline", "operator": "gte",
                                              "percent": "60"})  # fmt: skip
    client.post(url("quota_set", round_.pk), {"organisation": city.union_a.pk, "seats": 2})
    assert defaults == 6
    assert round_.rules.get(attribute="frontline").percent == D(60)
    assert round_.quotas.get().seats == 2


@pytest.mark.parametrize("name", ["rule_add", "quota_set", "round_notice", "round_decide"])
def test_a_chair_cannot_run_the_round(city, as_user, chair_a, name):
    round_ = make_round(city)
    client = as_user(chair_a)
    assert client.get(url("round_detail", round_.pk)).status_code == 200
    assert client.get(url(name, round_.pk)).status_code == 405
    assert client.post(url(name, round_.pk), {"seats": 9}).status_code == 403


def test_a_chair_nominates_within_its_quota_and_sees_only_its_nominees(
    city, as_user, chair_a, chair_b
):
    round_ = make_round(city, seats=1)
    svc.nominate(actor=chair_b, round_=round_, organisation=city.union_b,
                 member=MemberFactory(organisation=city.union_b))  # fmt: skip
    client = as_user(chair_a)
    one, two = MemberFactory(organisation=city.union_a), MemberFactory(organisation=city.union_a)
    assert client.get(url("nomination_create", round_.pk)).status_code == 200
    client.post(url("nomination_create", round_.pk),
                {"organisation": city.union_a.pk, "member": one.pk})  # fmt: skip
    response = client.post(url("nomination_create", round_.pk),
                           {"organisation": city.union_a.pk, "member": two.pk})  # fmt: skip
    assert response.status_code == 200
    assert Nomination.objects.filter(organisation=city.union_a).count() == 1
    page = client.get(url("round_detail", round_.pk))
    assert [n.member for n in page.context["nominees"]] == [one]
    assert page.context["checks"] is None


def test_another_countys_round_is_404(city, as_user, county_user):
    round_ = make_round(city, organiser=city.county_b)
    assert as_user(county_user).get(url("round_detail", round_.pk)).status_code == 404


def test_the_full_round_from_notice_to_honours(city, as_user, staff_user, chair_a):
    round_ = make_round(city)
    round_.rules.create(attribute="frontline", operator="gte", percent=D(50))
    a = MemberFactory(organisation=city.union_a, is_frontline=True)
    b = MemberFactory(organisation=city.union_a)
    for m in (a, b):
        svc.nominate(actor=chair_a, round_=round_, organisation=city.union_a, member=m)
    client = as_user(staff_user)
    page = client.get(url("round_detail", round_.pk))
    assert [c.ok for c in page.context["checks"]] == [True]
    client.post(url("round_notice", round_.pk),
                {"notice_from": "2026-04-01", "notice_to": "2026-04-07"})  # fmt: skip
    nomination_a = Nomination.objects.get(member=a)
    client.post(url("objection_add", nomination_a.pk),
                {"received_on": "2026-04-02", "body": "反映", "handling": "不属实"})  # fmt: skip
    assert nomination_a.objections.count() == 1
    with time_machine.travel("2026-04-08 10:00 +0800"):
        client.post(url("round_decide", round_.pk), {"awarded": [nomination_a.pk]})
    assert Honour.objects.get().member == a
    assert NominationRound.objects.get().status == "closed"


def test_the_export_lists_the_nominees_masked_with_the_quota_check(
    city, as_user, staff_user, chair_a
):
    round_ = make_round(city)
    round_.rules.create(attribute="women", operator="gte", percent=D(20))
    member = MemberFactory(organisation=city.union_a)
    svc.nominate(actor=chair_a, round_=round_, organisation=city.union_a, member=member)
    response = as_user(staff_user).get(url("round_export", round_.pk))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    text = str(rows)
    assert member.resident_id not in text and member.resident_id_masked in text
    assert "0.00%" in text and "0/1" in text
    chair_rows = list(
        load_workbook(
            BytesIO(as_user(chair_a).get(url("round_export", round_.pk)).content)
        ).active.iter_rows(values_only=True)
    )
    assert len(chair_rows) == 2
    from auditlog.models import LogEntry

    exports = LogEntry.objects.filter(additional_data__event="competition.nominations_export")
    assert [(e.actor, e.additional_data["rows"]) for e in exports.order_by("pk")] == [
        (staff_user, 3),  # the rows written, as write_xlsx counts them
        (chair_a, 1),
    ]


def test_objections_are_recorded_by_the_rounds_staff_only(city, as_user, staff_user, chair_a):
    round_ = make_round(city)
    member = MemberFactory(organisation=city.union_a)
    nomination = svc.nominate(actor=chair_a, round_=round_, organisation=city.union_a,
                              member=member)  # fmt: skip
    round_.status = "notice"
    round_.save()
    data = {"received_on": "2026-04-02", "body": "反映"}
    chair = as_user(chair_a)
    assert chair.get(url("objection_add", nomination.pk)).status_code == 405
    assert chair.post(url("objection_add", nomination.pk), data).status_code == 403
    assert as_user(staff_user).post(url("objection_add", nomination.pk), data).status_code == 302
    assert nomination.objections.count() == 1


@pytest.mark.parametrize(
    ("persona", "code"), [("staff_user", 200), ("officer_a", 200), ("auditor_user", 404)]
)
def test_who_may_open_the_nomination_form(request, city, as_user, persona, code):
    round_ = make_round(city)
    client = as_user(request.getfixturevalue(persona))
    assert client.get(url("nomination_create", round_.pk)).status_code == code


def test_the_round_export_needs_the_round_in_view(city, as_user, county_user, auditor_user):
    round_ = make_round(city, organiser=city.county_b)
    assert as_user(county_user).get(url("round_export", round_.pk)).status_code == 404
    assert as_user(auditor_user).get(url("round_export", round_.pk)).status_code == 404


def test_the_nominating_union_withdraws_while_the_round_is_open(
    city, as_user, chair_a, chair_b, officer_a
):
    round_ = make_round(city)
    mine = svc.nominate(actor=chair_a, round_=round_, organisation=city.union_a,
                        member=MemberFactory(organisation=city.union_a))  # fmt: skip
    theirs = svc.nominate(actor=chair_b, round_=round_, organisation=city.union_b,
                          member=MemberFactory(organisation=city.union_b))  # fmt: skip
    client = as_user(officer_a)
    assert client.get(url("nomination_withdraw", mine.pk)).status_code == 405
    assert client.post(url("nomination_withdraw", theirs.pk)).status_code == 404
    assert client.post(url("nomination_withdraw", mine.pk)).status_code == 302
    assert list(Nomination.objects.all()) == [theirs]
    round_.status = "notice"
    round_.save()
    as_user(chair_b).post(url("nomination_withdraw", theirs.pk))
    assert Nomination.objects.filter(pk=theirs.pk).exists()
