"""The member register as the allowed user, a lower role (403), an outsider (404) and GET on an
action (405); scoping, filters, the exact lookup, masking, reveal and the forms."""

import logging
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import validators
from members.models import Member, MemberStatus, MemberStatusChange
from members.views import members as member_views

from ..factories import MemberFactory, make_resident_id

pytestmark = pytest.mark.django_db

LIST = reverse("members:member_list")
LOOKUP = reverse("members:member_lookup")
CREATE = reverse("members:member_create")


def url(name, member):
    return reverse(f"members:{name}", args=[member.pk])


def listed(response) -> list[Member]:
    return list(response.context["page"].object_list)


def events(name: str):
    return LogEntry.objects.filter(additional_data__event=name)


@pytest.fixture
def member_a(city):
    return MemberFactory(organisation=city.union_a, name="张三")


@pytest.fixture
def member_b(city):
    return MemberFactory(organisation=city.union_b, name="李四")


def form_data(city, **overrides):
    data = {
        "organisation": city.union_a.pk,
        "name": "王五",
        "resident_id": make_resident_id(401, born=date(1990, 2, 3)),
        "phone": "139 0000 1234",
        "education": "bachelor",
        "employment_type": "permanent",
        "is_migrant": "on",
        "joined_on": "2024-05-06",
        "status": "active",
        "wage_base": "4567.89",
    }
    return {**data, **overrides}


# --- The list is scoped ---------------------------------------------------------------------


def test_a_chair_sees_only_their_unions_members_and_the_count_agrees(city, chair_a, as_user):
    MemberFactory.create_batch(3, organisation=city.union_a)
    MemberFactory.create_batch(2, organisation=city.branch_a)
    MemberFactory.create_batch(4, organisation=city.union_b)
    response = as_user(chair_a).get(LIST)
    with connection.cursor() as cursor:  # an oracle that does not use the scoping code
        cursor.execute(
            "SELECT COUNT(*) FROM members_member m JOIN members_organisation o"
            " ON m.organisation_id = o.id WHERE o.path LIKE %s",
            [city.union_a.path + "%"],
        )
        (expected,) = cursor.fetchone()
    assert expected == 5
    assert response.context["page"].paginator.count == expected
    assert {m.organisation_id for m in listed(response)} <= {city.union_a.pk, city.branch_a.pk}
    assert "乙公司" not in response.content.decode()


def test_a_county_officer_sees_the_county_and_an_admin_the_city(
    city, county_user, admin_user, as_user
):
    MemberFactory.create_batch(2, organisation=city.union_a)
    MemberFactory.create_batch(3, organisation=city.union_b)
    assert as_user(county_user).get(LIST).context["page"].paginator.count == 2
    assert as_user(admin_user).get(LIST).context["page"].paginator.count == 5


def test_the_list_has_the_new_and_the_export_buttons_for_editors(city, chair_a, as_user):
    page = as_user(chair_a).get(LIST).content.decode()
    assert 'data-testid="member-create"' in page
    assert 'data-testid="member-export"' in page


def test_the_export_link_carries_the_lists_filters(city, chair_a, as_user):
    response = as_user(chair_a).get(LIST, {"status": "active", "page": "2"})
    assert response.context["export_url"] == reverse("members:member_export") + "?status=active"


# --- Filters, search and sorting ------------------------------------------------------------


def test_the_union_filter_takes_the_union_with_its_branches(city, chair_a, as_user):
    top = MemberFactory(organisation=city.union_a)
    branch = MemberFactory(organisation=city.branch_a)
    client = as_user(chair_a)
    assert set(listed(client.get(LIST, {"union": city.union_a.pk}))) == {top, branch}
    assert listed(client.get(LIST, {"union": city.branch_a.pk})) == [branch]


def test_another_unions_id_in_the_union_filter_shows_nothing_of_it(
    city, chair_a, member_a, member_b, as_user
):
    response = as_user(chair_a).get(LIST, {"union": city.union_b.pk})
    assert listed(response) == [member_a]
    assert "乙公司" not in response.content.decode()


