"""The welfare rules: categories, the relief workflow, four eyes, notice, caps, duplicates,
visits and campaign budgets."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from members.models import RoleName, User
from tests.factories import RoleFactory, UserFactory
from welfare import services
from welfare.models import (
    CondolenceRule,
    CondolenceVisit,
    HardshipCategory,
    NoticeRule,
    PovertyLine,
    ReliefApplication,
    ReliefDecision,
    ReliefPayment,
    ReliefStatus,
)

from .conftest import on_notice
from .helpers import verify_and_notice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the services' messages in the source language (the UI shows them in
    Chinese, which the view tests check)."""
    with translation.override("en"):
        yield


S = ReliefStatus
DAY = date(2026, 3, 2)
AFTER = date(2026, 3, 9)  # the default 7 notice days have run


# --- Categories ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "net, accident, expected",
    [
        ("799.99", False, HardshipCategory.DEEP),
        ("800.00", False, HardshipCategory.RELATIVE),  # exactly 1x the line
        ("1599.99", False, HardshipCategory.RELATIVE),
        ("1600.00", False, ""),  # exactly 2x the line
        ("1600.00", True, HardshipCategory.ACCIDENTAL),
    ],
)
def test_the_category_follows_the_line_at_the_boundaries(net, accident, expected):
    got = services.categorise(
        net_per_capita=Decimal(net), line=Decimal("800.00"), accident=accident
    )
    assert got == expected


def test_a_file_uses_the_line_of_the_members_region_and_year(city, chair_a, member_a):
    city.county_a.region_code = "420502"
    city.county_a.save()
    PovertyLine.objects.create(
        region_code="420502", year=2026, monthly_amount=Decimal("900"), effective_from=DAY
    )
    # 3 people, 39,600 income, 7,200 illness: (39600-7200)/3/12 = 900.00 -> exactly 1x
    f = services.file_open(
        actor=chair_a,
        member=member_a,
        year=2026,
        household_size=3,
        annual_income=Decimal("39600"),
        illness_costs=Decimal("7200"),
    )
    assert f.poverty_line == Decimal("900")
    assert f.net_per_capita == Decimal("900.00")
    assert f.suggested_category == HardshipCategory.RELATIVE
    g = services.file_update(actor=chair_a, hardship_file=f, annual_income=Decimal("39599"))
    assert g.suggested_category == HardshipCategory.DEEP


def test_a_file_moves_through_its_states_and_closes_with_a_reason(chair_a, member_a):
    f = services.file_open(
        actor=chair_a, member=member_a, year=2026, household_size=2, annual_income=Decimal("0")
    )
    assert f.category == HardshipCategory.DEEP
    with pytest.raises(ValidationError):
        services.file_set_status(actor=chair_a, hardship_file=f, to_status="closed", reason="x")
    f = services.file_set_status(actor=chair_a, hardship_file=f, to_status="submitted")
    verify_and_notice(f, approve_on=DAY)
    # Approving is the federation's decision (the approver's permission is tested in the views).
    f = services.file_set_status(actor=None, hardship_file=f, to_status="approved", today=DAY)
    assert f.review_due == date(2026, 9, 2)
    assert list(services.files_due_for_review(chair_a, today=date(2026, 9, 2))) == [f]
    with pytest.raises(ValidationError):
        services.file_set_status(actor=chair_a, hardship_file=f, to_status="closed", reason=" ")
    f = services.file_set_status(
        actor=chair_a, hardship_file=f, to_status="closed", reason="再就业，脱困"
    )
    assert f.closed_on and f.close_reason == "再就业，脱困"


def test_a_member_has_one_open_file_at_a_time(chair_a, member_a):
    services.file_open(actor=chair_a, member=member_a, year=2026, household_size=1)
    with pytest.raises(ValidationError):
        services.file_open(actor=chair_a, member=member_a, year=2026, household_size=1)


# --- Workflow ------------------------------------------------------------------------------


def test_the_whole_workflow_records_every_decision(chair_a, county_user, staff_user, member_a):
    app = on_notice(member_a, chair_a, county_user)
    assert app.status == S.ON_NOTICE and app.notice_ends == AFTER
    app = services.relief_approve(
        actor=staff_user, application=app, amount_approved=Decimal("800"), today=AFTER
    )
    assert app.status == S.APPROVED and app.amount_approved == Decimal("800.00")
    app = services.relief_pay(
        actor=staff_user, application=app, paid_on=AFTER, reference="BANK-001"
    )
    assert app.status == S.PAID
    assert app.payment.reference == "BANK-001" and app.payment.amount == Decimal("800.00")
    actions = list(app.decisions.values_list("action", "actor__username"))
    assert actions == [
        ("draft", "chair_a"),
        ("submit", "chair_a"),
        ("review", "county"),
        ("notice", "county"),
        ("approve", "staff"),
        ("pay", "staff"),
    ]


