"""Money is exact on SQLite and PostgreSQL (issue 13 item 1). SQLite stores decimals as floats
and its SUM adds floats: these tests also run on a SQLite file (`make test-money-sqlite`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from members.models import DuesRecord
from tests.factories import MemberFactory
from unionportal.core.money import money_sum
from unionportal.reporting.models import StatSnapshot
from unionportal.reporting.rollup import stats_rollup
from unionportal.reporting.sources import figures_for
from welfare import services
from welfare.models import CondolenceVisit, ReliefApplication, ReliefStatus

from .conftest import on_notice

pytestmark = [pytest.mark.django_db, pytest.mark.money]

BUDGET = Decimal("1032000.00")
PAYMENT = Decimal("1218.42")
LAST = Decimal("1216.68")  # 846 x 1,218.42 + 1,216.68 = 1,032,000.00 exactly
AFTER = date(2026, 3, 9)  # on_notice's 7 notice days have run


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def drive(city, admin_user, member_a):
    """A 送温暖 drive with ¥1,032,000.00 and 846 approved payments of ¥1,218.42 in it (the
    precondition is written in bulk; the payment at the boundary goes through the service)."""
    campaign = services.campaign_create(
        actor=admin_user,
        organisation=city.city,
        name="2026年送温暖",
        kind="winter",
        year=2026,
        budget="1032000.00",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    ReliefApplication.objects.bulk_create(
        ReliefApplication(
            organisation=city.union_a,
            member=member_a,
            campaign=campaign,
            kind="winter",
            year=2026,
            reason="送温暖",
            amount_requested=PAYMENT,
            amount_approved=PAYMENT,
            status=ReliefStatus.APPROVED,
        )
        for _ in range(846)
    )
    return campaign


def test_the_last_exact_payment_spends_the_budget_to_the_fen(
    drive, city, chair_a, county_user, staff_user, admin_user
):
    assert services.campaign_spent(drive.pk) == Decimal("1030783.32")
    other = MemberFactory(organisation=city.union_a)
    app = on_notice(other, chair_a, county_user, kind="winter", amount=str(LAST), campaign=drive)
    services.relief_approve(actor=staff_user, application=app, amount_approved=LAST, today=AFTER)
    spent = services.campaign_spent(drive.pk)
    assert spent == BUDGET and str(spent) == "1032000.00"
    assert services.campaigns_spent([drive.pk]) == {drive.pk: BUDGET}
    figures = services.campaign_figures(drive)
    assert figures["remaining"] == Decimal("0.00")
    # The budget can be raised and set back to exactly what is spent, not a fen below.
    services.campaign_set_budget(actor=admin_user, campaign=drive, budget="1100000", reason="追加")
    services.campaign_set_budget(
        actor=admin_user, campaign=drive, budget="1032000.00", reason="恢复"
    )
    with pytest.raises(ValidationError, match="less than what is spent"):
        services.campaign_set_budget(
            actor=admin_user, campaign=drive, budget="1031999.99", reason="x"
        )
    # One more fen is refused.
    with pytest.raises(ValidationError, match="overspend"):
        services.visit_record(
            actor=chair_a,
            member=other,
            occasion="festival",
            visited_on=date(2026, 2, 1),
            in_cash=False,
            amount="0.01",
            visitors="张主席",
            campaign=drive,
        )


def test_a_payment_one_fen_over_the_budget_is_refused(
    drive, city, chair_a, county_user, staff_user
):
    other = MemberFactory(organisation=city.union_a)
    app = on_notice(other, chair_a, county_user, kind="winter", amount="1216.69", campaign=drive)
    with pytest.raises(ValidationError, match="overspend"):
        services.relief_approve(
            actor=staff_user, application=app, amount_approved="1216.69", today=AFTER
        )


def test_money_sum_is_exact_in_aggregate_and_annotate(drive):
    rows = ReliefApplication.objects.filter(campaign=drive)
    total = rows.aggregate(s=money_sum("amount_approved"))["s"]
    assert total == Decimal("1030783.32") and str(total) == "1030783.32"
    grouped = rows.values("campaign_id").annotate(s=money_sum("amount_approved"))
    assert [r["s"] for r in grouped] == [Decimal("1030783.32")]
    none = rows.filter(pk=0).aggregate(s=money_sum("amount_approved"))["s"]
    assert none is None  # no rows: None, as Sum gives


def test_the_snapshot_and_the_report_figures_are_exact(city, member_a):
    visits = [PAYMENT] * 846 + [LAST]
    CondolenceVisit.objects.bulk_create(
        CondolenceVisit(
            organisation=city.union_a,
            member=member_a,
            occasion="festival",
            visited_on=date(2026, 1, 20),
            amount=amount,
            visitors="张主席",
        )
        for amount in visits
    )
    DuesRecord.objects.bulk_create(
        DuesRecord(
            member=MemberFactory(organisation=city.union_a),
            organisation=city.union_a,
            month=date(2026, 1, 1),
            wage_base=Decimal("4560.00"),
            amount=Decimal("22.81"),
            paid_on=date(2026, 1, 10),
        )
        for _ in range(3)
    )
    stats_rollup(month=date(2026, 1, 1), today=date(2026, 2, 1))
    for org in (city.union_a, city.county_a, city.city):
        snap = StatSnapshot.objects.get(organisation=org, month=date(2026, 1, 1))
        assert snap.visits_amount == BUDGET
        assert snap.dues_collected == Decimal("68.43")
    figures = figures_for(city.city, date(2026, 1, 1), date(2026, 1, 31))
    assert figures["visits_amount"] == BUDGET and str(figures["visits_amount"]) == "1032000.00"
    assert figures["dues_collected"] == Decimal("68.43")
    assert figures["relief_amount"] == Decimal("0.00")
