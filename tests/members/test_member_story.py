"""The member page tells the person's whole story (issue 20 item 8): a section for transfers,
dues, cards, hardship files, relief, condolence visits, motions, suggestions and honours, each
holding only what the viewer's scope allows, each record linked to its own page, and the page
costs the same number of queries however long the story."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competitions.models import Honour, HonourKind
from congress.models import Suggestion
from members.models import DuesRecord, ServiceCard, Transfer
from tests.congress.helpers import make_delegates, make_motion, make_session
from tests.factories import MemberFactory
from welfare.models import CondolenceVisit, HardshipFile, ReliefApplication

pytestmark = pytest.mark.django_db

SECTIONS = [
    "transfers",
    "dues",
    "cards",
    "hardship",
    "relief",
    "visits",
    "motions",
    "suggestions",
    "honours",
]
numbers = itertools.count(1)


def add_records(member, union, *, year=2025):
    """One record of every kind for `member`, held by `union`; returns them by section."""
    n = next(numbers)
    kind = HonourKind.objects.get(code="may_day_medal")
    return {
        "dues": DuesRecord.objects.create(
            member=member,
            organisation=union,
            month=date(year, 1 + n % 12, 1),
            wage_base=Decimal("6000"),
            amount=Decimal("30.00"),
        ),
        # One valid card per person: the earlier ones were replaced.
        "cards": ServiceCard.objects.create(
            member=member, organisation=union, number=f"62{n:08d}", status="replaced"
        ),
        "hardship": HardshipFile.objects.create(
            organisation=union, member=member, year=year, household_size=3, status="closed"
        ),
        "relief": ReliefApplication.objects.create(
            organisation=union,
            member=member,
            kind="temporary",
            year=year,
            reason="大病住院",
            amount_requested=Decimal("3000"),
        ),
        "visits": CondolenceVisit.objects.create(
            organisation=union,
            member=member,
            occasion="illness",
            visited_on=date(year, 5, 1),
            amount=Decimal("500"),
            visitors="王主席",
        ),
        "suggestions": Suggestion.objects.create(
            organisation=union,
            submitter=member,
            title=f"改进排班 {n}",
            body="……",
            received_on=date(year, 6, 1),
        ),
        "honours": Honour.objects.create(
            kind=kind,
            level="city",
            year=year,
            awarded_on=date(year, 4, 28),
            awarding_body="宜昌市总工会",
            organisation=union,
            member=member,
        ),
    }


@pytest.fixture
def story(city):
    """A member of union A who came from union B: records in both unions, a transfer between
    them, and a motion proposed in union A's congress."""
    member = MemberFactory(organisation=city.union_a)
    mine = add_records(member, city.union_a)
    theirs = add_records(member, city.union_b)
    transfer = Transfer.objects.create(
        member=member,
        from_organisation=city.union_b,
        to_organisation=city.union_a,
        started_by_side="to",
    )
    session = make_session(city.union_a)
    delegate = make_delegates(session, 1)[0]
    delegate.member = member
    delegate.save()
    motion = make_motion(session, [delegate, *make_delegates(session, 2)])
    mine.update(transfers=transfer, motions=motion)
    return member, mine, theirs


def sections_of(response):
    return {s.code: s for s in response.context["story"]}


def test_a_chair_sees_every_section_with_their_own_union_records_only(story, chair_a, as_user):
    member, mine, theirs = story
    response = as_user(chair_a).get(member.get_absolute_url())
    assert response.status_code == 200
    sections = sections_of(response)
    assert list(sections) == SECTIONS
    page = response.content.decode()
    for code in SECTIONS:
        assert f'data-testid="story-{code}"' in page
        assert len(sections[code].rows) == 1, code  # the union B record is not there
    # Each record is linked to its own page.
    assert mine["relief"].get_absolute_url() in page
    assert mine["hardship"].get_absolute_url() in page
    assert mine["transfers"].get_absolute_url() in page
    assert f"/congress/motions/{mine['motions'].pk}/" in page
    assert (
        f"#honour-{mine['honours'].pk}" in page and f"#suggestion-{mine['suggestions'].pk}" in page
    )
    assert f"#card-{mine['cards'].pk}" in page
    assert mine["visits"].get_absolute_url() in page
    # Union B's records stay out of sight.
    assert theirs["relief"].get_absolute_url() not in page
    assert theirs["hardship"].get_absolute_url() not in page
    assert f"#honour-{theirs['honours'].pk}" not in page
    assert theirs["cards"].number not in page
    # Chinese on the page, money with separators.
    assert "本人的各项记录" in page and "¥3,000.00" in page


def test_the_city_sees_both_unions_records(story, staff_user, as_user):
    member, _mine, _theirs = story
    sections = sections_of(as_user(staff_user).get(member.get_absolute_url()))
    for code in ("dues", "cards", "hardship", "relief", "visits", "suggestions", "honours"):
        assert len(sections[code].rows) == 2, code


def test_the_union_left_behind_sees_nothing_of_the_member(story, chair_b, as_user):
    member, *_ = story
    assert as_user(chair_b).get(member.get_absolute_url()).status_code == 404


def test_an_empty_story_says_so_per_section(city, chair_a, as_user):
    member = MemberFactory(organisation=city.union_a)
    page = as_user(chair_a).get(member.get_absolute_url()).content.decode()
    for text in ("没有接转记录。", "没有困难职工档案。", "没有帮扶救助申请。", "没有荣誉记录。"):
        assert text in page


def test_the_page_costs_the_same_however_long_the_story(
    story, city, staff_user, as_user, django_assert_max_num_queries
):
    member, *_ = story
    client = as_user(staff_user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(member.get_absolute_url()).status_code == 200
    for year in (2021, 2022, 2023):
        add_records(member, city.union_a, year=year)
    with django_assert_max_num_queries(len(small)):
        response = client.get(member.get_absolute_url())
    assert len(sections_of(response)["relief"].rows) == 5
