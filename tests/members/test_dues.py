"""Dues (domain.md D): the arithmetic, monthly generation, payments, arrears, lapse candidates
and wage bases."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from members import services
from members.dues import add_months, monthly_dues, parse_month
from members.models import DuesRecord, FundRecord, MemberStatus, RemittanceRule, WageBase

from .dues_helpers import MARCH, expected_dues, member, record

# --- Arithmetic ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wage, dues",
    [
        ("4567.89", "22.80"),  # 4,560 x 0.5%
        ("9.99", "0.00"),  # below ¥10 nothing is left
        ("10", "0.05"),
        ("12345.67", "61.70"),  # 12,340 x 0.5%
        ("0", "0.00"),
        ("0.01", "0.00"),
        ("19.99", "0.05"),
        ("20.00", "0.10"),
        ("2999.99", "14.95"),  # 2,990 x 0.5%
        ("3000", "15.00"),
        ("5005.00", "25.00"),
        ("8888.88", "44.40"),
        ("1000000.00", "5000.00"),
    ],
)
def test_dues_are_half_a_percent_of_the_wage_less_its_part_below_ten_yuan(wage, dues):
    assert monthly_dues(Decimal(wage)) == Decimal(dues)
    assert str(monthly_dues(Decimal(wage))) == dues  # two places, exactly


def test_dues_match_whole_tens_times_five_fen_on_many_wages():
    for fen in range(0, 3_000_000, 997):
        wage = Decimal(fen) / 100
        assert monthly_dues(wage) == expected_dues(wage), wage


def test_a_negative_wage_is_refused():
    with pytest.raises(ValueError):
        monthly_dues(Decimal("-0.01"))


def test_a_float_wage_is_refused():
    with pytest.raises(TypeError):
        monthly_dues(4567.89)


def test_months_are_parsed_strictly():
    assert parse_month("2026-03") == date(2026, 3, 1)
    for bad in ("2026-13", "2026/03", "03-2026", "", "2026-3-1"):
        with pytest.raises(ValueError):
            parse_month(bad)
    assert add_months(date(2025, 11, 1), 3) == date(2026, 2, 1)
    assert add_months(date(2025, 1, 1), -1) == date(2024, 12, 1)


# --- Generation ------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def test_generation_computes_in_sql_exactly_what_python_computes(city):
    wages = ["4567.89", "9.99", "10.00", "12345.67", "0.00", "19.99", "2999.99", "8888.88"]
    wages += [str(Decimal(n * 7919 % 2_500_000) / 100) for n in range(1, 90)]
    made = [member(city.union_a, w) for w in wages]
    assert services.dues_generate(month=MARCH) == len(made)
    rows = DuesRecord.objects.filter(month=MARCH).values_list("wage_base", "amount")
    assert len(rows) == len(made)
    for base, amount in rows:
        assert amount == monthly_dues(base) == expected_dues(base), base


def test_only_active_members_who_had_joined_by_the_month_owe_dues(city):
    active = member(city.union_a)
    joined_in_march = member(city.union_a, joined_on=date(2025, 3, 31))
    member(city.union_a, status=MemberStatus.RETAINED)
    member(city.union_a, status=MemberStatus.APPLIED)
    member(city.union_a, status=MemberStatus.WITHDRAWN)
    member(city.union_a, joined_on=date(2025, 4, 1))
    services.dues_generate(month=MARCH)
    owing = set(DuesRecord.objects.values_list("member_id", flat=True))
    assert owing == {active.pk, joined_in_march.pk}


def test_the_wage_base_in_force_that_month_is_used(city):
    m = member(city.union_a, "9000.00")
    WageBase.objects.create(member=m, effective_month=date(2025, 1, 1), amount=Decimal("3000"))
    WageBase.objects.create(member=m, effective_month=date(2025, 6, 1), amount=Decimal("5000"))
    late = member(city.union_a, "7000.00")
    WageBase.objects.create(member=late, effective_month=date(2025, 6, 1), amount=Decimal("1"))
    plain = member(city.union_a, "4567.89")
    for month in (MARCH, date(2025, 7, 1)):
        services.dues_generate(month=month)
    by = {(r.member_id, r.month): r for r in DuesRecord.objects.all()}
    assert by[m.pk, MARCH].wage_base == Decimal("3000") and by[m.pk, MARCH].amount == 15
    assert by[m.pk, date(2025, 7, 1)].wage_base == Decimal("5000")
    # A base that starts after the month does not reach back: the member's own base applies.
    assert by[late.pk, MARCH].wage_base == Decimal("7000")
    assert by[plain.pk, MARCH].amount == Decimal("22.80")


def test_generating_twice_inserts_nothing_the_second_time(city):
    for _ in range(3):
        member(city.union_a)
    assert services.dues_generate(month=MARCH) == 3
    assert services.dues_generate(month=MARCH) == 0
    assert DuesRecord.objects.count() == 3


def test_a_record_keeps_the_union_the_member_belonged_to(city):
    m = member(city.branch_a)
    services.dues_generate(month=MARCH)
    m.organisation = city.union_b
    m.save()
    services.dues_generate(month=date(2025, 4, 1))
    orgs = dict(DuesRecord.objects.values_list("month", "organisation_id"))
    assert orgs == {MARCH: city.branch_a.pk, date(2025, 4, 1): city.union_b.pk}


@time_machine.travel("2026-03-15 10:00 +0800", tick=False)
def test_dues_are_not_generated_for_a_future_month(city):
    member(city.union_a)
    with pytest.raises(ValidationError):
        services.dues_generate(month=date(2026, 4, 1))
    assert services.dues_generate(month=date(2026, 3, 1)) == 1


def test_money_can_never_be_negative_even_past_the_services(city):
    m = member(city.union_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        record(m, MARCH, amount="-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        WageBase.objects.create(member=m, effective_month=MARCH, amount=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FundRecord.objects.create(
            organisation=city.union_a,
            month=MARCH,
            payroll=-1,
            levy=0,
            retained=0,
            rule=RemittanceRule.objects.first(),
        )


# --- Payments --------------------------------------------------------------------------------


def test_a_member_pays_several_months_at_once(city, chair_a):
    m = member(city.union_a)
    for month in (1, 2, 3):
        record(m, date(2025, month, 1))
    marked = services.dues_record_member_payment(
        actor=chair_a,
        member=m,
        months=[date(2025, 1, 1), date(2025, 3, 1)],
        paid_on=date(2025, 4, 2),
        paid_how="cash",
    )
    assert marked == 2
    paid = dict(DuesRecord.objects.values_list("month", "paid_on"))
    assert paid == {
        date(2025, 1, 1): date(2025, 4, 2),
        date(2025, 2, 1): None,
        date(2025, 3, 1): date(2025, 4, 2),
    }
    assert DuesRecord.objects.filter(paid_how="cash", recorded_by=chair_a).count() == 2
    entry = LogEntry.objects.get(additional_data__event="dues.paid")
    assert entry.object_pk == str(m.pk) and entry.additional_data["months"] == [
        "2025-01",
        "2025-03",
    ]


def test_a_month_already_paid_keeps_its_first_payment(city, chair_a):
    m = member(city.union_a)
    record(m, MARCH, paid_on=date(2025, 3, 10))
    marked = services.dues_record_member_payment(
        actor=chair_a, member=m, months=[MARCH], paid_on=date(2025, 4, 1), paid_how="cash"
    )
    assert marked == 0
    assert DuesRecord.objects.get().paid_on == date(2025, 3, 10)


def test_a_payment_date_in_the_future_is_refused(city, chair_a):
    m = member(city.union_a)
    record(m, MARCH)
    with pytest.raises(ValidationError) as exc:
        services.dues_record_member_payment(
            actor=chair_a, member=m, months=[MARCH], paid_on=date(2099, 1, 1), paid_how="cash"
        )
    assert "paid_on" in exc.value.message_dict
    assert DuesRecord.objects.get().paid_on is None


def test_another_unions_chair_cannot_record_payments(city, chair_b):
    m = member(city.union_a)
    record(m, MARCH)
    with pytest.raises(PermissionDenied):
        services.dues_record_member_payment(
            actor=chair_b, member=m, months=[MARCH], paid_on=date(2025, 4, 1), paid_how="cash"
        )
    with pytest.raises(PermissionDenied):
        services.dues_record_union_payment(
            actor=chair_b,
            organisation=city.union_a,
            month=MARCH,
            paid_on=date(2025, 4, 1),
            paid_how="payroll",
        )
    assert DuesRecord.objects.get().paid_on is None


def test_a_whole_union_month_is_paid_in_one_go_branches_included(city, officer_a):
    in_union, in_branch, paid = (member(city.union_a), member(city.branch_a), member(city.union_a))
    other_union = member(city.union_b)
    for m in (in_union, in_branch, other_union):
        record(m, MARCH)
    record(paid, MARCH, paid_on=date(2025, 3, 5))
    record(in_union, date(2025, 2, 1))
    marked = services.dues_record_union_payment(
        actor=officer_a,
        organisation=city.union_a,
        month=MARCH,
        paid_on=date(2025, 3, 31),
        paid_how="payroll",
    )
    assert marked == 2
    march = DuesRecord.objects.filter(month=MARCH)
    assert set(march.filter(paid_on=date(2025, 3, 31)).values_list("member_id", flat=True)) == {
        in_union.pk,
        in_branch.pk,
    }
    assert march.get(member=paid).paid_on == date(2025, 3, 5)
    assert march.get(member=other_union).paid_on is None
    assert DuesRecord.objects.get(month=date(2025, 2, 1)).paid_on is None
    entry = LogEntry.objects.get(additional_data__event="dues.union_month_paid")
    assert entry.additional_data["records"] == 2 and entry.actor == officer_a


def test_a_union_month_is_paid_at_a_union_not_at_a_federation(city, admin_user):
    with pytest.raises(ValidationError):
        services.dues_record_union_payment(
            actor=admin_user,
            organisation=city.city,
            month=MARCH,
            paid_on=date(2025, 3, 31),
            paid_how="payroll",
        )


def test_a_county_pays_only_for_the_members_it_holds_itself(city, county_user):
    held = member(city.county_a)
    below = member(city.union_a)
    record(held, MARCH, amount="10.00")
    record(below, MARCH, amount="20.00")
    marked = services.dues_record_union_payment(
        actor=county_user,
        organisation=city.county_a,
        month=MARCH,
        paid_on=date(2025, 3, 31),
        paid_how="payroll",
    )
    assert marked == 1
    assert DuesRecord.objects.get(member=held).paid_on == date(2025, 3, 31)
    assert DuesRecord.objects.get(member=below).paid_on is None


def test_a_payment_refreshes_the_months_rollup_once_committed(
    city, chair_a, django_capture_on_commit_callbacks
):
    m = member(city.union_a)
    record(m, MARCH, amount="25.00")
    services.dues_rollup(month=MARCH)
    with django_capture_on_commit_callbacks(execute=True):
        services.dues_record_union_payment(
            actor=chair_a,
            organisation=city.union_a,
            month=MARCH,
            paid_on=date(2025, 3, 31),
            paid_how="payroll",
        )
    from members.models import DuesRollup

    assert DuesRollup.objects.get(organisation=city.city, month=MARCH).subtree_collected == 25


# --- Arrears and lapse candidates ------------------------------------------------------------


def test_arrears_are_the_unpaid_months_and_their_sum(city):
    m = member(city.union_a)
    record(m, date(2025, 1, 1), "20.00")
    record(m, date(2025, 2, 1), "20.00", paid_on=date(2025, 2, 28))
    record(m, date(2025, 3, 1), "22.80")
    arrears = services.arrears_for(m)
    assert arrears.months == 2 and arrears.total == Decimal("42.80")
    assert [r.month for r in arrears.records] == [date(2025, 1, 1), date(2025, 3, 1)]


def _unpaid_run(m, first: date, n: int, paid: set[int] = frozenset()):
    for i in range(n):
        month = add_months(first, i)
        record(m, month, paid_on=month if i in paid else None)


def test_six_months_unpaid_make_a_lapse_candidate_and_five_do_not(city):
    six = member(city.union_a)
    _unpaid_run(six, date(2025, 1, 1), 6)
    five = member(city.union_a)
    _unpaid_run(five, date(2025, 1, 1), 6, paid={0})  # January paid: 5 unpaid in the window
    joined_late = member(city.branch_a)
    _unpaid_run(joined_late, date(2025, 2, 1), 5)  # only 5 records exist
    retained = member(city.union_a, status=MemberStatus.RETAINED)
    _unpaid_run(retained, date(2025, 1, 1), 6)
    june = date(2025, 6, 1)
    assert list(services.lapse_candidates(city.union_a, june)) == [six]
    found = services.lapse_candidates(city.union_a, june).get()
    assert found.arrears_months == 6 and found.arrears_total == Decimal("150.00")
    assert found.first_unpaid == date(2025, 1, 1)
    # One month earlier the window starts in December, when nothing was owed yet.
    assert not services.lapse_candidates(city.union_a, date(2025, 5, 1)).exists()
    # A month paid at the end of the window breaks the run.
    record(six, date(2025, 7, 1), paid_on=date(2025, 7, 20))
    assert not services.lapse_candidates(city.union_a, date(2025, 7, 1)).exists()


def test_lapse_candidates_stay_within_the_subtree_asked_for(city):
    m = member(city.union_b)
    _unpaid_run(m, date(2025, 1, 1), 6)
    assert not services.lapse_candidates(city.union_a, date(2025, 6, 1)).exists()
    assert list(services.lapse_candidates(city.county_b, date(2025, 6, 1))) == [m]
    assert list(services.lapse_candidates(city.city, date(2025, 6, 1))) == [m]


# --- Wage bases ------------------------------------------------------------------------------


@time_machine.travel("2026-03-15 10:00 +0800", tick=False)
def test_a_new_wage_base_applies_from_its_month_and_updates_the_member(city, chair_a):
    m = member(city.union_a, "4000.00", joined_on=date(2024, 1, 1))
    services.wage_base_set(
        actor=chair_a, member=m, month=date(2026, 2, 1), amount=Decimal("6000.00")
    )
    m.refresh_from_db()
    assert m.wage_base == Decimal("6000.00") and m.version == 1
    # A raise announced for next month does not change this month's base yet.
    services.wage_base_set(
        actor=chair_a, member=m, month=date(2026, 4, 1), amount=Decimal("6500.00")
    )
    m.refresh_from_db()
    assert m.wage_base == Decimal("6000.00")
    assert list(m.wage_bases.order_by("effective_month").values_list("amount", flat=True)) == [
        Decimal("6000.00"),
        Decimal("6500.00"),
    ]
    assert LogEntry.objects.filter(additional_data__event="dues.wage_base_set").count() == 2


@pytest.mark.parametrize(
    "amount, month, field",
    [
        ("-1", date(2025, 3, 1), "amount"),
        ("12.345", date(2025, 3, 1), "amount"),
        ("2000000", date(2025, 3, 1), "amount"),
        ("NaN", date(2025, 3, 1), "amount"),
        ("3000", date(2019, 1, 1), "month"),  # before the member joined
    ],
)
def test_a_bad_wage_base_is_refused_with_the_field_named(city, chair_a, amount, month, field):
    m = member(city.union_a, joined_on=date(2020, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.wage_base_set(actor=chair_a, member=m, month=month, amount=Decimal(amount))
    assert field in exc.value.message_dict
    assert not WageBase.objects.filter(member=m).exists()


def test_another_unions_chair_cannot_set_a_wage_base(city, chair_b):
    m = member(city.union_a)
    with pytest.raises(PermissionDenied):
        services.wage_base_set(actor=chair_b, member=m, month=MARCH, amount=Decimal("1"))
