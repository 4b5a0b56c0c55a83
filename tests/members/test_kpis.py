"""Membership KPIs (domain.md C) against hand-computed figures and an independent SQL oracle,
and the membership rates page."""

import random
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import access, kpis
from members.models import CardStatus, MemberStatus, Organisation, OrgKind, ServiceCard

from ..factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def members(org, n, *, migrant=True, status=MemberStatus.ACTIVE):
    return [MemberFactory(organisation=org, is_migrant=migrant, status=status) for _ in range(n)]


def set_migrants(org, n):
    org.employees, org.migrant_employees = max(n, 100), n
    Organisation.objects.filter(pk=org.pk).update(employees=max(n, 100), migrant_employees=n)


@pytest.fixture
def example(city):
    """union A: 20 migrant employees; 3 active migrant members, 1 retained, 1 applicant and
    1 active non-migrant; its branch: 2 active migrants (branch's own figure: 8).
    union B: 40 migrant employees; 1 active migrant in its branch."""
    set_migrants(city.union_a, 20)
    set_migrants(city.branch_a, 8)
    set_migrants(city.union_b, 40)
    members(city.union_a, 3)
    members(city.union_a, 1, status=MemberStatus.RETAINED)
    members(city.union_a, 1, status=MemberStatus.APPLIED)
    members(city.union_a, 1, migrant=False)
    members(city.branch_a, 2)
    members(city.branch_b, 1)
    # Federations' own figures never count: only grassroots unions stand for employers.
    set_migrants(city.county_a, 999)
    return city


def figures(rate):
    return rate.numerator, rate.denominator, str(rate)


def test_the_migrant_membership_rate_by_hand(example):
    city = example
    assert figures(kpis.migrant_membership_rate(city.union_a)) == (5, 20, "25.0%")
    assert figures(kpis.migrant_membership_rate(city.county_a)) == (5, 20, "25.0%")
    assert figures(kpis.migrant_membership_rate(city.branch_a)) == (2, 8, "25.0%")
    assert figures(kpis.migrant_membership_rate(city.city)) == (6, 60, "10.0%")


def test_a_dissolved_union_leaves_the_denominator(example):
    gone = OrganisationFactory(parent=example.county_b, active=False)
    set_migrants(gone, 500)
    assert kpis.migrant_membership_rate(example.county_b).denominator == 40


def test_a_queryset_selection_counts_exactly_those_organisations(example, chair_a):
    rate = kpis.migrant_membership_rate(access.organisations_in_scope(chair_a))
    assert figures(rate) == (5, 20, "25.0%")
    only_branch = Organisation.objects.filter(pk=example.branch_a.pk)
    assert figures(kpis.migrant_membership_rate(only_branch))[:2] == (2, 0)


def test_per_union_rates_gives_one_row_per_child(example, django_assert_num_queries):
    city = example
    with django_assert_num_queries(4):
        rows = kpis.per_union_rates(city.city)
    # Children come in tree order (by name): 夷陵 before 西陵.
    assert [(r.organisation, *figures(r.migrant_membership)) for r in rows] == [
        (city.county_b, 1, 40, "2.5%"),
        (city.county_a, 5, 20, "25.0%"),
    ]
    (branch,) = kpis.per_union_rates(city.union_a)
    assert (branch.organisation, *figures(branch.migrant_membership)) == (
        city.branch_a,
        2,
        8,
        "25.0%",
    )
    assert kpis.per_union_rates(city.branch_a) == []


@pytest.mark.parametrize(
    "n, d, shown", [(241, 250, "96.4%"), (2, 3, "66.7%"), (1, 1600, "0.1%"), (0, 0, "暂无数据")]
)
def test_rates_show_one_decimal(n, d, shown):
    assert str(kpis.Rate(n, d)) == shown


# --- An independent oracle ------------------------------------------------------------------

# Members count where their active grassroots union reported its migrant employees.
MEMBER_SQL = """
    SELECT COUNT(*) FROM members_member m JOIN members_organisation o ON o.id = m.organisation_id
    WHERE o.path LIKE %s AND m.is_migrant = %s AND m.status = 'active'
      AND EXISTS (SELECT 1 FROM members_organisation g
                  WHERE substr(o.path, 1, length(g.path)) = g.path AND g.active
                    AND g.kind IN ('grassroots', 'joint_grassroots')
                    AND g.migrant_employees IS NOT NULL)
"""
WORKFORCE_SQL = """
    SELECT COALESCE(SUM(migrant_employees), 0) FROM members_organisation
    WHERE path LIKE %s AND active = %s AND kind IN ('grassroots', 'joint_grassroots')
"""
CARD_SQL = """
    SELECT COALESCE(SUM(CASE WHEN c.status = 'active' THEN 1 ELSE 0 END), 0), COUNT(*)
    FROM members_servicecard c JOIN members_member m ON m.id = c.member_id
    JOIN members_organisation o ON o.id = m.organisation_id
    WHERE o.path LIKE %s AND c.status IN ('issued', 'active')
      AND m.status IN ('applied', 'active', 'retained')
"""