def test_the_status_filter(city, chair_a, as_user):
    active = MemberFactory(organisation=city.union_a)
    retained = MemberFactory(organisation=city.union_a, status=MemberStatus.RETAINED)
    client = as_user(chair_a)
    assert listed(client.get(LIST, {"status": "retained"})) == [retained]
    assert listed(client.get(LIST, {"status": "active"})) == [active]


@pytest.mark.parametrize("flag", ["is_migrant", "is_frontline"])
def test_the_migrant_and_frontline_filters(city, chair_a, as_user, flag):
    with_flag = MemberFactory(organisation=city.union_a, **{flag: True})
    without = MemberFactory(organisation=city.union_a, **{flag: False})
    client = as_user(chair_a)
    assert listed(client.get(LIST, {flag: "true"})) == [with_flag]
    assert listed(client.get(LIST, {flag: "false"})) == [without]
    assert len(listed(client.get(LIST, {flag: ""}))) == 2


def test_the_joined_between_filter(city, chair_a, as_user):
    early = MemberFactory(organisation=city.union_a, joined_on=date(2019, 1, 1))
    middle = MemberFactory(organisation=city.union_a, joined_on=date(2022, 6, 1))
    late = MemberFactory(organisation=city.union_a, joined_on=date(2025, 1, 1))
    client = as_user(chair_a)
    found = listed(client.get(LIST, {"joined_from": "2020-01-01", "joined_to": "2024-12-31"}))
    assert found == [middle]
    assert set(listed(client.get(LIST, {"joined_from": "2022-06-01"}))) == {middle, late}
    assert set(listed(client.get(LIST, {"joined_to": "2022-06-01"}))) == {early, middle}


def test_searching_by_part_of_a_name(city, chair_a, as_user):
    MemberFactory(organisation=city.union_a, name="欧阳明")
    MemberFactory(organisation=city.union_a, name="明光")
    MemberFactory(organisation=city.union_a, name="李华")
    MemberFactory(organisation=city.union_b, name="明月")
    names = {m.name for m in listed(as_user(chair_a).get(LIST, {"q": "明"}))}
    assert names == {"欧阳明", "明光"}


def test_a_number_typed_into_the_name_search_is_not_echoed(city, chair_a, member_a, as_user):
    number = member_a.resident_id
    response = as_user(chair_a).get(LIST, {"q": number, "status": "active"}, follow=True)
    assert response.redirect_chain == [(LIST + "?status=active", 302)]
    assert number not in response.content.decode()
    assert len(response.context["messages"]) == 1
    assert listed(response) == [member_a]  # the digits were dropped, not searched


def test_sorting_by_each_whitelisted_key_and_ignoring_others(city, chair_a, as_user):
    a = MemberFactory(organisation=city.branch_a, name="A", joined_on=date(2021, 1, 1))
    b = MemberFactory(organisation=city.union_a, name="B", joined_on=date(2020, 1, 1))
    c = MemberFactory(organisation=city.union_a, name="C", joined_on=date(2022, 1, 1))
    client = as_user(chair_a)
    assert listed(client.get(LIST, {"sort": "name"})) == [a, b, c]
    assert listed(client.get(LIST, {"sort": "-name"})) == [c, b, a]
    assert listed(client.get(LIST, {"sort": "joined_on"})) == [b, a, c]
    assert listed(client.get(LIST, {"sort": "-joined_on"})) == [c, a, b]
    assert listed(client.get(LIST, {"sort": "union"})) == [b, c, a]  # union before its branch
    assert listed(client.get(LIST, {"sort": "-union"})) == [a, b, c]
    assert listed(client.get(LIST, {"sort": "resident_id_index"})) == [a, b, c]


