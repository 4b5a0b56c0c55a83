"""The case page's step bar (rights/steps.py): where the case is, who acts next and by when,
in every status; and the less common actions through the pages (a consultation answered at
once, the one extension, a review request, a rejection)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from rights import services
from rights.models import CaseKind, CaseStatus, Channel
from rights.steps import case_progress

from .helpers import closed, register
from .test_views import post

pytestmark = pytest.mark.django_db


def current(progress) -> str:
    return progress.current.label if progress.current else ""


def test_the_step_bar_in_every_status(city, county_user, chair_a):
    today = timezone.localdate()
    old = today - timedelta(days=16)
    with translation.override("zh-hans"):
        case = register(county_user, city.county_a, on=old, today=today)
        p = case_progress(case, today)
        assert current(p) == "受理" and p.deadline.overdue
        assert "西陵区总工会" in p.next_actor.sentence
        case = services.case_accept(actor=county_user, case=case, on=today, today=today)
        p = case_progress(case, today)
        assert current(p) == "交办/办理" and not p.deadline.overdue
        assert p.deadline.day == case.conclude_by
        due = today + timedelta(days=3)
        case = services.case_dispatch(
            actor=county_user, case=case, to=city.union_a, due_on=due, on=today, today=today
        )
        p = case_progress(case, today)
        assert p.deadline.day == due and "甲公司工会委员会" in p.next_actor.sentence
        assert case_progress(case, due + timedelta(days=1)).deadline.overdue
        case = services.case_answer(actor=chair_a, case=case, on=today, answer="答", today=today)
        p = case_progress(case, today)
        assert current(p) == "办结" and "西陵区总工会" in p.next_actor.sentence
        case = services.case_close(actor=county_user, case=case, on=today, outcome="结")
        assert current(case_progress(case, today)) == "回访"
        case = services.case_follow_up(
            actor=county_user, case=case, on=today, satisfaction="basically"
        )
        p = case_progress(case, today)
        assert p.current is None and "基本满意" in p.outcome
        assert [s.state for s in p.steps] == ["done"] * 6


def test_a_rejected_case_and_a_consultation_end_early(city, county_user):
    today = timezone.localdate()
    with translation.override("zh-hans"):
        case = register(county_user, city.county_a, on=today)
        case = services.case_reject(actor=county_user, case=case, on=today, reason="不属受理范围")
        p = case_progress(case, today)
        assert [s.state for s in p.steps][:2] == ["done", "rejected"]
        assert "不属受理范围" in p.outcome
        consult = register(county_user, city.county_a, on=today, kind=CaseKind.CONSULTATION)
        consult = services.case_consult(actor=county_user, case=consult, on=today, answer="答")
        p = case_progress(consult, today)
        assert [s.state for s in p.steps] == ["done"] * 5 + ["skipped"]


def test_a_consultation_is_answered_and_closed_from_its_page(city, county_user, as_user):
    today = timezone.localdate()
    case = register(
        county_user, city.county_a, on=today, channel=Channel.CALL, kind=CaseKind.CONSULTATION
    )
    page = post(as_user(county_user), case, "consult", on=today.isoformat(), answer="已解答")
    assert "咨询已答复并办结" in page.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.answer == "已解答"


def test_the_one_extension_and_a_review_request_through_the_pages(city, county_user, as_user):
    today = timezone.localdate()
    client = as_user(county_user)
    case = register(county_user, city.county_a, on=today)
    case = services.case_accept(actor=county_user, case=case, on=today)
    response = post(client, case, "extend", days="31", reason="需鉴定", on=today.isoformat())
    assert "请延长1至30天" in response.content.decode()
    post(client, case, "extend", days="30", reason="需鉴定", on=today.isoformat())
    case.refresh_from_db()
    assert case.extended_by_days == 30
    assert 'data-testid="extend-form"' not in client.get(case.get_absolute_url()).content.decode()

    done = closed(county_user, city.county_a, on=today - timedelta(days=3), days=1)
    services.case_follow_up(actor=county_user, case=done, on=today, satisfaction="dissatisfied")
    page = client.get(done.get_absolute_url()).content.decode()
    assert 'data-testid="review-form"' in page
    post(client, done, "review", on=today.isoformat(), reason="对答复有异议")
    done.refresh_from_db()
    assert done.status == CaseStatus.ACCEPTED and done.reviews == 1


def test_a_review_after_its_last_day_is_not_offered(city, county_user, as_user):
    today = timezone.localdate()
    done = closed(county_user, city.county_a, on=today - timedelta(days=45), days=10)
    assert done.review_by < today
    page = as_user(county_user).get(done.get_absolute_url()).content.decode()
    assert 'data-testid="review-form"' not in page
    response = post(as_user(county_user), done, "review", on=today.isoformat(), reason="x")
    assert "当前不能" in response.content.decode()


def test_the_list_pages_with_its_filters(city, county_user, as_user):
    today = timezone.localdate()
    for _ in range(51):
        register(county_user, city.county_a, on=today, channel=Channel.LETTER)
    page = as_user(county_user).get(reverse("rights:case_list") + "?channel=letter")
    text = page.content.decode()
    # keyset pages: the next link carries the filter, the edge row's keys and the page number
    assert "共51件" in text and "channel=letter&amp;after=" in text and "page=2" in text
