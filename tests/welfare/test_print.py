"""The relief public notice (公示) prints for the notice board (issue 20 item 3): A4, no
navigation, the union's name and the date as 2026年3月2日, names and amounts with separators,
never a resident ID, and only the user's own union's cases."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from tests.factories import MemberFactory

from .conftest import on_notice


def test_the_relief_notice_prints_for_the_board(city, chair_a, chair_b, county_user, as_user):
    mine = on_notice(MemberFactory(organisation=city.union_a, name="王困难"), chair_a, county_user,
                     amount="1200")  # fmt: skip
    MemberFactory(organisation=city.union_b)
    with time_machine.travel("2026-03-02 10:00 +0800"):
        page = as_user(chair_a).get(reverse("welfare:relief_notice_list"), {"format": "print"})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="print-header"' in text and "portal-nav" not in text
    assert "甲公司工会委员会" in text and "2026年3月2日" in text
    assert "王困难" in text and "¥1,200.00" in text
    assert mine.member.resident_id not in text and mine.member.resident_id_masked not in text
