"""Defects found in review, kept fixed."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from members.models import MemberStatus
from welfare import services
from welfare.models import Campaign, ReliefApplication

from ..factories import MemberFactory, make_resident_id
from .helpers import verify_and_notice

pytestmark = pytest.mark.django_db


def test_a_typed_resident_id_is_never_written_back_into_the_form(city, chair_a, as_user):
    number = make_resident_id(321)
    MemberFactory(organisation=city.union_a, resident_id=number)
    response = as_user(chair_a).post(
        reverse("welfare:relief_create"), {"member": number, "kind": "medical", "reason": "x"}
    )
    assert response.status_code == 200
    assert number not in response.content.decode()


def test_relief_is_drafted_only_for_a_current_member(city, chair_a, as_user):
    gone = MemberFactory(organisation=city.union_a, status=MemberStatus.EXPELLED)
    response = as_user(chair_a).post(
        reverse("welfare:relief_create"),
        {"member_pk": gone.pk, "kind": "medical", "amount_requested": "100", "reason": "x"},
    )
    assert response.status_code == 404
    assert not ReliefApplication.objects.exists()


def test_a_form_token_reused_for_another_member_is_refused_not_a_500(city, chair_a):
    a, b = MemberFactory(organisation=city.union_a), MemberFactory(organisation=city.union_a)
    token = "5c3e2f4a-8d1e-4c8b-9a0a-1b2c3d4e5f60"
    services.relief_create(
        actor=chair_a,
        member=a,
        kind="medical",
        reason="x",
        amount_requested=Decimal("100"),
        token=token,
    )
    with pytest.raises(Exception) as exc:
        services.relief_create(
            actor=chair_a,
            member=b,
            kind="medical",
            reason="x",
            amount_requested=Decimal("100"),
            token=token,
        )
    assert type(exc.value).__name__ == "ValidationError"
    assert ReliefApplication.objects.count() == 1


def test_a_county_admin_cannot_change_a_city_campaigns_budget(city, as_user):
    from members.models import RoleName

    from ..conftest import _persona

    county_admin = _persona("county_admin", city.county_b, RoleName.FEDERATION_ADMIN)
    campaign = Campaign.objects.create(
        organisation=city.city,
        name="送温暖",
        kind="winter",
        year=2026,
        budget=Decimal("1000"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 2, 28),
    )
    response = as_user(county_admin).post(
        reverse("welfare:campaign_budget", args=[campaign.pk]),
        {"budget": "999999", "reason": "x"},
    )
    assert response.status_code in (403, 404)
    campaign.refresh_from_db()
    assert campaign.budget == Decimal("1000")


def test_editing_an_approved_file_sends_it_back_for_approval(city, chair_a):
    from welfare.models import FileStatus

    member = MemberFactory(organisation=city.union_a)
    hf = services.file_open(
        actor=chair_a, member=member, year=2026, household_size=2, annual_income=Decimal("0")
    )
    services.file_set_status(actor=chair_a, hardship_file=hf, to_status="submitted")
    verify_and_notice(hf)
    services.file_set_status(actor=None, hardship_file=hf, to_status="approved")
    hf = services.file_update(actor=chair_a, hardship_file=hf, causes="家庭变故")
    assert hf.status == FileStatus.SUBMITTED


def test_recording_the_same_visit_form_twice_makes_one_visit(city, chair_a, as_user):
    from welfare.models import CondolenceVisit

    member = MemberFactory(organisation=city.union_a, name="唯一的会员")
    client = as_user(chair_a)
    page = client.get(reverse("welfare:visit_create")).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    data = {
        "member": member.name,
        "occasion": "illness",
        "visited_on": "2026-11-20",
        "amount": "300",
        "visitors": "工会主席",
        "token": token,
    }
    assert client.post(reverse("welfare:visit_create"), data).status_code == 302
    assert client.post(reverse("welfare:visit_create"), data).status_code == 302
    assert CondolenceVisit.objects.count() == 1
