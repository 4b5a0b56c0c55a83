"""Union funds (工会经费, domain.md D): the 2% levy, the remittance rule in force, shares
resolved to the real ancestors, summing exactly to the levy, and the rule table's checks."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from members import services
from members.dues import ShareSpec, divide_levy, remittance_what_if, union_levy
from members.models import FundRecord, Organisation, OrgKind, RemittanceRule, RemittanceShare
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
MARCH = date(2025, 3, 1)
D = Decimal


@pytest.mark.parametrize(
    "payroll, levy",
    [
        ("1000000", "20000.00"),
        ("123456.78", "2469.14"),  # 2,469.1356
        ("0.25", "0.01"),  # 0.005: half up
        ("0.24", "0.00"),  # 0.0048
        ("0", "0.00"),
        ("98765.43", "1975.31"),  # 1,975.3086
    ],
)
def test_the_levy_is_two_percent_of_the_payroll_to_the_fen_half_up(payroll, levy):
    assert union_levy(D(payroll)) == D(levy)


def test_a_negative_payroll_is_refused():
    with pytest.raises(ValueError):
        union_levy(D("-1"))


def test_the_city_default_is_seeded_as_60_kept_and_40_remitted():
    rule = RemittanceRule.objects.get(organisation__isnull=True, effective_from=date(2020, 1, 1))
    assert rule.retained_percent == 60
    assert list(rule.shares.values_list("level", "percent")) == [
        (1, D("20")),
        (2, D("10")),
        (RemittanceShare.LEVEL_OUTSIDE, D("10")),
    ]


def test_a_county_union_divides_60_to_itself_20_to_the_county_10_to_the_city_10_outside(
    city, chair_a
):
    record = services.fund_record(
        actor=chair_a, organisation=city.union_a, month=MARCH, payroll=D("1000000.00")
    )
    assert record.levy == D("20000.00") and record.retained == D("12000.00")
    shares = {s["level"]: (s["organisation_id"], D(s["amount"])) for s in record.shares}
    assert shares == {
        1: (city.county_a.pk, D("4000.00")),
        2: (city.city.pk, D("2000.00")),
        99: (None, D("2000.00")),
    }
    assert record.rule.organisation is None
    assert LogEntry.objects.filter(additional_data__event="funds.recorded").count() == 1


def test_levels_above_the_root_go_to_the_root(city, admin_user):
    direct = OrganisationFactory(parent=city.city, name="市直单位工会")
    record = services.fund_record(
        actor=admin_user, organisation=direct, month=MARCH, payroll=D("500000")
    )
    assert {s["level"]: s["organisation_id"] for s in record.shares} == {
        1: city.city.pk,
        2: city.city.pk,
        99: None,
    }
    by = services.division_by_recipient(
        direct,
        divide_levy(
            record.levy, D(60), [ShareSpec(1, D(20)), ShareSpec(2, D(10)), ShareSpec(99, D(10))]
        ),
    )
    assert [(r.key, r.percent, r.amount) for r in by] == [
        ("self", D(60), D("6000.00")),
        (f"org-{city.city.pk}", D(30), D("3000.00")),
        ("outside", D(10), D("1000.00")),
    ]


@pytest.fixture
def tobacco(city, admin_user):
    """The seed's tobacco industry union, whose rule sends 50% to the city."""
    industry = OrganisationFactory(
        parent=city.city, kind=OrgKind.INDUSTRY_UNION, name="宜昌市烟草行业工会", uscc=""
    )
    county_office = OrganisationFactory(parent=industry, name="烟草公司夷陵区分公司工会")
    services.remittance_rule_save(
        actor=admin_user,
        organisation=industry,
        effective_from=date(2024, 1, 1),
        retained_percent=D("40"),
        note="烟草行业：50%上缴市总",
        shares=[
            {"level": 1, "percent": D("10"), "label": "烟草行业工会"},
            {"level": 2, "percent": D("50"), "label": "市总工会"},
        ],
    )
    return industry, county_office


def test_an_organisations_own_rule_covers_its_subtree(city, tobacco, admin_user):
    industry, office = tobacco
    record = services.fund_record(
        actor=admin_user, organisation=office, month=MARCH, payroll=D("1000000")
    )
    assert record.rule.organisation == industry
    assert record.retained == D("8000.00")
    assert {s["organisation_id"]: D(s["amount"]) for s in record.shares} == {
        industry.pk: D("2000.00"),
        city.city.pk: D("10000.00"),
    }
    # Elsewhere the city default still applies.
    other = services.fund_record(
        actor=admin_user, organisation=city.union_b, month=MARCH, payroll=D("1000000")
    )
    assert other.rule.organisation is None and other.retained == D("12000.00")


