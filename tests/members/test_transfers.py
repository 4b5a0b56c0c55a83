"""Membership transfers (会员关系接转): either union starts, the other decides, accepting moves
the member atomically; and the pages as allowed user, lower role (403), outsider (404) and
GET on an action (405)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from members import access, services
from members.models import (
    DuesRecord,
    Member,
    MemberStatus,
    RoleName,
    Transfer,
    TransferStatus,
    User,
)
from members.models.people import TransferQuerySet

from ..factories import MemberFactory, OrganisationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

SENDING, RECEIVING = Transfer.Side.SENDING, Transfer.Side.RECEIVING


@pytest.fixture
def member_a(city):
    return MemberFactory(organisation=city.union_a, name="张三")


@pytest.fixture
def union_c(city):
    """A third union in county B, outside both chairs' scope."""
    return OrganisationFactory(parent=city.county_b, name="丙公司工会委员会")


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def send(actor, member, to, reason="调动到新单位"):
    return services.transfer_request(actor=actor, member=member, to_organisation=to, reason=reason)


def events(obj, name):
    return LogEntry.objects.filter(
        object_pk=str(obj.pk), additional_data__event=name, content_type__model=obj._meta.model_name
    )


# --- Starting a transfer --------------------------------------------------------------------


def test_the_sending_union_starts_a_transfer_and_the_receiving_union_decides(
    city, chair_a, member_a
):
    transfer = send(chair_a, member_a, city.union_b)
    assert transfer.started_by_side == SENDING
    assert transfer.from_organisation == city.union_a
    assert transfer.deciding_organisation == city.union_b
    assert transfer.requested_by == chair_a
    assert events(transfer, "transfer.request").exists()


def test_the_receiving_union_starts_one_from_the_one_membership_token(city, chair_b, member_a):
    token = services.transfer_token(member_a)
    member = services.transfer_member_from_token(actor=chair_b, token=token)
    assert events(member, "transfer.token_read").filter(actor=chair_b).exists()
    transfer = services.transfer_request(
        actor=chair_b, member=member, to_organisation=city.union_b, reason="已入职乙公司"
    )
    assert transfer.started_by_side == RECEIVING
    assert transfer.deciding_organisation == city.union_a
    entry = events(transfer, "transfer.request").get()
    assert entry.additional_data["cross_scope"] is True


def test_a_union_on_neither_side_cannot_start_one(city, chair_b, member_a):
    union_d = OrganisationFactory(parent=city.county_a, name="丁公司工会")
    with pytest.raises(PermissionDenied):
        send(chair_b, member_a, union_d)


def test_a_tampered_token_is_refused(city, chair_b):
    with pytest.raises(ValidationError):
        services.transfer_member_from_token(actor=chair_b, token="42:forged")


@pytest.mark.parametrize(
    "status", [MemberStatus.WITHDRAWN, MemberStatus.LAPSED, MemberStatus.TRANSFERRED_OUT]
)
def test_only_current_members_are_transferred(city, chair_a, member_a, status):
    Member.objects.filter(pk=member_a.pk).update(status=status)
    with pytest.raises(ValidationError):
        send(chair_a, fresh(member_a), city.union_b)
    assert not Transfer.objects.exists()


def test_the_destination_must_be_an_active_union_other_than_the_members_own(
    city, chair_a, admin_user, member_a
):
    dissolved = OrganisationFactory(parent=city.county_b, name="已撤销工会", active=False)
    for to in (city.city, dissolved, city.union_a, city.branch_a):
        with pytest.raises(ValidationError) as exc:
            send(admin_user, member_a, to)
        assert "to_organisation" in exc.value.message_dict
    assert not Transfer.objects.exists()


def test_a_transfer_needs_a_reason(city, chair_a, member_a):
    with pytest.raises(ValidationError) as exc:
        send(chair_a, member_a, city.union_b, reason="  ")
    assert "reason" in exc.value.message_dict


def test_a_member_has_at_most_one_open_transfer(city, chair_a, member_a, union_c):
    send(chair_a, member_a, city.union_b)
    with pytest.raises(ValidationError) as exc:
        send(chair_a, member_a, union_c)
    assert member_a.name in exc.value.messages[0]
    assert Transfer.objects.count() == 1


