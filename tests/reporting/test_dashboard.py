"""The dashboard ("/") and the statistics page: KPI cards, trends and the ranked organisations
below, read from the statistics snapshots only (performance.md: at most 15 queries, the same
number whatever the size of the city)."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import access
from members.models import Organisation
from unionportal.reporting import dashboard
from unionportal.reporting.models import KpiTarget, StatSnapshot
from unionportal.reporting.rollup import stats_rollup

from ..factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def snap(org, month, **figures) -> StatSnapshot:
    return StatSnapshot.objects.create(
        organisation=org, month=month, computed_at=timezone.now(), **figures
    )


def rate_of(page: str, code: str) -> str:
    m = re.search(rf'data-testid="rate-{code}">([^<]*)<', page)
    assert m, code
    return m.group(1)


def ranked_ids(response) -> list[int]:
    return [r.organisation.pk for r in response.context["stats"].rows]


@pytest.fixture
def targets(db):
    KpiTarget.objects.all().delete()
    KpiTarget.objects.create(kpi="membership_rate", percent=Decimal("50"), effective_from=JAN)
    # A later target, not yet in force in February: ignored.
    KpiTarget.objects.create(
        kpi="membership_rate", percent=Decimal("99"), effective_from=date(2026, 6, 1)
    )


@pytest.fixture
def rolled_up(city, targets):
    """Union A: 20 employees, 8 members since 2020 and one more from February (40% in
    January, 45% in February); union B: 100 employees, 3 members. Rolled up by the real job."""
    Organisation.objects.filter(pk=city.union_a.pk).update(employees=20, migrant_employees=4)
    for _ in range(8):
        MemberFactory(organisation=city.union_a, joined_on=date(2020, 3, 1))
    MemberFactory(organisation=city.branch_a, joined_on=date(2026, 2, 5), is_migrant=True)
    for _ in range(3):
        MemberFactory(organisation=city.union_b, joined_on=date(2020, 3, 1))
    for month in (JAN, FEB):
        stats_rollup(month=month, today=date(2026, 2, 20))
    return city


# --- cards -----------------------------------------------------------------------------------


def test_the_cards_show_the_rates_of_the_latest_month(rolled_up, chair_a, as_user):
    response = as_user(chair_a).get(reverse("dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["stats"].month == FEB
    assert rate_of(page, "membership_rate") == "45.0%"
    assert rate_of(page, "migrant_membership_rate") == "25.0%"  # 1 of 4 migrant employees
    assert rate_of(page, "dues_collection_rate") == "暂无数据"  # nothing due: no denominator
    card = next(c for c in response.context["stats"].kpi_cards if c.kpi.code == "membership_rate")
    assert (card.numerator, card.denominator) == (9, 20)
    assert card.change == Decimal("5.0")
    assert card.target == Decimal("50")  # the June target is not in force yet
    assert card.below_target
    assert "+5.0" in page
    assert "9 / 20" in page
    members = next(c for c in response.context["stats"].count_cards if c.code == "members")
    assert (members.value, members.change) == (9, 1)


def test_an_earlier_month_can_be_chosen(rolled_up, chair_a, as_user):
    response = as_user(chair_a).get(reverse("dashboard"), {"month": "2026-01"})
    assert response.context["stats"].month == JAN
    assert rate_of(response.content.decode(), "membership_rate") == "40.0%"


@pytest.mark.parametrize(
    "month", ["2025-13", "2026-1", "abc", "2030-01", "0000-00", "2026-01-01", "'; drop", ""]
)
@pytest.mark.parametrize("rank", ["nonsense", "", "members", "__class__", "membership_rate"])
def test_bad_month_and_rank_values_fall_back(rolled_up, county_user, as_user, month, rank):
    client = as_user(county_user)
    for url in (reverse("dashboard"), reverse("statistics_org", args=[rolled_up.county_a.pk])):
        response = client.get(url, {"month": month, "rank": rank})
        assert response.status_code == 200
        assert response.context["stats"].month == FEB
        assert response.context["stats"].rank.code == "membership_rate"


def test_the_trends_cover_twelve_months_labelled_by_month(rolled_up, chair_a, as_user):
    response = as_user(chair_a).get(reverse("dashboard"))
    page = response.content.decode()
    data = json.loads(
        re.search(r'id="trend-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert data["labels"][0] == "2025-03" and data["labels"][-1] == "2026-02"
    assert len(data["labels"]) == 12
    rates = next(c for c in data["charts"] if c["id"] == "chart-rates")
    assert rates["series"][0]["data"][-2:] == [40.0, 45.0]
    assert rates["series"][0]["data"][0] is None  # no snapshot: a gap
    members = next(c for c in data["charts"] if c["id"] == "chart-members")
    assert members["series"][0]["data"][-2:] == [8, 9]
    assert "vendor/chartjs/chart.umd.min.js" in page and "js/dashboard.js" in page


def test_without_snapshots_the_page_says_so(city, admin_user, chair_a, as_user):
    response = as_user(admin_user).get(reverse("dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="no-snapshots"' in page
    assert "rollup_stats" in page
    assert "trend-data" not in page and "chart.umd" not in page
    # Only operators are told the command.
    page = as_user(chair_a).get(reverse("dashboard")).content.decode()
    assert 'data-testid="no-snapshots"' in page and "rollup_stats" not in page


def test_the_auditor_sees_no_figures_but_the_audit_log(rolled_up, auditor_user, as_user):
    client = as_user(auditor_user)
    response = client.get(reverse("dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["stats"] is None
    assert reverse("audit_log") in page
    assert "kpi-cards" not in page and rolled_up.city.name not in page.split("<main", 1)[1]
    assert client.get(reverse("statistics")).status_code == 403
    assert client.get(reverse("statistics_org", args=[rolled_up.city.pk])).status_code == 404


# --- scope -----------------------------------------------------------------------------------


def test_the_chair_sees_only_their_union(rolled_up, chair_a, as_user):
    city = rolled_up
    page = as_user(chair_a).get(reverse("dashboard")).content.decode()
    body = page.split("<main", 1)[1]
    assert city.union_a.name in body
    for other in (city.union_b, city.branch_b, city.county_b, city.city, city.county_a):
        assert other.name not in body
    assert "3.0%" not in body  # union B's membership rate
    # Branch A is union A's child: ranked below it.
    assert city.branch_a.name in body


def test_the_county_sees_its_unions_not_the_other_countys(rolled_up, county_user, as_user):
    city = rolled_up
    response = as_user(county_user).get(reverse("dashboard"))
    body = response.content.decode().split("<main", 1)[1]
    assert ranked_ids(response) == [city.union_a.pk]
    assert city.union_a.name in body
    assert city.union_b.name not in body and city.county_b.name not in body
    assert reverse("statistics_org", args=[city.union_a.pk]) in body


@pytest.mark.parametrize("persona", ["chair_a", "county_user"])
def test_another_unions_statistics_are_404(rolled_up, request, as_user, persona):
    client = as_user(request.getfixturevalue(persona))
    city = rolled_up
    for org in (city.union_b, city.county_b, city.branch_b):
        assert client.get(reverse("statistics_org", args=[org.pk])).status_code == 404
    assert client.get(reverse("statistics_org", args=[city.city.pk])).status_code == 404
    assert client.get(reverse("statistics_org", args=[999999])).status_code == 404


def test_the_statistics_page_of_an_organisation_below(rolled_up, county_user, as_user):
    city = rolled_up
    response = as_user(county_user).get(reverse("statistics_org", args=[city.union_a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert rate_of(page, "membership_rate") == "45.0%"
    # Breadcrumb: the county (in scope) but not the city (outside it).
    assert [o.pk for o in response.context["ancestors"]] == [city.county_a.pk]
    assert city.city.name not in page.split("<main", 1)[1]
    assert [
        o.pk for o in as_user(county_user).get(reverse("statistics")).context["ancestors"]
    ] == []
    # The city's staff see the whole chain.
    assert 'value="2026-01"' in page and 'value="2026-02"' in page


def test_the_statistics_page_of_the_city(rolled_up, staff_user, as_user):
    city = rolled_up
    response = as_user(staff_user).get(reverse("statistics"))
    assert response.context["stats"].organisation == city.city
    assert set(ranked_ids(response)) == {city.county_a.pk, city.county_b.pk}
    response = as_user(staff_user).get(reverse("statistics_org", args=[city.branch_a.pk]))
    assert [o.pk for o in response.context["ancestors"]] == [
        city.city.pk,
        city.county_a.pk,
        city.union_a.pk,
    ]


def test_statistics_take_get_only(rolled_up, chair_a, as_user):
    client = as_user(chair_a)
    assert client.post(reverse("statistics_org", args=[rolled_up.union_a.pk])).status_code == 405


# --- ranking ---------------------------------------------------------------------------------


@pytest.fixture
def ranked_county(city, targets):
    """Five unions under county A with made-up snapshots for February (and January for the
    county itself)."""
    unions = [city.union_a] + [
        OrganisationFactory(parent=city.county_a, name=f"西陵{i}号公司工会") for i in range(4)
    ]
    figures = [  # members of 100 employees; card activation active/valid
        (60, 9, 10),
        (30, 1, 10),
        (90, 5, 10),
        (55, 0, 0),  # no cards: no rate
        (0, 10, 10),
    ]
    for org, (members, active, valid) in zip(unions, figures, strict=True):
        snap(org, FEB, employees=100, members=members, cards_active=active, cards_valid=valid)
    # A union without employees on record: its rate is missing and sorts last.
    nobody = OrganisationFactory(
        parent=city.county_a, name="西陵空公司工会", employees=0, migrant_employees=0
    )
    snap(nobody, FEB, employees=0, members=5)
    snap(city.county_a, JAN, employees=500, members=200)
    snap(city.county_a, FEB, employees=500, members=235)
    # County B's union has the best rate of all: never listed for county A.
    snap(city.union_b, FEB, employees=100, members=100)
    snap(city.county_b, FEB, employees=100, members=100)
    return city, unions, nobody


def test_the_table_ranks_the_unions_below_by_the_chosen_kpi(ranked_county, county_user, as_user):
    city, unions, nobody = ranked_county
    client = as_user(county_user)
    response = client.get(reverse("dashboard"))
    by_membership = [unions[2], unions[0], unions[3], unions[1], unions[4], nobody]
    assert ranked_ids(response) == [o.pk for o in by_membership]
    rows = response.context["stats"].rows
    # Below the 50% target: unions 1 and 4; bottom quarter of five rated rows: the last one.
    assert [r.organisation.pk for r in rows if r.lagging] == [unions[1].pk, unions[4].pk]
    assert rows[-1].rate is None and rows[-1].position is None
    page = response.content.decode()
    assert page.count('class="table-warning"') == 2
    assert city.union_b.name not in page

    response = client.get(reverse("dashboard"), {"rank": "card_activation_rate"})
    by_cards = [unions[4], unions[0], unions[2], unions[1]]
    assert ranked_ids(response)[:4] == [o.pk for o in by_cards]
    assert set(ranked_ids(response)[4:]) == {unions[3].pk, nobody.pk}  # no cards: last
    # No target for cards: only the bottom quarter (one of four rated rows) lags.
    assert [r.organisation.pk for r in response.context["stats"].rows if r.lagging] == [
        unions[1].pk
    ]


def test_each_row_links_to_its_statistics_page(ranked_county, county_user, as_user):
    city, unions, nobody = ranked_county
    page = (
        as_user(county_user).get(reverse("dashboard"), {"rank": "membership_rate"}).content.decode()
    )
    for org in unions:
        assert (
            f"{reverse('statistics_org', args=[org.pk])}?month=2026-02&amp;rank=membership_rate"
            in page
        )
    assert "—" in page  # the missing rate


# --- query counts ----------------------------------------------------------------------------


def _county_with_children(city, n: int) -> None:
    children = [city.union_a] + [
        OrganisationFactory(parent=city.county_a, name=f"县属{i:02d}号公司工会")
        for i in range(n - 1)
    ]
    now = timezone.now()
    rows = []
    for month in [dashboard.add_months(FEB, -i) for i in range(12)]:
        rows.append(
            StatSnapshot(
                organisation=city.county_a,
                month=month,
                computed_at=now,
                employees=1000,
                members=500,
            )
        )
        rows.extend(
            StatSnapshot(organisation=o, month=month, computed_at=now, employees=100, members=i)
            for i, o in enumerate(children)
        )
    StatSnapshot.objects.bulk_create(rows)


def _queries(client, url) -> list[str]:
    """The page's SQL, without the test transaction's SAVEPOINT/RELEASE pairs (in production
    ATOMIC_REQUESTS opens a real transaction instead, which is no query)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


