"""Membership and establishment rates at their boundaries (issue 13 items 2 and 3).

Membership rates count only the unions that reported their (migrant) employees, on both
sides; the establishment rate uses the latest accepted figure of employers without a union in
force for the month, and has no value where no county, township or park union has one.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from members.models import MemberStatus, Organisation, OrgKind
from members.services import organisations as org_services
from tests.factories import MemberFactory, OrganisationFactory
from unionportal.reporting import services
from unionportal.reporting.models import StatSnapshot
from unionportal.reporting.rollup import stats_rollup

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
AUGUST, OCTOBER, NOVEMBER = date(2026, 8, 1), date(2026, 10, 1), date(2026, 11, 1)


def snapshot(org, month) -> StatSnapshot:
    return StatSnapshot.objects.get(organisation=org, month=month)


def members(org, n, *, migrants=0):
    for i in range(n):
        MemberFactory(organisation=org, is_migrant=i < migrants, status=MemberStatus.ACTIVE)


# --- Item 2: 入会率 and 农民工入会率 from the unions that reported their workforce ------------


@pytest.fixture
def unreported(city):
    """Union A reported 1,168 employees (300 migrants) and has 1,000 members (250 migrants);
    union 丙 under the same county reported neither figure and has 440 members (100
    migrants). Counted as before, 1,440 / 1,168 = 123.3%."""
    Organisation.objects.filter(pk=city.union_a.pk).update(employees=1168, migrant_employees=300)
    silent = OrganisationFactory(
        parent=city.county_a, name="丙公司工会委员会", employees=None, migrant_employees=None
    )
    members(city.union_a, 1000, migrants=250)
    members(silent, 440, migrants=100)
    stats_rollup(month=OCTOBER, today=TODAY)
    return city, silent


def test_the_membership_rate_counts_only_unions_that_reported_employees(unreported):
    city, silent = unreported
    county = snapshot(city.county_a, OCTOBER)
    assert county.members == 1440  # every member is still a member
    assert (county.members_counted, county.employees) == (1000, 1168)
    assert county.rate("membership_rate") == Decimal("85.6")  # not 123.3
    assert (county.migrant_members_counted, county.migrant_employees) == (250, 300)
    assert county.rate("migrant_membership_rate") == Decimal("83.3")
    assert county.unions_without_employees == county.unions_without_migrant_employees == 1
    # the silent union's own rate cannot be known
    own = snapshot(silent, OCTOBER)
    assert own.rate("membership_rate") is None
    assert own.rate("migrant_membership_rate") is None


def test_the_statistics_page_says_how_many_unions_lack_the_figure(unreported, county_user, as_user):
    city, _silent = unreported
    page = (
        as_user(county_user)
        .get(reverse("statistics_org", args=[city.county_a.pk]) + "?month=2026-10")
        .content.decode()
    )
    assert "1 个工会未填职工数" in page
    assert "1 个工会未填农民工数" in page
    assert 'data-testid="rate-membership_rate">85.6%<' in page


def test_a_union_with_no_employees_and_no_members_has_no_rate(city):
    """0 reported employees is a figure (not missing), but a rate of nothing is no rate."""
    empty = OrganisationFactory(
        parent=city.county_b, name="丁公司工会委员会", employees=0, migrant_employees=0
    )
    stats_rollup(month=OCTOBER, today=TODAY)
    own = snapshot(empty, OCTOBER)
    assert (own.members_counted, own.employees, own.unions_without_employees) == (0, 0, 0)
    assert own.rate("membership_rate") is None
    assert snapshot(city.county_b, OCTOBER).unions_without_employees == 0


def test_blank_employee_figures_are_saved_as_not_reported(city, county_user, as_user):
    client = as_user(county_user)
    url = reverse("members:organisation_create") + f"?parent={city.county_a.pk}"
    response = client.post(
        url,
        {
            "parent": city.county_a.pk,
            "kind": OrgKind.GRASSROOTS,
            "name": "戊公司工会委员会",
            "employees": "",
            "migrant_employees": "",
            "region_code": "420502",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="戊公司工会委员会")
    assert (org.employees, org.migrant_employees) == (None, None)
    page = client.get(org.get_absolute_url()).content.decode()
    assert "未填" in page


# --- Item 3: 建会率 from the accepted territorial figure in force -----------------------------


def territorial_figure(
    admin, county_user, county, *, year, quarter, employers, accept=True
) -> None:
    period = services.period_open(actor=admin, year=year, quarter=quarter)
    report = period.reports.get(organisation=county)
    services.report_save(
        actor=county_user,
        report=report,
        values={"employers_without_union": employers},
        reasons={},
        narrative={"work_done": "摸底"},
    )
    report.refresh_from_db()
    services.report_submit(actor=county_user, report=report)
    if accept:
        services.report_review(actor=admin, report=report, accept=True)


def test_an_accepted_quarterly_figure_holds_for_the_months_of_its_quarter(
    city, admin_user, county_user
):
    territorial_figure(admin_user, county_user, city.county_a, year=2026, quarter=3, employers=3)
    stats_rollup(month=AUGUST, today=TODAY)
    county = snapshot(city.county_a, AUGUST)
    assert (county.employers_with_union, county.employers_without_union) == (1, 3)
    assert county.rate("establishment_rate") == Decimal("25.0")  # not 100%
    assert snapshot(city.city, AUGUST).rate("establishment_rate") == Decimal("40.0")  # 2 of 5


def test_a_submitted_figure_not_yet_accepted_is_not_in_force(city, admin_user, county_user):
    territorial_figure(
        admin_user, county_user, city.county_a, year=2026, quarter=3, employers=3, accept=False
    )
    stats_rollup(month=OCTOBER, today=TODAY)
    town = snapshot(city.city, OCTOBER)
    assert (town.employers_without_union, town.territories_reporting) == (0, 0)
    assert town.rate("establishment_rate") is None


def test_the_latest_accepted_figure_stays_in_force(city, admin_user, county_user):
    territorial_figure(admin_user, county_user, city.county_a, year=2026, quarter=2, employers=5)
    territorial_figure(
        admin_user, county_user, city.county_a, year=2026, quarter=3, employers=3, accept=False
    )
    for month in (OCTOBER, NOVEMBER):
        stats_rollup(month=month, today=TODAY)
        county = snapshot(city.county_a, month)
        assert county.employers_without_union == 5, month
        assert county.rate("establishment_rate") == Decimal("16.7"), month  # 1 of 1 + 5


def test_with_no_territorial_figure_the_establishment_rate_is_not_known(city):
    stats_rollup(month=OCTOBER, today=TODAY)
    for org in (city.city, city.county_a, city.union_a):
        assert snapshot(org, OCTOBER).rate("establishment_rate") is None


def test_a_joint_union_counts_each_employer_it_covers(city, admin_user, county_user):
    joint = org_services.organisation_create(
        actor=None,
        parent=city.county_a,
        kind=OrgKind.JOINT_GRASSROOTS,
        name="西陵小微企业联合工会",
        region_code="420502",
        employers_covered=3,
    )
    assert joint.employers_covered == 3
    single = org_services.organisation_create(
        actor=None,
        parent=city.county_a,
        kind=OrgKind.GRASSROOTS,
        name="己公司工会委员会",
        region_code="420502",
        employers_covered=4,
    )
    assert single.employers_covered == 1  # a union stands for its own employer
    territorial_figure(admin_user, county_user, city.county_a, year=2026, quarter=3, employers=2)
    stats_rollup(month=OCTOBER, today=TODAY)
    county = snapshot(city.county_a, OCTOBER)
    assert county.unions == 3
    assert county.employers_with_union == 5  # union A, the joint union's 3, 己
    assert county.rate("establishment_rate") == Decimal("71.4")  # 5 of 5 + 2