def test_a_racing_second_request_meets_the_constraint_with_a_clear_message(
    city, chair_a, member_a, union_c, monkeypatch
):
    send(chair_a, member_a, city.union_b)
    # The other request checked before this one was saved: only the constraint stops it.
    monkeypatch.setattr(TransferQuerySet, "open", lambda self: self.none())
    with pytest.raises(ValidationError) as exc:
        send(chair_a, member_a, union_c)
    assert member_a.name in exc.value.messages[0]
    assert Transfer.objects.count() == 1


def test_a_new_transfer_can_follow_a_decided_one(city, chair_a, chair_b, member_a, union_c):
    first = send(chair_a, member_a, city.union_b)
    services.transfer_reject(actor=chair_b, transfer=first, reason="查无此人")
    second = send(chair_a, member_a, union_c)
    assert second.status == TransferStatus.REQUESTED


# --- Deciding -------------------------------------------------------------------------------


def test_only_the_other_side_accepts(city, chair_a, officer_a, member_a):
    transfer = send(chair_a, member_a, city.union_b)
    for same_side in (chair_a, officer_a):
        with pytest.raises(PermissionDenied):
            services.transfer_accept(actor=same_side, transfer=transfer)
    assert fresh(member_a).organisation == city.union_a


def test_accepting_moves_the_member_to_the_receiving_union(city, chair_a, chair_b, member_a):
    DuesRecord.objects.create(
        member=member_a,
        organisation=city.union_a,
        month=date(2026, 1, 1),
        wage_base=Decimal("5000.00"),
        amount=Decimal("25.00"),
    )
    transfer = send(chair_a, member_a, city.union_b)
    services.transfer_accept(actor=chair_b, transfer=transfer)

    transfer, member = fresh(transfer), fresh(member_a)
    assert transfer.status == TransferStatus.ACCEPTED
    assert (transfer.decided_by, transfer.decided_at is not None) == (chair_b, True)
    assert member.organisation == city.union_b
    assert member.version == member_a.version + 1
    assert member.status == MemberStatus.ACTIVE  # a transfer is no status change
    assert access.members_in_scope(chair_b).filter(pk=member.pk).exists()
    assert not access.members_in_scope(chair_a).filter(pk=member.pk).exists()
    # The past stays where it happened.
    assert DuesRecord.objects.get(member=member).organisation == city.union_a
    entry = events(member, "member.transfer").get()
    assert entry.changes["organisation"] == [city.union_a.name, city.union_b.name]


def test_a_receiving_side_request_is_accepted_by_the_sending_union(
    city, chair_a, chair_b, member_a
):
    transfer = services.transfer_request(
        actor=chair_b,
        member=member_a,
        to_organisation=city.union_b,
        reason="已入职",
        side=RECEIVING,
    )
    with pytest.raises(PermissionDenied):
        services.transfer_accept(actor=chair_b, transfer=transfer)
    services.transfer_accept(actor=chair_a, transfer=transfer)
    assert fresh(member_a).organisation == city.union_b


def test_a_decided_transfer_cannot_be_decided_again(city, chair_a, chair_b, member_a):
    transfer = send(chair_a, member_a, city.union_b)
    services.transfer_accept(actor=chair_b, transfer=transfer)
    with pytest.raises(ValidationError) as exc:
        services.transfer_accept(actor=chair_b, transfer=transfer)
    assert exc.value.code == "already_decided"
    with pytest.raises(ValidationError):
        services.transfer_reject(actor=chair_b, transfer=transfer, reason="x")
    with pytest.raises(ValidationError):
        services.transfer_cancel(actor=chair_a, transfer=transfer, reason="x")


def test_rejecting_needs_a_reason_and_leaves_the_member_where_they_are(
    city, chair_a, chair_b, member_a
):
    transfer = send(chair_a, member_a, city.union_b)
    with pytest.raises(ValidationError) as exc:
        services.transfer_reject(actor=chair_b, transfer=transfer, reason="")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.transfer_reject(actor=chair_a, transfer=transfer, reason="自己拒绝")
    services.transfer_reject(actor=chair_b, transfer=transfer, reason="该职工未在我单位就业")
    transfer = fresh(transfer)
    assert transfer.status == TransferStatus.REJECTED
    assert transfer.decision_reason == "该职工未在我单位就业"
    assert fresh(member_a).organisation == city.union_a


