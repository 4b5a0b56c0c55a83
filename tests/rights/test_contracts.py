"""Collective contracts and mediation (issue 17): the deadlines at their boundaries, the
term, the regional contract's employers, and bad input that saves nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.models.organisations import OrgKind
from rights import services
from rights.models import (
    CollectiveContract,
    ContractCoverage,
    ContractEvent,
    ContractKind,
    ContractRule,
    ContractStatus,
    MediationOutcome,
)
from tests.factories import OrganisationFactory

from .contract_helpers import contract_data, signed

pytestmark = pytest.mark.django_db
D = date(2026, 3, 1)


def test_the_default_rule_is_seeded():
    rule = ContractRule.in_force(D)
    assert (rule.send_days, rule.review_days, rule.renewal_reminder_days) == (10, 15, 90)
    assert rule.mediation_days == 15


def test_sending_is_due_by_day_10_and_overdue_on_day_11(city, chair_a):
    c = signed(chair_a, city.union_a, D)
    assert c.send_by == D + timedelta(days=10)
    qs = CollectiveContract.objects.all()
    assert not services.contracts_not_sent(qs, D + timedelta(days=10)).exists()
    assert services.contracts_not_sent(qs, D + timedelta(days=11)).get() == c
    assert c.send_overdue(D + timedelta(days=11)) and not c.send_overdue(D + timedelta(days=10))


def _sent(actor, union, received: date):
    c = signed(actor, union, D)
    c = services.contract_send(actor=actor, contract=c, on=D, today=D + timedelta(days=60))
    return services.contract_outcome(
        actor=actor, contract=c, received_on=received, outcome="received", today=received
    )


def test_in_force_on_day_15_after_receipt_with_no_objection_not_day_14(city, chair_a):
    c = _sent(chair_a, city.union_a, D)
    assert c.status == ContractStatus.SENT and c.in_force_on == D + timedelta(days=15)
    assert not c.in_force(D + timedelta(days=14))
    assert c.in_force(D + timedelta(days=15))
    qs = CollectiveContract.objects.all()
    assert services.contracts_awaiting_outcome(qs, D + timedelta(days=14)).get() == c
    assert not services.contracts_awaiting_outcome(qs, D + timedelta(days=15)).exists()


def test_no_objection_is_recorded_only_once_the_review_has_ended(city, chair_a):
    c = _sent(chair_a, city.union_a, D)
    with pytest.raises(ValidationError):
        services.contract_outcome(
            actor=chair_a,
            contract=c,
            received_on=D,
            outcome="no_objection",
            today=D + timedelta(days=14),
        )
    c = services.contract_outcome(
        actor=chair_a,
        contract=c,
        received_on=D,
        outcome="no_objection",
        today=D + timedelta(days=15),
    )
    assert c.status == ContractStatus.NO_OBJECTION and c.outcome_on == D + timedelta(days=15)


def test_an_objection_on_day_14_stops_the_contract_and_on_day_15_is_too_late(city, chair_a):
    c = _sent(chair_a, city.union_a, D)
    with pytest.raises(ValidationError):
        services.contract_outcome(
            actor=chair_a,
            contract=c,
            received_on=D,
            outcome="objected",
            on=D + timedelta(days=15),
            today=D + timedelta(days=20),
        )
    c = services.contract_outcome(
        actor=chair_a,
        contract=c,
        received_on=D,
        outcome="objected",
        on=D + timedelta(days=14),
        today=D + timedelta(days=20),
    )
    assert c.status == ContractStatus.OBJECTED and c.in_force_on is None
    assert not c.in_force(D + timedelta(days=30))
    actions = list(ContractEvent.objects.filter(contract=c).values_list("action", flat=True))
    assert actions == ["register", "send", "receive", "objected"]


def test_an_approval_puts_the_contract_in_force_on_its_day(city, chair_a):
    c = _sent(chair_a, city.union_a, D)
    c = services.contract_outcome(
        actor=chair_a,
        contract=c,
        received_on=D,
        outcome="approved",
        on=D + timedelta(days=3),
        today=D + timedelta(days=5),
    )
    assert c.in_force_on == D + timedelta(days=3) and c.in_force(D + timedelta(days=3))


def test_the_renewal_reminder_starts_90_days_before_expiry(city, chair_a):
    from .contract_helpers import in_force

    c = in_force(chair_a, city.union_a, D, years=1)
    assert c.ends_on == date(2027, 2, 28)
    qs = CollectiveContract.objects.all()
    assert services.contracts_to_renew(qs, c.ends_on - timedelta(days=90)).get() == c
    assert not services.contracts_to_renew(qs, c.ends_on - timedelta(days=91)).exists()
    assert services.contracts_to_renew(qs, c.ends_on).exists()
    assert not services.contracts_to_renew(qs, c.ends_on + timedelta(days=1)).exists()
    # A renewal signed: no more reminder.
    in_force(chair_a, city.union_a, date(2027, 1, 5))
    assert not services.contracts_to_renew(qs, c.ends_on - timedelta(days=30)).exists()


@pytest.mark.parametrize(
    "change,field",
    [
        ({"ends_on": date(2030, 3, 1)}, "ends_on"),  # more than 3 years
        ({"ends_on": date(2027, 2, 27)}, "ends_on"),  # less than a year
        ({"wage_increase": None}, "wage_increase"),
        ({"voted_on": None}, "voted_on"),
        ({"signed_on": date(2030, 1, 1)}, "signed_on"),
        ({"workers_covered": 0}, "workers_covered"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(city, chair_a, change, field):
    with pytest.raises(ValidationError) as exc:
        services.contract_save(
            actor=chair_a,
            organisation=city.union_a,
            data=contract_data(D, **change),
            today=D + timedelta(days=1),
        )
    assert field in exc.value.message_dict
    assert not CollectiveContract.objects.exists() and not ContractEvent.objects.exists()


def test_a_term_of_exactly_one_and_three_years_is_accepted(city, chair_a):
    assert signed(chair_a, city.union_a, D, years=1).ends_on == date(2027, 2, 28)
    assert signed(chair_a, city.union_a, D, years=3).ends_on == date(2029, 2, 28)


def test_a_regional_contract_lists_employers_under_its_union_each_once(city, county_user):
    town = OrganisationFactory(parent=city.county_a, kind=OrgKind.TOWNSHIP_UNION, name="镇工会")
    e1 = OrganisationFactory(parent=town, name="镇甲厂工会")
    e2 = OrganisationFactory(parent=town, name="镇乙厂工会")
    base = {"coverage": ContractCoverage.REGIONAL, "kind": ContractKind.COMPREHENSIVE}
    for employers in ([], [(e1, 5), (e1, 6)], [(e1, 5), (city.union_b, 9)]):
        with pytest.raises(ValidationError) as exc:
            signed(county_user, town, D, employers=employers, **base)
        assert "employers" in exc.value.message_dict
    c = signed(county_user, town, D, employers=[(e1, 30), (e2, 40)], **base)
    assert c.workers_covered == 70 and c.employers.count() == 2
    with pytest.raises(ValidationError):  # a grassroots union signs no regional contract
        signed(county_user, city.union_a, D, employers=[(e1, 1)], **base)


def test_a_chair_manages_only_their_own_unions_contracts(city, chair_a, officer_a):
    with pytest.raises(PermissionDenied):
        signed(chair_a, city.union_b, D)
    with pytest.raises(PermissionDenied):
        signed(officer_a, city.union_a, D)


def test_only_a_sent_contract_gets_an_outcome(city, chair_a):
    c = signed(chair_a, city.union_a, D)
    with pytest.raises(ValidationError):
        services.contract_outcome(
            actor=chair_a, contract=c, received_on=D, outcome="approved", today=D
        )


# --- Mediation -----------------------------------------------------------------------------


def _case(actor, union, applied: date):
    services.committee_save(
        actor=actor,
        organisation=union,
        set_up_on=date(2025, 1, 1),
        active=True,
        members=[("王调解", "chair"), ("李代表", "worker")],
    )
    return services.mediation_register(
        actor=actor,
        organisation=union,
        applied_on=applied,
        applicant="张三",
        respondent="甲公司",
        subject="加班费",
        today=applied,
    )


def test_mediation_settled_on_day_15_is_in_time_and_on_day_16_is_not(city, chair_a):
    a = _case(chair_a, city.union_a, D)
    b = services.mediation_register(
        actor=chair_a,
        organisation=city.union_a,
        applied_on=D,
        applicant="李四",
        respondent="甲公司",
        subject="工资",
        today=D,
    )
    assert a.settle_by == D + timedelta(days=15)
    a = services.mediation_close(
        actor=chair_a, case=a, outcome="settled", on=D + timedelta(days=15), today=D + timedelta(40)
    )
    b = services.mediation_close(
        actor=chair_a, case=b, outcome="settled", on=D + timedelta(days=16), today=D + timedelta(40)
    )
    assert a.settled_in_time and not b.settled_in_time
    assert b.overdue(D + timedelta(days=16)) is False  # closed: never overdue


def test_a_case_needs_a_committee_and_closes_once(city, chair_a):
    with pytest.raises(ValidationError):
        services.mediation_register(
            actor=chair_a,
            organisation=city.union_a,
            applied_on=D,
            applicant="张三",
            respondent="甲公司",
            subject="x",
            today=D,
        )
    case = _case(chair_a, city.union_a, D)
    assert case.overdue(D + timedelta(days=16)) and not case.overdue(D + timedelta(days=15))
    services.mediation_close(actor=chair_a, case=case, outcome="referred", on=D, today=D)
    with pytest.raises(ValidationError):
        services.mediation_close(actor=chair_a, case=case, outcome="settled", on=D, today=D)
    case.refresh_from_db()
    assert case.status == MediationOutcome.REFERRED
