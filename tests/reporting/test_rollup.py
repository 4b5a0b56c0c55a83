"""The statistics rollup: idempotent, equal to direct aggregate queries, summed over subtrees,
recorded, and runnable by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q, Sum

from members.models import DuesRecord, Member, MemberStatus, Organisation
from tests.factories import MemberFactory, OrganisationFactory
from unionportal.core.models import JobRun
from unionportal.reporting import services
from unionportal.reporting.models import SNAPSHOT_COLUMNS, StatSnapshot
from unionportal.reporting.rollup import months_back, stats_rollup
from welfare.models import ReliefPayment

from .helpers import ENTERED, populate

pytestmark = pytest.mark.django_db

AUGUST = date(2026, 8, 1)
TODAY = date(2026, 11, 24)


@pytest.fixture
def records(city):
    populate(city.union_a)
    populate(city.union_b, members=3, women=1, migrant=2)
    MemberFactory(organisation=city.branch_a, is_migrant=True)
    Organisation.objects.filter(pk=city.union_a.pk).update(employees=40, migrant_employees=10)
    Organisation.objects.filter(pk=city.union_b.pk).update(employees=20, migrant_employees=5)
    return city


def snapshot_rows(month):
    return {
        s.organisation_id: tuple(getattr(s, c) for c in SNAPSHOT_COLUMNS)
        for s in StatSnapshot.objects.filter(month=month)
    }


def test_a_rerun_gives_the_same_rows(records):
    written = stats_rollup(month=AUGUST, today=TODAY)
    first = snapshot_rows(AUGUST)
    assert written == len(first) == Organisation.objects.filter(active=True).count()
    assert stats_rollup(month=AUGUST, today=TODAY) == 0  # nothing changed, nothing rewritten
    assert snapshot_rows(AUGUST) == first


def test_a_rerun_rewrites_only_what_changed(records):
    stats_rollup(month=AUGUST, today=TODAY)
    MemberFactory(organisation=records.branch_b, joined_on=date(2026, 8, 3))
    # the branch, union B, county B and the city
    assert stats_rollup(month=AUGUST, today=TODAY) == 4
    city = StatSnapshot.objects.get(organisation=records.city, month=AUGUST)
    assert city.new_members == 1  # populate()'s applicant does not count; this one does


def test_figures_equal_direct_aggregates_over_each_subtree(records):
    stats_rollup(month=AUGUST, today=TODAY)
    end = date(2026, 8, 31)
    for org in Organisation.objects.all():
        snap = StatSnapshot.objects.get(organisation=org, month=AUGUST)
        within = Q(organisation__path__startswith=org.path)
        members = Member.objects.filter(within, joined_on__lte=end).filter(
            Q(status=MemberStatus.ACTIVE)
            | Q(status__in=("retained", "withdrawn"), status_changed_on__gt=end)
        )
        assert snap.members == members.count(), org.name
        assert snap.migrant_members == members.filter(is_migrant=True).count()
        assert snap.women_members == members.filter(gender="F").count()
        dues = DuesRecord.objects.filter(within, month=AUGUST).aggregate(
            e=Sum("amount"), c=Sum("amount", filter=Q(paid_on__isnull=False))
        )
        assert snap.dues_expected == (dues["e"] or 0)
        assert snap.dues_collected == (dues["c"] or 0)
        relief = ReliefPayment.objects.filter(
            application__organisation__path__startswith=org.path,
            paid_on__range=(AUGUST, end),
        ).aggregate(n=Count("pk"), a=Sum("amount"))
        assert snap.relief_count == relief["n"]
        assert snap.relief_amount == (relief["a"] or 0)
        unions = Organisation.objects.filter(
            path__startswith=org.path, kind__in=("grassroots", "joint_grassroots"), active=True
        ).aggregate(n=Count("pk"), e=Sum("employees"))
        assert snap.unions == unions["n"]
        assert snap.employees == (unions["e"] or 0)


def test_city_sums_both_counties(records):
    stats_rollup(month=AUGUST, today=TODAY)
    city = StatSnapshot.objects.get(organisation=records.city, month=AUGUST)
    a = StatSnapshot.objects.get(organisation=records.county_a, month=AUGUST)
    b = StatSnapshot.objects.get(organisation=records.county_b, month=AUGUST)
    for column in SNAPSHOT_COLUMNS:
        assert getattr(city, column) == getattr(a, column) + getattr(b, column), column
    assert city.relief_amount == Decimal("1500.00") * 2
    assert city.rate("membership_rate") == Decimal("18.3")  # 11 members of 60 employees


def test_the_establishment_rate_uses_the_counties_reported_figure(records, admin_user, county_user):
    period = services.period_open(actor=admin_user, year=2026, quarter=3)
    report = period.reports.get(organisation=records.county_a)
    services.report_save(
        actor=county_user,
        report=report,
        values={"employers_without_union": 3},
        reasons={},
        narrative={"work_done": "摸底"},
    )
    stats_rollup(month=date(2026, 10, 1), today=TODAY)
    # a draft does not count yet
    october = StatSnapshot.objects.get(organisation=records.county_a, month=date(2026, 10, 1))
    assert october.employers_without_union == 0
    report.refresh_from_db()
    services.report_submit(actor=county_user, report=report)
    stats_rollup(month=date(2026, 10, 1), today=TODAY)
    # nor a submitted one: only an accepted figure is in force
    snap = StatSnapshot.objects.get(organisation=records.city, month=date(2026, 10, 1))
    assert snap.employers_without_union == 0
    assert snap.rate("establishment_rate") is None
    services.report_review(actor=admin_user, report=report, accept=True)
    stats_rollup(month=date(2026, 10, 1), today=TODAY)
    snap = StatSnapshot.objects.get(organisation=records.city, month=date(2026, 10, 1))
    assert snap.employers_without_union == 3
    assert snap.rate("establishment_rate") == Decimal("40.0")  # 2 unions of 2 + 3


def test_dissolved_organisations_lose_their_rows_on_a_rerun(records):
    spare = OrganisationFactory(parent=records.county_a, name="空壳工会")
    stats_rollup(month=AUGUST, today=TODAY)
    assert StatSnapshot.objects.filter(organisation=spare).exists()
    Organisation.objects.filter(pk=spare.pk).update(active=False)
    stats_rollup(month=AUGUST, today=TODAY)
    assert not StatSnapshot.objects.filter(organisation=spare).exists()


def test_the_current_month_counts_up_to_today(records):
    MemberFactory(organisation=records.union_a, joined_on=date(2026, 11, 20))
    MemberFactory(organisation=records.union_a, joined_on=date(2026, 11, 28))  # future
    stats_rollup(month=date(2026, 11, 1), today=TODAY)
    snap = StatSnapshot.objects.get(organisation=records.union_a, month=date(2026, 11, 1))
    assert snap.new_members == 1


def test_the_command_and_task_record_each_run(records):
    call_command("rollup_stats", "--month", "2026-08")
    run = JobRun.objects.get(task="rollup_stats")
    assert run.argument == "2026-08" and run.status == "done"
    assert run.rows == StatSnapshot.objects.filter(month=AUGUST).count()
    with pytest.raises(CommandError):
        call_command("rollup_stats", "--month", "2026-13")


def test_the_nightly_task_does_the_current_and_previous_month(records):
    from unionportal.reporting.tasks import rollup_recent_stats_task

    rollup_recent_stats_task()
    months = set(StatSnapshot.objects.values_list("month", flat=True).distinct())
    this = months_back(1)[0]
    assert len(months) == 2 and this in months


def test_months_back_counts_this_month():
    assert months_back(3, date(2026, 1, 15)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]


def test_entered_figures_fixture_is_complete():
    from unionportal.reporting.indicators import INDICATORS, UNION

    entered = {i.code for i in INDICATORS if not i.computed and i.filer == UNION}
    assert entered == set(ENTERED)
