"""Fixes from the review of the reporting pages: a review needs the page's version, four eyes
hold for people with two roles, a period is never due before its quarter ends, no "¥-0.00",
a typed month never crashes the dashboard, and reminders leave with the role."""

from datetime import date

import pytest
from django.urls import reverse

from members.models import Role, RoleName
from tests.factories import RoleFactory, UserFactory
from unionportal.reporting import services
from unionportal.reporting.models import Notification, QuarterlyReport, ReportPeriod, ReportStatus

from .page_helpers import ENTERED, form_data, open_period, report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_a(city, chair_a):
    report = report_of(open_period(), city.union_a)
    services.report_save(
        actor=chair_a, report=report, values=ENTERED, reasons={}, narrative={"work_done": "x"}
    )
    return services.report_submit(actor=chair_a, report=report)


@pytest.mark.parametrize("version", [None, "", "abc", "-1"])
def test_a_review_without_the_pages_version_is_refused(as_user, staff_user, submitted_a, version):
    data = {"decision": "accept"}
    if version is not None:
        data["version"] = version
    page = as_user(staff_user).post(reverse("reporting:report_review", args=[submitted_a.pk]), data)
    assert page.status_code == 200
    assert QuarterlyReport.objects.get(pk=submitted_a.pk).status == ReportStatus.SUBMITTED


def test_someone_with_a_role_at_the_union_cannot_review_it(as_user, city, submitted_a):
    both = UserFactory(username="both")
    RoleFactory(user=both, organisation=city.city, role=RoleName.FEDERATION_STAFF)
    RoleFactory(user=both, organisation=city.union_a, role=RoleName.BRANCH_OFFICER)
    client = as_user(both)
    page = client.get(reverse("reporting:report_detail", args=[submitted_a.pk]))
    assert b'data-testid="accept"' not in page.content
    response = client.post(
        reverse("reporting:report_review", args=[submitted_a.pk]),
        {"decision": "accept", "version": submitted_a.version},
    )
    assert response.status_code == 403
    assert QuarterlyReport.objects.get(pk=submitted_a.pk).status == ReportStatus.SUBMITTED


def test_a_period_is_never_due_before_its_quarter_ends(as_user, staff_user, city):
    page = as_user(staff_user).post(
        reverse("reporting:period_open"), {"year": 2026, "quarter": 3, "due_on": "2000-01-01"}
    )
    assert page.status_code == 200
    assert not ReportPeriod.objects.exists()


def test_minus_zero_money_is_stored_as_zero(as_user, chair_a, city):
    report = report_of(open_period(), city.union_a)
    data = form_data(report, ENTERED)
    data["dues_expected"] = "-0"
    data["reason_dues_expected"] = "尚未生成会费"
    as_user(chair_a).post(reverse("reporting:report_detail", args=[report.pk]), data)
    report.refresh_from_db()
    assert report.values["dues_expected"] == "0.00"


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "2026-13", "２０２６-０１", "x" * 500])
def test_a_typed_month_never_crashes(as_user, chair_a, staff_user, city, month):
    assert as_user(chair_a).get("/", {"month": month}).status_code == 200
    url = reverse("statistics_org", args=[city.county_a.pk])
    assert as_user(staff_user).get(url, {"month": month}).status_code == 200


def test_reminders_leave_with_the_role(as_user, chair_a, city):
    report = report_of(open_period(), city.union_a)
    services.notify(report, "reminder", date(2026, 10, 10))
    client = as_user(chair_a)
    assert client.get(reverse("reporting:notification_list")).context["page"].paginator.count == 1
    Role.objects.filter(user=chair_a).delete()  # the role ends (re-election)
    assert Notification.objects.count() == 1
    page = client.get(reverse("reporting:notification_list"))
    assert page.status_code in (200, 403)
    if page.status_code == 200:
        assert page.context["page"].paginator.count == 0