def test_the_list_pages_by_fifty(city, chair_a, as_user):
    MemberFactory.create_batch(51, organisation=city.union_a)
    client = as_user(chair_a)
    assert len(listed(client.get(LIST))) == 50
    assert len(listed(client.get(LIST, {"page": "2"}))) == 1
    assert len(listed(client.get(LIST, {"page": "x"}))) == 50


def queries_for_list(client, params, django_assert_num_queries):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST, params).status_code == 200
    return ctx


@pytest.mark.parametrize("params", [{}, {"status": "active", "sort": "-joined_on"}, "union"])
def test_the_list_costs_the_same_queries_at_5_and_50_members(
    city, chair_a, as_user, django_assert_num_queries, params
):
    client = as_user(chair_a)
    if params == "union":
        params = {"union": city.union_a.pk, "is_migrant": "false"}
    MemberFactory.create_batch(5, organisation=city.union_a)
    client.get(LIST, params)  # warm the session
    small = queries_for_list(client, params, django_assert_num_queries)
    MemberFactory.create_batch(45, organisation=city.branch_a)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(LIST, params)
    assert len(listed(response)) == 50
    selects = [q for q in small.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) <= 10


# --- Exact lookup by full number (POST only) ------------------------------------------------


@pytest.fixture
def captured_logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def assert_nowhere(number, response, caplog):
    assert number not in response.content.decode()
    assert number not in response.get("Location", "")
    assert number not in caplog.text
    for message in response.wsgi_request._messages:
        assert number not in str(message)


@pytest.mark.parametrize(
    "typed",
    [
        lambda m: m.resident_id,
        lambda m: m.resident_id[:-1] + m.resident_id[-1].lower(),
        lambda m: " ".join([m.resident_id[:6], m.resident_id[6:14], m.resident_id[14:]]),
        lambda m: m.phone,
        lambda m: f"+86 {m.phone[:3]}-{m.phone[3:7]}-{m.phone[7:]}",
    ],
    ids=["id", "lowercase-x", "spaced-id", "phone", "formatted-phone"],
)
def test_an_exact_lookup_goes_to_the_member_and_the_number_stays_out_of_urls_and_logs(
    city, chair_a, as_user, captured_logs, typed
):
    member = MemberFactory(organisation=city.union_a, resident_id=make_resident_id(7, female=True))
    MemberFactory(organisation=city.union_a)
    number = typed(member)
    response = as_user(chair_a).post(LOOKUP, {"number": number})
    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()
    assert_nowhere(number, response, captured_logs)
    assert_nowhere(member.resident_id, response, captured_logs)
    assert_nowhere(member.phone, response, captured_logs)


def test_a_lookup_with_several_hits_lists_them_masked(city, chair_a, as_user, captured_logs):
    one = MemberFactory(organisation=city.union_a, phone="13912345678")
    two = MemberFactory(organisation=city.branch_a, phone="13912345678")
    MemberFactory(organisation=city.union_b, phone="13912345678")
    response = as_user(chair_a).post(LOOKUP, {"number": "13912345678"})
    assert response.status_code == 200
    assert set(response.context["hits"]) == {one, two}
    page = response.content.decode()
    assert 'data-testid="lookup-hits"' in page and "139****5678" in page
    assert_nowhere("13912345678", response, captured_logs)


def test_a_lookup_of_another_unions_member_finds_nothing(
    city, chair_a, member_b, as_user, captured_logs
):
    response = as_user(chair_a).post(LOOKUP, {"number": member_b.resident_id})
    assert response.status_code == 200
    assert response.context["hits"] == []
    page = response.content.decode()
    assert 'data-testid="lookup-none"' in page
    assert "李四" not in page and "乙公司" not in page
    assert_nowhere(member_b.resident_id, response, captured_logs)


def test_a_bad_number_in_the_lookup_is_a_form_error_that_does_not_echo_it(
    city, chair_a, as_user, captured_logs
):
    bad = "110105194912310021"  # wrong check character
    response = as_user(chair_a).post(LOOKUP, {"number": bad})
    assert response.status_code == 200
    assert response.context["lookup_form"].errors
    assert_nowhere(bad, response, captured_logs)


