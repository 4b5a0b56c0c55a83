"""Print views for the notice board (issue 20 item 3): the honours register, competition
results and the nomination notice on an A4 page without navigation, with the union's name and
the date written 2026年12月2日, and never a resident ID."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from competitions import nominations as svc
from competitions import services
from competitions.models import HonourKind, NominationRound
from tests.factories import MemberFactory

from .helpers import make_competition

pytestmark = pytest.mark.django_db
ID = re.compile(r"\d{6}[\d*]{8}\d{3}[\dX*]")


def medal(union, name):
    """A city 五一劳动奖章 awarded on 28 April 2026 to a new member of `union`."""
    member = MemberFactory(organisation=union, name=name)
    services.honour_create(
        actor=None, kind=HonourKind.objects.get(code="may_day_medal"), level="city", year=2026,
        awarded_on=date(2026, 4, 28), awarding_body="宜昌市总工会", organisation=union,
        member=member, today=date(2026, 12, 2),
    )  # fmt: skip
    return member


def is_a_board_page(page: str) -> bool:
    return 'data-testid="print-header"' in page and "portal-nav" not in page


@time_machine.travel(date(2026, 12, 2))
def test_the_honours_register_prints_without_ids(city, staff_user, as_user):
    member = medal(city.union_a, "张劳模")
    page = as_user(staff_user).get(reverse("competitions:honour_list"), {"format": "print"})
    text = page.content.decode()
    assert page.status_code == 200 and is_a_board_page(text)
    assert "张劳模" in text and "2026年4月28日" in text and "2026年12月2日" in text
    assert member.resident_id_masked not in text and not ID.search(text)


def test_a_chair_prints_only_her_unions_honours(city, chair_a, as_user):
    medal(city.union_b, "乙劳模")
    text = as_user(chair_a).get(reverse("competitions:honour_list"), {"format": "print"})
    assert "乙劳模" not in text.content.decode()


def test_published_results_print_and_unpublished_do_not(city, staff_user, as_user):
    client = as_user(staff_user)
    draft = make_competition(city.city)
    url = reverse("competitions:competition_export", args=[draft.pk])
    assert client.get(url, {"format": "print"}).status_code == 404
    published = make_competition(city.city, status="published")
    url = reverse("competitions:competition_export", args=[published.pk])
    page = client.get(url, {"format": "print"}).content.decode()
    assert is_a_board_page(page) and published.name in page and "宜昌市总工会" in page


def test_the_nomination_notice_prints_without_ids(city, staff_user, chair_a, as_user):
    round_ = NominationRound.objects.create(
        organiser=city.city, kind=HonourKind.objects.get(code="may_day_medal"),
        level="city", year=2026, awarding_body="宜昌市总工会",
    )  # fmt: skip
    round_.quotas.create(organisation=city.union_a, seats=2)
    member = MemberFactory(organisation=city.union_a, name="李先进")
    svc.nominate(actor=chair_a, round_=round_, organisation=city.union_a, member=member)
    url = reverse("competitions:round_export", args=[round_.pk])
    page = as_user(staff_user).get(url, {"format": "print"}).content.decode()
    assert is_a_board_page(page) and "李先进" in page
    assert member.resident_id_masked not in page and not ID.search(page)
