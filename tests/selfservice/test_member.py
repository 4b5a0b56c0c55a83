"""Member accounts and the member's own pages (issue 19): an activation code works once, a
mobile another account uses is refused, the member logs in with mobile and password and
reaches their own record and nothing else (member A vs member B vs every staff URL)."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from congress.models import Suggestion
from members.models import ServiceCard, Transfer
from rights.models import Case, Category
from selfservice.services import accounts
from tests.factories import PASSWORD, MemberFactory, make_resident_id
from tests.test_security import all_patterns

from .helpers import RID, apply, member_with_account

pytestmark = pytest.mark.django_db

RID_B = make_resident_id(322)


@pytest.fixture
def member_a(city, chair_a):
    return member_with_account(city.union_a, chair_a)


@pytest.fixture
def member_b(city, chair_b):
    return member_with_account(
        city.union_b, chair_b, rid=RID_B, mobile="13912340009", name="赵大伟"
    )


def test_an_activation_code_works_once(city, chair_a):
    from selfservice.services import applications

    app = applications.application_approve(actor=chair_a, application=apply(city.union_a))
    code = accounts.code_issue(actor=chair_a, member=app.member)
    accounts.account_activate(
        code=code, mobile="13912340001", password=PASSWORD, password2=PASSWORD
    )
    with pytest.raises(ValidationError) as exc:
        accounts.account_activate(
            code=code, mobile="13912340001", password=PASSWORD + "x", password2=PASSWORD + "x"
        )
    assert "code" in exc.value.message_dict


def test_the_activation_page_refuses_a_used_code_a_weak_password_and_a_taken_mobile(
    city, chair_a, chair_b, member_a
):
    other = MemberFactory(organisation=city.union_b)
    code = accounts.code_issue(actor=chair_b, member=other)
    url = reverse("selfservice:activate")
    weak = Client().post(
        url, {"code": code, "mobile": "13912340055", "password": "short", "password2": "short"}
    )
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    taken = Client().post(
        url, {"code": code, "mobile": "13912340001", "password": PASSWORD, "password2": PASSWORD}
    )
    assert "该手机号已被其他会员账号使用" in taken.content.decode()
    other.refresh_from_db()
    assert not other.account.is_active
    ok = Client().post(
        url, {"code": code, "mobile": "13912340055", "password": PASSWORD, "password2": PASSWORD}
    )
    assert ok.status_code == 302
    again = Client().post(
        url, {"code": code, "mobile": "13912340056", "password": PASSWORD, "password2": PASSWORD}
    )
    assert "激活码无效或已被使用" in again.content.decode()


def test_the_staff_page_shows_the_code_once(city, chair_a, as_user):
    member = MemberFactory(organisation=city.union_a)
    client = as_user(chair_a)
    url = reverse("selfservice:account_issue", args=[member.pk])
    shown = client.post(url).content.decode()
    assert 'data-testid="activation-code"' in shown
    assert 'data-testid="activation-code"' not in client.get(url).content.decode()


def test_a_wrong_password_does_not_log_in(member_a):
    response = Client().post(
        reverse("selfservice:member_login"), {"username": "13912340001", "password": "nope"}
    )
    assert response.status_code == 200 and "手机号或密码错误" in response.content.decode()


def test_the_member_sees_their_record_masked_and_a_reveal_is_audited(member_a):
    account, client = member_a
    page = client.get(reverse("selfservice:me")).content.decode()
    assert "王小丽" in page and RID not in page and "13912340001" not in page
    assert account.member.resident_id_masked in page
    revealed = client.post(reverse("selfservice:me_reveal"), {"field": "resident_id"})
    assert RID in revealed.content.decode()
    assert LogEntry.objects.filter(additional_data__event="member.reveal_own").count() == 1
    cert = client.get(reverse("selfservice:me_certificate")).content.decode()
    assert f"YC{account.member.joined_on:%Y}{account.member.pk:08d}" in cert


def test_the_member_activates_their_card(member_a):
    account, client = member_a
    card = ServiceCard.objects.get(member=account.member)
    client.post(reverse("selfservice:me_card_activate"), {"card": card.pk})
    card.refresh_from_db()
    assert card.status == "active"


def test_member_a_never_sees_member_b(member_a, member_b):
    _account_a, client_a = member_a
    account_b, _ = member_b
    for name, pattern in all_patterns():
        if not name.startswith("selfservice:me") or pattern.pattern.converters:
            continue
        page = client_a.get(reverse(name)).content.decode()
        assert "赵大伟" not in page and account_b.member.resident_id_masked not in page, name


def test_every_staff_url_answers_403_or_404_to_a_member(member_a, city):
    _account, client = member_a
    checked = 0
    for name, pattern in all_patterns():
        if name.startswith("selfservice:me") or name.startswith("django"):
            continue
        if (
            name in {"logout", "set_language", "healthz", "password_change"}
            or name.startswith("selfservice:")
            and (
                name.split(":")[1]
                in {"join", "join_done", "join_status", "activate", "member_login"}
            )
        ):
            continue
        kwargs = {k: city.union_a.pk for k in pattern.pattern.converters}
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code in (403, 404), (name, response.status_code)
        checked += 1
    assert checked > 100


def test_staff_get_404_on_the_member_pages(chair_a, as_user):
    assert as_user(chair_a).get(reverse("selfservice:me")).status_code == 404
    assert Client().get(reverse("selfservice:me")).status_code == 302


def test_a_request_becomes_an_online_case_of_their_union_that_the_county_sees(
    member_a, city, county_user, as_user
):
    _account, client = member_a
    category = Category.objects.filter(active=True).first()
    client.post(
        reverse("selfservice:me_requests"),
        {"kind": "request", "category": category.pk, "request": "加班费未按规定发放"},
    )
    case = Case.objects.get()
    assert case.channel == "online" and case.received_by == city.union_a
    assert case.member.name == "王小丽"
    assert case.number in client.get(reverse("selfservice:me_requests")).content.decode()
    county = as_user(county_user).get(reverse("rights:case_list")).content.decode()
    assert case.number in county


def test_a_suggestion_goes_to_their_unions_congress(member_a, city):
    _account, client = member_a
    client.post(reverse("selfservice:me_suggestions"), {"title": "节能改造", "body": "更换照明"})
    suggestion = Suggestion.objects.get()
    assert suggestion.organisation == city.union_a
    assert "节能改造" in client.get(reverse("selfservice:me_suggestions")).content.decode()


def test_a_transfer_request_goes_to_the_unions(member_a, city):
    _account, client = member_a
    client.post(
        reverse("selfservice:me_transfer"),
        {"employer": city.union_b.name, "union": city.union_b.pk, "reason": "换工作"},
    )
    transfer = Transfer.objects.get()
    assert transfer.to_organisation == city.union_b and transfer.status == "requested"
    # Asking again while it is open: the reason on the form, never a server error.
    again = client.post(
        reverse("selfservice:me_transfer"),
        {"employer": city.union_b.name, "union": city.union_b.pk, "reason": "换工作"},
    )
    assert again.status_code == 200
    assert again.context["form"].non_field_errors()
    assert Transfer.objects.count() == 1


def test_a_mobile_change_is_audited_and_refuses_a_taken_one(member_a, member_b):
    account, client = member_a
    taken = client.post(reverse("selfservice:me_mobile"), {"mobile": "13912340009"})
    assert "该手机号已被其他会员账号使用" in taken.content.decode()
    client.post(reverse("selfservice:me_mobile"), {"mobile": "13912340077"})
    account.member.refresh_from_db()
    assert account.member.phone == "13912340077"
    assert LogEntry.objects.filter(additional_data__event="member.mobile_own").exists()
    fresh = Client().post(
        reverse("selfservice:member_login"), {"username": "13912340077", "password": PASSWORD}
    )
    assert fresh.status_code == 302