def test_the_lookup_view_refuses_get(city, chair_a, as_user):
    assert as_user(chair_a).get(LOOKUP).status_code == 405


# --- Masking and reveal ---------------------------------------------------------------------


def test_list_and_detail_never_hold_a_full_id_or_phone(city, chair_a, as_user):
    members = MemberFactory.create_batch(4, organisation=city.union_a)
    client = as_user(chair_a)
    pages = [client.get(LIST).content.decode()]
    pages += [client.get(m.get_absolute_url()).content.decode() for m in members]
    pages += [client.get(url("member_update", m)).content.decode() for m in members]
    for m in members:
        for page in pages:
            assert m.resident_id not in page
            assert m.phone not in page
    assert members[0].resident_id_masked in pages[0] and members[0].phone_masked in pages[0]


def test_the_detail_shows_the_summary_and_the_wage_base_in_yuan(city, chair_a, as_user):
    member = MemberFactory(organisation=city.union_a, wage_base="12345.6", is_frontline=True)
    response = as_user(chair_a).get(member.get_absolute_url())
    page = response.content.decode()
    assert "¥12,345.60" in page
    assert member.resident_id_masked in page
    assert city.union_a.get_absolute_url() in page
    assert 'data-testid="reveal-resident_id"' in page and 'data-testid="reveal-phone"' in page


def test_an_officer_sees_no_reveal_button(city, officer_a, member_a, as_user):
    page = as_user(officer_a).get(member_a.get_absolute_url()).content.decode()
    assert 'data-testid="reveal-resident_id"' not in page