def test_the_notice_days_come_from_the_rule_table(chair_a, county_user, member_a):
    NoticeRule.objects.create(days=5, effective_from=date(2026, 1, 1))
    app = on_notice(member_a, chair_a, county_user)
    assert app.notice_ends == date(2026, 3, 7)


def test_approval_is_refused_while_the_notice_runs(chair_a, county_user, staff_user, member_a):
    app = on_notice(member_a, chair_a, county_user)
    with pytest.raises(ValidationError, match="notice"):
        services.relief_approve(
            actor=staff_user, application=app, amount_approved=Decimal("1"), today=date(2026, 3, 8)
        )
    assert ReliefApplication.objects.get(pk=app.pk).status == S.ON_NOTICE


@pytest.mark.parametrize("step", ["review", "notice", "approve", "pay", "submit"])
def test_forbidden_transitions_are_refused(chair_a, county_user, staff_user, member_a, step):
    app = services.relief_create(
        actor=chair_a, member=member_a, kind="temporary", reason="x", amount_requested="100"
    )
    if step == "submit":
        app = services.relief_submit(actor=chair_a, application=app, home_visit="走访")
    calls = {
        "review": lambda: services.relief_review(
            actor=county_user, application=app, income_verification="ok"
        ),
        "notice": lambda: services.relief_start_notice(actor=county_user, application=app),
        "approve": lambda: services.relief_approve(
            actor=staff_user, application=app, amount_approved="1", today=AFTER
        ),
        "pay": lambda: services.relief_pay(
            actor=staff_user, application=app, paid_on=AFTER, reference="R"
        ),
        "submit": lambda: services.relief_submit(actor=chair_a, application=app, home_visit="x"),
    }
    with pytest.raises(ValidationError):
        calls[step]()


def test_a_rejection_needs_a_reason_and_ends_the_case(chair_a, county_user, member_a):
    app = services.relief_create(
        actor=chair_a, member=member_a, kind="temporary", reason="x", amount_requested="100"
    )
    app = services.relief_submit(actor=chair_a, application=app, home_visit="走访")
    with pytest.raises(ValidationError):
        services.relief_reject(actor=county_user, application=app, reason="")
    app = services.relief_reject(actor=county_user, application=app, reason="收入超标")
    assert app.status == S.REJECTED
    with pytest.raises(ValidationError):
        services.relief_review(actor=county_user, application=app, income_verification="ok")


def test_submitting_needs_the_home_visit_and_a_chair(chair_a, officer_a, member_a):
    app = services.relief_create(
        actor=officer_a, member=member_a, kind="living", reason="x", amount_requested="100"
    )
    with pytest.raises(PermissionDenied):
        services.relief_submit(actor=officer_a, application=app, home_visit="走访")
    with pytest.raises(ValidationError):
        services.relief_submit(actor=chair_a, application=app, home_visit=" ")


@pytest.mark.parametrize("amount", ["0", "-5", "1000.01"])
def test_the_approved_amount_is_positive_and_at_most_the_request(
    chair_a, county_user, staff_user, member_a, amount
):
    app = on_notice(member_a, chair_a, county_user)
    with pytest.raises(ValidationError):
        services.relief_approve(
            actor=staff_user, application=app, amount_approved=Decimal(amount), today=AFTER
        )


# --- Four eyes -----------------------------------------------------------------------------


def test_the_reviewer_cannot_approve(chair_a, staff_user, staff2, member_a):
    app = on_notice(member_a, chair_a, staff_user)
    with pytest.raises(ValidationError, match="reviewed"):
        services.relief_approve(
            actor=staff_user, application=app, amount_approved="10", today=AFTER
        )
    services.relief_approve(actor=staff2, application=app, amount_approved="10", today=AFTER)