def test_only_the_starting_side_cancels_and_says_why(city, chair_a, chair_b, member_a):
    transfer = send(chair_a, member_a, city.union_b)
    with pytest.raises(PermissionDenied):
        services.transfer_cancel(actor=chair_b, transfer=transfer, reason="x")
    with pytest.raises(ValidationError):
        services.transfer_cancel(actor=chair_a, transfer=transfer, reason=" ")
    services.transfer_cancel(actor=chair_a, transfer=transfer, reason="职工未离职")
    assert fresh(transfer).status == TransferStatus.CANCELLED
    assert events(fresh(transfer), "transfer.cancelled").exists()


def test_accepting_a_member_who_has_left_meanwhile_is_refused(city, chair_a, chair_b, member_a):
    transfer = send(chair_a, member_a, city.union_b)
    services.member_change_status(
        actor=chair_a, member=member_a, to_status=MemberStatus.WITHDRAWN, reason="本人申请退会"
    )
    with pytest.raises(ValidationError):
        services.transfer_accept(actor=chair_b, transfer=transfer)
    assert fresh(member_a).organisation == city.union_a
    assert fresh(transfer).status == TransferStatus.REQUESTED


def test_a_county_officer_over_both_unions_may_start_and_decide(city, county_user):
    union_d = OrganisationFactory(parent=city.county_a, name="丁公司工会")
    member = MemberFactory(organisation=city.union_a)
    transfer = send(county_user, member, union_d)
    assert transfer.started_by_side == SENDING
    services.transfer_accept(actor=county_user, transfer=transfer)
    assert fresh(member).organisation == union_d


# --- Two accepts at once (PostgreSQL) ------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_move_the_member_exactly_once(city, chair_a, chair_b, member_a):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    second = UserFactory(username="chair_b2", organisation=city.union_b)
    RoleFactory(user=second, organisation=city.union_b, role=RoleName.BRANCH_CHAIR)
    transfer = send(chair_a, member_a, city.union_b)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(user_pk: int) -> None:
        from django.db import connection as thread_connection

        try:
            actor = User.objects.get(pk=user_pk)  # each thread: its own connection
            stale = Transfer.objects.get(pk=transfer.pk)
            barrier.wait(timeout=10)
            services.transfer_accept(actor=actor, transfer=stale)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        except Exception as exc:  # pragma: no cover - shown in the assertion
            outcomes.append(repr(exc))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=accept, args=(u.pk,)) for u in (chair_b, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes) == ["accepted", "refused"]
    assert fresh(member_a).organisation == city.union_b
    assert fresh(member_a).version == member_a.version + 1
    assert events(member_a, "member.transfer").count() == 1


# --- Pages ----------------------------------------------------------------------------------


def make_transfers(city, n, *, to=None):
    to = to or city.union_b
    made = []
    for _ in range(n):
        member = MemberFactory(organisation=city.union_a)
        made.append(
            Transfer.objects.create(
                member=member,
                from_organisation=city.union_a,
                to_organisation=to,
                started_by_side=SENDING,
                reason="调动",
            )
        )
    return made


def listed(response):
    return {t.pk for t in response.context["page"]}


def test_each_union_sees_its_incoming_and_outgoing_transfers(
    city, chair_a, chair_b, union_c, as_user
):
    out_a = make_transfers(city, 1)[0]
    into_a = Transfer.objects.create(
        member=MemberFactory(organisation=union_c),
        from_organisation=union_c,
        to_organisation=city.union_a,
        started_by_side=RECEIVING,
        reason="入职",
    )
    elsewhere = Transfer.objects.create(
        member=MemberFactory(organisation=union_c),
        from_organisation=union_c,
        to_organisation=city.union_b,
        started_by_side=SENDING,
        reason="调动",
    )
    url = reverse("members:transfer_list")
    a = as_user(chair_a)
    assert listed(a.get(url)) == {out_a.pk, into_a.pk}
    assert listed(a.get(url, {"tab": "outgoing"})) == {out_a.pk}
    assert listed(a.get(url, {"tab": "incoming"})) == {into_a.pk}
    # Union A itself asked for into_a (the receiving side), so union C decides it.
    assert listed(a.get(url, {"tab": "decide"})) == set()
    b = as_user(chair_b)
    assert listed(b.get(url, {"tab": "incoming"})) == {out_a.pk, elsewhere.pk}
    assert listed(b.get(url, {"tab": "decide"})) == {out_a.pk, elsewhere.pk}
    assert listed(b.get(url, {"tab": "outgoing"})) == set()


