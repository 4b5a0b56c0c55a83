"""The quarterly report pages through the client: prefilled figures, overrides with reasons,
submit, return, resubmit, accept and freeze, scoping and the permission matrix."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from members.models import RoleName
from tests.factories import MemberFactory, RoleFactory, UserFactory
from unionportal.reporting.indicators import BY_CODE
from unionportal.reporting.models import (
    Notification,
    QuarterlyReport,
    ReportEvent,
    ReportPeriod,
    ReportStatus,
)

from .page_helpers import ENTERED, form_data, open_period, report_of

pytestmark = pytest.mark.django_db

RS = ReportStatus


@pytest.fixture
def period(city):
    return open_period()


@pytest.fixture
def report_a(period, city):
    return report_of(period, city.union_a)


def _v(report) -> dict:
    """The version the review form carries (a review without it is refused as stale)."""
    return {"version": QuarterlyReport.objects.get(pk=report.pk).version}


def _url(name, *args):
    return reverse(f"reporting:{name}", args=args)


def test_the_form_is_prefilled_with_the_records(as_user, chair_a, city, report_a):
    for _ in range(7):
        MemberFactory(organisation=city.union_a)
    MemberFactory(organisation=city.branch_a)  # the union's subtree counts
    MemberFactory(organisation=city.union_b)  # another union's does not
    page = as_user(chair_a).get(_url("report_detail", report_a.pk))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["members"].value() == 8
    assert 'name="members" value="8"' in page.content.decode()
    row = next(r for s in page.context["sections"] for r in s["rows"] if r["ind"].code == "members")
    assert row["computed"] == 8


def test_an_override_without_a_reason_is_refused_and_nothing_is_saved(
    as_user, chair_a, city, report_a
):
    for _ in range(3):
        MemberFactory(organisation=city.union_a)
    client = as_user(chair_a)
    data = form_data(report_a, ENTERED, members=4, work_done="我们的工作")
    page = client.post(_url("report_detail", report_a.pk), data)
    assert page.status_code == 200
    assert page.context["form"].errors["members"]
    html = page.content.decode()
    assert 'data-testid="error-members"' in html
    assert 'data-testid="error-summary"' in html
    # nothing lost: what was typed is back on the page
    assert 'name="members" value="4"' in html
    assert "我们的工作" in html
    report_a.refresh_from_db()
    assert report_a.values == {} and report_a.version == 0 and report_a.work_done == ""


def test_an_override_with_a_reason_is_saved_and_both_figures_shown(
    as_user, chair_a, city, report_a
):
    for _ in range(3):
        MemberFactory(organisation=city.union_a)
    client = as_user(chair_a)
    data = form_data(report_a, ENTERED, members=4, reason_members="一名会员尚未录入系统")
    response = client.post(_url("report_detail", report_a.pk), data)
    assert response.status_code == 302
    report_a.refresh_from_db()
    assert report_a.values["members"] == 4
    assert report_a.computed["members"] == 3
    assert report_a.reasons == {"members": "一名会员尚未录入系统"}
    page = client.get(_url("report_detail", report_a.pk))
    assert 'name="members" value="4"' in page.content.decode()
    overrides = page.context["overrides"]
    assert [(r["computed"], r["value"], r["reason"]) for r in overrides] == [
        (3, 4, "一名会员尚未录入系统")
    ]
    assert "一名会员尚未录入系统" in page.content.decode()


def test_money_is_shown_with_yuan_and_two_decimals(as_user, chair_a, report_a):
    client = as_user(chair_a)
    data = form_data(report_a, ENTERED, dues_expected="1234.5", reason_dues_expected="补录")
    assert client.post(_url("report_detail", report_a.pk), data).status_code == 302
    report_a.refresh_from_db()
    assert report_a.values["dues_expected"] == "1234.50"
    html = client.get(_url("report_detail", report_a.pk)).content.decode()
    assert 'value="1234.50"' in html
    assert "¥1,234.50" in html  # in the overrides card


def test_parts_never_exceed_wholes_and_negative_counts_are_refused(as_user, chair_a, report_a):
    client = as_user(chair_a)
    entered = {**ENTERED, "women_employees": 500, "migrant_employees": -1}
    page = client.post(_url("report_detail", report_a.pk), form_data(report_a, entered))
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "women_employees" in errors and "migrant_employees" in errors
    report_a.refresh_from_db()
    assert report_a.version == 0


def test_bad_numbers_do_not_crash(as_user, chair_a, report_a):
    client = as_user(chair_a)
    data = form_data(report_a, {**ENTERED, "employees": "很多"}, relief_amount="1e400")
    page = client.post(_url("report_detail", report_a.pk), data)
    assert page.status_code == 200
    assert "employees" in page.context["form"].errors


def test_a_stale_page_is_told_to_reload(as_user, chair_a, officer_a, report_a):
    data = form_data(report_a, ENTERED)
    assert as_user(officer_a).post(_url("report_detail", report_a.pk), data).status_code == 302
    page = as_user(chair_a).post(
        _url("report_detail", report_a.pk), {**data, "problems": "人手不足"}
    )
    assert page.status_code == 200
    assert page.context["form"].non_field_errors()
    assert "人手不足" in page.content.decode()


def test_submit_needs_every_entered_figure(as_user, chair_a, report_a):
    client = as_user(chair_a)
    partial = {k: v for k, v in ENTERED.items() if k != "migrant_employees"}
    response = client.post(_url("report_submit", report_a.pk), form_data(report_a, partial))
    assert response.status_code == 302
    report_a.refresh_from_db()
    assert report_a.status == RS.DRAFT
    assert report_a.values["employees"] == 120  # what was typed is kept as a draft
    page = client.get(_url("report_detail", report_a.pk))
    with override(settings.LANGUAGE_CODE):
        label = str(BY_CODE["migrant_employees"].label)
    assert any(label in str(m) for m in page.context["messages"])


def test_the_chair_submits_the_officer_only_saves(as_user, chair_a, officer_a, report_a):
    officer = as_user(officer_a)
    data = form_data(report_a, ENTERED)
    assert officer.post(_url("report_submit", report_a.pk), data).status_code == 403
    page = officer.get(_url("report_detail", report_a.pk))
    assert 'data-testid="submit"' not in page.content.decode()
    assert officer.post(_url("report_detail", report_a.pk), data).status_code == 302
    report_a.refresh_from_db()
    assert report_a.status == RS.DRAFT and report_a.saved_by == officer_a

    chair = as_user(chair_a)
    assert (
        chair.post(_url("report_submit", report_a.pk), form_data(report_a, ENTERED)).status_code
        == 302
    )
    report_a.refresh_from_db()
    assert report_a.status == RS.SUBMITTED and report_a.submitted_by == chair_a


def _submitted(client, report):
    response = client.post(_url("report_submit", report.pk), form_data(report, ENTERED))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == RS.SUBMITTED
    return report


def test_return_with_a_reason_then_resubmit_then_accept(
    as_user, chair_a, staff_user, city, report_a
):
    chair = as_user(chair_a)
    staff = as_user(staff_user)
    _submitted(chair, report_a)
    # GET on an action: 405
    assert staff.get(_url("report_review", report_a.pk)).status_code == 405
    # a return needs a reason
    page = staff.post(
        _url("report_review", report_a.pk), {**_v(report_a), "decision": "return", "reason": " "}
    )
    assert page.status_code == 200 and page.context["review_form"].errors
    report_a.refresh_from_db()
    assert report_a.status == RS.SUBMITTED
    staff.post(
        _url("report_review", report_a.pk),
        {**_v(report_a), "decision": "return", "reason": "职工人数与上季度不符"},
    )
    report_a.refresh_from_db()
    assert report_a.status == RS.RETURNED

    page = chair.get(_url("report_detail", report_a.pk))
    html = page.content.decode()
    assert 'data-testid="return-reason"' in html and "职工人数与上季度不符" in html
    assert page.context["form"] is not None  # editable again
    note = Notification.objects.get(recipient=chair_a, report=report_a)
    assert note.kind == "returned"
    assert chair.get(_url("notification_list")).context["rows"][0]["note"] == note

    _submitted(chair, report_a)
    staff.post(_url("report_review", report_a.pk), {**_v(report_a), "decision": "accept"})
    report_a.refresh_from_db()
    assert report_a.status == RS.ACCEPTED
    steps = list(ReportEvent.objects.filter(report=report_a).values_list("to_status", flat=True))
    assert steps == ["submitted", "returned", "submitted", "accepted"]
    page = chair.get(_url("report_detail", report_a.pk))
    html = page.content.decode()
    assert page.context["form"] is None
    assert 'data-testid="event-returned"' in html and "职工人数与上季度不符" in html
    assert (
        chair.post(_url("report_detail", report_a.pk), form_data(report_a, ENTERED)).status_code
        == 200
    )
    report_a.refresh_from_db()
    assert report_a.status == RS.ACCEPTED


def test_an_accepted_report_is_frozen(as_user, chair_a, staff_user, city, report_a):
    for _ in range(5):
        MemberFactory(organisation=city.union_a)
    chair = as_user(chair_a)
    _submitted(chair, report_a)
    as_user(staff_user).post(
        _url("report_review", report_a.pk), {**_v(report_a), "decision": "accept"}
    )
    MemberFactory(organisation=city.union_a)  # later records do not change it
    for client in (chair, as_user(staff_user)):
        page = client.get(_url("report_detail", report_a.pk))
        html = page.content.decode()
        assert 'data-testid="value-members">5<' in html
        assert 'data-testid="frozen"' in html
    printed = chair.get(_url("report_print", report_a.pk)).content.decode()
    assert city.union_a.name in printed and "年" in printed
    assert "portal-sidebar" not in printed


def test_an_accepted_report_says_when_the_records_of_its_quarter_have_changed(
    as_user, chair_a, staff_user, city, report_a
):
    from datetime import date

    for _ in range(5):
        MemberFactory(organisation=city.union_a)
    chair = as_user(chair_a)
    _submitted(chair, report_a)
    as_user(staff_user).post(
        _url("report_review", report_a.pk), {**_v(report_a), "decision": "accept"}
    )
    # a member who joined after the quarter changes nothing
    MemberFactory(organisation=city.union_a, joined_on=date(2026, 10, 1))
    html = chair.get(_url("report_detail", report_a.pk)).content.decode()
    assert 'data-testid="changed-since"' not in html
    # one registered late, with a joining date inside the quarter, changes the records
    MemberFactory(organisation=city.union_a, joined_on=date(2026, 8, 1))
    html = chair.get(_url("report_detail", report_a.pk)).content.decode()
    assert 'data-testid="value-members">5<' in html  # the report keeps its figure
    assert 'data-testid="changed-since"' in html
    assert "记录已变化" in html and "会员数" in html


def test_nobody_reviews_their_own_report_or_one_they_submitted(as_user, county_user, city, period):
    county_report = report_of(period, city.county_a)
    client = as_user(county_user)
    # county staff file their own territory report...
    data = form_data(county_report, {"employers_without_union": 3})
    assert client.post(_url("report_submit", county_report.pk), data).status_code == 302
    county_report.refresh_from_db()
    assert county_report.status == RS.SUBMITTED
    # ...and may not review it
    assert (
        'data-testid="review"'
        not in client.get(_url("report_detail", county_report.pk)).content.decode()
    )
    response = client.post(
        _url("report_review", county_report.pk), {**_v(county_report), "decision": "accept"}
    )
    assert response.status_code == 403


def test_county_staff_review_union_a_but_not_union_b(
    as_user, county_user, chair_a, chair_b, city, period
):
    report_a = report_of(period, city.union_a)
    report_b = report_of(period, city.union_b)
    _submitted(as_user(chair_a), report_a)
    _submitted(as_user(chair_b), report_b)
    county = as_user(county_user)
    assert 'data-testid="review"' in county.get(_url("report_detail", report_a.pk)).content.decode()
    assert (
        county.post(
            _url("report_review", report_a.pk),
            {**_v(report_a), "decision": "return", "reason": "请补充说明"},
        ).status_code
        == 302
    )
    assert county.get(_url("report_detail", report_b.pk)).status_code == 404
    assert (
        county.post(
            _url("report_review", report_b.pk), {**_v(report_b), "decision": "accept"}
        ).status_code
        == 404
    )
    report_b.refresh_from_db()
    assert report_b.status == RS.SUBMITTED


def test_another_chair_gets_404(as_user, chair_b, report_a):
    client = as_user(chair_b)
    for name in ("report_detail", "report_print"):
        assert client.get(_url(name, report_a.pk)).status_code == 404
    for name in ("report_detail", "report_submit", "report_review"):
        assert client.post(_url(name, report_a.pk), form_data(report_a, ENTERED)).status_code == 404


# --- Permission matrix ------------------------------------------------------------------------

PERSONAS = [
    "admin_user",
    "staff_user",
    "auditor_user",
    "county_user",
    "chair_a",
    "officer_a",
    "chair_b",
]

# GET status of each page for each persona (union A's report, the open period).
GET_MATRIX = {
    "period_list": {
        "admin_user": 200, "staff_user": 200, "auditor_user": 403, "county_user": 200,
        "chair_a": 200, "officer_a": 200, "chair_b": 200,
    },
    "period_detail": {
        "admin_user": 200, "staff_user": 200, "auditor_user": 404, "county_user": 200,
        "chair_a": 403, "officer_a": 403, "chair_b": 403,
    },
    "report_detail": {
        "admin_user": 200, "staff_user": 200, "auditor_user": 404, "county_user": 200,
        "chair_a": 200, "officer_a": 200, "chair_b": 404,
    },
    "report_print": {
        "admin_user": 200, "staff_user": 200, "auditor_user": 404, "county_user": 200,
        "chair_a": 200, "officer_a": 200, "chair_b": 404,
    },
    "notification_list": {p: 200 for p in PERSONAS},
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(GET_MATRIX))
def test_get_permission_matrix(request, as_user, report_a, name, persona):
    client = as_user(request.getfixturevalue(persona))
    args = {"period_detail": [report_a.period_id], "report_detail": [report_a.pk]}.get(name)
    if name == "report_print":
        args = [report_a.pk]
    assert client.get(_url(name, *(args or []))).status_code == GET_MATRIX[name][persona]


# POST status of each action (who may act): save and submit union A's draft, review it once
# submitted, open a period, set its due date, remind.
POST_MATRIX = {
    "save": {
        "admin_user": 403, "staff_user": 403, "auditor_user": 404, "county_user": 403,
        "chair_a": 302, "officer_a": 302, "chair_b": 404,
    },
    "submit": {
        "admin_user": 403, "staff_user": 403, "auditor_user": 404, "county_user": 403,
        "chair_a": 302, "officer_a": 403, "chair_b": 404,
    },
    "review": {
        "admin_user": 302, "staff_user": 302, "auditor_user": 404, "county_user": 302,
        "chair_a": 403, "officer_a": 403, "chair_b": 404,
    },
    "open": {
        "admin_user": 302, "staff_user": 302, "auditor_user": 403, "county_user": 403,
        "chair_a": 403, "officer_a": 403, "chair_b": 403,
    },
    "due": {
        "admin_user": 302, "staff_user": 302, "auditor_user": 404, "county_user": 403,
        "chair_a": 403, "officer_a": 403, "chair_b": 403,
    },
    "remind": {
        "admin_user": 302, "staff_user": 302, "auditor_user": 404, "county_user": 302,
        "chair_a": 403, "officer_a": 403, "chair_b": 403,
    },
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(POST_MATRIX))
def test_post_permission_matrix(request, as_user, chair_a, city, report_a, action, persona):
    user = request.getfixturevalue(persona)
    if action == "review":
        other = UserFactory(username="chair_a2", organisation=city.union_a)
        RoleFactory(user=other, organisation=city.union_a, role=RoleName.BRANCH_CHAIR)
        _submitted(as_user(other), report_a)
    client = as_user(user)
    period = report_a.period
    url, data = {
        "save": (_url("report_detail", report_a.pk), form_data(report_a, ENTERED)),
        "submit": (_url("report_submit", report_a.pk), form_data(report_a, ENTERED)),
        "review": (
            _url("report_review", report_a.pk),
            {**_v(report_a), "decision": "return", "reason": "补充"},
        ),
        "open": (_url("period_open"), {"year": 2026, "quarter": 2, "due_on": ""}),
        "due": (_url("period_due", period.pk), {"due_on": "2026-10-31"}),
        "remind": (_url("period_remind", period.pk), {}),
    }[action]
    assert client.post(url, data).status_code == POST_MATRIX[action][persona]


def test_actions_refuse_get(as_user, staff_user, report_a):
    client = as_user(staff_user)
    for name, args in (
        ("report_submit", [report_a.pk]),
        ("report_review", [report_a.pk]),
        ("period_remind", [report_a.period_id]),
        ("period_due", [report_a.period_id]),
        ("period_open", []),
        ("notification_read_all", []),
    ):
        assert client.get(_url(name, *args)).status_code == 405, name


# --- Periods ----------------------------------------------------------------------------------


def test_opening_a_period_defaults_the_due_date_and_creates_drafts(as_user, staff_user, city):
    client = as_user(staff_user)
    page = client.get(_url("period_list"))
    assert page.status_code == 200 and page.context["open_form"] is not None
    response = client.post(_url("period_open"), {"year": 2026, "quarter": 2, "due_on": ""})
    period = ReportPeriod.objects.get(year=2026, quarter=2)
    assert response.status_code == 302 and response["Location"] == _url("period_detail", period.pk)
    assert period.due_on == ReportPeriod.default_due(2026, 2)
    assert set(period.reports.values_list("organisation", flat=True)) >= {
        city.union_a.pk,
        city.union_b.pk,
    }
    bad = client.post(_url("period_open"), {"year": 1900, "quarter": 5})
    assert bad.status_code == 200 and bad.context["open_form"].errors


def test_changing_the_due_date(as_user, staff_user, period):
    client = as_user(staff_user)
    client.post(_url("period_due", period.pk), {"due_on": "2026-10-31"})
    period.refresh_from_db()
    assert str(period.due_on) == "2026-10-31"
    client.post(_url("period_due", period.pk), {"due_on": "2026-01-01"})  # before the quarter ends
    period.refresh_from_db()
    assert str(period.due_on) == "2026-10-31"


def test_period_progress_and_filters(as_user, county_user, staff_user, chair_a, city, period):
    _submitted(as_user(chair_a), report_of(period, city.union_a))
    county = as_user(county_user)
    page = county.get(_url("period_detail", period.pk))
    # county A reviews union A only: not its own report, not county B's unions
    assert page.context["progress"]["total"] == 1
    assert page.context["progress"]["submitted"] == 1
    staff = as_user(staff_user)
    progress = staff.get(_url("period_detail", period.pk)).context["progress"]
    assert progress["total"] == 4 and progress["submitted"] == 1 and progress["missing"] == 3
    missing = staff.get(_url("period_detail", period.pk) + "?status=missing").context["page"]
    assert {r.organisation for r in missing} == {city.union_b, city.county_a, city.county_b}
    submitted = staff.get(_url("period_detail", period.pk) + "?status=submitted").context["page"]
    assert [r.organisation for r in submitted] == [city.union_a]
    listing = staff.get(_url("period_list"))
    assert listing.context["periods"][0]["progress"]["submitted"] == 1
    assert staff.get(_url("period_detail", period.pk) + "?status=nonsense").status_code == 200


def test_filers_see_their_own_reports(as_user, chair_a, city, period):
    page = as_user(chair_a).get(_url("period_list"))
    assert [r.organisation for r in page.context["own"]] == [city.union_a]
    assert page.context["periods"] == []


def test_remind_notifies_once_a_day(as_user, staff_user, chair_a, officer_a, chair_b, period):
    client = as_user(staff_user)
    client.post(_url("period_remind", period.pk))
    reminders = Notification.objects.filter(kind="reminder")
    assert set(reminders.values_list("recipient", flat=True)) == {
        chair_a.pk,
        officer_a.pk,
        chair_b.pk,
    }
    count = reminders.count()
    client.post(_url("period_remind", period.pk))
    assert reminders.count() == count


def test_county_reminds_only_its_scope(as_user, county_user, chair_a, chair_b, period):
    as_user(county_user).post(_url("period_remind", period.pk))
    assert set(Notification.objects.values_list("recipient", flat=True)) == {chair_a.pk}


def test_period_page_of_a_period_without_my_reports_is_404(as_user, county_user, city):
    period = ReportPeriod.objects.create(year=2025, quarter=1, due_on="2025-04-15")
    QuarterlyReport.objects.create(period=period, organisation=city.union_b)
    client = as_user(county_user)
    assert client.get(_url("period_detail", period.pk)).status_code == 404
    assert client.post(_url("period_remind", period.pk)).status_code == 404
    assert not Notification.objects.exists()


# --- To-do and navigation -----------------------------------------------------------------------


def test_todo_items_for_filers_and_reviewers(as_user, chair_a, county_user, city, period):
    from unionportal.core.todo import todo_items

    labels = {i.url: i.count for i in todo_items(chair_a)}
    report_a = report_of(period, city.union_a)
    assert labels.get(_url("report_detail", report_a.pk)) == 1
    _submitted(as_user(chair_a), report_a)
    items = {i.url: i.count for i in todo_items(county_user)}
    assert items.get(_url("period_detail", period.pk) + "?status=submitted") == 1
    page = as_user(county_user).get(reverse("todo_panel"))
    assert (_url("period_detail", period.pk) + "?status=submitted") in page.content.decode()


def test_nav_shows_reports_to_those_who_report(as_user, chair_a, auditor_user, city):
    assert (
        'data-testid="nav-reports"' in as_user(chair_a).get(reverse("dashboard")).content.decode()
    )
    html = as_user(auditor_user).get(reverse("audit_log")).content.decode()
    assert 'data-testid="nav-reports"' not in html
