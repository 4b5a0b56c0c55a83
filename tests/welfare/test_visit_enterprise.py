"""The employer visited is recorded on a condolence visit, and the 送温暖 figures count the
visits of 送温暖 campaigns apart from other visits (issue 13 item 13)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import MemberFactory
from welfare import stats
from welfare.models import CampaignKind, CondolenceVisit
from welfare.services.campaigns import campaign_create

pytestmark = pytest.mark.django_db

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def test_the_visit_form_records_the_enterprise_visited(city, chair_a, as_user):
    member = MemberFactory(organisation=city.union_a, name="走访会员")
    client = as_user(chair_a)
    page = client.get(reverse("welfare:visit_create")).content.decode()
    assert 'name="enterprise"' in page
    assert "慰问企业" in page
    data = {
        "member": member.name,
        "occasion": "illness",
        "visited_on": "2026-11-20",
        "amount": "300",
        "visitors": "工会主席",
        "enterprise": "  宜昌  某某化工有限公司 ",
    }
    assert client.post(reverse("welfare:visit_create"), data).status_code == 302
    assert CondolenceVisit.objects.get().enterprise == "宜昌 某某化工有限公司"


def _visit(org, member, on, amount, campaign=None, enterprise=""):
    return CondolenceVisit.objects.create(
        organisation=org,
        member=member,
        occasion="festival",
        visited_on=on,
        amount=Decimal(amount),
        visitors="工会主席",
        campaign=campaign,
        enterprise=enterprise,
    )


def test_warmth_counts_the_sending_warmth_campaigns_visits_in_the_window(city):
    org = city.union_a
    winter = campaign_create(
        actor=None, organisation=city.city, name="送温暖", kind=CampaignKind.WINTER,
        year=2026, budget=Decimal("100000"), starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
    )  # fmt: skip
    summer = campaign_create(
        actor=None, organisation=city.city, name="送清凉", kind=CampaignKind.SUMMER,
        year=2026, budget=Decimal("100000"), starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
    )  # fmt: skip
    a, b, c = (MemberFactory(organisation=org) for _ in range(3))
    _visit(org, a, date(2026, 7, 1), "1218.42", winter, "甲企业")  # first day of the window
    _visit(org, a, date(2026, 9, 30), "0.01", winter, "甲企业")  # the same person, last day
    _visit(org, b, date(2026, 8, 1), "100.00", winter, "乙企业")
    _visit(org, c, date(2026, 8, 1), "50.00", winter)  # no enterprise typed: a household only
    _visit(org, c, date(2026, 8, 1), "999.00", summer, "丙企业")  # 送清凉: not 送温暖
    _visit(org, c, date(2026, 8, 1), "999.00", None, "丁企业")  # no campaign
    _visit(org, b, date(2026, 6, 30), "999.00", winter, "戊企业")  # before the window
    _visit(org, b, date(2026, 10, 1), "999.00", winter, "己企业")  # after it
    (row,) = stats.warmth(*Q3, city.city)
    assert row == {
        "organisation_id": org.pk,
        "warmth_amount": Decimal("1368.43"),
        "warmth_households": 3,
        "warmth_enterprises": 2,
    }
    assert list(stats.warmth(*Q3, city.county_b)) == []
