"""Congress pages: the permission matrix, the motion steps through the pages, the register
export and query counts."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from congress import services
from congress.models import (
    CongressRule,
    CongressSession,
    Delegate,
    Motion,
    ReviewedItem,
    Suggestion,
)
from tests.factories import MemberFactory

from .helpers import IN_WINDOW, make_delegates, make_motion, make_session

pytestmark = pytest.mark.django_db

WRITERS = ["admin_user", "staff_user", "county_user", "chair_a", "officer_a"]


@pytest.fixture
def world(city):
    session = make_session(city.union_a)
    delegates = make_delegates(session, 4, is_frontline=True)
    motion = make_motion(session, delegates)
    suggestion = services.suggestion_create(
        actor=None, submitter=delegates[0].member, title="节能", body="b"
    )
    return {"session": session, "delegates": delegates, "motion": motion, "suggestion": suggestion}


LISTS = [
    "congress:rule_list",
    "congress:session_list",
    "congress:motion_list",
    "congress:suggestion_list",
]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("persona", WRITERS)
def test_every_role_reads_the_lists(request, as_user, city, name, persona):
    assert as_user(request.getfixturevalue(persona)).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", LISTS + ["congress:session_create", "congress:suggestion_create"])
def test_the_auditor_reads_no_congress_page(as_user, auditor_user, name):
    assert as_user(auditor_user).get(reverse(name)).status_code == 403


def test_only_the_federation_admin_edits_the_rules(
    as_user, admin_user, staff_user, county_user, chair_a, officer_a
):
    url = reverse("congress:rule_create")
    for user in (staff_user, county_user, chair_a, officer_a):
        assert as_user(user).get(url).status_code == 403
        assert as_user(user).post(url, {}).status_code == 403
    client = as_user(admin_user)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "effective_from": "2026-07-01",
            "min_cosigners": 3,
            "reply_days": 20,
            "frontline_min_percent": 50,
            "managers_max_percent": 20,
            "women_tolerance_percent": 5,
            "delegates_min_percent": 5,
            "delegates_min_count": 30,
            "assembly_below_workers": 100,
            "quorum_numerator": 2,
            "quorum_denominator": 3,
        },
    )
    assert response.status_code == 302
    assert CongressRule.current(date(2026, 7, 1)).min_cosigners == 3


def test_a_bad_rule_is_refused_on_the_form(as_user, admin_user):
    response = as_user(admin_user).post(
        reverse("congress:rule_create"),
        {
            "effective_from": "2026-07-01",
            "min_cosigners": 2,
            "reply_days": 0,
            "frontline_min_percent": 50,
            "managers_max_percent": 20,
            "women_tolerance_percent": 5,
            "quorum_numerator": 4,
            "quorum_denominator": 3,
        },
    )
    assert response.status_code == 200
    assert b'data-testid="form-errors"' in response.content
    assert CongressRule.objects.count() == 1


def _object_urls(world):
    s, m = world["session"].pk, world["motion"].pk
    return [
        reverse("congress:session_detail", args=[s]),
        reverse("congress:session_update", args=[s]),
        reverse("congress:delegate_add", args=[s]),
        reverse("congress:motion_create", args=[s]),
        reverse("congress:session_register", args=[s]),
        reverse("congress:session_register_export", args=[s]),
        reverse("congress:item_create", args=[s]),
        reverse("congress:motion_detail", args=[m]),
        reverse("congress:suggestion_evaluate", args=[world["suggestion"].pk]),
    ]


@pytest.mark.parametrize("persona", WRITERS)
def test_every_role_over_union_a_opens_its_pages(request, as_user, world, persona):
    client = as_user(request.getfixturevalue(persona))
    for url in _object_urls(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["chair_b", "auditor_user"])
def test_outsiders_get_404_on_union_a_pages(request, as_user, world, persona):
    client = as_user(request.getfixturevalue(persona))
    for url in _object_urls(world):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "review"}).status_code in (404, 405), url
    for url in (
        reverse("congress:session_attendance", args=[world["session"].pk]),
        reverse("congress:motion_act", args=[world["motion"].pk]),
        reverse("congress:delegate_remove", args=[world["delegates"][3].pk]),
    ):
        assert client.post(url, {"action": "review", "delegates_present": 1}).status_code == 404
    world["motion"].refresh_from_db()
    assert world["motion"].status == "submitted"


def test_actions_answer_405_to_get(as_user, admin_user, world):
    client = as_user(admin_user)
    for url in (
        reverse("congress:session_attendance", args=[world["session"].pk]),
        reverse("congress:motion_act", args=[world["motion"].pk]),
        reverse("congress:delegate_remove", args=[world["delegates"][3].pk]),
    ):
        assert client.get(url).status_code == 405


def test_a_session_is_created_for_a_union_in_scope_only(as_user, chair_a, city):
    client = as_user(chair_a)
    data = {
        "organisation": city.union_a.pk,
        "term": 4,
        "session_number": 1,
        "kind": "congress",
        "held_on": "2026-12-20",
        "delegates_expected": 40,
    }
    response = client.post(reverse("congress:session_create"), data)
    assert response.status_code == 302
    session = CongressSession.objects.get(term=4)
    assert session.collection_opens == date(2026, 11, 20)
    response = client.post(
        reverse("congress:session_create"), {**data, "organisation": city.union_b.pk, "term": 5}
    )
    assert response.status_code == 200
    assert not CongressSession.objects.filter(term=5).exists()


def test_the_session_page_shows_quorum_and_composition(as_user, chair_a, world):
    client = as_user(chair_a)
    session = world["session"]
    url = reverse("congress:session_detail", args=[session.pk])
    assert b'data-met="unknown"' in client.get(url).content
    client.post(
        reverse("congress:session_attendance", args=[session.pk]), {"delegates_present": 19}
    )
    page = client.get(url).content
    assert b'data-met="no"' in page
    assert b'data-testid="check-frontline" data-passed="yes"' in page
    assert (
        b'data-testid="check-women" data-passed="no"' in page
        or b'data-testid="check-women"' in page
    )
    client.post(
        reverse("congress:session_attendance", args=[session.pk]), {"delegates_present": 20}
    )
    assert b'data-met="yes"' in client.get(url).content


def test_a_delegate_is_added_from_the_union_members(as_user, officer_a, world, city):
    member = MemberFactory(organisation=city.branch_a, name="王小红")
    outsider = MemberFactory(organisation=city.union_b, name="王小蓝")
    client = as_user(officer_a)
    url = reverse("congress:delegate_add", args=[world["session"].pk])
    page = client.get(url, {"q": "王小"}).content.decode()
    assert "王小红" in page and "王小蓝" not in page
    assert client.post(url, {"member": member.pk}).status_code == 302
    assert client.post(url, {"member": outsider.pk}).status_code == 404
    assert Delegate.objects.filter(member=member).exists()
    assert not Delegate.objects.filter(member=outsider).exists()


def test_a_motion_is_entered_through_the_page_with_the_co_signer_minimum(
    as_user, county_user, world
):
    client = as_user(county_user)
    d = world["delegates"]
    url = reverse("congress:motion_create", args=[world["session"].pk])
    data = {
        "proposer": d[0].pk,
        "cosigners": [d[1].pk],
        "title": "班车",
        "category": "welfare",
        "body": "增开班车",
    }
    with time_machine.travel(IN_WINDOW, tick=False):
        response = client.post(url, data)
        assert response.status_code == 200
        assert b'data-testid="form-errors"' in response.content
        assert Motion.objects.count() == 1
        response = client.post(url, {**data, "cosigners": [d[1].pk, d[2].pk]})
    assert response.status_code == 302
    assert Motion.objects.get(title="班车").cosigners.count() == 2


def test_outside_the_collection_window_the_motion_is_refused(as_user, county_user, world):
    d = world["delegates"]
    data = {
        "proposer": d[0].pk,
        "cosigners": [d[1].pk, d[2].pk],
        "title": "班车",
        "category": "welfare",
        "body": "x",
    }
    with time_machine.travel(date(2026, 5, 1), tick=False):
        response = as_user(county_user).post(
            reverse("congress:motion_create", args=[world["session"].pk]), data
        )
    assert response.status_code == 200
    assert not Motion.objects.filter(title="班车").exists()


def test_the_motion_steps_through_the_page(as_user, officer_a, world):
    client = as_user(officer_a)
    motion = world["motion"]
    act = reverse("congress:motion_act", args=[motion.pk])

    def step(**data):
        motion.refresh_from_db()
        client.post(act, {"version": motion.version, **data})
        motion.refresh_from_db()
        return motion.status

    assert step(action="file") == "submitted"  # forbidden: review first
    assert step(action="review") == "under_review"
    assert step(action="file", comment="立案") == "filed"
    assert step(action="assign", handling_unit="后勤部", responsible_person="张三") == "assigned"
    assert step(action="answer", answer="已办理") == "answered"
    assert step(action="verdict", verdict="unsatisfied") == "reopened"
    assert step(action="answer", answer="再次办理") == "answered"
    assert step(action="verdict", verdict="satisfied") == "closed"
    page = client.get(reverse("congress:motion_detail", args=[motion.pk])).content.decode()
    assert page.count('data-testid="event"') == 8
    assert 'data-testid="act-' not in page  # closed: no more steps


def test_a_stale_form_changes_nothing(as_user, officer_a, world):
    motion = world["motion"]
    client = as_user(officer_a)
    client.post(
        reverse("congress:motion_act", args=[motion.pk]),
        {"action": "review", "version": motion.version + 5},
    )
    motion.refresh_from_db()
    assert motion.status == "submitted"


def test_the_register_exports_every_motion(as_user, chair_a, world):
    make_motion(world["session"], world["delegates"], title="=cmd|' /C calc'!A0")
    response = as_user(chair_a).get(
        reverse("congress:session_register_export", args=[world["session"].pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("序号", "提案标题")
    assert [r[0] for r in rows[1:]] == [1, 2]
    assert rows[1][3] == world["delegates"][0].member.name
    assert rows[2][1] == "=cmd|' /C calc'!A0"  # stays text
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get(additional_data__event="congress.register_export")
    assert entry.actor == chair_a and entry.additional_data["rows"] == 2
    assert ws["B3"].data_type == "s"
    printable = as_user(chair_a).get(
        reverse("congress:session_register", args=[world["session"].pk])
    )
    assert printable.content.decode().count('data-testid="register-row"') == 2


def test_a_reviewed_item_needs_the_quorum_and_takes_its_outcome_from_the_votes(
    as_user, chair_a, world
):
    client = as_user(chair_a)
    session = world["session"]
    url = reverse("congress:item_create", args=[session.pk])
    data = {
        "title": "工资集体协商方案",
        "kind": "pay",
        "votes_for": 16,
        "votes_against": 2,
        "votes_abstain": 2,
    }
    assert client.post(url, data).status_code == 200
    assert not ReviewedItem.objects.exists()
    client.post(
        reverse("congress:session_attendance", args=[session.pk]), {"delegates_present": 25}
    )
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "votes_for": 15}).status_code == 302
    assert list(ReviewedItem.objects.values_list("outcome", flat=True)) == [
        "adopted",
        "not_adopted",
    ]


def test_a_suggestion_is_recorded_and_evaluated(as_user, county_user, city):
    member = MemberFactory(organisation=city.union_a, name="李建议")
    client = as_user(county_user)
    assert (
        "李建议"
        in client.get(reverse("congress:suggestion_create"), {"q": "李建"}).content.decode()
    )
    response = client.post(
        reverse("congress:suggestion_create"),
        {"member": member.pk, "title": "改进包装", "body": "减少浪费", "received_on": "2026-11-01"},
    )
    assert response.status_code == 302
    s = Suggestion.objects.get()
    response = client.post(
        reverse("congress:suggestion_evaluate", args=[s.pk]),
        {"adopted": "1", "reason": "可行", "benefit": "5000"},
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.status == "adopted"
    page = client.get(reverse("congress:suggestion_list"), {"year": 2026}).content.decode()
    assert 'data-testid="collected">1<' in page and 'data-testid="adopted">1<' in page


def test_overdue_motions_are_on_the_dashboard_to_do(as_user, chair_a, chair_b, world):
    from unionportal.core.todo import todo_items

    motion = world["motion"]
    services.motion_start_review(actor=None, motion=motion)
    services.motion_file(actor=None, motion=motion)
    services.motion_assign(actor=None, motion=motion, handling_unit="u", responsible_person="p")
    with time_machine.travel(motion.due_on, tick=False):
        assert not [i for i in todo_items(chair_a) if i.url.endswith("overdue=1")]
    with time_machine.travel(date.fromordinal(motion.due_on.toordinal() + 1), tick=False):
        items = [i for i in todo_items(chair_a) if i.url.endswith("overdue=1")]
        assert items and items[0].count == 1
        assert not [i for i in todo_items(chair_b) if i.url.endswith("overdue=1")]
        page = (
            as_user(chair_a).get(reverse("congress:motion_list"), {"overdue": "1"}).content.decode()
        )
        assert f'data-testid="motion-{motion.pk}"' in page


def test_the_member_timeline_shows_terms_and_motions(as_user, chair_a, world):
    member = world["delegates"][0].member
    page = as_user(chair_a).get(member.get_absolute_url()).content.decode()
    assert world["motion"].title in page
    assert reverse("congress:motion_detail", args=[world["motion"].pk]) in page


@pytest.mark.parametrize(
    "name", ["congress:session_list", "congress:motion_list", "congress:suggestion_list"]
)
def test_list_pages_cost_the_same_at_two_sizes(
    as_user, county_user, city, name, django_assert_num_queries
):
    client = as_user(county_user)
    url = reverse(name)
    session = make_session(city.union_a, number=5)
    delegates = make_delegates(session, 3)
    make_motion(session, delegates)
    services.suggestion_create(actor=None, submitter=delegates[0].member, title="a", body="b")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(6, 11):
        s = make_session(city.union_a, number=n)
        make_motion(s, make_delegates(s, 3))
        services.suggestion_create(actor=None, submitter=delegates[1].member, title="a", body="b")
    with django_assert_num_queries(len(small)):
        client.get(url)


def test_a_delegate_without_motions_is_removed_and_a_proposer_stays(as_user, chair_a, world):
    client = as_user(chair_a)
    spare, proposer = world["delegates"][3], world["delegates"][0]
    data = {"session": world["session"].pk}
    response = client.post(reverse("congress:delegate_remove", args=[spare.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("congress:session_detail", args=[world["session"].pk])
    assert not Delegate.objects.filter(pk=spare.pk).exists()
    client.post(reverse("congress:delegate_remove", args=[proposer.pk]), data)
    assert Delegate.objects.filter(pk=proposer.pk).exists()


def test_bad_action_input_changes_nothing(as_user, chair_a, world):
    motion = world["motion"]
    client = as_user(chair_a)
    url = reverse("congress:motion_act", args=[motion.pk])
    for data in (
        {"action": "explode"},
        {"action": "review", "version": "x"},
        {"action": "verdict", "verdict": "thrilled"},
        {"action": "merge", "merged_into": "abc"},
    ):
        assert client.post(url, data).status_code == 302
    motion.refresh_from_db()
    assert motion.status == "submitted"
    assert motion.events.count() == 1


def test_a_negative_benefit_is_refused_on_the_form(as_user, chair_a, world):
    s = world["suggestion"]
    response = as_user(chair_a).post(
        reverse("congress:suggestion_evaluate", args=[s.pk]),
        {"adopted": "1", "reason": "可行", "benefit": "-5"},
    )
    assert response.status_code == 200
    s.refresh_from_db()
    assert s.status == "received"


def test_attendance_above_the_delegates_is_refused(as_user, chair_a, world):
    session = world["session"]
    client = as_user(chair_a)
    for bad in ("31", "-1", "many"):
        client.post(
            reverse("congress:session_attendance", args=[session.pk]), {"delegates_present": bad}
        )
    session.refresh_from_db()
    assert session.delegates_present is None


def test_every_step_is_audited(world):
    from auditlog.models import LogEntry

    services.motion_start_review(actor=None, motion=world["motion"])
    assert LogEntry.objects.filter(additional_data__event="motion.transition").count() == 1


def test_a_session_is_edited_and_bad_dates_are_refused(as_user, officer_a, world):
    session = world["session"]
    url = reverse("congress:session_update", args=[session.pk])
    client = as_user(officer_a)
    data = {
        "kind": "assembly",
        "held_on": "2026-03-25",
        "collection_opens": "2026-03-01",
        "collection_closes": "2026-02-01",
        "delegates_expected": 35,
    }
    assert client.post(url, data).status_code == 200
    session.refresh_from_db()
    assert session.delegates_expected == 30
    assert client.post(url, {**data, "collection_closes": "2026-03-25"}).status_code == 302
    session.refresh_from_db()
    assert (session.kind, session.delegates_expected) == ("assembly", 35)
    services.session_record_attendance(actor=None, session=session, present=30)
    assert (
        client.post(
            url, {**data, "collection_closes": "2026-03-25", "delegates_expected": 29}
        ).status_code
        == 200
    )
