"""The membership lifecycle (domain.md C): every allowed move works and is recorded, every
other move is refused, and the moves that need a reason ask for one."""

from datetime import date, timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members import services
from members.dues import add_months
from members.models import (
    CURRENT_STATUSES,
    REASON_REQUIRED,
    TRANSITIONS,
    Member,
    MemberStatus,
    MemberStatusChange,
)
from members.services.dues import LAPSE_MONTHS
from members.timeline import member_timeline

from ..factories import MemberFactory, make_resident_id
from .dues_helpers import record

pytestmark = pytest.mark.django_db

ALLOWED = sorted((src, dst) for src, targets in TRANSITIONS.items() for dst in targets)
FORBIDDEN = sorted(
    (src, dst)
    for src in MemberStatus.values
    for dst in MemberStatus.values
    if dst not in TRANSITIONS[src]
)


def status_url(member):
    return reverse("members:member_status", args=[member.pk])


def test_the_tables_cover_every_pair_of_statuses():
    assert len(ALLOWED) + len(FORBIDDEN) == len(MemberStatus.values) ** 2
    assert set(TRANSITIONS) == set(MemberStatus.values)


# The reason categories the rules ask for (domain.md C).
CATEGORY = {MemberStatus.RETAINED: "retired", MemberStatus.EXPELLED: "criminal_penalty"}


def unpaid_half_year(member, on):
    """The six months of unpaid dues before `on`'s month that a lapse needs."""
    month = add_months(on.replace(day=1), -LAPSE_MONTHS)
    for _ in range(LAPSE_MONTHS):
        record(member, month)
        month = add_months(month, 1)


@pytest.mark.parametrize("src, dst", ALLOWED)
def test_every_allowed_move_is_made_and_recorded(city, chair_a, src, dst):
    member = MemberFactory(organisation=city.union_a, status=src)
    on = timezone.localdate() - timedelta(days=3)
    if dst == MemberStatus.LAPSED:
        unpaid_half_year(member, on)
    services.member_change_status(
        actor=chair_a,
        member=member,
        to_status=dst,
        on=on,
        reason="退休，经小组讨论",
        category=CATEGORY.get(dst, ""),
    )
    member.refresh_from_db()
    assert member.status == dst
    assert member.status_changed_on == on
    assert member.version == 1
    change = MemberStatusChange.objects.get(member=member)
    assert (change.from_status, change.to_status) == (src, dst)
    assert change.changed_by == chair_a
    assert change.changed_on == on
    assert change.reason == "退休，经小组讨论"
    assert change.organisation == city.union_a


@pytest.mark.parametrize("src, dst", FORBIDDEN)
def test_every_other_move_is_refused_and_nothing_changes(city, chair_a, src, dst):
    member = MemberFactory(organisation=city.union_a, status=src)
    with pytest.raises(ValidationError) as exc:
        services.member_change_status(actor=chair_a, member=member, to_status=dst, reason="x")
    assert "to_status" in exc.value.error_dict
    member.refresh_from_db()
    assert member.status == src and member.version == 0
    assert not MemberStatusChange.objects.filter(member=member).exists()


def a_source_for(dst: str) -> str:
    return next(src for src, targets in TRANSITIONS.items() if dst in targets)


@pytest.mark.parametrize("dst", sorted(REASON_REQUIRED))
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required_where_the_rules_say(city, chair_a, dst, reason):
    member = MemberFactory(organisation=city.union_a, status=a_source_for(dst))
    with pytest.raises(ValidationError) as exc:
        services.member_change_status(actor=chair_a, member=member, to_status=dst, reason=reason)
    assert "reason" in exc.value.error_dict
    assert Member.objects.get(pk=member.pk).status == member.status


@pytest.mark.parametrize("src, dst", [p for p in ALLOWED if p[1] not in REASON_REQUIRED])
def test_other_moves_need_no_reason(city, chair_a, src, dst):
    member = MemberFactory(organisation=city.union_a, status=src)
    services.member_change_status(actor=chair_a, member=member, to_status=dst)
    assert Member.objects.get(pk=member.pk).status == dst


def test_a_change_cannot_take_effect_in_the_future(city, chair_a):
    member = MemberFactory(organisation=city.union_a)
    with pytest.raises(ValidationError) as exc:
        services.member_change_status(
            actor=chair_a,
            member=member,
            to_status=MemberStatus.RETAINED,
            on=timezone.localdate() + timedelta(days=1),
            reason="退休",
        )
    assert "on" in exc.value.error_dict


def test_retained_members_are_current_but_not_active(city):
    retained = MemberFactory(organisation=city.union_a, status=MemberStatus.RETAINED)
    active = MemberFactory(organisation=city.union_a)
    assert list(Member.objects.active()) == [active]
    assert set(Member.objects.current()) == {retained, active}
    assert MemberStatus.RETAINED in CURRENT_STATUSES


def test_rejoining_is_refused_when_the_person_joined_another_union_meanwhile(
    city, chair_a, chair_b
):
    left = MemberFactory(organisation=city.union_a, status=MemberStatus.WITHDRAWN)
    MemberFactory(organisation=city.union_b, resident_id=left.resident_id)
    with pytest.raises(ValidationError) as exc:
        services.member_change_status(actor=chair_a, member=left, to_status=MemberStatus.APPLIED)
    assert "此人已在其他工会登记" in " ".join(exc.value.messages)
    assert Member.objects.get(pk=left.pk).status == MemberStatus.WITHDRAWN
    assert LogEntry.objects.filter(additional_data__event="member.one_membership_hit").count() == 1


