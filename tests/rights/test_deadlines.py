"""The casework deadlines at their boundaries (domain.md K; counted from the day after)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rights import services
from rights.models import Case, CaseKind, CaseStatus, Channel, DeadlineRule, Satisfaction
from rights.services import overdue_q

from .helpers import category, register

pytestmark = pytest.mark.django_db

D = date(2026, 3, 1)


def overdue(case: Case, today: date) -> bool:
    return Case.objects.filter(overdue_q(today), pk=case.pk).exists()


def test_acceptance_is_due_on_day_15_and_overdue_on_day_16(city, county_user):
    case = register(county_user, city.county_a, on=D)
    assert case.accept_by == date(2026, 3, 16)
    assert not overdue(case, D + timedelta(days=15))
    assert overdue(case, D + timedelta(days=16))
    assert case.overdue_on(D + timedelta(days=16)) == "accept"


def test_conclusion_is_due_on_day_60_after_acceptance_and_overdue_on_day_61(city, county_user):
    case = register(county_user, city.county_a, on=D)
    accepted = D + timedelta(days=3)
    case = services.case_accept(actor=county_user, case=case, on=accepted, today=accepted)
    assert case.conclude_by == accepted + timedelta(days=60)
    assert not overdue(case, accepted + timedelta(days=60))
    assert overdue(case, accepted + timedelta(days=61))


def test_closing_on_day_60_is_on_time_and_on_day_61_is_late(city, county_user):
    on_time, late = (register(county_user, city.county_a, on=D) for _ in range(2))
    for case, days in ((on_time, 60), (late, 61)):
        case = services.case_accept(actor=county_user, case=case, on=D, today=D)
        day = D + timedelta(days=days)
        case = services.case_answer(actor=county_user, case=case, on=day, answer="答复", today=day)
        case = services.case_close(actor=county_user, case=case, on=day, outcome="解决", today=day)
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert on_time.first_closed_on_time is True
    assert late.first_closed_on_time is False


def test_the_deadline_extends_once_by_at_most_30_days_with_a_reason(city, county_user):
    case = register(county_user, city.county_a, on=D)
    case = services.case_accept(actor=county_user, case=case, on=D, today=D)
    with pytest.raises(ValidationError) as err:
        services.case_extend(actor=county_user, case=case, days=31, reason="调查", on=D, today=D)
    assert "days" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.case_extend(actor=county_user, case=case, days=30, reason=" ", on=D, today=D)
    assert "reason" in err.value.message_dict
    case = services.case_extend(
        actor=county_user, case=case, days=30, reason="需鉴定", on=D, today=D
    )
    assert case.conclude_by == D + timedelta(days=90)
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.case_extend(actor=county_user, case=case, days=1, reason="再延", on=D, today=D)
    assert not overdue(case, D + timedelta(days=90))
    assert overdue(case, D + timedelta(days=91))


def test_an_extension_after_the_deadline_has_passed_is_refused(city, county_user):
    case = register(county_user, city.county_a, on=D)
    case = services.case_accept(actor=county_user, case=case, on=D, today=D)
    day61 = D + timedelta(days=61)
    with pytest.raises(ValidationError, match="已过"):
        services.case_extend(
            actor=county_user, case=case, days=10, reason="x", on=day61, today=day61
        )


def _closed_with_answer(actor, union, answered: date) -> Case:
    case = register(actor, union, on=D)
    case = services.case_accept(actor=actor, case=case, on=D, today=D)
    case = services.case_answer(actor=actor, case=case, on=answered, answer="答复", today=answered)
    return services.case_close(actor=actor, case=case, on=answered, outcome="解决", today=answered)


def test_a_review_on_day_30_after_the_answer_reopens_the_case(city, county_user):
    answered = D + timedelta(days=20)
    case = _closed_with_answer(county_user, city.county_a, answered)
    day30 = answered + timedelta(days=30)
    case = services.case_review(actor=county_user, case=case, on=day30, reason="不服", today=day30)
    assert case.status == CaseStatus.ACCEPTED
    assert case.closed_on is None
    assert case.first_closed_on == answered  # the first closure stays in its period's figures
    assert case.reviews == 1
    assert case.conclude_by == day30 + timedelta(days=30)


def test_a_review_on_day_31_is_refused(city, county_user):
    answered = D + timedelta(days=20)
    case = _closed_with_answer(county_user, city.county_a, answered)
    day31 = answered + timedelta(days=31)
    with pytest.raises(ValidationError) as err:
        services.case_review(actor=county_user, case=case, on=day31, reason="不服", today=day31)
    assert "on" in err.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_a_case_keeps_the_deadlines_in_force_when_it_was_received(city, county_user):
    case = register(county_user, city.county_a, on=D)
    DeadlineRule.objects.create(effective_from=D + timedelta(days=1), accept_days=7)
    later = register(county_user, city.county_a, on=D + timedelta(days=1))
    case.refresh_from_db()
    assert case.accept_by == D + timedelta(days=15)
    assert later.accept_by == D + timedelta(days=8)


def test_a_dispatched_case_is_overdue_the_day_after_its_due_date(city, county_user):
    case = register(county_user, city.county_a, on=D)
    case = services.case_accept(actor=county_user, case=case, on=D, today=D)
    due = D + timedelta(days=10)
    case = services.case_dispatch(
        actor=county_user, case=case, to=city.union_a, due_on=due, on=D, today=D
    )
    assert not overdue(case, due)
    assert overdue(case, due + timedelta(days=1))
    assert case.overdue_on(due + timedelta(days=1)) == "dispatch"


# --- Dispatch stays inside the receiver's subtree ---------------------------------------------


def test_dispatch_goes_down_the_receivers_subtree_never_across(city, county_user, admin_user):
    case = register(county_user, city.county_a, on=D)
    case = services.case_accept(actor=county_user, case=case, on=D, today=D)
    for target in (city.union_b, city.county_b, city.city):
        with pytest.raises(ValidationError) as err:
            services.case_dispatch(
                actor=admin_user, case=case, to=target, due_on=D + timedelta(days=5), on=D, today=D
            )
        assert "to" in err.value.message_dict
    case = services.case_dispatch(
        actor=county_user, case=case, to=city.union_a, due_on=D + timedelta(days=5), on=D, today=D
    )
    assert case.handler == city.union_a and case.status == CaseStatus.DISPATCHED


def test_a_grassroots_union_passes_a_case_down_to_its_branch_only(city, county_user, chair_a):
    case = register(county_user, city.county_a, on=D)
    case = services.case_accept(actor=county_user, case=case, on=D, today=D)
    due = D + timedelta(days=20)
    case = services.case_dispatch(
        actor=county_user, case=case, to=city.union_a, due_on=due, on=D, today=D
    )
    with pytest.raises(ValidationError):
        services.case_dispatch(
            actor=chair_a, case=case, to=city.branch_b, due_on=due, on=D, today=D
        )
    case = services.case_dispatch(
        actor=chair_a, case=case, to=city.branch_a, due_on=due, on=D, today=D
    )
    assert case.handler == city.branch_a


def test_a_due_date_before_the_dispatch_or_after_the_deadline_is_an_error(city, county_user):
    case = register(county_user, city.county_a, on=D)
    case = services.case_accept(actor=county_user, case=case, on=D, today=D)
    for due in (D - timedelta(days=1), D + timedelta(days=61)):
        with pytest.raises(ValidationError) as err:
            services.case_dispatch(
                actor=county_user, case=case, to=city.union_a, due_on=due, on=D, today=D
            )
        assert "due_on" in err.value.message_dict


# --- Registering --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, field",
    [
        ({"people": 0}, "people"),
        ({"received_on": D + timedelta(days=1)}, "received_on"),
        ({"channel": "fax"}, "channel"),
        ({"request": "  "}, "request"),
        ({"petitioner_name": ""}, "petitioner_name"),
        ({"hotline": True}, "hotline"),
        ({"employer_uscc": "91420500MA4XXXXX"}, "employer_uscc"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(city, county_user, change, field):
    args = dict(
        actor=county_user,
        received_by=city.county_a,
        channel=Channel.VISIT,
        received_on=D,
        category=category(),
        request="欠薪",
        petitioner_name="王师傅",
        today=D,
    )
    args.update(change)
    with pytest.raises(ValidationError) as err:
        services.case_register(**args)
    assert field in err.value.message_dict
    assert not Case.objects.exists()


def test_a_retired_category_is_refused(city, county_user):
    cat = category("other")
    cat.active = False
    cat.save()
    with pytest.raises(ValidationError) as err:
        register(county_user, city.county_a, on=D, category=cat)
    assert "category" in err.value.message_dict


def test_a_union_registers_only_what_it_receives(city, chair_a):
    with pytest.raises(PermissionDenied):
        register(chair_a, city.county_a, on=D)


def test_five_people_make_a_collective_visit(city, county_user):
    four = register(county_user, city.county_a, on=D, people=4)
    five = register(county_user, city.county_a, on=D, people=5)
    call = register(county_user, city.county_a, on=D, people=5, channel=Channel.CALL)
    assert (four.collective(), five.collective(), call.collective()) == (False, True, False)


def test_the_contact_is_stored_encrypted_and_shown_masked(city, county_user):
    from django.db import connection

    case = register(county_user, city.county_a, on=D, petitioner_contact="13812345678")
    assert case.contact_masked == "138****5678"
    with connection.cursor() as cur:
        cur.execute("SELECT petitioner_contact, petitioner_name, request FROM rights_case")
        row = cur.fetchone()
    assert "13812345678" not in row[0] and "王师傅" not in row[1] and "工资" not in row[2]


def test_a_double_clicked_save_makes_one_case(city, county_user):
    import uuid

    token = uuid.uuid4()
    a = register(county_user, city.county_a, on=D, token=token)
    b = register(county_user, city.county_a, on=D, token=token)
    assert a.pk == b.pk and Case.objects.count() == 1


def test_numbers_run_per_year(city, county_user):
    a = register(county_user, city.county_a, on=D)
    b = register(county_user, city.county_a, on=D)
    assert (a.number, b.number) == ("WQ2026000001", "WQ2026000002")


def test_possible_duplicates_same_person_and_category_within_90_days(city, county_user):
    from tests.factories import MemberFactory

    member = MemberFactory(organisation=city.union_a)
    first = register(county_user, city.county_a, on=D, member=member)
    register(county_user, city.county_a, on=D, petitioner_contact="13900001111")
    found = services.possible_duplicates(
        received_on=D + timedelta(days=90), category=category(), member=member
    )
    assert list(found) == [first]
    assert not services.possible_duplicates(
        received_on=D + timedelta(days=91), category=category(), member=member
    ).exists()
    assert not services.possible_duplicates(
        received_on=D, category=category("injury"), member=member
    ).exists()
    by_phone = services.possible_duplicates(
        received_on=D, category=category(), contact="139 0000 1111"
    )
    assert by_phone.count() == 1


# --- Consultations and follow-ups ---------------------------------------------------------------


def test_a_consultation_is_answered_and_closed_at_once(city, county_user):
    case = register(
        county_user, city.county_a, on=D, channel=Channel.CALL, kind=CaseKind.CONSULTATION
    )
    case = services.case_consult(actor=county_user, case=case, on=D, answer="告知仲裁时效", today=D)
    assert case.status == CaseStatus.CLOSED and case.closed_on == D
    request = register(county_user, city.county_a, on=D)
    with pytest.raises(ValidationError):
        services.case_consult(actor=county_user, case=request, on=D, answer="x", today=D)


def test_a_follow_up_records_satisfaction_after_closing(city, county_user):
    case = _closed_with_answer(county_user, city.county_a, D + timedelta(days=5))
    day = D + timedelta(days=7)
    case = services.case_follow_up(
        actor=county_user, case=case, on=day, satisfaction=Satisfaction.SATISFIED, today=day
    )
    assert case.satisfaction == "satisfied" and case.followed_up_on == day


def test_a_rejection_needs_a_reason(city, county_user):
    case = register(county_user, city.county_a, on=D)
    with pytest.raises(ValidationError) as err:
        services.case_reject(actor=county_user, case=case, on=D, reason="", today=D)
    assert "reason" in err.value.message_dict
    case = services.case_reject(
        actor=county_user, case=case, on=D, reason="不属于工会受理范围", today=D
    )
    assert case.status == CaseStatus.NOT_ACCEPTED


def test_every_step_is_recorded(city, county_user):
    from .helpers import closed

    case = closed(county_user, city.county_a, on=D)
    assert [s.action for s in case.steps.all()] == ["receive", "accept", "answer", "close"]
    assert case.steps.last().acting_for == city.county_a


# --- Found in review ------------------------------------------------------------------------------


def test_a_past_periods_overdue_figure_stays_after_a_review(city, county_user):
    from rights.stats import overdue as overdue_figure

    jan5 = date(2026, 1, 5)
    case = register(county_user, city.county_a, on=jan5)
    case = services.case_accept(actor=county_user, case=case, on=jan5, today=jan5)
    q1 = (date(2026, 1, 1), date(2026, 3, 31))
    before = list(overdue_figure(*q1, city.county_a))
    assert before[0]["petitions_overdue"] == 1  # due 6 March, still open on 31 March
    apr10, apr15 = date(2026, 4, 10), date(2026, 4, 15)
    case = services.case_answer(actor=county_user, case=case, on=apr10, answer="答复", today=apr10)
    case = services.case_close(actor=county_user, case=case, on=apr10, outcome="解决", today=apr10)
    services.case_review(actor=county_user, case=case, on=apr15, reason="不服", today=apr15)
    assert list(overdue_figure(*q1, city.county_a)) == before


def test_a_reviewed_case_is_followed_up_again_and_only_once_each_time(city, county_user):
    answered = D + timedelta(days=5)
    case = _closed_with_answer(county_user, city.county_a, answered)
    day = answered + timedelta(days=1)
    case = services.case_follow_up(
        actor=county_user, case=case, on=day, satisfaction=Satisfaction.DISSATISFIED, today=day
    )
    with pytest.raises(ValidationError):
        services.case_follow_up(
            actor=county_user, case=case, on=day, satisfaction=Satisfaction.SATISFIED, today=day
        )
    case = services.case_review(actor=county_user, case=case, on=day, reason="不服", today=day)
    assert case.satisfaction == "" and case.followed_up_on is None


def test_a_date_at_the_calendars_edge_is_a_form_error(city, county_user):
    with pytest.raises(ValidationError) as err:
        register(county_user, city.county_a, on=date(1, 1, 1))
    assert "received_on" in err.value.message_dict
    assert not services.possible_duplicates(
        received_on=date(9999, 12, 31), category=category()
    ).exists()


def test_the_capability_is_checked_on_the_case_as_it_stands_now(city, county_user, chair_a):
    """A chair's stale page of a case taken back by its receiver cannot answer it."""
    case = register(county_user, city.county_a, on=D)
    case = services.case_accept(actor=county_user, case=case, on=D, today=D)
    due = D + timedelta(days=10)
    stale = services.case_dispatch(
        actor=county_user, case=case, to=city.union_a, due_on=due, on=D, today=D
    )
    Case.objects.filter(pk=case.pk).update(handler=city.county_a)  # taken back meanwhile
    with pytest.raises(PermissionDenied):
        services.case_answer(actor=chair_a, case=stale, on=D, answer="答复", today=D)
