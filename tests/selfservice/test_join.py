"""The public apply-to-join form (issue 19): bad input gives Chinese errors and creates
nothing; an existing member's ID reveals nothing publicly; rate limits answer 429; the honeypot
and the CAPTCHA; the union's decision and the public status check."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from members.models import Member, ServiceCard
from selfservice.models import JoinApplication
from tests.factories import MemberFactory, make_resident_id

from .helpers import RID, apply, join_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_mode")]


@pytest.fixture
def test_mode(settings):
    settings.SELFSERVICE_CAPTCHA_TEST_MODE = True
    caches["shared"].clear()


def post(data, client=None):
    return (client or Client()).post(reverse("selfservice:join"), data)


def test_a_valid_application_is_received_with_a_reference_and_is_no_member(city):
    response = post(join_data(city.union_a), client := Client())
    assert response.status_code == 302
    app = JoinApplication.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "已受理" in page and app.reference in page
    assert app.organisation == city.union_a and app.status == "pending"
    assert app.consent_version and app.consented_at and app.is_migrant
    assert not Member.objects.exists()  # an application is not a member
    assert RID not in str(JoinApplication.objects.values().get())  # stored encrypted


BIRTH_FUTURE = "420502" + f"{timezone.localdate().year + 1}0101" + "001"


@pytest.mark.parametrize(
    "over, field, text",
    [
        ({"resident_id": RID[:-1] + ("0" if RID[-1] != "0" else "1")}, "resident_id", "校验"),
        ({"resident_id": BIRTH_FUTURE + "X"}, "resident_id", "出生日期"),
        ({"employer": "不存在的公司", "union": ""}, "employer", "未找到"),
        ({"consent": None}, "consent", "隐私"),
        ({"mobile": "1234"}, "mobile", "手机"),
        ({"captcha": "wrong"}, "captcha", "算式"),
    ],
)
def test_bad_input_gives_a_chinese_error_and_creates_nothing(city, over, field, text):
    response = post(join_data(city.union_a, **over))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert text in " ".join(errors[field]), errors[field]
    assert not JoinApplication.objects.exists()
    assert "no-store" in response["Cache-Control"]  # the typed ID is echoed: never cached


def test_an_existing_members_id_reveals_nothing_publicly_but_the_union_sees_a_transfer(
    city, chair_a, as_user
):
    held = MemberFactory(organisation=city.union_b, resident_id=RID)
    client = Client()
    received = client.get(post(join_data(city.union_a), client)["Location"]).content.decode()
    stranger = make_resident_id(400)
    client2 = Client()
    other = client2.get(
        post(join_data(city.union_a, resident_id=stranger, mobile="13912340002"), client2)[
            "Location"
        ]
    ).content.decode()
    strip = lambda page, app: page.replace(app.reference, "")  # noqa: E731
    apps = JoinApplication.objects.order_by("pk")
    assert strip(received, apps[0]) == strip(other, apps[1])  # same words for both
    assert city.union_b.name not in received
    status = Client().post(
        reverse("selfservice:join_status"),
        {"reference": apps[0].reference, "id_tail": RID[-6:]},
    )
    assert "已受理" in status.content.decode() and city.union_b.name not in status.content.decode()
    page = as_user(chair_a).get(apps[0].get_absolute_url()).content.decode()
    assert 'data-testid="transfer-needed"' in page and 'data-testid="approve"' not in page
    assert held.name not in page and city.union_b.name not in page


def test_the_honeypot_answers_received_and_writes_nothing(city):
    client = Client()
    response = post(join_data(city.union_a, website="http://spam"), client)
    assert response.status_code == 302
    assert "已受理" in client.get(response["Location"]).content.decode()
    assert not JoinApplication.objects.exists()


@override_settings(SELFSERVICE_RATE_LIMITS={"join.ip": (3, 3600)})
def test_the_ip_limit_answers_429(city):
    for i in range(3):
        assert post(join_data(city.union_a, name="", mobile=f"1391234000{i}")).status_code == 200
    response = post(join_data(city.union_a))
    assert response.status_code == 429 and "尝试次数过多" in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_the_id_limit_answers_429_from_any_address(city):
    for i in range(3):
        client = Client(REMOTE_ADDR=f"10.0.0.{i + 1}")
        assert post(join_data(city.union_a), client).status_code == 302
    assert post(join_data(city.union_a), Client(REMOTE_ADDR="10.0.0.9")).status_code == 429
    assert JoinApplication.objects.count() == 3


def test_the_employer_is_found_by_its_code_and_an_area_union_takes_one_without(city):
    from members.models import OrgKind
    from tests.factories import OrganisationFactory

    response = post(join_data(city.union_a, employer=city.union_a.uscc, union=""))
    assert response.status_code == 302
    street = OrganisationFactory(
        parent=city.county_a, kind=OrgKind.TOWNSHIP_UNION, name="西陵街道总工会", uscc=""
    )
    data = join_data(
        city.union_a,
        resident_id=make_resident_id(77),
        employer="个体小店",
        union="",
        no_union="on",
        area_union=street.pk,
    )
    assert post(data).status_code == 302
    assert JoinApplication.objects.filter(organisation=street, no_union_at_employer=True).exists()


def test_the_chair_approves_membership_starts_today_with_a_card(city, chair_a, as_user):
    app = apply(city.union_a)
    client = as_user(chair_a)
    assert "在线入会申请" in client.get(reverse("todo_panel")).content.decode()
    client.post(reverse("selfservice:application_approve", args=[app.pk]))
    app.refresh_from_db()
    member = app.member
    assert app.status == "approved" and member.status == "active"
    assert member.joined_on == timezone.localdate() and member.is_migrant
    assert member.organisation == city.union_a
    assert ServiceCard.objects.get(member=member).status == "issued"
    outcome = Client().post(
        reverse("selfservice:join_status"), {"reference": app.reference, "id_tail": RID[-6:]}
    )
    assert "已批准" in outcome.content.decode()


def test_an_officer_cannot_decide_and_the_other_union_gets_404(city, officer_a, chair_b, as_user):
    app = apply(city.union_a)
    assert (
        as_user(officer_a)
        .post(reverse("selfservice:application_approve", args=[app.pk]))
        .status_code
        == 403
    )
    assert as_user(chair_b).get(app.get_absolute_url()).status_code == 404
    app.refresh_from_db()
    assert app.status == "pending"


def test_a_rejection_needs_a_reason_and_the_applicant_sees_it(city, chair_a, as_user):
    app = apply(city.union_a)
    client = as_user(chair_a)
    client.post(reverse("selfservice:application_reject", args=[app.pk]), {"reason": ""})
    app.refresh_from_db()
    assert app.status == "pending"
    client.post(
        reverse("selfservice:application_reject", args=[app.pk]), {"reason": "非本单位职工"}
    )
    app.refresh_from_db()
    assert app.status == "rejected"
    page = (
        Client()
        .post(reverse("selfservice:join_status"), {"reference": app.reference, "id_tail": RID[-6:]})
        .content.decode()
    )
    assert "非本单位职工" in page


def test_a_wrong_id_ending_says_nothing(city):
    app = apply(city.union_a)
    page = (
        Client()
        .post(reverse("selfservice:join_status"), {"reference": app.reference, "id_tail": "000000"})
        .content.decode()
    )
    assert "没有与该" in page and app.name not in page


def test_the_status_check_is_rate_limited(city, settings):
    settings.SELFSERVICE_RATE_LIMITS = {"status.ip": (2, 3600)}
    for _ in range(2):
        Client().post(reverse("selfservice:join_status"), {"reference": "X", "id_tail": "123456"})
    response = Client().post(
        reverse("selfservice:join_status"), {"reference": "X", "id_tail": "123456"}
    )
    assert response.status_code == 429


def test_the_receiving_union_requests_the_transfer_for_a_member_elsewhere(city, chair_a, as_user):
    held = MemberFactory(organisation=city.union_b, resident_id=RID)
    app = apply(city.union_a)
    client = as_user(chair_a)
    client.post(reverse("selfservice:application_approve", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == "pending" and Member.objects.count() == 1  # no second membership
    client.post(reverse("selfservice:application_transfer", args=[app.pk]))
    from members.models import Transfer

    transfer = Transfer.objects.get()
    assert transfer.member == held and transfer.to_organisation == city.union_a
    app.refresh_from_db()
    outcome = Client().post(
        reverse("selfservice:join_status"), {"reference": app.reference, "id_tail": RID[-6:]}
    )
    assert "已受理" in outcome.content.decode() and "已批准" not in outcome.content.decode()


def test_rate_limit_keys_never_hold_a_run_of_digits_like_a_resident_id():
    """The keys live in the database cache table on PostgreSQL without Redis: a hex digest
    could hold 18 decimal digits in a row, which the F4 check of a dump reads as an ID."""
    import re

    from selfservice.ratelimit import _key

    keys = [_key("join.id", f"42050219850615{n:04d}", 86400) for n in range(2000)]
    assert not [k for k in keys if re.search(r"[0-9]{18}", k)]
