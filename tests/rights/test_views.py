"""The casework pages through the client: who sees which case (the permission matrix), the
actions offered and taken, bad input as Chinese form errors, the duplicate warning before
saving, the audited export and reads, the printable register and dispatch slip."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rights import services
from rights.models import Case, CaseAttachment, CaseStatus, Channel

from ..factories import MemberFactory
from .helpers import category, register

pytestmark = pytest.mark.django_db

PERSONAS = ["admin_user", "staff_user", "auditor_user", "county_user", "chair_a", "officer_a"]


def today() -> date:
    return timezone.localdate()


def events(name: str) -> int:
    return LogEntry.objects.filter(additional_data__event=name).count()


@pytest.fixture
def dispatched(city, county_user):
    """A call received at county A today, accepted and dispatched to union A."""
    day = today()
    case = register(county_user, city.county_a, on=day, channel=Channel.CALL, hotline=True)
    case = services.case_accept(actor=county_user, case=case, on=day)
    return services.case_dispatch(
        actor=county_user, case=case, to=city.union_a, due_on=day + timedelta(days=10), on=day
    )


@pytest.fixture
def county_only(city, county_user):
    """A case county A received and keeps itself."""
    return register(county_user, city.county_a, on=today(), petitioner_name="李女士")


@pytest.fixture
def union_b_case(city, chair_b):
    return register(chair_b, city.union_b, on=today(), petitioner_name="赵师傅")


# --- Who sees what ---------------------------------------------------------------------------

SEES = {
    # persona: (the dispatched case, county A's own case, union B's case)
    "admin_user": (200, 200, 200),
    "staff_user": (200, 200, 200),
    "auditor_user": (404, 404, 404),  # the auditor reads the audit log, not the cases
    "county_user": (200, 200, 404),
    "chair_a": (200, 404, 404),
    "officer_a": (200, 404, 404),
    "chair_b": (404, 404, 200),
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_the_permission_matrix_of_the_case_page_and_the_list(
    request, as_user, persona, dispatched, county_only, union_b_case
):
    client = as_user(request.getfixturevalue(persona))
    codes = tuple(
        client.get(reverse("rights:case_detail", args=[c.pk])).status_code
        for c in (dispatched, county_only, union_b_case)
    )
    assert codes == SEES[persona]
    listed = client.get(reverse("rights:case_list")).content.decode()
    for case, code in zip((dispatched, county_only, union_b_case), SEES[persona], strict=True):
        assert (case.number in listed) == (code == 200), case.number


def test_a_branch_chair_cannot_reach_another_unions_case_anywhere(
    city, chair_a, as_user, county_only
):
    client = as_user(chair_a)
    names = [
        "case_detail", "case_slip", "case_attach", "case_accept", "case_reject",
        "case_consult", "case_dispatch", "case_note", "case_extend", "case_answer",
        "case_close", "case_follow_up", "case_review",
    ]  # fmt: skip
    for name in names:
        url = reverse(f"rights:{name}", args=[county_only.pk])
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, {"accept-on": today().isoformat()}).status_code in (404, 405)
    county_only.refresh_from_db()
    assert county_only.status == CaseStatus.RECEIVED


def test_the_list_shows_the_masked_contact_never_the_name_or_phone(city, county_user, as_user):
    register(county_user, city.county_a, on=today(), petitioner_contact="13812345678")
    page = as_user(county_user).get(reverse("rights:case_list")).content.decode()
    assert "138****5678" in page
    assert "13812345678" not in page and "王师傅" not in page


def test_the_filters_of_the_list(city, county_user, as_user, dispatched, county_only):
    client = as_user(county_user)
    url = reverse("rights:case_list")

    def shown(query):
        page = client.get(url + query).content.decode()
        return {c.number for c in (dispatched, county_only) if c.number in page}

    assert shown("?status=handling") == {dispatched.number}
    assert shown("?status=received") == {county_only.number}
    assert shown("?channel=call") == {dispatched.number}
    assert shown("?channel=visit") == {county_only.number}
    assert shown(f"?org={city.county_a.pk}") == {dispatched.number, county_only.number}
    assert shown(f"?category={category().pk}&mine=1") == {dispatched.number, county_only.number}
    assert shown("?overdue=1") == set()
    assert shown("?start=2000-01-01&end=2000-12-31") == set()
    assert shown("?status=nonsense&org=x&start=bad") == {dispatched.number, county_only.number}


def test_an_overdue_case_is_found_by_the_to_do_link(city, county_user, as_user):
    old = today() - timedelta(days=20)
    late = register(county_user, city.county_a, on=old, today=today())
    page = as_user(county_user).get(reverse("rights:case_list") + "?overdue=1").content.decode()
    assert late.number in page and 'data-testid="overdue"' in page


# --- Registering -------------------------------------------------------------------------


def form_data(city, **kw):
    data = {
        "channel": "visit",
        "kind": "request",
        "received_on": today().isoformat(),
        "received_by": city.county_a.pk,
        "people": "1",
        "petitioner_name": "王师傅",
        "petitioner_contact": "13812345678",
        "category": category().pk,
        "request": "讨要被拖欠的工资",
    }
    data.update(kw)
    return data


def test_registering_a_case_with_an_attachment(city, county_user, as_user):
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
    data = form_data(city, attachment_title="来信扫描件", attachment=pdf)
    response = as_user(county_user).post(reverse("rights:case_create"), data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.received_by == city.county_a and case.contact_masked == "138****5678"
    assert CaseAttachment.objects.get(case=case).title == "来信扫描件"


def test_a_member_is_found_by_phone(city, county_user, as_user):
    member = MemberFactory(organisation=city.union_a, phone="13900001111")
    data = form_data(city, member="13900001111", petitioner_name="")
    response = as_user(county_user).post(reverse("rights:case_create"), data)
    assert response.status_code == 302
    assert Case.objects.get().member == member


def test_a_double_submitted_form_makes_one_case(city, county_user, as_user):
    client = as_user(county_user)
    data = form_data(city, token="9b7c6a0e-2f1d-4c3b-8a59-0d6e5f4a3b21")
    assert client.post(reverse("rights:case_create"), data).status_code == 302
    assert client.post(reverse("rights:case_create"), data).status_code == 302
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"people": "0"}, "people", "至少"),
        ({"category": "99999"}, "category", "选择"),
        ({"received_on": "2999-01-01"}, "received_on", "不能"),
        ({"petitioner_name": ""}, "petitioner_name", "姓名"),
        ({"member": "13700000000", "petitioner_name": ""}, "member", "会员"),
        ({"channel": "visit", "hotline": "on"}, "hotline", "12351"),
    ],
)
def test_bad_input_is_a_chinese_form_error_and_saves_nothing(
    city, county_user, as_user, change, field, message
):
    response = as_user(county_user).post(reverse("rights:case_create"), form_data(city, **change))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert Case.objects.count() == 0


def test_a_chair_registers_only_for_their_own_union(city, chair_a, as_user):
    data = form_data(city, received_by=city.county_a.pk)
    response = as_user(chair_a).post(reverse("rights:case_create"), data)
    assert "received_by" in response.context["form"].errors
    assert Case.objects.count() == 0


def test_possible_duplicates_are_shown_before_saving_never_blocking(city, county_user, as_user):
    first = register(county_user, city.county_a, on=today(), petitioner_contact="13812345678")
    client = as_user(county_user)
    response = client.post(reverse("rights:case_create"), form_data(city))
    page = response.content.decode()
    assert 'data-testid="duplicates"' in page and first.number in page
    assert 'data-testid="save-anyway"' in page
    assert Case.objects.count() == 1
    response = client.post(reverse("rights:case_create"), form_data(city, confirm="1"))
    assert response.status_code == 302
    assert Case.objects.count() == 2


# --- The case page and its actions -------------------------------------------------------


def actions(client, case) -> set[str]:
    page = client.get(case.get_absolute_url()).content.decode()
    return {
        name
        for name in (
            "accept", "reject", "consult", "dispatch", "note", "extend", "answer", "close",
            "follow_up", "review",
        )
        if f'data-testid="{name}-form"' in page
    }  # fmt: skip


def test_only_the_actions_possible_now_for_this_user(
    city, county_user, chair_a, officer_a, auditor_user, as_user, dispatched, county_only
):
    assert actions(as_user(county_user), county_only) == {"accept", "reject"}
    assert actions(as_user(auditor_user), county_only) == set()
    # Dispatched to union A: its chair handles and answers (and may pass it to the branch);
    # the county, which received it, may extend its deadline.
    assert actions(as_user(chair_a), dispatched) == {"note", "answer", "dispatch"}
    assert actions(as_user(officer_a), dispatched) == {"note", "answer"}
    assert "extend" in actions(as_user(county_user), dispatched)


def post(client, case, name, **data):
    prefix = name
    payload = {f"{prefix}-{k}": v for k, v in data.items()}
    return client.post(reverse(f"rights:case_{name}", args=[case.pk]), payload, follow=True)


def test_the_whole_way_through_the_pages(city, county_user, chair_a, as_user, county_only):
    county, chair = as_user(county_user), as_user(chair_a)
    day = today().isoformat()
    due = (today() + timedelta(days=5)).isoformat()
    page = post(county, county_only, "accept", on=day).content.decode()
    assert "案件已受理" in page
    post(county, county_only, "dispatch", to=city.union_a.pk, due_on=due, on=day)
    county_only.refresh_from_db()
    assert county_only.status == CaseStatus.DISPATCHED and county_only.handler == city.union_a
    post(chair, county_only, "note", on=day, text="约谈企业负责人")
    post(chair, county_only, "answer", on=day, answer="企业承诺月底前补发")
    post(county, county_only, "close", on=day, outcome="已补发工资")
    post(county, county_only, "follow_up", on=day, satisfaction="satisfied")
    county_only.refresh_from_db()
    assert county_only.status == CaseStatus.CLOSED and county_only.satisfaction == "satisfied"
    log = county.get(county_only.get_absolute_url()).content.decode()
    for step in ("receive", "accept", "dispatch", "note", "answer", "close", "follow_up"):
        assert f'data-testid="log-{step}"' in log


def test_a_due_date_before_receipt_is_a_chinese_form_error(city, county_user, as_user, county_only):
    client = as_user(county_user)
    post(client, county_only, "accept", on=today().isoformat())
    before = (today() - timedelta(days=3)).isoformat()
    response = client.post(
        reverse("rights:case_dispatch", args=[county_only.pk]),
        {"dispatch-to": city.union_a.pk, "dispatch-due_on": before, "dispatch-on": today()},
    )
    assert response.status_code == 400
    form = next(a["form"] for a in response.context["actions"] if a["name"] == "dispatch")
    assert "不能早于" in " ".join(form.errors["due_on"])
    county_only.refresh_from_db()
    assert county_only.status == CaseStatus.ACCEPTED


def test_a_reject_without_a_reason_is_a_form_error(city, county_user, as_user, county_only):
    response = as_user(county_user).post(
        reverse("rights:case_reject", args=[county_only.pk]),
        {"reject-on": today().isoformat(), "reject-reason": ""},
    )
    assert response.status_code == 400
    county_only.refresh_from_db()
    assert county_only.status == CaseStatus.RECEIVED


def test_an_action_not_possible_now_is_refused_with_a_message(
    city, county_user, as_user, county_only
):
    response = post(as_user(county_user), county_only, "close", on=today().isoformat())
    assert "当前不能" in response.content.decode()
    county_only.refresh_from_db()
    assert county_only.status == CaseStatus.RECEIVED


def test_a_read_from_outside_the_receiving_union_is_audited(
    city, county_user, staff_user, as_user, county_only
):
    as_user(county_user).get(county_only.get_absolute_url())
    assert events("case.read") == 0
    as_user(staff_user).get(county_only.get_absolute_url())
    assert events("case.read") == 1


def test_the_export_is_audited_and_holds_no_name(city, county_user, staff_user, as_user):
    from openpyxl import load_workbook

    register(county_user, city.county_a, on=today(), petitioner_contact="13812345678")
    response = as_user(staff_user).get(reverse("rights:case_export"))
    assert response.status_code == 200
    assert events("rights.case_export") == 1
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    flat = " ".join(str(v) for r in rows for v in r)
    assert "138****5678" in flat and "王师傅" not in flat and "13812345678" not in flat
    assert len(rows) == 2


def test_the_printable_register_and_the_dispatch_slip(
    city, county_user, chair_a, as_user, dispatched
):
    page = as_user(county_user).get(reverse("rights:case_list") + "?format=print")
    text = page.content.decode()
    assert 'data-testid="print-table"' in text and dispatched.number in text
    assert "portal-nav" not in text
    slip = as_user(chair_a).get(reverse("rights:case_slip", args=[dispatched.pk]))
    text = slip.content.decode()
    assert "交办单" in text and city.union_a.name in text and city.county_a.name in text
    assert "王**" in text and "王师傅" not in text
    due = dispatched.handle_by
    assert f"{due.year}年{due.month}月{due.day}日" in text


def test_the_attachment_is_served_only_inside_the_scope(
    city, county_user, chair_b, as_user, county_only
):
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    as_user(county_user).post(
        reverse("rights:case_attach", args=[county_only.pk]), {"title": "工资条", "file": pdf}
    )
    item = CaseAttachment.objects.get()
    url = reverse("rights:attachment", args=[item.pk])
    assert as_user(county_user).get(url).status_code == 200
    assert as_user(chair_b).get(url).status_code == 404


def test_the_confirm_step_keeps_the_member_without_writing_the_number_back(
    city, county_user, as_user
):
    member = MemberFactory(organisation=city.union_a, phone="13900002222")
    register(county_user, city.county_a, on=today(), member=member, petitioner_name="")
    client = as_user(county_user)
    data = form_data(city, member="13900002222", petitioner_name="", petitioner_contact="")
    response = client.post(reverse("rights:case_create"), data)
    page = response.content.decode()
    assert 'data-testid="duplicates"' in page and "13900002222" not in page
    assert f'name="member_pk" value="{member.pk}"' in page
    confirm = form_data(city, member="", member_pk=member.pk, petitioner_name="", confirm="1")
    assert client.post(reverse("rights:case_create"), confirm).status_code == 302
    assert Case.objects.filter(member=member).count() == 2


@pytest.mark.parametrize("persona", ["county_user", "chair_a", "officer_a"])
def test_the_to_do_counts_match_the_lists_they_link_to(
    request, city, county_user, chair_a, as_user, persona, dispatched, county_only
):
    from rights.todo import cases_to_act

    user = request.getfixturevalue(persona)
    client = as_user(user)
    for item in cases_to_act(user):
        page = client.get(item.url)
        assert page.context["page"].paginator.count == item.count, item.label
