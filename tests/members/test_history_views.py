"""The pages of the membership history: the member's history and dates, retaining and
expelling with their categories, the higher union's expulsion filings, dues paid ahead."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from members import services
from members.models import DuesRecord, MemberStatus, MemberStatusChange
from tests.factories import MemberFactory, make_resident_id

pytestmark = pytest.mark.django_db


def test_the_member_page_shows_the_application_approval_and_history(city, chair_a, as_user):
    with time_machine.travel(date(2026, 10, 5)):
        m = services.member_register(
            actor=chair_a,
            organisation=city.union_a,
            resident_id=make_resident_id(77),
            name="李申请",
            joined_on=date(2026, 10, 5),
            status=MemberStatus.APPLIED,
        )
        html = as_user(chair_a).get(m.get_absolute_url()).content.decode()
        assert "尚未批准" in html and "2026-10-05" in html
    with time_machine.travel(date(2026, 11, 25)):
        services.member_change_status(
            actor=chair_a, member=m, to_status=MemberStatus.ACTIVE, on=date(2026, 11, 20)
        )
        html = as_user(chair_a).get(m.get_absolute_url()).content.decode()
    assert 'data-testid="joined-on">2026-11-20<' in html
    assert 'data-testid="applied-on">2026-10-05<' in html
    assert 'data-testid="spells"' in html and "入会（批准）" in html


def test_retaining_on_the_status_page_needs_the_category(city, chair_a, as_user):
    m = MemberFactory(organisation=city.union_a)
    url = reverse("members:member_status", args=[m.pk])
    client = as_user(chair_a)
    today = date.today().isoformat()
    response = client.post(url, {"to_status": "retained", "on": today, "reason": "退休"})
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert "退休、失业" in response.content.decode()
    response = client.post(
        url, {"to_status": "retained", "on": today, "reason": "退休", "category": "retired"}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.retained_reason == "retired"
    assert "退休" in client.get(m.get_absolute_url()).content.decode()


def test_the_higher_union_sees_and_acknowledges_an_expulsion_other_unions_do_not(
    city, chair_a, chair_b, county_user, as_user
):
    m = MemberFactory(organisation=city.union_a, name="王某")
    services.member_change_status(
        actor=chair_a,
        member=m,
        to_status=MemberStatus.EXPELLED,
        reason="（2026）鄂0502刑初1号",
        category="criminal_penalty",
    )
    change = MemberStatusChange.objects.get(member=m)
    county = as_user(county_user)
    page = county.get(reverse("members:expulsion_list") + "?open=1").content.decode()
    assert "王某" in page and f'data-testid="ack-{change.pk}"' in page
    # another union's chair, and the expelling union itself, cannot acknowledge it
    ack = reverse("members:expulsion_acknowledge", args=[change.pk])
    assert as_user(chair_b).post(ack).status_code == 404
    assert "王某" not in as_user(chair_b).get(reverse("members:expulsion_list")).content.decode()
    assert as_user(chair_a).post(ack).status_code == 404
    response = county.post(ack)
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.acknowledged_by == county_user and change.acknowledged_at is not None
    page = county.get(reverse("members:expulsion_list") + "?open=1").content.decode()
    assert f'data-testid="filing-{change.pk}"' not in page


@time_machine.travel(date(2026, 12, 2))
def test_dues_paid_ahead_on_the_members_dues_page(city, chair_a, chair_b, as_user):
    m = MemberFactory(organisation=city.union_a, wage_base="5000.00")
    url = reverse("members:dues_member_pay_ahead", args=[m.pk])
    data = {"through": "2028-01", "paid_on": "2026-12-02", "paid_how": "cash"}
    client = as_user(chair_a)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "最多" in response.content.decode()  # at most 12 months ahead, on the form
    assert not DuesRecord.objects.filter(member=m).exists()
    assert as_user(chair_b).post(url, {**data, "through": "2027-06"}).status_code == 404
    response = client.post(url, {**data, "through": "2027-06"})
    assert response.status_code == 302
    assert DuesRecord.objects.filter(member=m, paid_on=date(2026, 12, 2)).count() == 6
    page = client.get(reverse("members:dues_member", args=[m.pk])).content.decode()
    assert 'data-testid="pay-ahead-form"' in page and "2027-06" in page
