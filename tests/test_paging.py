"""Keyset pages (unionportal/core/paging.py) through the lists' own views: the first, a middle
and the last page, walked by the links a user clicks, in the default order and sorted by a
column, filtered and scoped; each walk is checked against an independent ordered query."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Member, MemberStatus, ServiceCard
from members.views import cards as card_views
from members.views import members as member_views

from .factories import MemberFactory

pytestmark = pytest.mark.django_db

LIST = reverse("members:member_list")
PER = 5


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(member_views, "PER_PAGE", PER)
    monkeypatch.setattr(card_views, "PER_PAGE", PER)


@pytest.fixture
def members(city):
    """13 members in union A (3 pages of 5), names and join dates with ties, 4 in union B."""
    made = []
    for i in range(13):
        made.append(
            MemberFactory(
                organisation=city.branch_a if i % 4 == 0 else city.union_a,
                name=f"会员{i % 6:02d}",  # ties on the name: the id breaks them
                joined_on=date(2020, 1, 1) + timedelta(days=i % 3),
                status=MemberStatus.RETAINED if i % 5 == 0 else MemberStatus.ACTIVE,
            )
        )
    for i in range(4):
        made.append(MemberFactory(organisation=city.union_b, name=f"乙{i}"))
    return made


def rows(response) -> list[int]:
    assert response.status_code == 200
    return [m.pk for m in response.context["page"].object_list]


def walk(client, first: str, link: str = "next_url") -> list[list[int]]:
    """Follow the page's next (or previous) links from `first` to the end."""
    pages, url = [], first
    for _ in range(20):
        response = client.get(url)
        page = response.context["page"]
        pages.append(rows(response))
        has_more = page.has_next() if link == "next_url" else page.has_previous()
        if not has_more:
            return pages
        url = LIST + getattr(page, link)
    raise AssertionError("the walk does not end")


def expected(qs, *order) -> list[list[int]]:
    ids = list(qs.order_by(*order).values_list("pk", flat=True))
    return [ids[i : i + PER] for i in range(0, len(ids), PER)]


def test_the_walk_by_next_links_is_the_ordered_list_in_pages(as_user, admin_user, members):
    client = as_user(admin_user)
    want = expected(Member.objects.all(), "name", "id")
    assert len(want) == 4
    assert walk(client, LIST) == want
    # The page numbers ride along: "Page 3 of 4" on the third page.
    page = client.get(LIST).context["page"]
    third = client.get(LIST + client.get(LIST + page.next_url).context["page"].next_url)
    assert third.context["page"].number == 3
    assert "第 3 / 4 页" in third.content.decode()


def test_the_last_page_link_and_back_by_previous_links(as_user, admin_user, members):
    client = as_user(admin_user)
    want = expected(Member.objects.all(), "name", "id")
    last_url = client.get(LIST).context["page"].last_url
    last = client.get(LIST + last_url)
    assert rows(last) == want[-1]  # 17 members: the last page holds the 2 after 15
    assert last.context["page"].number == 4 and not last.context["page"].has_next()
    back = walk(client, LIST + last_url, link="previous_url")
    assert back == want[::-1]
    # The previous link of page 2 is the plain first page (no cursor in it).
    second = client.get(LIST + client.get(LIST).context["page"].next_url).context["page"]
    assert "before" not in second.previous_url and "after" not in second.first_url


def test_a_middle_page_by_number_answers_the_same_rows(as_user, admin_user, members):
    """A bare ?page=N (an old link, a typed number) is still served (by OFFSET)."""
    client = as_user(admin_user)
    want = expected(Member.objects.all(), "name", "id")
    assert rows(client.get(LIST + "?page=2")) == want[1]
    assert rows(client.get(LIST + "?page=99")) == want[-1]