def test_the_submitter_can_neither_review_nor_approve(city, member_a, staff_user, staff2):
    # a person who holds both a chair role and a staff role
    both = UserFactory(username="both", organisation=city.union_a)
    RoleFactory(user=both, organisation=city.union_a, role=RoleName.BRANCH_CHAIR)
    RoleFactory(user=both, organisation=city.city, role=RoleName.FEDERATION_STAFF)
    app = services.relief_create(
        actor=both, member=member_a, kind="temporary", reason="x", amount_requested="100"
    )
    app = services.relief_submit(actor=both, application=app, home_visit="走访")
    with pytest.raises(ValidationError, match="submitted"):
        services.relief_review(actor=both, application=app, income_verification="ok")
    app = services.relief_review(actor=staff_user, application=app, income_verification="ok")
    app = services.relief_start_notice(actor=staff_user, application=app, today=DAY)
    with pytest.raises(ValidationError, match="submitted"):
        services.relief_approve(actor=both, application=app, amount_approved="10", today=AFTER)


def test_union_staff_cannot_approve_and_a_chair_cannot_review(
    chair_a, county_user, staff_user, member_a
):
    app = on_notice(member_a, chair_a, staff_user)
    with pytest.raises(PermissionDenied):
        services.relief_approve(
            actor=county_user, application=app, amount_approved="10", today=AFTER
        )
    other = services.relief_create(
        actor=chair_a, member=member_a, kind="winter", reason="x", amount_requested="100"
    )
    other = services.relief_submit(actor=chair_a, application=other, home_visit="走访")
    with pytest.raises(PermissionDenied):
        services.relief_review(actor=chair_a, application=other, income_verification="ok")


# --- Checks and overrides ------------------------------------------------------------------


def test_breaking_the_yearly_cap_needs_an_override_with_a_reason(
    chair_a, county_user, staff_user, member_a
):
    # temporary relief: 3,000 a person a year by default
    first = on_notice(member_a, chair_a, county_user, amount="2500")
    services.relief_approve(
        actor=staff_user, application=first, amount_approved="2500", today=AFTER
    )
    second = on_notice(member_a, chair_a, county_user, amount="1000")
    checks = services.relief_checks(actor=staff_user, application=second)
    assert checks.cap == Decimal("3000") and checks.used_this_year == Decimal("2500")
    assert checks.over_cap
    with pytest.raises(ValidationError, match="override"):
        services.relief_approve(
            actor=staff_user, application=second, amount_approved="1000", today=AFTER
        )
    # within the cap no override is needed
    services.relief_approve(
        actor=staff_user, application=second, amount_approved="500", today=AFTER
    )
    third = on_notice(member_a, chair_a, county_user, amount="1000")
    app = services.relief_approve(
        actor=staff_user,
        application=third,
        amount_approved="1000",
        override_reason="重大疾病，经党组会研究同意",
        today=AFTER,
    )
    assert app.override_reason.startswith("重大疾病")
    assert "重大疾病" in app.decisions.get(action="approve").comment


def test_a_kind_that_needs_a_hardship_file_asks_for_an_override_without_one(
    chair_a, county_user, staff_user, member_a
):
    app = on_notice(member_a, chair_a, county_user, kind="living", amount="100")
    checks = services.relief_checks(actor=staff_user, application=app)
    assert checks.needs_file and not checks.has_open_file and checks.missing_file
    with pytest.raises(ValidationError):
        services.relief_approve(
            actor=staff_user, application=app, amount_approved="100", today=AFTER
        )


def test_the_same_person_helped_by_another_union_is_found_and_masked(
    city, chair_a, chair_b, county_user, staff_user, member_a
):
    # the same person was a member of union B earlier this year (a transfer moved them)
    app_b = on_notice(member_a, chair_a, staff_user, amount="300")
    ReliefApplication.objects.filter(pk=app_b.pk).update(organisation=city.union_b)
    app_a = on_notice(member_a, chair_a, county_user, amount="200")
    checks = services.relief_checks(actor=county_user, application=app_a)
    assert len(checks.duplicates) == 1
    dup = checks.duplicates[0]
    assert dup["pk"] is None and dup["union"] != city.union_b.name
    assert dup["resident_id"] == member_a.resident_id_masked
    assert "*" in dup["resident_id"]
    # the federation staff sees the other union's case
    assert services.relief_checks(actor=staff_user, application=app_a).duplicates[0]["pk"]