@pytest.mark.parametrize("field", ["resident_id", "phone"])
def test_a_chair_reveals_a_number_and_the_reveal_is_audited(
    city, chair_a, member_a, as_user, field
):
    response = as_user(chair_a).post(
        url("member_reveal", member_a), {"field": field}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    full = member_a.resident_id if field == "resident_id" else member_a.phone
    assert full in response.content.decode()
    assert "<html" not in response.content.decode()  # a fragment for htmx to swap in
    assert "no-store" in response["Cache-Control"]
    entry = events("member.reveal").get()
    assert entry.actor == chair_a
    assert entry.object_pk == str(member_a.pk)
    assert entry.additional_data["field"] == field


def test_without_htmx_the_reveal_answers_with_a_page(city, chair_a, member_a, as_user):
    response = as_user(chair_a).post(url("member_reveal", member_a), {"field": "phone"})
    assert response.status_code == 200
    assert "<html" in response.content.decode() and member_a.phone in response.content.decode()


def test_an_officer_may_not_reveal(city, officer_a, member_a, as_user):
    response = as_user(officer_a).post(url("member_reveal", member_a), {"field": "resident_id"})
    assert response.status_code == 403
    assert member_a.resident_id not in response.content.decode()
    assert not events("member.reveal").exists()


def test_another_unions_chair_gets_404_on_reveal(city, chair_b, member_a, as_user):
    response = as_user(chair_b).post(url("member_reveal", member_a), {"field": "resident_id"})
    assert response.status_code == 404
    assert not events("member.reveal").exists()


def test_reveal_refuses_get_and_unknown_fields(city, chair_a, member_a, as_user):
    client = as_user(chair_a)
    assert client.get(url("member_reveal", member_a)).status_code == 405
    assert client.post(url("member_reveal", member_a), {"field": "name"}).status_code == 400
    assert not events("member.reveal").exists()


# --- Timeline -------------------------------------------------------------------------------


def test_the_detail_costs_the_same_queries_however_long_the_history(
    city, chair_a, as_user, django_assert_num_queries
):
    from members import services

    short = MemberFactory(organisation=city.union_a)
    long = MemberFactory(organisation=city.union_a)
    for to in ("retained", "active", "retained", "active"):
        services.member_change_status(
            actor=chair_a,
            member=long,
            to_status=to,
            reason="因故",
            category="retired" if to == "retained" else "",
        )
    client = as_user(chair_a)
    client.get(short.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        client.get(short.get_absolute_url())
    with django_assert_num_queries(len(ctx.captured_queries)):
        response = client.get(long.get_absolute_url())
    assert len([e for e in response.context["timeline"] if e.kind == "status"]) == 4


# --- Create ---------------------------------------------------------------------------------


def test_a_chair_registers_a_member(city, chair_a, as_user):
    response = as_user(chair_a).post(CREATE, form_data(city))
    member = Member.objects.get(name="王五")
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    assert member.organisation == city.union_a
    assert member.resident_id == make_resident_id(401, born=date(1990, 2, 3))
    assert member.phone == "13900001234"
    assert member.gender == "M" and member.birth_date == date(1990, 2, 3)
    change = MemberStatusChange.objects.get(member=member)
    assert (change.from_status, change.to_status, change.changed_by) == ("", "active", chair_a)


def test_registering_a_person_held_outside_the_scope_does_not_name_the_union_and_is_audited(
    city, chair_a, member_b, as_user
):
    response = as_user(chair_a).post(CREATE, form_data(city, resident_id=member_b.resident_id))
    assert response.status_code == 200
    page = response.content.decode()
    assert "此人已在其他工会登记，请联系上级工会办理接转" in page
    assert "乙公司工会委员会" not in page
    assert 'data-testid="transfer-request"' in page  # the way to ask that union for them
    assert not Member.objects.filter(name="王五").exists()
    hit = events("member.one_membership_hit").get()
    assert hit.object_pk == str(member_b.pk) and hit.actor == chair_a


def test_the_refusal_links_to_the_transfer_request_once_it_exists(
    city, chair_a, member_b, as_user, monkeypatch
):
    from members.services import member_from_transfer_token

    real = member_views._url_or_none
    monkeypatch.setattr(
        member_views,
        "_url_or_none",
        lambda name, *a: "/transfers/new/" if name == "members:transfer_request" else real(name),
    )
    response = as_user(chair_a).post(CREATE, form_data(city, resident_id=member_b.resident_id))
    link = response.context["transfer_url"]
    assert link.startswith("/transfers/new/?token=")
    assert 'data-testid="transfer-request"' in response.content.decode()
    from urllib.parse import parse_qs, urlsplit

    token = parse_qs(urlsplit(link).query)["token"][0]
    assert member_from_transfer_token(token) == member_b
    assert member_b.resident_id not in link


@pytest.mark.parametrize("name", ["阿依古丽·买买提", "𠮷野家", "O'Brien", "{{7*7}}"])
def test_real_names_are_accepted_as_typed(city, chair_a, as_user, name):
    response = as_user(chair_a).post(CREATE, form_data(city, name=name))
    assert response.status_code == 302
    assert Member.objects.get().name == name


@pytest.mark.parametrize("name", ["张\u202e三", "张\x00三", "   ", "张" * 61])
def test_control_characters_and_empty_or_long_names_are_refused(city, chair_a, as_user, name):
    response = as_user(chair_a).post(CREATE, form_data(city, name=name))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Member.objects.exists()


def test_a_script_in_a_name_is_stored_and_shown_escaped(city, chair_a, as_user):
    name = "<script>alert(1)</script>"
    client = as_user(chair_a)
    assert client.post(CREATE, form_data(city, name=name)).status_code == 302
    member = Member.objects.get()
    assert member.name == name
    for page in (client.get(LIST), client.get(member.get_absolute_url())):
        html = page.content.decode()
        assert name not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "field, value",
    [
        ("resident_id", "110105194912310021"),
        ("resident_id", "11010519491231"),
        ("phone", "12345"),
        ("joined_on", "2099-01-01"),
        ("wage_base", "-1"),
        ("wage_base", "NaN"),
        ("organisation", "999999"),
    ],
)
def test_bad_input_is_a_form_error_not_a_crash(city, chair_a, as_user, field, value):
    response = as_user(chair_a).post(CREATE, form_data(city, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    "typed, stored",
    [("0717-1234567", "0717-1234567"), ("010 12345678", "010-12345678"), ("13900001234", None)],
)
def test_a_landline_with_its_area_code_is_a_phone_the_register_takes(
    city, chair_a, as_user, typed, stored
):
    assert as_user(chair_a).post(CREATE, form_data(city, phone=typed)).status_code == 302
    assert Member.objects.get().phone == (stored or typed)


@pytest.mark.parametrize("typed", ["1234567", "0717-12345", "990105", "12800000000"])
def test_a_phone_that_is_neither_mobile_nor_landline_is_refused_in_chinese(
    city, chair_a, as_user, typed
):
    response = as_user(chair_a).post(
        CREATE, form_data(city, phone=typed), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    assert "固定电话" in response.context["form"].errors["phone"][0]
    assert not Member.objects.exists()


def test_a_region_prefix_that_is_no_province_is_refused_on_the_form(city, chair_a, as_user):
    body = "99010519850615001"
    response = as_user(chair_a).post(
        CREATE,
        form_data(city, resident_id=body + validators.resident_id_check_char(body)),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "省级" in response.context["form"].errors["resident_id"][0]
    assert not Member.objects.exists()


def test_a_member_is_found_by_landline(city, chair_a, as_user):
    member = MemberFactory(organisation=city.union_a, phone="0717-1234567")
    response = as_user(chair_a).post(LOOKUP, {"number": "0717 1234567"})
    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()


def test_a_chair_cannot_register_into_another_union(city, chair_a, as_user):
    response = as_user(chair_a).post(CREATE, form_data(city, organisation=city.union_b.pk))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Member.objects.exists()


# --- Edit -----------------------------------------------------------------------------------


def edit_data(member, **overrides):
    data = {
        "organisation": member.organisation_id,
        "name": member.name,
        "resident_id": "",
        "phone": "",
        "education": member.education,
        "employment_type": member.employment_type,
        "joined_on": member.joined_on.isoformat(),
        "wage_base": str(member.wage_base),
        "version": member.version,
    }
    return {**data, **overrides}


def test_an_edit_with_blank_id_and_phone_keeps_the_stored_numbers(city, chair_a, as_user):
    member = MemberFactory(organisation=city.union_a)
    number, phone = member.resident_id, member.phone
    response = as_user(chair_a).post(
        url("member_update", member),
        edit_data(member, name="张三丰", organisation=city.branch_a.pk),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.resident_id, member.phone) == ("张三丰", number, phone)
    assert member.organisation == city.branch_a
    assert member.version == 1


def test_an_edit_based_on_a_stale_version_is_refused(city, chair_a, as_user):
    member = MemberFactory(organisation=city.union_a, name="张三")
    client = as_user(chair_a)
    first = edit_data(member, name="张三（新）")
    assert client.post(url("member_update", member), first).status_code == 302
    response = client.post(url("member_update", member), {**first, "name": "张三（旧）"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    member.refresh_from_db()
    assert member.name == "张三（新）"


def test_an_edit_to_a_number_held_elsewhere_is_refused_and_audited(
    city, chair_a, member_a, member_b, as_user
):
    response = as_user(chair_a).post(
        url("member_update", member_a), edit_data(member_a, resident_id=member_b.resident_id)
    )
    assert response.status_code == 200
    assert "此人已在其他工会登记，请联系上级工会办理接转" in response.content.decode()
    assert events("member.one_membership_hit").count() == 1
    member_a.refresh_from_db()
    assert member_a.resident_id != member_b.resident_id


def test_moving_a_member_to_another_union_through_the_edit_form_is_refused(
    city, county_user, member_a, as_user
):
    other = city.county_a.add_child(kind="grassroots", name="丙公司工会委员会")
    response = as_user(county_user).post(
        url("member_update", member_a), edit_data(member_a, organisation=other.pk)
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    member_a.refresh_from_db()
    assert member_a.organisation == city.union_a


# --- Who may open what: allowed, lower role 403, outsider 404, GET on an action 405 ----------

ALLOWED_READ = {"admin_user", "staff_user", "county_user", "chair_a", "officer_a"}
REVEALERS = {"admin_user", "staff_user", "county_user", "chair_a"}
PERSONAS = sorted(ALLOWED_READ | {"chair_b", "auditor_user"})


def expected_status(view: str, persona: str) -> int:
    if persona == "auditor_user":  # reads the audit log and nothing else
        return 403 if view in ("member_list", "member_create", "member_lookup") else 404
    if persona == "chair_b":
        return 200 if view in ("member_list", "member_create", "member_lookup") else 404
    if view == "member_reveal" and persona not in REVEALERS:
        return 403
    return 302 if view == "member_lookup" else 200


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "view",
    [
        "member_list",
        "member_create",
        "member_lookup",
        "member_detail",
        "member_update",
        "member_status",
        "member_reveal",
    ],
)
def test_the_permission_matrix(request, city, member_a, as_user, persona, view):
    client = as_user(request.getfixturevalue(persona))
    if view in ("member_list", "member_create"):
        response = client.get(reverse(f"members:{view}"))
    elif view == "member_lookup":
        response = client.post(LOOKUP, {"number": member_a.phone})
    elif view == "member_reveal":
        response = client.post(url(view, member_a), {"field": "phone"})
    else:
        response = client.get(url(view, member_a))
    assert response.status_code == expected_status(view, persona)


@pytest.mark.parametrize("view", ["member_reveal"])
def test_get_on_an_action_is_405(city, chair_a, member_a, as_user, view):
    assert as_user(chair_a).get(url(view, member_a)).status_code == 405


def test_a_revoked_role_takes_effect_on_the_next_request(city, chair_a, member_a, as_user):
    client = as_user(chair_a)
    assert client.get(member_a.get_absolute_url()).status_code == 200
    chair_a.roles.update(active_to=date(2024, 1, 2))
    assert client.get(member_a.get_absolute_url()).status_code == 404


def test_the_new_member_form_starts_in_the_chairs_union_or_the_one_asked_for(
    city, chair_a, county_user, as_user
):
    form = as_user(chair_a).get(CREATE).context["form"]
    assert form.initial["organisation"] == city.union_a.pk
    assert "¥" in as_user(chair_a).get(CREATE).content.decode()
    county = as_user(county_user)
    assert county.get(CREATE).context["form"].initial["organisation"] is None  # a county
    asked = county.get(CREATE, {"organisation": city.branch_a.pk}).context["form"]
    assert asked.initial["organisation"] == city.branch_a.pk
    other = county.get(CREATE, {"organisation": city.union_b.pk}).context["form"]
    assert other.initial["organisation"] is None  # out of scope: not offered


def test_a_person_held_within_the_scope_is_named(city, county_user, as_user):
    held = MemberFactory(organisation=city.union_a)
    data = form_data(city, resident_id=held.resident_id)
    data["organisation"] = city.branch_a.pk
    response = as_user(county_user).post(CREATE, data)
    assert response.status_code == 200
    assert "甲公司工会委员会" in response.content.decode()


def test_out_of_scope_lookups_are_limited_per_user_per_day(
    city, chair_a, member_b, as_user, monkeypatch
):
    from members.services import members as member_services

    monkeypatch.setattr(member_services, "OUTSIDE_HITS_PER_DAY", 2)
    client = as_user(chair_a)
    for _ in range(2):
        page = client.post(CREATE, form_data(city, resident_id=member_b.resident_id))
        assert "此人已在其他工会登记，请联系上级工会办理接转" in page.content.decode()
    refused = client.post(CREATE, form_data(city, resident_id=member_b.resident_id))
    assert refused.status_code == 200
    assert "次数已达上限" in refused.content.decode()
    assert events("member.one_membership_hit").count() == 2
    assert events("member.one_membership_limit").count() == 1
