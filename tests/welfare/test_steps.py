"""The welfare workflow pages say where a case is, who acts next and by when, and offer only
the actions possible now (ux.md "Workflow")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.steps_helpers import indicator
from welfare import services
from welfare.models import HardshipFile

from .conftest import on_notice
from .helpers import verify_and_notice

pytestmark = pytest.mark.django_db

NOTICE_ENDS = date(2026, 3, 9)  # on_notice() starts it on 2026-03-02, for the seeded 7 days


def relief_url(app) -> str:
    return reverse("welfare:relief_detail", args=[app.pk])


def file_url(hf) -> str:
    return reverse("welfare:file_detail", args=[hf.pk])


def a_draft(member, author):
    return services.relief_create(
        actor=author, member=member, kind="temporary", reason="住院", amount_requested=Decimal(800)
    )


def test_a_draft_tells_its_author_who_submits_it(as_user, officer_a, chair_a, member_a):
    app = a_draft(member_a, officer_a)
    shown = indicator(as_user(officer_a).get(relief_url(app)))
    assert shown.labels == ["提交", "审核", "公示", "审批", "发放"]
    assert shown.current == "提交"
    assert shown.next_actor == "草稿：由 甲公司工会委员会 · 基层工会主席 提交。"


def test_a_submitted_case_waits_for_the_county_to_review_it(
    as_user, chair_a, county_user, staff_user, member_a
):
    app = services.relief_submit(
        actor=chair_a, application=a_draft(member_a, chair_a), home_visit="已走访"
    )
    response = as_user(chair_a).get(relief_url(app))
    shown = indicator(response)
    assert shown.states == ["done", "current", "upcoming", "upcoming", "upcoming"]
    assert shown.current == "审核"
    assert shown.next_actor == "等待 西陵区总工会 审核。"
    # the chair who submitted it has nothing to decide
    assert b'data-testid="review-form"' not in response.content


def test_during_the_notice_the_approver_is_told_when_instead_of_a_form(
    as_user, chair_a, county_user, staff_user, member_a
):
    app = on_notice(member_a, chair_a, county_user)
    with time_machine.travel("2026-03-08 10:00 +0800"):
        response = as_user(staff_user).get(relief_url(app))
    shown = indicator(response)
    assert shown.current == "公示"
    assert shown.next_actor == "2026年3月9日 起由 宜昌市总工会 审批。"
    assert shown.deadline == "公示截止 2026年3月9日"
    content = response.content.decode()
    assert 'data-testid="approve-form"' not in content
    assert "公示期至 2026年3月9日 结束，请在公示期满后再审批。" in content
    assert 'data-testid="reject-form"' in content  # rejecting stays possible meanwhile
    with time_machine.travel("2026-03-09 10:00 +0800"):
        after = as_user(staff_user).get(relief_url(app))
    assert indicator(after).current == "审批"
    assert indicator(after).next_actor == "等待 宜昌市总工会 审批。"
    assert b'data-testid="approve-form"' in after.content
    assert b'data-testid="notice-running"' not in after.content


def test_the_reviewer_is_not_offered_the_approval(as_user, chair_a, staff_user, staff2, member_a):
    app = on_notice(member_a, chair_a, staff_user)
    with time_machine.travel(NOTICE_ENDS):
        mine = as_user(staff_user).get(relief_url(app))
        theirs = as_user(staff2).get(relief_url(app))
    assert b'data-testid="approve-form"' not in mine.content
    assert b'data-testid="notice-running"' not in mine.content
    assert b'data-testid="approve-form"' in theirs.content


def test_an_approved_case_waits_for_the_payment_and_a_paid_one_is_done(
    as_user, chair_a, county_user, staff_user, member_a
):
    app = on_notice(member_a, chair_a, county_user)
    services.relief_approve(
        actor=staff_user, application=app, amount_approved=Decimal(500), today=NOTICE_ENDS
    )
    shown = indicator(as_user(chair_a).get(relief_url(app)))
    assert shown.current == "发放" and shown.next_actor == "等待 宜昌市总工会 发放。"
    services.relief_pay(actor=staff_user, application=app, paid_on=NOTICE_ENDS, reference="P-1")
    shown = indicator(as_user(chair_a).get(relief_url(app)))
    assert shown.states == ["done"] * 5 and shown.current is None and shown.next_actor == ""


def test_a_rejected_case_shows_where_it_stopped(as_user, chair_a, county_user, member_a):
    app = services.relief_submit(
        actor=chair_a, application=a_draft(member_a, chair_a), home_visit="已走访"
    )
    services.relief_reject(actor=county_user, application=app, reason="不符合条件")
    shown = indicator(as_user(chair_a).get(relief_url(app)))
    assert shown.states == ["done", "rejected", "skipped", "skipped", "skipped"]
    assert "未通过" in as_user(chair_a).get(relief_url(app)).content.decode()


def test_another_unions_case_is_still_404(as_user, chair_a, chair_b, member_a):
    app = a_draft(member_a, chair_a)
    assert as_user(chair_b).get(relief_url(app)).status_code == 404


# --- Hardship files --------------------------------------------------------------------------


def a_file(member, author) -> HardshipFile:
    return services.file_open(
        actor=author, member=member, year=2026, household_size=3, annual_income=Decimal(20000)
    )


def test_a_draft_file_tells_who_submits_it_then_waits_for_the_approver(
    as_user, officer_a, chair_a, staff_user, member_a
):
    hf = a_file(member_a, officer_a)
    shown = indicator(as_user(officer_a).get(file_url(hf)))
    assert shown.labels == ["建档", "收入核对", "公示", "审批", "在档帮扶", "撤档"]
    assert shown.current == "建档"
    assert shown.next_actor == "草稿：由 甲公司工会委员会 · 基层工会主席 提交。"
    services.file_set_status(actor=chair_a, hardship_file=hf, to_status="submitted")
    shown = indicator(as_user(chair_a).get(file_url(hf)))
    assert shown.current == "收入核对"
    verify_and_notice(hf, approve_on=date(2026, 3, 2))
    with time_machine.travel("2026-03-02 10:00 +0800"):
        shown = indicator(as_user(chair_a).get(file_url(hf)))
    assert shown.current == "审批" and shown.next_actor == "等待 宜昌市总工会 审批。"


def test_an_approved_file_shows_its_next_review(as_user, chair_a, staff_user, member_a):
    hf = a_file(member_a, chair_a)
    services.file_set_status(actor=chair_a, hardship_file=hf, to_status="submitted")
    verify_and_notice(hf, approve_on=date(2026, 3, 2))
    services.file_set_status(
        actor=staff_user, hardship_file=hf, to_status="approved", today=date(2026, 3, 2)
    )
    with time_machine.travel("2026-05-01 10:00 +0800"):
        shown = indicator(as_user(chair_a).get(file_url(hf)))
    assert shown.current == "在档帮扶"
    assert shown.deadline == "下次复核 2026年9月2日" and shown.next_actor == ""
    with time_machine.travel("2026-09-03 10:00 +0800"):
        shown = indicator(as_user(chair_a).get(file_url(hf)))
    assert shown.deadline.startswith("下次复核 2026年9月2日") and "超期" in shown.deadline
    assert shown.next_actor == "等待 甲公司工会委员会 复核。"


def test_a_file_without_a_category_is_not_offered_for_approval(
    as_user, chair_a, staff_user, member_a
):
    hf = a_file(member_a, chair_a)
    services.file_set_status(actor=chair_a, hardship_file=hf, to_status="submitted")
    verify_and_notice(hf)
    HardshipFile.objects.filter(pk=hf.pk).update(category="")
    response = as_user(staff_user).get(file_url(hf))
    content = response.content.decode()
    assert 'data-testid="file-approve"' not in content
    assert "请先选择困难类别，再审批。" in content
    # posting anyway is refused with the same sentence, not an error page
    posted = as_user(staff_user).post(
        reverse("welfare:file_status", args=[hf.pk]), {"to_status": "approved"}, follow=True
    )
    assert posted.status_code == 200 and "请先选择困难类别，再审批。" in posted.content.decode()
    assert HardshipFile.objects.get(pk=hf.pk).status == "on_notice"


def test_another_unions_file_is_still_404(as_user, chair_a, chair_b, member_a):
    hf = a_file(member_a, chair_a)
    assert as_user(chair_b).get(file_url(hf)).status_code == 404