# --- Concurrency (PostgreSQL) --------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_give_one_approval_and_one_conflict(
    chair_a, county_user, staff_user, staff2, member_a
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    app = on_notice(member_a, chair_a, county_user)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user_pk: int) -> None:
        from django.db import connection as thread_connection

        try:
            actor = User.objects.get(pk=user_pk)
            stale = ReliefApplication.objects.get(pk=app.pk)
            barrier.wait(timeout=10)
            services.relief_approve(
                actor=actor, application=stale, amount_approved="900", today=AFTER
            )
            outcomes.append("approved")
        except services.Conflict:
            outcomes.append("conflict")
        except Exception as exc:  # pragma: no cover - shown in the assertion
            outcomes.append(repr(exc))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=approve, args=(u.pk,)) for u in (staff_user, staff2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["approved", "conflict"]
    assert ReliefPayment.objects.filter(application=app).count() == 1
    assert ReliefDecision.objects.filter(application=app, action="approve").count() == 1


# --- Visits --------------------------------------------------------------------------------


def test_the_yearly_cap_per_occasion_is_enforced(chair_a, member_a):
    services.visit_record(
        actor=chair_a,
        member=member_a,
        occasion="illness",
        visited_on=DAY,
        in_cash=True,
        amount="600",
        visitors="张主席",
    )
    with pytest.raises(ValidationError, match="400"):
        services.visit_record(
            actor=chair_a,
            member=member_a,
            occasion="illness",
            visited_on=DAY,
            in_cash=True,
            amount="500",
            visitors="张主席",
        )
    services.visit_record(
        actor=chair_a,
        member=member_a,
        occasion="illness",
        visited_on=date(2025, 12, 20),  # another year (not in the future)
        in_cash=True,
        amount="500",
        visitors="张主席",
    )
    assert CondolenceVisit.objects.count() == 2


def test_cash_is_refused_where_the_rule_forbids_it(chair_a, member_a):
    with pytest.raises(ValidationError) as err:
        services.visit_record(
            actor=chair_a,
            member=member_a,
            occasion="festival",
            visited_on=DAY,
            in_cash=True,
            amount="100",
            visitors="张主席",
        )
    assert "in_cash" in err.value.error_dict
    CondolenceRule.objects.create(
        occasion="festival", yearly_cap="1500", cash_allowed=True, effective_from=DAY
    )
    services.visit_record(
        actor=chair_a,
        member=member_a,
        occasion="festival",
        visited_on=DAY,
        in_cash=True,
        amount="1400",
        visitors="张主席",
    )


def test_the_birthday_cap_is_seeded(chair_a, member_a):
    assert services.condolence_rule("birthday", DAY).yearly_cap == Decimal("300")


# --- Campaigns -----------------------------------------------------------------------------


def test_a_campaign_budget_cannot_be_overspent_until_an_admin_raises_it(
    city, chair_a, county_user, staff_user, admin_user, member_a
):
    campaign = services.campaign_create(
        actor=admin_user,
        organisation=city.city,
        name="送温暖",
        kind="winter",
        year=2026,
        budget="1000",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 2, 28),
    )
    services.visit_record(
        actor=chair_a,
        member=member_a,
        occasion="bereavement",
        visited_on=DAY,
        in_cash=True,
        amount="600",
        visitors="张主席",
        campaign=campaign,
    )
    app = on_notice(member_a, chair_a, county_user, kind="winter", amount="500", campaign=campaign)
    with pytest.raises(ValidationError, match="budget"):
        services.relief_approve(
            actor=staff_user, application=app, amount_approved="500", today=AFTER
        )
    with pytest.raises(PermissionDenied):
        services.campaign_set_budget(actor=staff_user, campaign=campaign, budget="2000", reason="x")
    services.campaign_set_budget(actor=admin_user, campaign=campaign, budget="2000", reason="追加")
    services.relief_approve(actor=staff_user, application=app, amount_approved="500", today=AFTER)
    campaign.refresh_from_db()
    figures = services.campaign_figures(campaign)
    assert figures["spent"] == Decimal("1100") and figures["remaining"] == Decimal("900")
    assert figures["people"] == 1 and figures["enterprises"] == 1


def test_a_failure_mid_approval_leaves_nothing_half_written(
    monkeypatch, chair_a, county_user, staff_user, member_a
):
    app = on_notice(member_a, chair_a, county_user)

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ReliefPayment.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.relief_approve(
            actor=staff_user, application=app, amount_approved="10", today=AFTER
        )
    app.refresh_from_db()
    assert app.status == S.ON_NOTICE and app.amount_approved is None
    assert not app.decisions.filter(action="approve").exists()