def test_the_list_filters_by_status_and_puts_open_ones_first(
    city, chair_a, chair_b, as_user, member_a
):
    done = send(chair_a, member_a, city.union_b)
    services.transfer_reject(actor=chair_b, transfer=done, reason="不符合")
    waiting = make_transfers(city, 1)[0]
    url = reverse("members:transfer_list")
    response = as_user(chair_a).get(url)
    assert [t.pk for t in response.context["page"]] == [waiting.pk, done.pk]
    assert listed(as_user(chair_a).get(url, {"status": "rejected"})) == {done.pk}


def test_the_list_shows_masked_ids_and_the_actions_each_user_may_take(
    city, chair_a, chair_b, as_user, member_a
):
    transfer = send(chair_a, member_a, city.union_b)
    page_a = as_user(chair_a).get(reverse("members:transfer_list")).content.decode()
    assert member_a.resident_id_masked in page_a
    assert member_a.resident_id not in page_a
    assert f'data-testid="cancel-{transfer.pk}"' in page_a
    assert f'data-testid="accept-{transfer.pk}"' not in page_a
    page_b = as_user(chair_b).get(reverse("members:transfer_list")).content.decode()
    assert member_a.resident_id not in page_b
    assert f'data-testid="accept-{transfer.pk}"' in page_b
    assert f'data-testid="cancel-{transfer.pk}"' not in page_b


def test_the_list_costs_the_same_queries_at_two_sizes(
    city, chair_b, as_user, django_assert_num_queries
):
    client = as_user(chair_b)
    url = reverse("members:transfer_list")
    make_transfers(city, 2)
    client.get(url)  # warm the session
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as small:
        assert client.get(url).status_code == 200
    make_transfers(city, 12)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["page"]) == 14


def test_the_list_is_403_for_the_auditor(city, auditor_user, as_user):
    assert as_user(auditor_user).get(reverse("members:transfer_list")).status_code == 403


def test_the_detail_is_open_to_both_sides_and_404_to_everyone_else(
    city, chair_a, chair_b, auditor_user, union_c, as_user, member_a
):
    transfer = send(chair_a, member_a, city.union_b)
    url = transfer.get_absolute_url()
    outsider = UserFactory(username="chair_c")
    RoleFactory(user=outsider, organisation=union_c, role=RoleName.BRANCH_CHAIR)
    assert as_user(chair_a).get(url).status_code == 200
    page = as_user(chair_b).get(url)
    assert page.status_code == 200 and b'data-testid="accept"' in page.content
    for user in (outsider, auditor_user):
        assert as_user(user).get(url).status_code == 404


def test_only_the_side_holding_the_member_links_to_the_record(
    city, chair_a, chair_b, as_user, member_a
):
    transfer = send(chair_a, member_a, city.union_b)
    url = transfer.get_absolute_url()
    assert b'data-testid="member-link"' in as_user(chair_a).get(url).content
    assert b'data-testid="member-link"' not in as_user(chair_b).get(url).content
    services.transfer_accept(actor=chair_b, transfer=transfer)
    assert b'data-testid="member-link"' not in as_user(chair_a).get(url).content
    assert b'data-testid="member-link"' in as_user(chair_b).get(url).content


@pytest.mark.parametrize("action", ["transfer_accept", "transfer_reject", "transfer_cancel"])
def test_decisions_are_post_only(city, chair_a, chair_b, as_user, member_a, action):
    transfer = send(chair_a, member_a, city.union_b)
    url = reverse(f"members:{action}", args=[transfer.pk])
    for user in (chair_a, chair_b):
        assert as_user(user).get(url).status_code == 405
    assert fresh(transfer).status == TransferStatus.REQUESTED


