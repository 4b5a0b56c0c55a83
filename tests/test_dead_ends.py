"""Dead ends and misleading text (issue 20 item 7): a union without seats in a nomination round
is told so instead of an empty form; the dues heading names the action; the navigation shows
"报表" once; the portal has a favicon, and /favicon.ico never answers 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from competitions.models import HonourKind, NominationRound

pytestmark = pytest.mark.django_db


def round_with_seats_for(city, *unions):
    round_ = NominationRound.objects.create(
        organiser=city.city,
        kind=HonourKind.objects.get(code="may_day_medal"),
        level="city",
        year=2026,
        awarding_body="宜昌市总工会",
    )
    for union in unions:
        round_.quotas.create(organisation=union, seats=2)
    return round_


def test_a_union_without_seats_is_told_so_not_shown_an_empty_form(city, chair_a, as_user):
    round_ = round_with_seats_for(city, city.union_b)
    client = as_user(chair_a)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "本单位在本轮没有推荐名额" in page and 'data-testid="nominate"' not in page
    response = client.get(reverse("competitions:nomination_create", args=[round_.pk]))
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "本单位在本轮没有推荐名额" in follow


def test_a_union_with_seats_gets_the_button(city, chair_a, as_user):
    round_ = round_with_seats_for(city, city.union_a)
    page = as_user(chair_a).get(round_.get_absolute_url()).content.decode()
    assert 'data-testid="nominate"' in page and "没有推荐名额" not in page


def test_the_dues_heading_names_the_action(city, chair_a, as_user):
    from datetime import date

    from members import services
    from tests.members.dues_helpers import member

    member(city.union_a, "3000.00")
    services.dues_generate(month=date(2025, 3, 1))
    url = reverse("members:dues_union") + f"?org={city.union_a.pk}&month=2025-03"
    page = as_user(chair_a).get(url).content.decode()
    assert 'data-testid="union-pay-form"' in page
    assert "按工会统一登记本月缴费" in page and "本工会当月会费已统一缴纳" not in page


@pytest.mark.parametrize("who", ["staff_user", "chair_a", "county_user"])
def test_the_navigation_shows_reports_once(request, as_user, who):
    page = as_user(request.getfixturevalue(who)).get(reverse("dashboard")).content.decode()
    nav = page[page.index("portal-nav") :]
    nav = nav[: nav.index("</ul>")]
    assert nav.count('<li class="nav-header">报表</li>') == 1


def test_the_portal_has_a_favicon(client, staff_user, as_user):
    page = as_user(staff_user).get(reverse("dashboard")).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
