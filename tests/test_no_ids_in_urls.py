"""F5 (security.md): a full resident ID or phone typed into a search box never goes into a URL.

For each list: POSTing the number finds the record (the box posts to the shared look-up, which
redirects with a random key); neither the redirect nor any link on the result page holds the
number; a GET with the number in ?q= is sent back without it; another union's record is not
found (scoping)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from competitions.models import Honour, HonourKind
from members.models import ServiceCard, Transfer
from welfare.models import CondolenceVisit, HardshipFile, ReliefApplication

from .congress.helpers import make_session
from .factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'(?:href|action|src|hx-get|hx-post)="([^"]*)"')


def _card(member, n):
    return ServiceCard.objects.create(
        member=member, organisation=member.organisation, number=f"CARD{n:06d}"
    )


def _cards(city, a, b):
    _card(a, 1), _card(b, 2)
    return reverse("members:card_list"), "CARD000001", "CARD000002"


def _delegates(city, a, b):
    session = make_session(city.union_a)
    url = reverse("congress:delegate_add", args=[session.pk])
    return url, f"add-{a.pk}", f"add-{b.pk}"


def _suggestions(city, a, b):
    return reverse("congress:suggestion_create"), f"?member={a.pk}", f"?member={b.pk}"


def _transfer(member, to):
    return Transfer.objects.create(
        member=member,
        from_organisation=member.organisation,
        to_organisation=to,
        started_by_side=Transfer.Side.SENDING,
        reason="调动",
    )


def _transfers(city, a, b):
    union_c = OrganisationFactory(parent=city.county_b, name="丙公司工会委员会")
    mine, theirs = _transfer(a, city.union_b), _transfer(b, union_c)
    return reverse("members:transfer_list"), f"transfer-{mine.pk}", f"transfer-{theirs.pk}"


def _transfer_pick(city, a, b):
    return reverse("members:transfer_request"), f"?member={a.pk}", f"?member={b.pk}"


def _welfare(url_name, make, testid):
    def build(city, a, b):
        mine, theirs = make(a), make(b)
        return reverse(url_name), f'"{testid}-{mine.pk}"', f'"{testid}-{theirs.pk}"'

    return build


def _relief(member):
    return ReliefApplication.objects.create(
        member=member,
        organisation=member.organisation,
        kind="temporary",
        year=2026,
        reason="因病",
        amount_requested=Decimal("1000.00"),
    )


def _visit(member):
    return CondolenceVisit.objects.create(
        organisation=member.organisation,
        member=member,
        occasion="festival",
        visited_on=date(2026, 1, 20),
        amount=Decimal("500.00"),
        visitors="工会主席",
    )


def _file(member):
    return HardshipFile.objects.create(
        member=member, organisation=member.organisation, year=2026, household_size=1
    )


def _honour(member):
    return Honour.objects.create(
        kind=HonourKind.objects.order_by("pk").first(),
        level="city",
        year=2026,
        awarded_on=date(2026, 4, 28),
        awarding_body="市总",
        organisation=member.organisation,
        member=member,
    )


# name -> (persona, make the records of member a (union A) and b (union B): the list's URL and
# the markers of a's and b's records on the result page)
LISTS = {
    "cards": ("chair_a", _cards),
    "delegates": ("officer_a", _delegates),
    "suggestions": ("county_user", _suggestions),
    "transfers": ("chair_a", _transfers),
    "relief": ("chair_a", _welfare("welfare:relief_list", _relief, "relief")),
    "visits": ("chair_a", _welfare("welfare:visit_list", _visit, "visit")),
    "hardship_files": ("chair_a", _welfare("welfare:file_list", _file, "file")),
    "honours": ("chair_a", _welfare("competitions:honour_list", _honour, "honour")),
    "transfer_pick": ("chair_a", _transfer_pick),
}


def _assert_clean(text: str, *numbers: str) -> None:
    for url in LINK.findall(text):
        for number in numbers:
            assert number not in url, url
    for number in numbers:
        assert number not in text


@pytest.fixture
def people(city):
    a = MemberFactory(organisation=city.union_a, name="张三", phone="13900001111")
    b = MemberFactory(organisation=city.union_b, name="李四", phone="13900002222")
    return a, b


def _lookup(client, url, text):
    return client.post(reverse("lookup"), {"q": text, "next": url})


@pytest.mark.parametrize("name", sorted(LISTS))
def test_lookup_by_full_resident_id_keeps_it_out_of_urls(name, people, city, request, as_user):
    persona, make = LISTS[name]
    a, b = people
    url, mine, theirs = make(city, a, b)
    client = as_user(request.getfixturevalue(persona))
    for number in (a.resident_id, a.phone):
        response = _lookup(client, url, number)
        assert response.status_code == 302
        location = response["Location"]
        assert number not in location and "lookup=" in location
        page = client.get(location)
        assert page.status_code == 200
        html = page.content.decode()
        assert mine in html
        assert theirs not in html
        _assert_clean(html, a.resident_id, a.phone)
    # Another union's member is not found by its number (scoping).
    html = client.get(_lookup(client, url, b.resident_id)["Location"]).content.decode()
    assert theirs not in html


@pytest.mark.parametrize("name", sorted(LISTS))
def test_get_with_a_resident_id_in_q_redirects_without_it(name, people, city, request, as_user):
    persona, make = LISTS[name]
    a, b = people
    url = make(city, a, b)[0]
    client = as_user(request.getfixturevalue(persona))
    for number in (a.resident_id, a.phone, "４２０５０２１９８５"):
        response = client.get(url, {"q": number, "status": ""})
        assert response.status_code == 302
        assert number not in response["Location"]
        assert "q=" not in response["Location"]


def test_paging_keeps_the_key_never_the_text(city, chair_a, as_user):
    members = [MemberFactory(organisation=city.union_a, name=f"王{i}") for i in range(55)]
    for i, member in enumerate(members):
        _card(member, i)
    client = as_user(chair_a)
    url = reverse("members:card_list")
    location = _lookup(client, url, "王")["Location"]
    html = client.get(location).content.decode()
    nexts = [u for u in LINK.findall(html) if "page=2" in u]
    assert nexts and all("lookup=" in u and "q=" not in u for u in nexts)
    page2 = client.get(url + nexts[0].replace("&amp;", "&")).content.decode()
    assert "王" in page2


def test_the_lookup_endpoint_redirects_only_inside_the_portal(chair_a, as_user):
    client = as_user(chair_a)
    response = client.post(reverse("lookup"), {"q": "x", "next": "https://evil.example/"})
    assert response["Location"].startswith("/?")


def test_lookup_needs_login(client):
    response = client.post(reverse("lookup"), {"q": "x", "next": "/cards/"})
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("url_name", "persona"),
    [("members:fund_list", "chair_a"), ("members:member_export", "admin_user")],
)
def test_union_and_export_pages_send_an_id_in_q_away(url_name, persona, people, request, as_user):
    a, _ = people
    client = as_user(request.getfixturevalue(persona))
    for number in (a.resident_id, a.phone):
        response = client.get(reverse(url_name), {"q": number, "union": ""})
        assert response.status_code == 302
        assert number not in response["Location"] and "q=" not in response["Location"]
    assert client.get(reverse(url_name), {"q": "甲公司"}).status_code == 200


def test_filters_posted_with_the_text_are_kept_but_never_a_number(chair_a, as_user):
    client = as_user(chair_a)
    url = reverse("members:fund_list")
    response = client.post(
        reverse("lookup"),
        {"q": "甲公司", "month": "2026-01", "status": "13900001111", "next": url},
    )
    location = response["Location"]
    assert "month=2026-01" in location and "lookup=" in location
    assert "13900001111" not in location and "甲公司" not in location


def test_the_session_keeps_the_number_encrypted(people, chair_a, as_user):
    from django.contrib.sessions.models import Session

    a, _ = people
    client = as_user(chair_a)
    _lookup(client, reverse("members:card_list"), a.resident_id)
    stored = " ".join(s.session_data for s in Session.objects.all())
    decoded = " ".join(str(s.get_decoded()) for s in Session.objects.all())
    assert a.resident_id not in stored and a.resident_id not in decoded