def test_accepting_through_the_page(city, chair_a, chair_b, union_c, as_user, member_a):
    transfer = send(chair_a, member_a, city.union_b)
    url = reverse("members:transfer_accept", args=[transfer.pk])
    outsider = UserFactory(username="chair_c")
    RoleFactory(user=outsider, organisation=union_c, role=RoleName.BRANCH_CHAIR)
    assert as_user(outsider).post(url).status_code == 404
    assert as_user(chair_a).post(url).status_code == 403  # the side that started it
    response = as_user(chair_b).post(url)
    assert response.status_code == 302 and response.url == transfer.get_absolute_url()
    assert fresh(member_a).organisation == city.union_b
    # A second click finds it decided: a message, no second move.
    response = as_user(chair_b).post(url, follow=True)
    assert response.status_code == 200
    assert fresh(transfer).status == TransferStatus.ACCEPTED


def test_rejecting_through_the_page_needs_a_reason(city, chair_a, chair_b, as_user, member_a):
    transfer = send(chair_a, member_a, city.union_b)
    url = reverse("members:transfer_reject", args=[transfer.pk])
    assert as_user(chair_a).post(url, {"reason": "x"}).status_code == 403
    response = as_user(chair_b).post(url, {"reason": ""}, follow=True)
    assert response.status_code == 200
    assert fresh(transfer).status == TransferStatus.REQUESTED
    as_user(chair_b).post(url, {"reason": "未在我单位就业"})
    assert fresh(transfer).status == TransferStatus.REJECTED


def test_cancelling_through_the_page(city, chair_a, chair_b, as_user, member_a):
    transfer = send(chair_a, member_a, city.union_b)
    url = reverse("members:transfer_cancel", args=[transfer.pk])
    assert as_user(chair_b).post(url, {"reason": "x"}).status_code == 403
    as_user(chair_a).post(url, {"reason": ""})
    assert fresh(transfer).status == TransferStatus.REQUESTED
    assert as_user(chair_a).post(url, {"reason": "职工留任"}).status_code == 302
    assert fresh(transfer).status == TransferStatus.CANCELLED


# --- Starting one through the page -----------------------------------------------------------


