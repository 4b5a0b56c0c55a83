"""F5 (security.md): a full resident ID or phone typed into a search box never goes into a URL.

For each list: POSTing the number finds the record (the box posts to the shared look-up, which
redirects with a random key); neither the redirect nor any link on the result page holds the
number; a GET with the number in ?q= is sent back without it; another union's record is not
found (scoping)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from members.models import ServiceCard

from .factories import MemberFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'(?:href|action|src|hx-get|hx-post)="([^"]*)"')


def _card(member, n):
    return ServiceCard.objects.create(
        member=member, organisation=member.organisation, number=f"CARD{n:06d}"
    )


# name -> (list URL name, make a record of a member, the marker of the record on the page)
LISTS = {
    "cards": ("members:card_list", _card, lambda r: f"CARD{r.number[4:]}"),
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
def test_lookup_by_full_resident_id_keeps_it_out_of_urls(name, people, chair_a, as_user):
    url_name, make, marker = LISTS[name]
    a, b = people
    mine, theirs = make(a, 1), make(b, 2)
    client = as_user(chair_a)
    url = reverse(url_name)
    for number in (a.resident_id, a.phone):
        response = _lookup(client, url, number)
        assert response.status_code == 302
        location = response["Location"]
        assert number not in location and "lookup=" in location
        page = client.get(location)
        assert page.status_code == 200
        html = page.content.decode()
        assert marker(mine) in html
        assert marker(theirs) not in html
        _assert_clean(html, a.resident_id, a.phone)
    # Another union's member is not found by its number (scoping).
    html = client.get(_lookup(client, url, b.resident_id)["Location"]).content.decode()
    assert marker(theirs) not in html


@pytest.mark.parametrize("name", sorted(LISTS))
def test_get_with_a_resident_id_in_q_redirects_without_it(name, people, chair_a, as_user):
    url_name = LISTS[name][0]
    a, _ = people
    client = as_user(chair_a)
    for number in (a.resident_id, a.phone, "４２０５０２１９８５"):
        response = client.get(reverse(url_name), {"q": number, "status": ""})
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


