"""The congress rules: co-signers, the motion state machine, overdue, composition, quorum,
votes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from congress import services
from congress.models import (
    CongressRule,
    Delegate,
    Motion,
    MotionEvent,
    MotionStatus,
    Suggestion,
    Verdict,
)
from congress.services import TRANSITIONS

from .helpers import IN_WINDOW, make_delegates, make_motion, make_session

S = MotionStatus
pytestmark = pytest.mark.django_db


def test_the_default_rule_is_seeded():
    rule = CongressRule.current(date(2026, 1, 1))
    assert (rule.min_cosigners, rule.reply_days) == (2, 30)
    assert (rule.frontline_min_percent, rule.managers_max_percent) == (50, 20)
    assert (rule.quorum_numerator, rule.quorum_denominator) == (2, 3)


def test_a_later_rule_applies_from_its_date(admin_user):
    services.congress_rule_create(
        actor=admin_user, effective_from=date(2026, 6, 1), min_cosigners=3, reply_days=20
    )
    assert CongressRule.current(date(2026, 5, 31)).min_cosigners == 2
    assert CongressRule.current(date(2026, 6, 1)).min_cosigners == 3


# --- Submission -----------------------------------------------------------------------------


def test_a_motion_with_the_minimum_of_co_signers_is_submitted_and_recorded(city, staff_user):
    session = make_session(city.union_a)
    motion = make_motion(session, actor=staff_user)
    assert motion.status == S.SUBMITTED and motion.number == 1
    assert motion.cosigners.count() == 2
    event = motion.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", S.SUBMITTED, staff_user)


def test_one_co_signer_short_is_refused_and_nothing_is_written(city):
    session = make_session(city.union_a)
    d = make_delegates(session, 3)
    with pytest.raises(ValidationError) as exc:
        services.motion_submit(
            actor=None,
            session=session,
            proposer=d[0],
            cosigners=[d[1], d[0]],  # the proposer does not count as their own co-signer
            title="t",
            body="b",
            category="other",
            today=IN_WINDOW,
        )
    assert "cosigners" in exc.value.error_dict
    assert not Motion.objects.exists()


def test_co_signers_must_be_delegates_of_the_same_term(city):
    session = make_session(city.union_a)
    d = make_delegates(session, 2)
    other_term = make_session(city.union_a, term=2)
    stranger = make_delegates(other_term, 1)[0]
    with pytest.raises(ValidationError) as exc:
        services.motion_submit(
            actor=None,
            session=session,
            proposer=d[0],
            cosigners=[d[1], stranger],
            title="t",
            body="b",
            category="other",
            today=IN_WINDOW,
        )
    assert "cosigners" in exc.value.error_dict


def test_motions_are_taken_only_inside_the_collection_window(city):
    session = make_session(city.union_a)  # window: 30 days before the session to its day
    d = make_delegates(session, 3)
    kwargs = dict(
        actor=None,
        session=session,
        proposer=d[0],
        cosigners=d[1:],
        title="t",
        body="b",
        category="other",
    )
    with pytest.raises(ValidationError):
        services.motion_submit(**kwargs, today=session.collection_opens - timedelta(days=1))
    with pytest.raises(ValidationError):
        services.motion_submit(**kwargs, today=session.collection_closes + timedelta(days=1))
    services.motion_submit(**kwargs, today=session.collection_opens)
    services.motion_submit(**{**kwargs, "title": "t2"}, today=session.collection_closes)
    assert list(session.motions.values_list("number", flat=True)) == [1, 2]


# --- Transitions ----------------------------------------------------------------------------


def _to(motion, status):
    """Drive a motion along the main path to `status`."""
    path = {
        S.UNDER_REVIEW: [services.motion_start_review],
        S.FILED: [services.motion_start_review, services.motion_file],
    }
    for step in path.get(status, []):
        step(actor=None, motion=motion)


def test_the_whole_lifecycle_with_an_unsatisfied_verdict(city, staff_user):
    session = make_session(city.union_a)
    motion = make_motion(session)
    services.motion_start_review(actor=staff_user, motion=motion)
    services.motion_file(actor=staff_user, motion=motion, comment="一事一案，立案")
    with time_machine.travel(date(2026, 4, 1), tick=False):
        services.motion_assign(
            actor=staff_user, motion=motion, handling_unit="后勤部", responsible_person="张经理"
        )
        assert motion.due_on == date(2026, 5, 1)  # the rule's 30 days
        services.motion_answer(actor=staff_user, motion=motion, answer="已安排夜班供餐试点")
        services.motion_verdict(actor=staff_user, motion=motion, verdict=Verdict.UNSATISFIED)
    assert motion.status == S.REOPENED and motion.due_on == date(2026, 5, 1)
    services.motion_answer(actor=staff_user, motion=motion, answer="全面开放夜班供餐")
    services.motion_verdict(actor=staff_user, motion=motion, verdict=Verdict.SATISFIED)
    motion.refresh_from_db()
    assert motion.status == S.CLOSED and motion.verdict == Verdict.SATISFIED
    steps = list(motion.events.order_by("pk").values_list("from_status", "to_status"))
    assert steps == [
        ("", S.SUBMITTED),
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, S.FILED),
        (S.FILED, S.ASSIGNED),
        (S.ASSIGNED, S.ANSWERED),
        (S.ANSWERED, S.REOPENED),
        (S.REOPENED, S.ANSWERED),
        (S.ANSWERED, S.CLOSED),
    ]
    assert set(motion.events.exclude(to_status=S.SUBMITTED).values_list("actor", flat=True)) == {
        staff_user.pk
    }


def test_basically_satisfied_also_closes(city):
    motion = make_motion(make_session(city.union_a))
    _to(motion, S.FILED)
    services.motion_assign(actor=None, motion=motion, handling_unit="u", responsible_person="p")
    services.motion_answer(actor=None, motion=motion, answer="a")
    services.motion_verdict(actor=None, motion=motion, verdict=Verdict.BASICALLY)
    assert motion.status == S.CLOSED


def test_rejecting_needs_a_reason(city):
    motion = make_motion(make_session(city.union_a))
    _to(motion, S.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        services.motion_reject(actor=None, motion=motion, reason="  ")
    services.motion_reject(actor=None, motion=motion, reason="不属于职代会职权范围")
    motion.refresh_from_db()
    assert motion.status == S.REJECTED and motion.review_reason == "不属于职代会职权范围"
    assert motion.events.last().comment == "不属于职代会职权范围"


def test_converting_makes_a_suggestion_of_the_proposer(city):
    motion = make_motion(make_session(city.union_a))
    _to(motion, S.UNDER_REVIEW)
    suggestion = services.motion_convert(actor=None, motion=motion)
    assert motion.status == S.CONVERTED
    assert suggestion.submitter == motion.proposer.member
    assert Suggestion.objects.get().from_motion == motion


def test_merging_needs_another_open_motion_of_the_same_session(city):
    session = make_session(city.union_a)
    d = make_delegates(session, 3)
    first = make_motion(session, d)
    second = make_motion(session, d, title="夜班餐补")
    _to(second, S.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        services.motion_merge(actor=None, motion=second, into=second)
    other = make_motion(make_session(city.union_a, number=2))
    with pytest.raises(ValidationError):
        services.motion_merge(actor=None, motion=second, into=other)
    services.motion_merge(actor=None, motion=second, into=first)
    assert second.status == S.MERGED and second.merged_into == first


ALL = list(S.values)
FORBIDDEN = [(a, b) for a in ALL for b in ALL if b not in TRANSITIONS[a]]


@pytest.mark.parametrize(("start", "to"), FORBIDDEN)
def test_every_forbidden_transition_is_refused(city, start, to):
    motion = make_motion(make_session(city.union_a))
    Motion.objects.filter(pk=motion.pk).update(status=start)
    motion.refresh_from_db()
    before = MotionEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services._move(motion, to, actor=None)
    assert exc.value.code == "forbidden_transition"
    assert MotionEvent.objects.count() == before
    motion.refresh_from_db()
    assert motion.status == start


def test_terminal_states_allow_nothing():
    for state in (S.REJECTED, S.CONVERTED, S.MERGED, S.CLOSED):
        assert TRANSITIONS[state] == set()


def test_a_stale_version_is_refused(city):
    motion = make_motion(make_session(city.union_a))
    stale = motion.version
    services.motion_start_review(actor=None, motion=motion)
    with pytest.raises(ValidationError) as exc:
        services.motion_file(actor=None, motion=motion, version=stale)
    assert exc.value.code == "stale"


def test_the_due_date_cannot_be_in_the_past(city):
    motion = make_motion(make_session(city.union_a))
    _to(motion, S.FILED)
    with time_machine.travel(date(2026, 4, 1), tick=False), pytest.raises(ValidationError):
        services.motion_assign(
            actor=None,
            motion=motion,
            handling_unit="u",
            responsible_person="p",
            due_on=date(2026, 3, 31),
        )


# --- Overdue --------------------------------------------------------------------------------


def test_overdue_starts_the_day_after_the_due_date(city):
    motion = make_motion(make_session(city.union_a))
    _to(motion, S.FILED)
    with time_machine.travel(date(2026, 4, 1), tick=False):
        services.motion_assign(actor=None, motion=motion, handling_unit="u", responsible_person="p")
    due = motion.due_on
    with time_machine.travel(due, tick=False):
        assert not motion.is_overdue()
        assert not Motion.objects.overdue().exists()
    with time_machine.travel(due + timedelta(days=1), tick=False):
        assert motion.is_overdue()
        assert list(Motion.objects.overdue()) == [motion]
        services.motion_answer(actor=None, motion=motion, answer="a")
        assert not motion.is_overdue()
        assert not Motion.objects.overdue().exists()


# --- Composition, quorum, votes -------------------------------------------------------------


def _checks(session):
    return {c.key: c for c in services.composition(session)}


def test_frontline_at_exactly_half_passes_and_one_less_fails(city):
    session = make_session(city.union_a)
    make_delegates(session, 5, is_frontline=True)
    make_delegates(session, 5)
    assert _checks(session)["frontline"].passed
    Delegate.objects.filter(is_frontline=True).first().delete()
    assert not _checks(session)["frontline"].passed  # 4 of 9


def test_managers_at_exactly_a_fifth_pass_and_one_more_fails(city):
    session = make_session(city.union_a)
    make_delegates(session, 2, is_manager=True)
    make_delegates(session, 8)
    assert _checks(session)["managers"].passed
    make_delegates(session, 1, is_manager=True)  # 3 of 11
    assert not _checks(session)["managers"].passed


def test_women_in_proportion_to_the_membership_with_the_tolerance(city):
    session = make_session(city.union_a)
    make_delegates(session, 10)  # their members are men
    members = list(city.union_a.members.all())
    from members.models import Member

    # Membership: 10 members, 4 women -> 40%; tolerance 5 points -> at least 35% of delegates.
    Member.objects.filter(pk__in=[m.pk for m in members[:4]]).update(gender="F")
    Delegate.objects.filter(member__in=members[:3]).update(is_female=True)  # 30%
    assert not _checks(session)["women"].passed
    Delegate.objects.filter(member__in=members[3:4]).update(is_female=True)  # 40%
    assert _checks(session)["women"].passed
    # 20 delegates, 7 women = 35%: exactly on the bound.
    make_delegates(session, 10)
    Delegate.objects.filter(member__in=members[4:7]).update(is_female=True)
    Member.objects.filter(pk__in=[m.pk for m in members[:4]]).update(gender="M")
    women = list(Member.objects.filter(organisation=city.union_a)[:8])
    Member.objects.filter(pk__in=[m.pk for m in women]).update(gender="F")  # 8 of 20 = 40%
    assert _checks(session)["women"].count == 7
    assert _checks(session)["women"].passed
    Delegate.objects.filter(member__in=members[6:7]).update(is_female=False)  # 6 of 20 = 30%
    assert not _checks(session)["women"].passed


def test_no_delegates_fail_every_check(city):
    session = make_session(city.union_a)
    assert not any(c.passed for c in services.composition(session))


def test_delegates_come_from_the_unions_current_members(city):
    session = make_session(city.union_a)
    from tests.factories import MemberFactory

    outsider = MemberFactory(organisation=city.union_b)
    with pytest.raises(ValidationError):
        services.delegate_add(actor=None, session=session, member=outsider)
    in_branch = MemberFactory(organisation=city.branch_a, is_frontline=True)
    delegate = services.delegate_add(actor=None, session=session, member=in_branch)
    assert delegate.is_frontline and delegate.term == session.term
    with pytest.raises(ValidationError):
        services.delegate_add(actor=None, session=session, member=in_branch)


@pytest.mark.parametrize(
    ("present", "met"), [(19, False), (20, True), (30, True)]
)  # 2/3 of 30 = 20
def test_quorum_at_two_thirds(city, present, met):
    session = make_session(city.union_a, expected=30)
    assert session.quorum_met() is None
    services.session_record_attendance(actor=None, session=session, present=present)
    assert session.quorum_met() is met
    assert session.quorum_needed() == 20


def test_quorum_rounds_up_for_numbers_not_divisible_by_three(city):
    session = make_session(city.union_a, expected=31)
    assert session.quorum_needed() == 21
    services.session_record_attendance(actor=None, session=session, present=20)
    assert session.quorum_met() is False


def test_attendance_cannot_exceed_the_delegates(city):
    session = make_session(city.union_a, expected=30)
    with pytest.raises(ValidationError):
        services.session_record_attendance(actor=None, session=session, present=31)


@pytest.mark.parametrize(
    ("votes_for", "delegates", "outcome"),
    [(15, 30, "not_adopted"), (16, 30, "adopted"), (16, 31, "adopted"), (15, 31, "not_adopted")],
)
def test_more_than_half_of_all_delegates_adopts(votes_for, delegates, outcome):
    assert services.vote_outcome(votes_for=votes_for, delegates=delegates) == outcome


def test_an_item_is_recorded_only_with_a_quorum_and_follows_the_votes(city):
    session = make_session(city.union_a, expected=30)
    kwargs = dict(actor=None, session=session, title="年度工作报告", kind="plan")
    with pytest.raises(ValidationError):  # attendance not recorded
        services.reviewed_item_record(**kwargs, votes_for=20, votes_against=0, votes_abstain=0)
    services.session_record_attendance(actor=None, session=session, present=19)
    with pytest.raises(ValidationError):  # below quorum
        services.reviewed_item_record(**kwargs, votes_for=19, votes_against=0, votes_abstain=0)
    services.session_record_attendance(actor=None, session=session, present=20)
    with pytest.raises(ValidationError):  # more votes than present
        services.reviewed_item_record(**kwargs, votes_for=20, votes_against=1, votes_abstain=0)
    # 15 of 30 present say yes: a majority of those voting, not of all delegates.
    item = services.reviewed_item_record(**kwargs, votes_for=15, votes_against=3, votes_abstain=2)
    assert item.outcome == "not_adopted"
    item = services.reviewed_item_record(**kwargs, votes_for=16, votes_against=4, votes_abstain=0)
    assert item.outcome == "adopted"


# --- Suggestions ----------------------------------------------------------------------------


def test_a_suggestion_is_evaluated_once_with_a_reason(city, staff_user):
    from decimal import Decimal

    from tests.factories import MemberFactory

    s = services.suggestion_create(
        actor=staff_user, submitter=MemberFactory(organisation=city.union_a), title="t", body="b"
    )
    assert s.organisation == city.union_a
    with pytest.raises(ValidationError):
        services.suggestion_evaluate(actor=staff_user, suggestion=s, adopted=True, reason="")
    services.suggestion_evaluate(
        actor=staff_user, suggestion=s, adopted=True, reason="节约成本", benefit=Decimal("1200.50")
    )
    assert s.status == "adopted" and s.benefit == Decimal("1200.50")
    with pytest.raises(ValidationError):
        services.suggestion_evaluate(actor=staff_user, suggestion=s, adopted=False, reason="x")


def test_the_same_title_twice_in_a_session_is_refused(city):
    session = make_session(city.union_a)
    d = make_delegates(session, 3)
    make_motion(session, d, title="班车")
    with pytest.raises(ValidationError) as exc:
        make_motion(session, d, title="班车")
    assert "title" in exc.value.error_dict
    make_motion(make_session(city.union_a, number=2), title="班车")  # another session may