def test_a_rule_applies_from_its_effective_date_and_the_nearest_one_wins(city, tobacco, admin_user):
    industry, office = tobacco
    assert services.remittance_rule_in_force(office, date(2023, 12, 1)).organisation is None
    assert services.remittance_rule_in_force(office, date(2024, 1, 1)).organisation == industry
    own = services.remittance_rule_save(
        actor=admin_user,
        organisation=office,
        effective_from=date(2025, 1, 1),
        retained_percent=D("70"),
        shares=[{"level": 2, "percent": D("30"), "label": ""}],
    )
    assert services.remittance_rule_in_force(office, MARCH) == own
    assert services.remittance_rule_in_force(office, date(2024, 6, 1)).organisation == industry
    newer_default = services.remittance_rule_save(
        actor=admin_user,
        organisation=None,
        effective_from=date(2025, 2, 1),
        retained_percent=D("65"),
        shares=[{"level": 1, "percent": D("35"), "label": ""}],
    )
    # Adding the tobacco union re-sorted the city's children: read union A's path afresh.
    union_a = Organisation.objects.get(pk=city.union_a.pk)
    assert services.remittance_rule_in_force(union_a, MARCH) == newer_default
    assert services.remittance_rule_in_force(union_a, date(2025, 1, 1)).retained_percent == 60


def test_shares_always_sum_exactly_to_the_levy_with_the_remainder_kept_by_the_union():
    shares = [ShareSpec(1, D("33.33")), ShareSpec(2, D("16.67")), ShareSpec(99, D("0.01"))]
    for fen in range(0, 500_000, 1_237):
        levy = D(fen) / 100
        division = divide_levy(levy, D("49.99"), shares)
        assert division.total == levy
        for spec, part in zip(shares, division.shares, strict=True):
            exact = levy * spec.percent / 100
            assert abs(part["amount"] - exact) <= D("0.005")
        assert abs(division.retained - levy * D("49.99") / 100) <= D("0.015")


def test_a_union_keeping_nothing_never_ends_up_below_zero():
    division = divide_levy(D("0.03"), D("0"), [ShareSpec(1, D("50")), ShareSpec(2, D("50"))])
    assert division.retained == 0 and division.total == D("0.03")
    assert sorted(p["amount"] for p in division.shares) == [D("0.01"), D("0.02")]


def test_a_split_that_does_not_make_100_is_refused_by_the_arithmetic():
    with pytest.raises(ValueError):
        divide_levy(D("100"), D("60"), [ShareSpec(1, D("30"))])


def test_what_if_the_city_share_of_the_tobacco_union_were_cut_from_50_to_30():
    now = remittance_what_if(D("1000000"), D("40"), [ShareSpec(1, D("10")), ShareSpec(2, D("50"))])
    alt = remittance_what_if(D("1000000"), D("60"), [ShareSpec(1, D("10")), ShareSpec(2, D("30"))])
    assert (now.levy, now.retained, [p["amount"] for p in now.shares]) == (
        D("20000.00"),
        D("8000.00"),
        [D("2000.00"), D("10000.00")],
    )
    assert (alt.retained, [p["amount"] for p in alt.shares]) == (
        D("12000.00"),
        [D("2000.00"), D("6000.00")],
    )
    levy_given = remittance_what_if(D("20000"), D("60"), [ShareSpec(2, D("40"))], is_payroll=False)
    assert levy_given.levy == D("20000.00") and levy_given.retained == D("12000.00")


# --- Recording funds: what is refused --------------------------------------------------------


@pytest.mark.parametrize(
    "payroll, field",
    [("-1", "payroll"), ("12.345", "payroll"), ("1e13", "payroll"), ("NaN", "payroll")],
)
def test_a_bad_payroll_is_refused(city, chair_a, payroll, field):
    with pytest.raises(ValidationError) as exc:
        services.fund_record(
            actor=chair_a, organisation=city.union_a, month=MARCH, payroll=D(payroll)
        )
    assert field in exc.value.message_dict
    assert not FundRecord.objects.exists()


def test_funds_are_recorded_once_per_union_and_month(city, chair_a):
    services.fund_record(actor=chair_a, organisation=city.union_a, month=MARCH, payroll=D("1"))
    with pytest.raises(ValidationError) as exc:
        services.fund_record(actor=chair_a, organisation=city.union_a, month=MARCH, payroll=D("2"))
    assert "month" in exc.value.message_dict


def test_funds_belong_to_a_grassroots_union_not_a_branch_or_federation(city, county_user):
    for org in (city.branch_a, city.county_a):
        with pytest.raises(ValidationError):
            services.fund_record(actor=county_user, organisation=org, month=MARCH, payroll=D("100"))


