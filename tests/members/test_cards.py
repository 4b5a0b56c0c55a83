"""Member service cards (会员服务卡): issue, activate, report lost, replace; and the pages as
allowed user, lower role (403), outsider (404) and GET on an action (405)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import access, kpis, services
from members.models import CardStatus, MemberStatus, RoleName, ServiceCard

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


@pytest.fixture
def member_a(city):
    return MemberFactory(organisation=city.union_a, name="李四")


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def issue(member, number, actor=None, on=DAY):
    return services.card_issue(actor=actor, member=member, number=number, issued_on=on)


# --- Services -------------------------------------------------------------------------------


def test_a_card_is_issued_to_a_current_member_with_a_tidied_number(city, chair_a, member_a):
    card = issue(member_a, " 6222 0212-3456 7890 ", actor=chair_a)
    assert card.number == "6222021234567890"
    assert (card.status, card.issued_on, card.organisation) == (
        CardStatus.ISSUED,
        DAY,
        city.union_a,
    )


def test_card_numbers_are_unique(city, member_a):
    issue(member_a, "CARD000001")
    other = MemberFactory(organisation=city.union_a)
    with pytest.raises(ValidationError) as exc:
        issue(other, "card 000001")
    assert "number" in exc.value.message_dict
    assert not ServiceCard.objects.filter(member=other).exists()


def test_a_member_holds_one_valid_card(city, member_a):
    issue(member_a, "CARD000001")
    with pytest.raises(ValidationError):
        issue(member_a, "CARD000002")
    assert ServiceCard.objects.filter(member=member_a).count() == 1


def test_the_database_refuses_a_second_valid_card_too(city, member_a):
    issue(member_a, "CARD000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceCard.objects.create(member=member_a, organisation=city.union_a, number="CARD000002")


@pytest.mark.parametrize("status", [MemberStatus.WITHDRAWN, MemberStatus.EXPELLED])
def test_only_current_members_get_cards(city, member_a, status):
    type(member_a).objects.filter(pk=member_a.pk).update(status=status)
    with pytest.raises(ValidationError):
        issue(fresh(member_a), "CARD000001")


@pytest.mark.parametrize("number", ["12345", "卡号123456", "=1+1234567", "x" * 33])
def test_a_malformed_number_is_refused(city, member_a, number):
    with pytest.raises(ValidationError):
        issue(member_a, number)


def test_an_issue_date_in_the_future_or_before_joining_is_refused(city, member_a):
    with pytest.raises(ValidationError):
        issue(member_a, "CARD000001", on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError):
        issue(member_a, "CARD000001", on=date(2019, 1, 1))  # joined 2020-03-01


def test_activating_an_issued_card(city, chair_a, member_a):
    card = issue(member_a, "CARD000001")
    services.card_activate(actor=chair_a, card=card, on=date(2026, 3, 5))
    card = fresh(card)
    assert (card.status, card.activated_on) == (CardStatus.ACTIVE, date(2026, 3, 5))
    with pytest.raises(ValidationError):
        services.card_activate(actor=chair_a, card=card, on=date(2026, 3, 6))


def test_an_activation_before_the_issue_date_is_refused(city, member_a):
    card = issue(member_a, "CARD000001")
    with pytest.raises(ValidationError):
        services.card_activate(actor=None, card=card, on=date(2026, 3, 1))
    assert fresh(card).status == CardStatus.ISSUED


def test_a_lost_card_is_replaced_by_a_new_one_that_points_back(city, chair_a, member_a):
    card = issue(member_a, "CARD000001")
    services.card_activate(actor=chair_a, card=card, on=DAY)
    services.card_report_lost(actor=chair_a, card=card, on=date(2026, 4, 1))
    assert fresh(card).status == CardStatus.LOST
    with pytest.raises(ValidationError):
        services.card_report_lost(actor=chair_a, card=card, on=date(2026, 4, 2))
    new = services.card_replace(actor=chair_a, card=card, new_number="CARD000002")
    assert (new.status, new.replaces, new.issued_on) == (
        CardStatus.ISSUED,
        fresh(card),
        timezone.localdate(),
    )
    assert fresh(card).status == CardStatus.REPLACED
    with pytest.raises(ValidationError):
        services.card_replace(actor=chair_a, card=card, new_number="CARD000003")


def test_a_replacement_with_a_taken_number_changes_nothing(city, member_a):
    issue(MemberFactory(organisation=city.union_a), "TAKEN00001")
    card = issue(member_a, "CARD000001")
    services.card_report_lost(actor=None, card=card, on=DAY)
    with pytest.raises(ValidationError) as exc:
        services.card_replace(actor=None, card=card, new_number="TAKEN00001")
    assert "new_number" in exc.value.message_dict
    assert fresh(card).status == CardStatus.LOST
    assert ServiceCard.objects.filter(member=member_a).count() == 1


def test_the_activation_rate_counts_activated_among_valid_cards(city):
    """3 activated, 1 issued, 1 lost, 1 replaced (its replacement issued): 3 of 5 valid."""
    cards = [issue(MemberFactory(organisation=city.union_a), f"CARD00000{i}") for i in range(6)]
    for card in cards[:3]:
        services.card_activate(actor=None, card=card, on=DAY)
    services.card_report_lost(actor=None, card=cards[4], on=DAY)
    services.card_replace(actor=None, card=cards[5], new_number="CARD000099")
    rate = kpis.card_activation_rate(city.union_a)
    assert (rate.numerator, rate.denominator) == (3, 5)
    assert str(rate) == "60.0%"
    assert str(kpis.card_activation_rate(city.union_b)) == "暂无数据"


def test_a_transferred_members_card_goes_with_them(city, chair_a, chair_b, member_a):
    card = issue(member_a, "CARD000001")
    transfer = services.transfer_request(
        actor=chair_a, member=member_a, to_organisation=city.union_b, reason="调动"
    )
    services.transfer_accept(actor=chair_b, transfer=transfer)
    services.card_activate(actor=chair_b, card=card, on=DAY)
    assert fresh(card).organisation == city.union_a  # the issuing union stays on record
    assert kpis.card_activation_rate(city.union_b).numerator == 1
    assert kpis.card_activation_rate(city.union_a).denominator == 0


# --- Pages ----------------------------------------------------------------------------------


def make_cards(org, n, start=0):
    return [issue(MemberFactory(organisation=org), f"BULK{start + i:06d}") for i in range(n)]


def test_the_card_list_is_scoped_and_shows_the_activation_rate(city, chair_a, as_user, member_a):
    mine = issue(member_a, "CARD000001")
    services.card_activate(actor=None, card=mine, on=DAY)
    make_cards(city.union_a, 3, start=10)
    make_cards(city.union_b, 2, start=20)
    response = as_user(chair_a).get(reverse("members:card_list"))
    assert {c.member.organisation_id for c in response.context["page"]} == {city.union_a.pk}
    assert str(response.context["rate"]) == "25.0%"
    body = response.content.decode()
    assert "25.0%" in body and 'data-testid="activation-rate"' in body
    assert member_a.resident_id_masked in body and member_a.resident_id not in body


def test_the_card_list_filters_by_status_and_searches(city, chair_a, as_user, member_a):
    card = issue(member_a, "CARD000001")
    make_cards(city.union_a, 2, start=10)
    services.card_report_lost(actor=None, card=card, on=DAY)
    url = reverse("members:card_list")
    lost = as_user(chair_a).get(url, {"status": "lost"}).context["page"]
    assert [c.pk for c in lost] == [card.pk]
    # A number goes through the POST look-up (security.md F5): the address holds a key only.
    client = as_user(chair_a)
    location = client.post(reverse("lookup"), {"q": "card 000001", "next": url})["Location"]
    assert "000001" not in location
    found = client.get(location).context["page"]
    assert [c.pk for c in found] == [card.pk]
    assert [c.pk for c in as_user(chair_a).get(url, {"q": "李四"}).context["page"]] == [card.pk]


def test_the_card_list_costs_the_same_queries_at_two_sizes(
    city, chair_a, as_user, django_assert_num_queries
):
    from django.db import connection

    client = as_user(chair_a)
    url = reverse("members:card_list")
    make_cards(city.union_a, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make_cards(city.branch_a, 12, start=100)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["page"]) == 14


def test_the_card_list_is_403_for_the_auditor(city, auditor_user, as_user):
    assert as_user(auditor_user).get(reverse("members:card_list")).status_code == 403


def test_issuing_through_the_page(city, officer_a, chair_b, as_user, member_a):
    url = reverse("members:card_issue", args=[member_a.pk])
    assert as_user(chair_b).get(url).status_code == 404
    client = as_user(officer_a)
    assert client.get(url).status_code == 200
    response = client.post(url, {"number": "6222 0000 1111", "issued_on": "2026-03-02"})
    assert response.status_code == 302 and response.url == member_a.get_absolute_url()
    assert ServiceCard.objects.get(member=member_a).number == "622200001111"
    again = client.post(url, {"number": "6222 0000 2222", "issued_on": "2026-03-02"})
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    taken = MemberFactory(organisation=city.union_a)
    dup = client.post(
        reverse("members:card_issue", args=[taken.pk]),
        {"number": "622200001111", "issued_on": "2026-03-02"},
    )
    assert dup.status_code == 200 and "number" in dup.context["form"].errors


def test_a_bad_number_is_shown_on_the_form(city, chair_a, as_user, member_a):
    url = reverse("members:card_issue", args=[member_a.pk])
    response = as_user(chair_a).post(url, {"number": "卡1", "issued_on": "2026-03-02"})
    assert response.status_code == 200 and "number" in response.context["form"].errors
    assert not ServiceCard.objects.exists()


@pytest.mark.parametrize("name", ["card_activate", "card_report_lost"])
def test_dated_card_actions_through_the_page(city, chair_a, chair_b, as_user, member_a, name):
    card = issue(member_a, "CARD000001")
    url = reverse(f"members:{name}", args=[card.pk])
    assert as_user(chair_a).get(url).status_code == 405
    assert as_user(chair_b).post(url).status_code == 404
    back = reverse("members:card_list") + "?status=issued"
    response = as_user(chair_a).post(url, {"on": "2026-03-05", "next": back})
    assert response.status_code == 302 and response.url == back
    expected = CardStatus.ACTIVE if name == "card_activate" else CardStatus.LOST
    assert fresh(card).status == expected


def test_a_card_action_never_redirects_off_site(city, chair_a, as_user, member_a):
    card = issue(member_a, "CARD000001")
    url = reverse("members:card_activate", args=[card.pk])
    response = as_user(chair_a).post(url, {"next": "https://evil.example/"})
    assert response.url == reverse("members:card_list")


def test_a_refused_card_action_is_a_message_not_a_crash(city, chair_a, as_user, member_a):
    card = issue(member_a, "CARD000001")
    services.card_report_lost(actor=None, card=card, on=DAY)
    url = reverse("members:card_activate", args=[card.pk])
    response = as_user(chair_a).post(url, {"on": "2026-03-05"}, follow=True)
    assert response.status_code == 200
    assert fresh(card).status == CardStatus.LOST
    bad_date = as_user(chair_a).post(
        reverse("members:card_report_lost", args=[card.pk]), {"on": "2026-02-30"}
    )
    assert bad_date.status_code == 302


def test_replacing_through_the_page(city, chair_a, chair_b, as_user, member_a):
    card = issue(member_a, "CARD000001")
    url = reverse("members:card_replace", args=[card.pk])
    assert as_user(chair_b).get(url).status_code == 404
    assert as_user(chair_b).post(url, {"new_number": "CARD000002"}).status_code == 404
    assert as_user(chair_a).get(url).status_code == 200
    response = as_user(chair_a).post(url, {"new_number": "CARD000002"})
    assert response.status_code == 302
    new = ServiceCard.objects.get(number="CARD000002")
    assert new.replaces == card and fresh(card).status == CardStatus.REPLACED


@pytest.mark.parametrize(
    "name, method", [("card_issue", "get"), ("card_replace", "get"), ("card_activate", "post")]
)
def test_a_role_without_member_edit_gets_403_on_card_pages(
    city, officer_a, as_user, member_a, monkeypatch, name, method
):
    card = issue(member_a, "CARD000001")
    monkeypatch.setitem(
        access.CAPABILITIES,
        "member.edit",
        access.CAPABILITIES["member.edit"] - {RoleName.BRANCH_OFFICER},
    )
    pk = member_a.pk if name == "card_issue" else card.pk
    response = getattr(as_user(officer_a), method)(reverse(f"members:{name}", args=[pk]))
    assert response.status_code == 403
    assert fresh(card).status == CardStatus.ISSUED


def test_the_auditor_cannot_reach_any_card(city, auditor_user, as_user, member_a):
    card = issue(member_a, "CARD000001")
    client = as_user(auditor_user)
    assert client.get(reverse("members:card_replace", args=[card.pk])).status_code == 404
    assert client.get(reverse("members:card_issue", args=[member_a.pk])).status_code == 404


def test_organisation_scope_is_the_members_current_union(city, chair_a, member_a):
    # The scope joins through the member, so the KPI selection and the list agree.
    issue(member_a, "CARD000001")
    assert kpis.card_activation_rate(access.organisations_in_scope(chair_a)).denominator == 1