# --- Through the page -----------------------------------------------------------------------


@time_machine.travel(date(2026, 3, 10))
def test_the_status_page_offers_only_the_allowed_moves_and_records_the_change(
    city, officer_a, as_user
):
    member = MemberFactory(organisation=city.union_a)
    client = as_user(officer_a)
    form = client.get(status_url(member)).context["form"]
    assert {c for c, _ in form.fields["to_status"].choices} == TRANSITIONS[MemberStatus.ACTIVE]
    assert form.fields["reason"].help_text  # says when a reason is needed
    response = client.post(
        status_url(member),
        {"to_status": "retained", "on": "2026-03-01", "reason": "退休", "category": "retired"},
    )
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    change = MemberStatusChange.objects.get(member=member)
    assert (change.changed_by, change.changed_on, change.from_status, change.to_status) == (
        officer_a,
        date(2026, 3, 1),
        "active",
        "retained",
    )
    page = client.get(member.get_absolute_url()).content.decode()
    assert 'data-kind="status"' in page and "退休" in page and officer_a.display_name in page


def test_the_status_page_puts_the_missing_reason_on_the_form(city, chair_a, as_user):
    member = MemberFactory(organisation=city.union_a)
    response = as_user(chair_a).post(
        status_url(member), {"to_status": "lapsed", "on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE


def test_a_forbidden_move_posted_to_the_page_is_refused(city, chair_a, as_user):
    member = MemberFactory(organisation=city.union_a, status=MemberStatus.APPLIED)
    response = as_user(chair_a).post(
        status_url(member),
        {"to_status": "expelled", "on": timezone.localdate().isoformat(), "reason": "x"},
    )
    assert response.status_code == 200
    assert "to_status" in response.context["form"].errors
    assert Member.objects.get(pk=member.pk).status == MemberStatus.APPLIED


def test_an_expelled_member_has_no_further_moves(city, chair_a, as_user):
    member = MemberFactory(organisation=city.union_a, status=MemberStatus.EXPELLED)
    client = as_user(chair_a)
    assert (
        'data-testid="member-status"' not in client.get(member.get_absolute_url()).content.decode()
    )
    assert 'data-testid="no-transitions"' in client.get(status_url(member)).content.decode()


def test_another_unions_member_status_page_is_404(city, chair_b, as_user):
    member = MemberFactory(organisation=city.union_a)
    client = as_user(chair_b)
    assert client.get(status_url(member)).status_code == 404
    response = client.post(
        status_url(member), {"to_status": "lapsed", "on": "2026-01-01", "reason": "x"}
    )
    assert response.status_code == 404
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE


# --- The timeline ---------------------------------------------------------------------------


def test_the_timeline_gathers_status_transfer_card_and_dues_events(city, chair_a):
    from members.models import CardStatus, DuesRecord, ServiceCard, Transfer, TransferStatus

    member = services.member_register(
        actor=chair_a,
        organisation=city.union_a,
        resident_id=make_resident_id(123),
        name="赵六",
        joined_on=date(2023, 1, 5),
    )
    Transfer.objects.create(
        member=member,
        from_organisation=city.union_a,
        to_organisation=city.union_b,
        started_by_side="sending",
        status=TransferStatus.REJECTED,
        requested_by=chair_a,
        decided_at=timezone.now(),
        decision_reason="劳动关系未变",
    )
    old = ServiceCard.objects.create(
        member=member,
        organisation=city.union_a,
        number="6222000011112222",
        issued_on=date(2023, 2, 1),
        activated_on=date(2023, 2, 10),
        status=CardStatus.LOST,
    )
    ServiceCard.objects.create(
        member=member,
        organisation=city.union_a,
        number="6222000011113333",
        issued_on=date(2024, 4, 1),
        replaces=old,
    )
    for month, paid in [(date(2025, m, 1), m != 3) for m in range(1, 5)]:
        DuesRecord.objects.create(
            member=member,
            organisation=city.union_a,
            month=month,
            wage_base=4000,
            amount="20.00",
            paid_on=month if paid else None,
        )
    events = member_timeline(member)
    kinds = [e.kind for e in events]
    assert {"status", "transfer", "card", "dues"} <= set(kinds)
    assert events == sorted(events, key=lambda e: e.sort_key(), reverse=True)
    dues = next(e for e in events if e.kind == "dues")
    assert "2025-03" in dues.detail and "2025-01" not in dues.detail
    assert sum(1 for k in kinds if k == "transfer") == 2  # requested, then rejected
    assert sum(1 for k in kinds if k == "card") == 3  # two issued, one activated
    assert events[-1].kind == "status"  # registration came first


def test_later_apps_can_add_providers(city, monkeypatch):
    from members import timeline

    member = MemberFactory(organisation=city.union_a)
    monkeypatch.setattr(timeline, "PROVIDERS", list(timeline.PROVIDERS))
    timeline.register(
        lambda m: [timeline.TimelineEvent(date=date(2026, 1, 1), kind="relief", title="救助")]
    )
    assert any(e.kind == "relief" for e in member_timeline(member))
