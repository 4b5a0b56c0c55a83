"""The quarterly report workflow (services): prefilled figures equal the records, overrides need
a reason, validation, submit, return and resubmit, frozen after acceptance, reminders."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from members.models import MemberStatus
from tests.factories import MemberFactory, OrganisationFactory
from unionportal.reporting import services
from unionportal.reporting.indicators import CASEWORK_INDICATORS
from unionportal.reporting.models import (
    Notification,
    NotificationKind,
    QuarterlyReport,
    ReportPeriod,
    ReportStatus,
)

from .helpers import ENTERED, populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(city, admin_user):
    return services.period_open(actor=admin_user, year=2026, quarter=3)


@pytest.fixture
def report_a(period, city):
    return QuarterlyReport.objects.get(period=period, organisation=city.union_a)


def fill(report, user, **overrides):
    values = {**ENTERED, **overrides.pop("values", {})}
    return services.report_save(
        actor=user,
        report=report,
        values=values,
        reasons=overrides.pop("reasons", {}),
        narrative={"work_done": "开展送温暖活动", "problems": "", "requests": ""},
    )


def test_opening_a_period_drafts_a_report_for_every_union_and_county(period, city):
    orgs = set(period.reports.values_list("organisation__name", flat=True))
    assert {"甲公司工会委员会", "乙公司工会委员会", "西陵区总工会", "夷陵区总工会"} == orgs
    assert period.due_on == date(2026, 10, 15)  # 15 days after the quarter ends
    assert period.starts_on == date(2026, 7, 1) and period.ends_on == date(2026, 9, 30)
    assert set(period.reports.values_list("status", flat=True)) == {ReportStatus.DRAFT}


def test_opening_again_adds_new_unions_only(period, city, admin_user, report_a, chair_a):
    fill(report_a, chair_a)
    OrganisationFactory(parent=city.county_a, name="新成立公司工会")
    services.period_open(actor=admin_user, year=2026, quarter=3)
    assert period.reports.count() == 5
    report_a.refresh_from_db()
    assert report_a.values["employees"] == 300  # untouched


def test_prefilled_figures_equal_the_records(report_a, city):
    populate(city.union_a)
    # a member in union A's branch counts for union A; union B's members do not
    MemberFactory(organisation=city.branch_a)
    MemberFactory(organisation=city.union_b)
    figures = services.live_computed(report_a)
    assert figures["members"] == 5 + 1 + 1  # five, the branch's one, the one who left later
    assert figures["women_members"] == 2
    assert figures["migrant_members"] == 1
    assert figures["retained_members"] == 1
    assert figures["cards_issued"] == 1
    assert figures["dues_expected"] == Decimal("375.00")  # 5 members x 3 months x 25
    assert figures["dues_collected"] == Decimal("300.00")  # one member never paid
    assert figures["relief_count"] == 1
    assert figures["relief_amount"] == Decimal("1500.00")  # October's payment is Q4
    assert figures["visits_count"] == 1
    assert figures["visits_amount"] == Decimal("500.00")


def test_overriding_a_computed_figure_needs_a_reason(report_a, chair_a):
    counted = services.live_computed(report_a)["members"]
    with pytest.raises(ValidationError) as exc:
        fill(report_a, chair_a, values={"members": counted + 3})
    assert "members" in exc.value.message_dict
    report_a.refresh_from_db()
    assert report_a.values == {}  # nothing saved
    fill(report_a, chair_a, values={"members": counted + 3}, reasons={"members": "3人待录入"})
    report_a.refresh_from_db()
    assert report_a.values["members"] == counted + 3
    assert report_a.computed["members"] == counted
    assert report_a.reasons == {"members": "3人待录入"}


def test_a_reason_is_dropped_when_the_figure_goes_back(report_a, chair_a):
    counted = services.live_computed(report_a)["members"]
    fill(report_a, chair_a, values={"members": counted + 1}, reasons={"members": "x"})
    fill(report_a, chair_a, values={"members": counted}, reasons={"members": "x"})
    report_a.refresh_from_db()
    assert report_a.reasons == {}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"employees": -1}, "employees"),
        ({"women_employees": 301}, "women_employees"),
        ({"contract_workers": 400}, "contract_workers"),
        ({"petition_visits": 8, "petition_people": 7}, "petition_visits"),
        ({"petitions_closed": 9}, "petitions_closed"),  # no request was accepted
    ],
)
def test_negative_counts_and_parts_above_wholes_are_refused(report_a, chair_a, values, field):
    with pytest.raises(ValidationError) as exc:
        fill(report_a, chair_a, values=values)
    assert field in exc.value.message_dict


def test_submit_needs_every_entered_figure_and_the_work_done(report_a, chair_a):
    services.report_save(
        actor=chair_a, report=report_a, values={"employees": 10}, reasons={}, narrative={}
    )
    with pytest.raises(ValidationError):
        services.report_submit(actor=chair_a, report=report_a)
    assert QuarterlyReport.objects.get(pk=report_a.pk).status == ReportStatus.DRAFT


def test_return_and_resubmit_are_recorded(report_a, chair_a, staff_user, officer_a):
    fill(report_a, chair_a)
    services.report_submit(actor=chair_a, report=report_a)
    with pytest.raises(ValidationError):
        services.report_review(actor=staff_user, report=report_a, accept=False, reason=" ")
    services.report_review(actor=staff_user, report=report_a, accept=False, reason="信访数有误")
    report_a.refresh_from_db()
    assert report_a.status == ReportStatus.RETURNED
    assert report_a.return_reason == "信访数有误"
    # the chair and the officer are told
    kinds = set(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == {("chair_a", "returned"), ("officer_a", "returned")}
    fill(report_a, chair_a, values={"migrant_employees": 5})
    services.report_submit(actor=chair_a, report=report_a)
    services.report_review(actor=staff_user, report=report_a, accept=True)
    steps = list(report_a.events.values_list("to_status", "actor__username", "comment"))
    assert steps == [
        ("submitted", "chair_a", ""),
        ("returned", "staff", "信访数有误"),
        ("submitted", "chair_a", ""),
        ("accepted", "staff", ""),
    ]


def test_an_accepted_report_is_frozen(report_a, city, chair_a, staff_user):
    populate(city.union_a)
    fill(report_a, chair_a)
    services.report_submit(actor=chair_a, report=report_a)
    services.report_review(actor=staff_user, report=report_a, accept=True)
    report_a.refresh_from_db()
    before = services.report_values(report_a)
    # later edits to records
    MemberFactory(organisation=city.union_a, joined_on=date(2026, 8, 1))
    populate(city.union_a)
    after = QuarterlyReport.objects.get(pk=report_a.pk)
    assert services.report_values(after) == before
    assert services.live_computed(after) == services.report_values(after, "computed")
    with pytest.raises(ValidationError):
        fill(after, chair_a)
    with pytest.raises(ValidationError):
        services.report_submit(actor=chair_a, report=after)


def test_nobody_reviews_a_report_of_their_own_organisation_or_one_they_filled(
    report_a, chair_a, officer_a, county_user, city
):
    from members.models import RoleName
    from tests.factories import RoleFactory

    # county staff who also hold the officer's role at union A, and save its draft
    RoleFactory(user=county_user, organisation=city.union_a, role=RoleName.BRANCH_OFFICER)
    fill(report_a, county_user)
    services.report_submit(actor=chair_a, report=report_a)
    with pytest.raises(ValidationError) as exc:
        services.report_review(actor=county_user, report=report_a, accept=True)
    assert exc.value.code == "four_eyes"


def test_nobody_reviews_what_they_submitted(report_a, chair_a, city):
    fill(report_a, chair_a)
    services.report_submit(actor=chair_a, report=report_a)
    with pytest.raises(ValidationError):
        services.report_review(actor=chair_a, report=report_a, accept=True)


def test_a_stale_version_is_refused(report_a, chair_a, officer_a):
    version = report_a.version
    fill(report_a, officer_a)
    with pytest.raises(ValidationError) as exc:
        services.report_save(
            actor=chair_a,
            report=report_a,
            values=ENTERED,
            reasons={},
            narrative={},
            version=version,
        )
    assert exc.value.code == "stale"


def test_county_report_carries_the_employers_without_a_union(period, city, county_user):
    report = QuarterlyReport.objects.get(period=period, organisation=city.county_a)
    codes = [i.code for i in services.report_indicators(report)]
    # the casework of its whole subtree, and the employers without a union
    casework = [i.code for i in CASEWORK_INDICATORS]
    assert codes == [*casework, "employers_without_union"]
    services.report_save(
        actor=county_user,
        report=report,
        values={"employers_without_union": 12},
        reasons={},
        narrative={"work_done": "摸底排查"},
    )
    report.refresh_from_db()
    assert report.employers_without_union == 12


def test_period_progress_counts(period, report_a, chair_a):
    fill(report_a, chair_a)
    services.report_submit(actor=chair_a, report=report_a)
    progress = services.period_progress(period, QuarterlyReport.objects.all(), date(2026, 10, 20))
    assert progress["submitted"] == 1
    assert progress["missing"] == 3
    assert progress["overdue"] == 3
    early = services.period_progress(period, QuarterlyReport.objects.all(), date(2026, 10, 1))
    assert early["overdue"] == 0


def test_due_date_cannot_precede_the_quarter_end(period, admin_user):
    with pytest.raises(ValidationError):
        services.period_set_due(actor=admin_user, period=period, due_on=date(2026, 9, 1))
    services.period_set_due(actor=admin_user, period=period, due_on=date(2026, 10, 31))
    assert ReportPeriod.objects.get(pk=period.pk).due_on == date(2026, 10, 31)


class TestReminders:
    def test_due_soon_overdue_and_returned_with_a_frozen_clock(
        self, report_a, chair_a, officer_a, chair_b, staff_user, city
    ):
        # 2026-10-08: due in 7 days -> nothing yet
        with time_machine.travel(date(2026, 10, 8), tick=False):
            assert services.send_reminders() == 0
        # 2026-10-11: due within 5 days -> union A (chair, officer) and union B (chair)
        with time_machine.travel(date(2026, 10, 11), tick=False):
            assert services.send_reminders() == 3
            assert services.send_reminders() == 0  # once a day
        assert set(Notification.objects.values_list("kind", flat=True)) == {"due_soon"}
        # union A submits and gets its report returned; union B stays silent
        fill(report_a, chair_a)
        services.report_submit(actor=chair_a, report=report_a)
        services.report_review(actor=staff_user, report=report_a, accept=False, reason="补充")
        with time_machine.travel(date(2026, 10, 20), tick=False):
            services.send_reminders()
            today = Notification.objects.filter(day=date(2026, 10, 20))
            assert set(today.values_list("recipient__username", "kind")) == {
                ("chair_a", NotificationKind.RETURNED),
                ("officer_a", NotificationKind.RETURNED),
                ("chair_b", NotificationKind.OVERDUE),
            }
        # accepted reports are never reminded
        fill(report_a, chair_a)
        services.report_submit(actor=chair_a, report=report_a)
        services.report_review(actor=staff_user, report=report_a, accept=True)
        with time_machine.travel(date(2026, 10, 21), tick=False):
            services.send_reminders()
            names = Notification.objects.filter(day=date(2026, 10, 21)).values_list(
                "recipient__username", flat=True
            )
            assert list(names) == ["chair_b"]

    def test_the_daily_task_records_its_run(self, report_a, chair_a):
        from unionportal.core.models import JobRun
        from unionportal.reporting.tasks import report_reminders_task

        with time_machine.travel(date(2026, 10, 12), tick=False):
            assert report_reminders_task() == 1  # chair A: the only filer with an account
        run = JobRun.objects.get(task="report_reminders")
        assert run.status == "done" and run.rows == 1

    def test_a_reviewers_reminder_reaches_open_reports_only(
        self, period, report_a, chair_a, chair_b, staff_user
    ):
        fill(report_a, chair_a)
        services.report_submit(actor=chair_a, report=report_a)
        created = services.remind(
            actor=staff_user, period=period, reports=QuarterlyReport.objects.all()
        )
        assert created == 1
        assert Notification.objects.get().recipient == chair_b

    def test_email_is_sent_when_enabled_once_committed(
        self, report_a, chair_a, settings, mailoutbox, django_capture_on_commit_callbacks
    ):
        settings.EMAIL_ENABLED = True
        chair_a.email = "chair@example.org"
        chair_a.save()
        with django_capture_on_commit_callbacks(execute=True):
            services.notify(report_a, NotificationKind.REMINDER)
            assert len(mailoutbox) == 0  # not before the step that caused it is committed
        assert len(mailoutbox) == 1
        assert Notification.objects.filter(recipient=chair_a, emailed=True).exists()


def test_retained_members_do_not_count_as_members(report_a, city):
    MemberFactory(organisation=city.union_a, status=MemberStatus.RETAINED)
    figures = services.live_computed(report_a)
    assert figures["members"] == 0 and figures["retained_members"] == 1