def oracle(org):
    with connection.cursor() as cur:
        cur.execute(MEMBER_SQL, [org.path + "%", True])
        migrants = cur.fetchone()[0]
        cur.execute(WORKFORCE_SQL, [org.path + "%", True])
        workforce = cur.fetchone()[0]
        cur.execute(CARD_SQL, [org.path + "%"])
        active, valid = cur.fetchone()
    return (migrants, int(workforce)), (int(active), valid)


def build_city(city, seed=7):
    rnd = random.Random(seed)
    statuses = list(MemberStatus)
    card_statuses = [c for c in CardStatus if c != CardStatus.REPLACED]
    n_card = 0
    unions = []
    for county in (city.county_a, city.county_b):
        for i in range(4):
            kind = OrgKind.JOINT_GRASSROOTS if i == 3 else OrgKind.GRASSROOTS
            union = OrganisationFactory(
                parent=county, kind=kind, active=i != 2 or county == city.county_a
            )
            set_migrants(union, rnd.randint(0, 60))
            if i == 1:  # has not reported its migrant employees
                Organisation.objects.filter(pk=union.pk).update(migrant_employees=None)
            unions.append(union)
    branch = OrganisationFactory(parent=unions[0], kind=OrgKind.BRANCH, uscc="")
    for org in [*unions, branch, city.union_a, city.branch_a, city.union_b]:
        for _ in range(rnd.randint(0, 8)):
            member = MemberFactory(
                organisation=org,
                is_migrant=rnd.random() < 0.6,
                status=rnd.choice(statuses),
            )
            if rnd.random() < 0.7:
                n_card += 1
                ServiceCard.objects.create(
                    member=member,
                    organisation=org,
                    number=f"ORACLE{n_card:06d}",
                    status=rnd.choice(card_statuses),
                    issued_on=date(2026, 1, 1),
                )


def test_the_rates_agree_with_an_sql_oracle(city):
    build_city(city)
    for root in (city.city, city.county_a, city.county_b):
        for row in kpis.per_union_rates(root):
            org = row.organisation
            (migrants, workforce), (active, valid) = oracle(org)
            assert (row.migrant_membership.numerator, row.card_activation.numerator) == (
                migrants,
                active,
            ), org
            assert row.card_activation.denominator == valid, org
            if org.kind not in (OrgKind.BRANCH, OrgKind.GROUP):
                assert row.migrant_membership.denominator == workforce, org
        (migrants, workforce), (active, valid) = oracle(root)
        assert figures(kpis.migrant_membership_rate(root))[:2] == (migrants, workforce)
        assert figures(kpis.card_activation_rate(root))[:2] == (active, valid)


# --- The page -------------------------------------------------------------------------------


def test_the_rates_page_opens_at_the_top_of_the_users_scope(example, chair_a, admin_user, as_user):
    url = reverse("members:membership_rates")
    page = as_user(chair_a).get(url)
    assert page.context["root"] == example.union_a
    body = page.content.decode()
    assert f'data-testid="migrant-{example.branch_a.pk}">25.0%' in body
    assert 'data-testid="migrant-total">25.0%' in body
    city_page = as_user(admin_user).get(url)
    assert city_page.context["root"] == example.city
    assert f'data-testid="migrant-{example.county_b.pk}">2.5%' in city_page.content.decode()


def test_the_rates_page_drills_down_within_scope_only(example, county_user, as_user):
    url = reverse("members:membership_rates")
    client = as_user(county_user)
    assert client.get(url, {"org": example.union_a.pk}).context["root"] == example.union_a
    assert client.get(url, {"org": example.union_b.pk}).status_code == 404
    assert client.get(url, {"org": "1 OR 1=1"}).status_code == 404


def test_the_rates_page_is_403_for_the_auditor(city, auditor_user, as_user):
    assert as_user(auditor_user).get(reverse("members:membership_rates")).status_code == 403


def test_the_rates_page_costs_the_same_queries_at_two_sizes(
    city, admin_user, as_user, django_assert_num_queries
):
    client = as_user(admin_user)
    url = reverse("members:membership_rates")
    members(city.union_a, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    build_city(city)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