@pytest.mark.parametrize(
    "sort, order",
    [
        ("-joined_on", ("-joined_on", "-id")),
        ("joined_on", ("joined_on", "id")),
        ("-name", ("-name", "-id")),
        ("union", ("organisation__path", "name", "id")),
        ("-union", ("-organisation__path", "name", "id")),  # mixed directions
    ],
)
def test_sorted_by_a_column_both_ways(as_user, admin_user, members, sort, order):
    client = as_user(admin_user)
    want = expected(Member.objects.all(), *order)
    assert walk(client, f"{LIST}?sort={sort}") == want
    last_url = client.get(f"{LIST}?sort={sort}").context["page"].last_url
    assert f"sort={sort}" in last_url
    assert walk(client, LIST + last_url, link="previous_url") == want[::-1]


def test_filters_stay_in_the_links(as_user, admin_user, city, members):
    client = as_user(admin_user)
    first = f"{LIST}?union={city.union_a.pk}&status=active&sort=-joined_on"
    qs = Member.objects.filter(
        organisation__path__startswith=city.union_a.path, status=MemberStatus.ACTIVE
    )
    want = expected(qs, "-joined_on", "-id")
    assert len(want) == 2  # 10 active members of union A and its branch
    assert walk(client, first) == want
    page = client.get(first).context["page"]
    assert f"union={city.union_a.pk}" in page.next_url and "status=active" in page.next_url
    assert rows(client.get(LIST + page.last_url)) == want[-1]


def test_a_chair_walks_her_union_only_whatever_the_cursor(as_user, admin_user, chair_a, members):
    """The cursor positions; it reaches nothing: scope applies on every page."""
    mine = Member.objects.filter(organisation__path__startswith=chair_a.organisation.path)
    want = expected(mine, "name", "id")
    chair = as_user(chair_a)
    assert walk(chair, LIST) == want
    # A cursor cut on the admin's city-wide list, before any of union A's members.
    admin_page = as_user(admin_user).get(LIST + "?sort=union").context["page"]
    shown = rows(chair.get(LIST + admin_page.next_url))
    assert shown and set(shown) <= set(mine.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "cursor",
    ["after=notbase64!!", "after=W10", "before=WyJ4Il0", "after=" + "A" * 3000, "last=yes"],
)
def test_a_tampered_cursor_answers_a_page_not_an_error(as_user, admin_user, members, cursor):
    client = as_user(admin_user)
    assert rows(client.get(f"{LIST}?{cursor}")) == expected(Member.objects.all(), "name", "id")[0]


def test_a_cursor_value_the_column_cannot_take_starts_again(as_user, admin_user, members):
    import base64
    import json

    bad = base64.urlsafe_b64encode(json.dumps(["not a date", "x"]).encode()).decode()
    response = as_user(admin_user).get(f"{LIST}?sort=joined_on&after={bad}")
    assert rows(response) == expected(Member.objects.all(), "joined_on", "id")[0]


def test_the_last_page_costs_the_queries_of_page_two(as_user, admin_user, members):
    client = as_user(admin_user)
    page = client.get(LIST).context["page"]
    counts = []
    for url in (LIST + page.next_url, LIST + page.last_url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
        # No OFFSET on a page reached by its link: a seek.
        assert not any(re.search(r"\bOFFSET\b", q["sql"]) for q in queries.captured_queries)
    assert counts[0] == counts[1]


def test_the_card_list_walks_newest_first(as_user, admin_user, city, members):
    for i, member in enumerate(members[:12]):
        ServiceCard.objects.create(
            member=member,
            organisation=member.organisation,
            number=f"CARD{i:04d}",
            issued_on=date(2024, 1, 1) + timedelta(days=i % 4),
        )
    client = as_user(admin_user)
    url = reverse("members:card_list")
    ids = list(ServiceCard.objects.order_by("-issued_on", "-pk").values_list("pk", flat=True))
    want = [ids[i : i + PER] for i in range(0, len(ids), PER)]
    pages, target = [], url
    while True:
        page = client.get(target).context["page"]
        pages.append([c.pk for c in page.object_list])
        if not page.has_next():
            break
        target = url + page.next_url
    assert pages == want
    assert [c.pk for c in client.get(url + page.last_url).context["page"]] == want[-1]
