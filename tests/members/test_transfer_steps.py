"""The transfer page says where a transfer is, which union confirms it and since when, and
offers accepting only when the service would take it (ux.md "Workflow")."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from members import services
from members.models import Member, MemberStatus, RoleName

from ..factories import MemberFactory, OrganisationFactory, RoleFactory, UserFactory
from ..steps_helpers import indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def transfer(city, chair_a):
    member = MemberFactory(organisation=city.union_a, name="张三")
    with time_machine.travel("2026-12-02 09:00 +0800"):
        return services.transfer_request(
            actor=chair_a, member=member, to_organisation=city.union_b, reason="调动到新单位"
        )


def page(client, transfer):
    return client.get(reverse("members:transfer_detail", args=[transfer.pk]))


def test_an_open_transfer_waits_for_the_other_union_since_its_request(
    as_user, chair_a, chair_b, transfer
):
    response = page(as_user(chair_b), transfer)
    shown = indicator(response)
    assert shown.labels == ["申请", "对方确认", "完成接转"]
    assert shown.states == ["done", "current", "upcoming"]
    assert shown.next_actor == "等待 乙公司工会委员会 确认接转。"
    assert shown.deadline == "申请于 2026年12月2日"
    assert b'data-testid="accept"' in response.content
    # the union that asked cannot accept its own request; it may withdraw it
    mine = page(as_user(chair_a), transfer)
    assert b'data-testid="accept"' not in mine.content
    assert b'data-testid="cancel"' in mine.content


def test_accepting_is_not_offered_when_the_member_left_meanwhile(as_user, chair_b, transfer):
    Member.objects.filter(pk=transfer.member_id).update(status=MemberStatus.WITHDRAWN)
    response = page(as_user(chair_b), transfer)
    content = response.content.decode()
    assert 'data-testid="accept"' not in content
    assert 'data-testid="accept-problem"' in content and "张三" in content
    assert 'data-testid="reject"' in content


def test_an_accepted_transfer_is_done_and_a_rejected_one_stopped(
    as_user, chair_a, chair_b, transfer
):
    services.transfer_reject(actor=chair_b, transfer=transfer, reason="查无此人")
    shown = indicator(page(as_user(chair_a), transfer))
    assert shown.states == ["done", "rejected", "skipped"] and shown.next_actor == ""
    again = services.transfer_request(
        actor=chair_a,
        member=transfer.member,
        to_organisation=transfer.to_organisation,
        reason="再次",
    )
    services.transfer_accept(actor=chair_b, transfer=again)
    assert indicator(page(as_user(chair_b), again)).states == ["done", "done", "done"]


def test_a_cancelled_transfer_says_who_withdrew_it(as_user, chair_a, transfer):
    services.transfer_cancel(actor=chair_a, transfer=transfer, reason="填错了")
    response = page(as_user(chair_a), transfer)
    assert indicator(response).states == ["done", "skipped", "skipped"]
    assert "已由 甲公司工会委员会 撤销。" in response.content.decode()


def test_a_union_on_neither_side_still_gets_404(city, as_user, transfer):
    union_c = OrganisationFactory(parent=city.county_b, name="丙公司工会委员会")
    chair_c = UserFactory(username="chair_c", organisation=union_c)
    RoleFactory(user=chair_c, organisation=union_c, role=RoleName.BRANCH_CHAIR)
    assert page(as_user(chair_c), transfer).status_code == 404