@pytest.mark.parametrize("children", [3, 30])
def test_the_statistics_page_reads_at_most_15_queries(
    city, county_user, as_user, children, django_assert_max_num_queries
):
    _county_with_children(city, children)
    client = as_user(county_user)
    client.get(reverse("statistics"))  # warm up
    with django_assert_max_num_queries(15):
        response = client.get(reverse("statistics"))
    assert len(response.context["stats"].rows) == children
    with django_assert_max_num_queries(15):
        client.get(reverse("statistics_org", args=[city.union_a.pk]))


@pytest.mark.parametrize("children", [3, 30])
def test_the_dashboard_reads_at_most_15_queries(city, county_user, as_user, children):
    _county_with_children(city, children)
    client = as_user(county_user)
    client.get(reverse("dashboard"))  # warm up
    queries = _queries(client, reverse("dashboard"))
    assert len(queries) <= 15, "\n".join(queries)
    # The figures come from the snapshots alone, never from the apps' records.
    figures = [q for q in queries if "reporting_statsnapshot" in q or "reporting_kpitarget" in q]
    assert len(figures) == 3
    assert all("members_member" not in q and "members_dues" not in q for q in figures)


def test_the_snapshot_reads_are_three_queries(city, county_user, django_assert_num_queries):
    _county_with_children(city, 30)
    access.roles_of(county_user)  # read once per request by the middleware and the menu
    with django_assert_num_queries(3):
        dashboard.dashboard_context(county_user, todo=lambda user: [])


def test_the_query_count_does_not_grow_with_the_children(city, county_user, as_user):
    _county_with_children(city, 3)
    client = as_user(county_user)
    client.get(reverse("dashboard"))
    few = len(_queries(client, reverse("dashboard")))
    few_stats = len(_queries(client, reverse("statistics")))
    for i in range(27):
        org = OrganisationFactory(parent=city.county_a, name=f"新增{i:02d}号公司工会")
        snap(org, FEB, employees=100, members=i)
    assert len(_queries(client, reverse("dashboard"))) == few
    assert len(_queries(client, reverse("statistics"))) == few_stats


# --- the benchmark's entry point -------------------------------------------------------------


def test_the_context_builder_gives_the_page_for_a_user(ranked_county, county_user):
    context = dashboard.dashboard_context(county_user, rank="membership_rate", todo=lambda u: [])
    assert context["stats"].organisation == ranked_county[0].county_a
    assert context["stats"].month == FEB
    assert len(context["stats"].rows) == 6
