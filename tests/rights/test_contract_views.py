"""The collective-contract and mediation pages through the client: the permission matrix,
another union's contract is 404, only the possible actions shown, bad input is a Chinese form
error that saves nothing, the register's export is audited."""

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from members.models.organisations import OrgKind
from rights import services
from rights.models import CollectiveContract, ContractStatus, MediationCase
from tests.factories import OrganisationFactory

from .contract_helpers import in_force, signed

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def rows(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="contract-(\d+)"', page)]


def _post_contract(client, union, **kw):
    data = {
        "organisation": union.pk,
        "title": "2026年工资专项集体合同",
        "kind": "wage",
        "coverage": "enterprise",
        "offered_on": (TODAY - timedelta(days=60)).isoformat(),
        "rounds": "3",
        "vote_body": "congress",
        "voted_on": (TODAY - timedelta(days=10)).isoformat(),
        "signed_on": (TODAY - timedelta(days=5)).isoformat(),
        "starts_on": (TODAY - timedelta(days=5)).isoformat(),
        "ends_on": (services.add_years(TODAY - timedelta(days=5), 2) - timedelta(1)).isoformat(),
        "workers_covered": "230",
        "wage_increase": "6",
    }
    data.update(kw)
    return client.post(reverse("contracts:contract_create"), data)


@pytest.mark.parametrize(
    "persona,allowed",
    [
        ("admin_user", True),
        ("staff_user", True),
        ("county_user", True),
        ("chair_a", True),
        ("officer_a", False),
        ("auditor_user", False),
    ],
)
def test_who_may_register_a_contract(request, city, as_user, persona, allowed):
    client = as_user(request.getfixturevalue(persona))
    response = client.get(reverse("contracts:contract_create"))
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        response = _post_contract(client, city.union_a)
        assert response.status_code == 302, response.content.decode()[:2000]
        c = CollectiveContract.objects.get()
        assert c.status == ContractStatus.SIGNED and c.workers_covered == 230


@pytest.mark.parametrize(
    "persona,sees",
    [("officer_a", True), ("chair_a", True), ("county_user", True), ("chair_b", False)],
)
def test_who_sees_union_as_contract(request, city, admin_user, as_user, persona, sees):
    c = signed(admin_user, city.union_a, TODAY - timedelta(days=3))
    client = as_user(request.getfixturevalue(persona))
    assert client.get(c.get_absolute_url()).status_code == (200 if sees else 404)
    listing = client.get(reverse("contracts:contract_list")).content.decode()
    assert (f'data-testid="contract-{c.pk}"' in listing) is sees


def test_the_page_shows_only_the_possible_action(city, chair_a, officer_a, as_user):
    c = signed(chair_a, city.union_a, TODAY - timedelta(days=3))
    page = as_user(chair_a).get(c.get_absolute_url()).content.decode()
    assert 'data-testid="send"' in page and 'data-testid="record-outcome"' not in page
    assert "报送" in page  # the step indicator speaks Chinese
    officer_page = as_user(officer_a).get(c.get_absolute_url()).content.decode()
    assert 'data-testid="send"' not in officer_page
    assert (
        as_user(officer_a)
        .post(reverse("contracts:contract_send", args=[c.pk]), {"on": TODAY.isoformat()})
        .status_code
        == 403
    )
    client = as_user(chair_a)
    client.post(reverse("contracts:contract_send", args=[c.pk]), {"on": TODAY.isoformat()})
    c.refresh_from_db()
    assert c.status == ContractStatus.SENT
    page = client.get(c.get_absolute_url()).content.decode()
    assert 'data-testid="send"' not in page and 'data-testid="record-outcome"' in page
    client.post(
        reverse("contracts:contract_outcome", args=[c.pk]),
        {"received_on": TODAY.isoformat(), "outcome": "approved", "on": TODAY.isoformat()},
    )
    c.refresh_from_db()
    assert c.status == ContractStatus.APPROVED and c.in_force(TODAY)
    page = client.get(c.get_absolute_url()).content.decode()
    assert 'data-testid="record-outcome"' not in page and 'data-testid="edit"' not in page


def test_a_bad_term_is_a_chinese_form_error_and_saves_nothing(city, chair_a, as_user):
    response = _post_contract(
        as_user(chair_a), city.union_a, ends_on=(TODAY + timedelta(days=3000)).isoformat()
    )
    assert response.status_code == 200
    assert "集体合同期限为1至3年" in response.content.decode()
    assert not CollectiveContract.objects.exists()
    response = _post_contract(as_user(chair_a), city.union_a, rounds="abc", wage_increase="")
    assert response.status_code == 200 and not CollectiveContract.objects.exists()


def test_a_regional_contract_lists_its_employers_by_name(city, county_user, as_user):
    town = OrganisationFactory(parent=city.county_a, kind=OrgKind.TOWNSHIP_UNION, name="镇工会")
    OrganisationFactory(parent=town, name="镇甲厂工会")
    client = as_user(county_user)
    bad = _post_contract(
        client, town, coverage="regional", kind="comprehensive", employer_lines="镇丙厂工会,5"
    )
    assert "镇丙厂工会" in bad.content.decode() and not CollectiveContract.objects.exists()
    ok = _post_contract(
        client, town, coverage="regional", kind="comprehensive", employer_lines="镇甲厂工会，40"
    )
    assert ok.status_code == 302
    assert CollectiveContract.objects.get().workers_covered == 40


def test_the_coverage_figure_on_the_register(city, county_user, admin_user, as_user):
    in_force(admin_user, city.union_a, TODAY - timedelta(days=40), workers=120)
    in_force(admin_user, city.union_b, TODAY - timedelta(days=40), workers=70)
    page = as_user(county_user).get(reverse("contracts:contract_list")).content.decode()
    assert 'data-testid="coverage-employers">1<' in page
    assert 'data-testid="coverage-workers">120<' in page


def test_the_filters_and_the_audited_export(city, county_user, admin_user, as_user):
    in_force(admin_user, city.union_a, TODAY - timedelta(days=40), kind="comprehensive")
    late = signed(admin_user, city.union_a, TODAY - timedelta(days=11))
    client = as_user(county_user)
    page = client.get(reverse("contracts:contract_list"), {"due": "send"}).content.decode()
    assert rows(page) == [late.pk]
    page = client.get(reverse("contracts:contract_list"), {"status": "in_force"}).content.decode()
    assert len(rows(page)) == 1 and rows(page) != [late.pk]
    response = client.get(reverse("contracts:contract_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert LogEntry.objects.filter(additional_data__event="contract.export").exists()


def test_the_reminders_on_the_to_do_panel_of_the_union_and_the_level_above(
    city, chair_a, county_user, chair_b, admin_user
):
    from django.utils import translation

    from unionportal.core.todo import todo_items

    signed(admin_user, city.union_a, TODAY - timedelta(days=11))
    for user in (chair_a, county_user):
        with translation.override("zh-hans"):
            labels = {i.label: i.count for i in todo_items(user)}
        assert labels.get("已签订未按时报送的集体合同") == 1
    assert not [i for i in todo_items(chair_b) if "contract" in i.url]


def test_mediation_committee_and_cases(city, chair_a, officer_a, chair_b, as_user):
    client = as_user(chair_a)
    url = reverse("contracts:committee", args=[city.union_a.pk])
    assert client.get(reverse("contracts:mediation_create")).status_code == 200
    assert as_user(chair_b).get(url).status_code == 404
    assert as_user(officer_a).post(url, {"set_up_on": "2025-01-01"}).status_code == 403
    bad = client.post(url, {"set_up_on": "2025-01-01", "active": "on", "members": "王五,厨师"})
    assert (
        bad.status_code == 200
        and not city.union_a.__class__.objects.filter(mediation_committee__isnull=False).exists()
    )
    client.post(url, {"set_up_on": "2025-01-01", "active": "on", "members": "王五,调解委员会主任"})
    assert "王五" in client.get(url).content.decode()
    response = client.post(
        reverse("contracts:mediation_create"),
        {
            "organisation": city.union_a.pk,
            "applied_on": (TODAY - timedelta(days=16)).isoformat(),
            "applicant": "张三",
            "respondent": "甲公司",
            "subject": "加班费争议",
        },
    )
    assert response.status_code == 302
    case = MediationCase.objects.get()
    listing = client.get(reverse("contracts:mediation_list")).content.decode()
    assert "加班费争议" in listing and "badge text-bg-danger" in listing  # past its 15 days
    assert as_user(chair_b).get(case.get_absolute_url()).status_code == 404
    client.post(case.get_absolute_url(), {"outcome": "referred", "on": TODAY.isoformat()})
    case.refresh_from_db()
    assert case.status == "referred" and case.closed_on == TODAY


def test_every_event_written_has_a_chinese_name(city, chair_a, as_user):
    from unionportal.core.labels import EVENT_LABELS

    c = signed(chair_a, city.union_a, TODAY - timedelta(days=3))
    services.contract_send(actor=chair_a, contract=c, on=TODAY)
    as_user(chair_a).get(reverse("contracts:contract_export"))
    events = {
        e.additional_data.get("event")
        for e in LogEntry.objects.all()
        if (e.additional_data or {}).get("event", "").startswith(("contract.", "mediation."))
    }
    assert events >= {"contract.register", "contract.send", "contract.export"}
    assert events <= set(EVENT_LABELS)
    for code in ("received", "approved", "no_objection", "objected"):
        assert code == "received" or f"contract.{code}" in EVENT_LABELS
    for code in ("settled", "referred", "withdrawn", "register", "committee"):
        assert f"mediation.{code}" in EVENT_LABELS