def test_the_sending_union_searches_the_receiving_union_and_requests(
    city, officer_a, as_user, member_a
):
    client = as_user(officer_a)
    url = reverse("members:transfer_request")
    page = client.get(url, {"member": member_a.pk})
    assert page.status_code == 200 and b'data-testid="search-first"' in page.content
    found = client.get(url, {"member": member_a.pk, "q": "乙公司"})
    choices = [c[0] for c in found.context["form"].fields["to_organisation"].widget.choices]
    assert city.union_b.pk in choices and city.branch_b.pk in choices
    assert city.union_a.pk not in choices  # the member's own union is no destination
    response = client.post(
        url, {"member": member_a.pk, "to_organisation": city.union_b.pk, "reason": "调入乙公司"}
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response.url == transfer.get_absolute_url()
    assert (transfer.started_by_side, transfer.to_organisation) == (SENDING, city.union_b)


def test_a_refused_request_is_shown_on_the_form(city, chair_a, as_user, member_a):
    url = reverse("members:transfer_request")
    data = {"member": member_a.pk, "to_organisation": city.union_b.pk, "reason": "调动"}
    assert as_user(chair_a).post(url, data).status_code == 302
    response = as_user(chair_a).post(url, data)
    assert response.status_code == 200 and response.context["form"].errors
    assert Transfer.objects.count() == 1


def test_the_receiving_union_requests_through_the_token(city, chair_b, as_user, member_a):
    client = as_user(chair_b)
    token = services.transfer_token(member_a)
    url = reverse("members:transfer_request")
    page = client.get(url, {"token": token})
    body = page.content.decode()
    assert page.status_code == 200
    assert member_a.name in body and member_a.resident_id_masked in body
    assert city.union_a.name in body
    assert member_a.resident_id not in body and member_a.phone not in body
    choices = [c[0] for c in page.context["form"].fields["to_organisation"].widget.choices]
    assert city.union_b.pk in choices and city.union_a.pk not in choices
    client.post(url, {"token": token, "to_organisation": city.union_b.pk, "reason": "已入职"})
    transfer = Transfer.objects.get()
    assert (transfer.started_by_side, transfer.from_organisation) == (RECEIVING, city.union_a)
    # Only chair B's own unions can receive: a POST naming another is refused.
    transfer.delete()
    client.post(url, {"token": token, "to_organisation": city.county_b.pk, "reason": "x"})
    assert not Transfer.objects.exists()


def test_the_one_membership_refusal_leads_to_a_transfer_request(city, chair_b, as_user, member_a):
    client = as_user(chair_b)
    refused = client.post(
        reverse("members:member_create"),
        {
            "organisation": city.union_b.pk,
            "name": member_a.name,
            "resident_id": member_a.resident_id,
            "joined_on": "2024-05-06",
            "status": "active",
        },
    )
    assert refused.status_code == 200
    link = refused.context["transfer_url"]
    assert link.startswith(reverse("members:transfer_request") + "?token=")
    page = client.get(link)
    assert page.status_code == 200 and page.context["member"] == member_a
    token = page.context["token"]
    data = {"token": token, "to_organisation": city.union_b.pk, "reason": "已入职乙公司"}
    assert client.post(reverse("members:transfer_request"), data).status_code == 302
    assert Transfer.objects.get().started_by_side == RECEIVING


def test_the_member_page_offers_the_transfer_and_the_card(city, chair_a, as_user, member_a):
    page = as_user(chair_a).get(member_a.get_absolute_url()).content.decode()
    assert f"{reverse('members:transfer_request')}?member={member_a.pk}" in page
    assert reverse("members:card_issue", args=[member_a.pk]) in page


def test_a_bad_token_gets_a_clear_page_not_a_crash(city, chair_b, as_user):
    response = as_user(chair_b).get(reverse("members:transfer_request"), {"token": "nonsense"})
    assert response.status_code == 400
    assert b'data-testid="transfer-error"' in response.content


def test_the_request_page_guards_the_member(city, chair_a, chair_b, auditor_user, as_user):
    member_b = MemberFactory(organisation=city.union_b)
    url = reverse("members:transfer_request")
    assert as_user(chair_a).get(url, {"member": member_b.pk}).status_code == 404
    assert as_user(chair_a).get(url, {"member": "x1"}).status_code == 404
    assert as_user(auditor_user).get(url).status_code == 403
    assert (
        as_user(auditor_user).get(url, {"token": services.transfer_token(member_b)}).status_code
        == 403
    )


def test_a_role_without_member_edit_gets_403_on_the_request_page(
    city, officer_a, as_user, member_a, monkeypatch
):
    monkeypatch.setitem(
        access.CAPABILITIES,
        "member.edit",
        access.CAPABILITIES["member.edit"] - {RoleName.BRANCH_OFFICER},
    )
    url = reverse("members:transfer_request")
    assert as_user(officer_a).get(url, {"member": member_a.pk}).status_code == 403


def test_the_member_picker_finds_only_own_current_members(city, chair_a, as_user, member_a):
    MemberFactory(organisation=city.union_b, name="张三丰")
    page = as_user(chair_a).get(reverse("members:transfer_request"), {"q": "张三"})
    assert [m.pk for m in page.context["found"]] == [member_a.pk]


# --- The dashboard --------------------------------------------------------------------------


def test_the_dashboard_lists_transfers_waiting_for_my_decision(
    city, chair_a, chair_b, as_user, member_a
):
    send(chair_a, member_a, city.union_b)
    make_transfers(city, 2)
    page = as_user(chair_b).get(reverse("todo_panel"))
    item = next(i for i in page.context["todo"] if "tab=decide" in i.url)
    assert item.count == 3
    assert item.url.startswith(reverse("members:transfer_list"))
    assert item.url.replace("&", "&amp;") in page.content.decode()
    followed = as_user(chair_b).get(item.url)
    assert len(followed.context["page"]) == 3
    # The side that started them has nothing to decide.
    assert not [
        i
        for i in as_user(chair_a).get(reverse("todo_panel")).context["todo"]
        if "tab=decide" in i.url
    ]