@time_machine.travel("2026-03-15 10:00 +0800", tick=False)
def test_funds_are_not_recorded_for_a_future_month(city, chair_a):
    with pytest.raises(ValidationError):
        services.fund_record(
            actor=chair_a, organisation=city.union_a, month=date(2026, 4, 1), payroll=D("100")
        )


def test_another_unions_chair_cannot_record_its_funds(city, chair_b):
    with pytest.raises(PermissionDenied):
        services.fund_record(
            actor=chair_b, organisation=city.union_a, month=MARCH, payroll=D("100")
        )


# --- The rule table --------------------------------------------------------------------------


def _save(actor, **kwargs):
    data = {
        "organisation": None,
        "effective_from": date(2026, 1, 1),
        "retained_percent": D("60"),
        "shares": [{"level": 1, "percent": D("40")}],
    }
    return services.remittance_rule_save(actor=actor, **{**data, **kwargs})


def test_only_a_federation_admin_edits_rules(city, admin_user, staff_user, county_user):
    for user in (staff_user, county_user):
        with pytest.raises(PermissionDenied):
            _save(user)
    rule = _save(admin_user, note="新规则")
    assert rule.shares.get().percent == 40
    assert LogEntry.objects.get(additional_data__event="remittance_rule.saved").actor == admin_user


@pytest.mark.parametrize(
    "retained, shares",
    [
        ("60", [{"level": 1, "percent": "30"}]),  # 90
        ("60", [{"level": 1, "percent": "30"}, {"level": 2, "percent": "20"}]),  # 110
        ("60", [{"level": 1, "percent": "20"}, {"level": 1, "percent": "20"}]),  # level twice
        ("60", [{"level": 0, "percent": "40"}]),  # the union itself is not a level above
        ("60", [{"level": 1, "percent": "-10"}, {"level": 2, "percent": "50"}]),
        ("160", [{"level": 1, "percent": "-60"}]),
    ],
)
def test_a_rule_must_make_exactly_100_percent(city, admin_user, retained, shares):
    before = RemittanceRule.objects.count()
    with pytest.raises(ValidationError):
        _save(admin_user, retained_percent=D(retained), shares=shares)
    assert RemittanceRule.objects.count() == before


def test_a_second_rule_for_the_same_organisation_and_date_is_refused(city, admin_user):
    _save(admin_user)
    with pytest.raises(ValidationError) as exc:
        _save(admin_user)
    assert "effective_from" in exc.value.message_dict


def test_a_rule_already_used_by_fund_records_keeps_its_figures(city, admin_user, chair_a):
    rule = RemittanceRule.objects.get(organisation__isnull=True)
    services.fund_record(actor=chair_a, organisation=city.union_a, month=MARCH, payroll=D("1000"))
    with pytest.raises(ValidationError):
        services.remittance_rule_save(
            actor=admin_user,
            rule=rule,
            organisation=None,
            effective_from=rule.effective_from,
            retained_percent=D("50"),
            shares=[{"level": 1, "percent": D("50")}],
        )
    # Its note can still be corrected.
    kept = [{"level": s.level, "percent": s.percent, "label": s.label} for s in rule.shares.all()]
    services.remittance_rule_save(
        actor=admin_user,
        rule=rule,
        organisation=None,
        effective_from=rule.effective_from,
        retained_percent=rule.retained_percent,
        note="更正备注",
        shares=kept,
    )
    rule.refresh_from_db()
    assert rule.note == "更正备注" and rule.retained_percent == 60


def test_editing_a_rule_replaces_its_shares(city, admin_user):
    rule = _save(admin_user)
    services.remittance_rule_save(
        actor=admin_user,
        rule=rule,
        organisation=None,
        effective_from=date(2026, 2, 1),
        retained_percent=D("50"),
        shares=[{"level": 1, "percent": D("30")}, {"level": 99, "percent": D("20")}],
    )
    rule.refresh_from_db()
    assert rule.effective_from == date(2026, 2, 1)
    assert list(rule.shares.values_list("level", "percent")) == [(1, D(30)), (99, D(20))]


def test_rules_read_by_a_chair_are_the_default_and_those_over_their_union(
    city, admin_user, chair_a
):
    over_a = _save(admin_user, organisation=Organisation.objects.get(pk=city.county_a.pk))
    _save(admin_user, organisation=Organisation.objects.get(pk=city.county_b.pk))
    own_b = _save(admin_user, organisation=city.union_b)
    seen = set(services.remittance_rules_in_scope(chair_a))
    assert over_a in seen and own_b not in seen
    assert (
        RemittanceRule.objects.get(organisation__isnull=True, effective_from=date(2020, 1, 1))
        in seen
    )
    assert len([r for r in seen if r.organisation_id == city.county_b.pk]) == 0
