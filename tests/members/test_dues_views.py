"""Dues and union-fund pages as the allowed user, a lower role (403), an outsider (404) and GET
on an action (405); list pages at a constant number of queries."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from members import services
from members.models import DuesRecord, FundRecord, RemittanceRule, WageBase
from tests.factories import OrganisationFactory

from .dues_helpers import MARCH, member, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
D = Decimal


@pytest.fixture
def frozen():
    with time_machine.travel("2025-04-15 10:00 +0800", tick=False):
        yield


def dues_url(org, month="2025-03", **extra):
    query = "&".join(f"{k}={v}" for k, v in {"org": org.pk, "month": month, **extra}.items())
    return f"{reverse('members:dues_union')}?{query}"


PAY = {"paid_on": "2025-04-01", "paid_how": "cash", "month": "2025-03"}


# --- A union's month -------------------------------------------------------------------------


def test_a_chair_sees_the_months_figures_and_member_rows_of_their_union(city, chair_a, as_user):
    paid, unpaid = member(city.union_a, "4567.89"), member(city.branch_a, "3000.00")
    services.dues_generate(month=MARCH)
    DuesRecord.objects.filter(member=paid).update(paid_on=date(2025, 3, 31), paid_how="payroll")
    services.dues_rollup(month=MARCH)
    response = as_user(chair_a).get(dues_url(city.union_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="subtree-expected">¥37.80<' in page
    assert 'data-testid="subtree-collected">¥22.80<' in page
    assert f'data-testid="child-{city.branch_a.pk}"' in page
    assert paid.name in page and unpaid.name in page
    assert page.count('name="record"') == 1  # only the unpaid row can be selected
    assert 'data-testid="union-pay-form"' in page


def test_the_page_opens_at_the_top_of_the_users_scope(city, county_user, as_user):
    services.dues_rollup(month=date(2025, 4, 1))
    response = as_user(county_user).get(reverse("members:dues_union"))
    assert response.status_code == 200
    assert response.context["org"] == city.county_a
    assert response.context["month"] == date(2025, 4, 1)
    assert f'data-testid="child-{city.union_a.pk}"' in response.content.decode()


def test_a_month_not_rolled_up_yet_says_so(city, chair_a, as_user):
    page = as_user(chair_a).get(dues_url(city.union_a, month="2024-13")).content.decode()
    assert 'data-testid="no-rollup"' in page


def test_the_auditor_cannot_open_dues(city, auditor_user, as_user):
    assert as_user(auditor_user).get(reverse("members:dues_union")).status_code == 403


def test_another_unions_month_is_404(city, chair_a, as_user):
    member(city.union_b)
    services.dues_generate(month=MARCH)
    assert as_user(chair_a).get(dues_url(city.union_b)).status_code == 404
    assert as_user(chair_a).get(dues_url(city.county_a)).status_code == 404


def _union_with(city, n):
    for i in range(n):
        member(city.union_a if i % 2 else city.branch_a, f"{3000 + i}.00")
    services.dues_generate(month=MARCH)
    services.dues_rollup(month=MARCH)


def test_a_unions_page_costs_the_same_queries_with_more_members(
    city, chair_a, as_user, django_assert_num_queries
):
    client = as_user(chair_a)
    _union_with(city, 3)
    client.get(dues_url(city.union_a))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(dues_url(city.union_a)).status_code == 200
    _union_with(city, 60)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(dues_url(city.union_a)).status_code == 200


def test_a_federations_page_costs_the_same_queries_with_more_unions(
    city, admin_user, as_user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(admin_user)
    services.dues_rollup(month=MARCH)
    client.get(dues_url(city.county_a))
    with CaptureQueriesContext(connection) as small:
        client.get(dues_url(city.county_a))
    for i in range(12):
        OrganisationFactory(parent=city.county_a, name=f"新单位{i:02d}工会")
    services.dues_rollup(month=MARCH)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(dues_url(city.county_a))
    assert len(response.context["page"]) == 13


# --- Payments from the union page ------------------------------------------------------------


def test_an_officer_marks_selected_rows_paid(city, officer_a, as_user):
    a, b = member(city.union_a), member(city.branch_a)
    services.dues_generate(month=MARCH)
    ra = DuesRecord.objects.get(member=a)
    response = as_user(officer_a).post(
        reverse("members:dues_pay"), {**PAY, "org": city.union_a.pk, "record": [ra.pk]}
    )
    assert response.status_code == 302 and response.url.startswith(reverse("members:dues_union"))
    assert DuesRecord.objects.get(member=a).paid_on == date(2025, 4, 1)
    assert DuesRecord.objects.get(member=b).paid_on is None


def test_rows_of_another_union_smuggled_into_the_selection_are_ignored(city, chair_a, as_user):
    theirs = member(city.union_b)
    services.dues_generate(month=MARCH)
    rb = DuesRecord.objects.get(member=theirs)
    as_user(chair_a).post(
        reverse("members:dues_pay"), {**PAY, "org": city.union_a.pk, "record": [rb.pk]}
    )
    assert DuesRecord.objects.get(pk=rb.pk).paid_on is None


def test_paying_for_another_union_is_404_and_changes_nothing(city, chair_a, as_user):
    theirs = member(city.union_b)
    services.dues_generate(month=MARCH)
    rb = DuesRecord.objects.get(member=theirs)
    client = as_user(chair_a)
    data = {**PAY, "org": city.union_b.pk, "record": [rb.pk]}
    assert client.post(reverse("members:dues_pay"), data).status_code == 404
    assert client.post(reverse("members:dues_union_pay"), data).status_code == 404
    assert DuesRecord.objects.get(pk=rb.pk).paid_on is None


def test_the_auditor_cannot_record_payments(city, auditor_user, as_user):
    client = as_user(auditor_user)
    data = {**PAY, "org": city.union_a.pk}
    assert client.post(reverse("members:dues_pay"), data).status_code == 403
    assert client.post(reverse("members:dues_union_pay"), data).status_code == 403


@pytest.mark.parametrize("name", ["dues_pay", "dues_union_pay"])
def test_payment_actions_refuse_get(city, chair_a, as_user, name):
    assert as_user(chair_a).get(reverse(name.join(["members:", ""]))).status_code == 405


def test_a_chair_pays_the_whole_union_month(city, chair_a, as_user):
    for org in (city.union_a, city.branch_a, city.union_b):
        member(org)
    services.dues_generate(month=MARCH)
    response = as_user(chair_a).post(
        reverse("members:dues_union_pay"), {**PAY, "org": city.union_a.pk, "paid_how": "payroll"}
    )
    assert response.status_code == 302
    assert DuesRecord.objects.filter(paid_how="payroll").count() == 2
    assert DuesRecord.objects.filter(organisation=city.union_b, paid_on__isnull=True).exists()


def test_a_future_payment_date_is_refused_with_a_message(city, chair_a, as_user):
    member(city.union_a)
    services.dues_generate(month=MARCH)
    response = as_user(chair_a).post(
        reverse("members:dues_union_pay"),
        {**PAY, "org": city.union_a.pk, "paid_on": "2025-05-01"},
        follow=True,
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not DuesRecord.objects.filter(paid_on__isnull=False).exists()


# --- A member's dues -------------------------------------------------------------------------


def test_a_member_page_shows_history_arrears_and_no_full_id(city, chair_a, as_user):
    m = member(city.union_a, "4567.89")
    record(m, date(2025, 2, 1), "22.80")
    record(m, MARCH, "22.80", paid_on=date(2025, 3, 31))
    response = as_user(chair_a).get(reverse("members:dues_member", args=[m.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="arrears-months">1<' in page
    assert 'data-testid="arrears-total">¥22.80<' in page
    assert 'data-testid="month-2025-03"' in page
    assert m.resident_id not in page and m.resident_id_masked in page
    assert m.phone not in page


def test_a_members_dues_are_404_to_another_union_and_403_to_the_auditor(
    city, chair_b, auditor_user, as_user
):
    m = member(city.union_a)
    url = reverse("members:dues_member", args=[m.pk])
    assert as_user(chair_b).get(url).status_code == 404
    assert as_user(auditor_user).get(url).status_code == 403


def test_a_member_pays_arrears_from_their_page(city, officer_a, as_user):
    m = member(city.union_a)
    for month in (1, 2, 3):
        record(m, date(2025, month, 1))
    response = as_user(officer_a).post(
        reverse("members:dues_member_pay", args=[m.pk]),
        {"months": ["2025-01", "2025-02"], "paid_on": "2025-04-10", "paid_how": "transfer"},
    )
    assert response.status_code == 302
    assert DuesRecord.objects.filter(paid_how="transfer").count() == 2


def test_a_month_not_owed_cannot_be_paid_from_the_member_page(city, chair_a, as_user):
    m = member(city.union_a)
    record(m, MARCH)
    response = as_user(chair_a).post(
        reverse("members:dues_member_pay", args=[m.pk]),
        {"months": ["2024-01"], "paid_on": "2025-04-10", "paid_how": "cash"},
    )
    assert response.status_code == 200 and response.context["pay_form"].errors
    assert DuesRecord.objects.get().paid_on is None


def test_a_chair_sets_a_wage_base_from_a_month(city, chair_a, as_user):
    m = member(city.union_a, "3000.00", joined_on=date(2024, 1, 1))
    response = as_user(chair_a).post(
        reverse("members:dues_wage_base_set", args=[m.pk]),
        {"month": "2025-04", "amount": "6543.21"},
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.wage_base == D("6543.21")
    assert WageBase.objects.get(member=m).effective_month == date(2025, 4, 1)


@pytest.mark.parametrize(
    "data",
    [
        {"month": "2025-13", "amount": "100"},
        {"month": "2025-04", "amount": "-5"},
        {"month": "2025-04", "amount": "abc"},
        {"month": "2019-01", "amount": "100"},
    ],
)
def test_a_bad_wage_base_shows_the_error_on_the_form(city, chair_a, as_user, data):
    m = member(city.union_a, joined_on=date(2024, 1, 1))
    response = as_user(chair_a).post(reverse("members:dues_wage_base_set", args=[m.pk]), data)
    assert response.status_code == 200 and response.context["wage_form"].errors
    assert not WageBase.objects.filter(member=m).exists()


@pytest.mark.parametrize("name", ["dues_member_pay", "dues_wage_base_set"])
def test_member_dues_actions_refuse_get_and_outsiders_and_the_auditor(
    city, chair_a, chair_b, auditor_user, as_user, name
):
    m = member(city.union_a)
    record(m, MARCH)
    url = reverse(f"members:{name}", args=[m.pk])
    data = {
        "months": ["2025-03"],
        "paid_on": "2025-04-01",
        "paid_how": "cash",
        "month": "2025-04",
        "amount": "1",
    }
    assert as_user(chair_a).get(url).status_code == 405
    assert as_user(chair_b).post(url, data).status_code == 404
    assert as_user(auditor_user).post(url, data).status_code == 403
    assert DuesRecord.objects.get().paid_on is None
    assert not WageBase.objects.exists()


def test_a_members_dues_page_costs_the_same_queries_with_more_history(
    city, chair_a, as_user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m = member(city.union_a)
    record(m, date(2024, 1, 1))
    client = as_user(chair_a)
    url = reverse("members:dues_member", args=[m.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for month in range(2, 13):
        record(m, date(2024, month, 1))
        WageBase.objects.create(member=m, effective_month=date(2024, month, 1), amount=1)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


# --- Lapse candidates ------------------------------------------------------------------------


def _six_unpaid(m):
    for month in range(9, 13):
        record(m, date(2024, month, 1))
    for month in (1, 2):
        record(m, date(2025, month, 1))


def test_lapse_candidates_are_listed_in_scope_with_a_link_to_their_dues(city, chair_a, as_user):
    ours, theirs = member(city.union_a), member(city.union_b)
    _six_unpaid(ours)
    _six_unpaid(theirs)
    response = as_user(chair_a).get(reverse("members:dues_lapse_candidates"))
    assert response.status_code == 200
    assert response.context["as_of"] == date(2025, 3, 1)  # last month by default
    response = as_user(chair_a).get(reverse("members:dues_lapse_candidates") + "?as_of=2025-02")
    assert [m.pk for m in response.context["page"]] == [ours.pk]
    assert reverse("members:dues_member", args=[ours.pk]) in response.content.decode()
    assert theirs.name not in response.content.decode()


def test_lapse_candidates_of_another_union_are_404_and_the_auditor_403(
    city, chair_a, auditor_user, as_user
):
    url = reverse("members:dues_lapse_candidates")
    assert as_user(chair_a).get(f"{url}?org={city.union_b.pk}").status_code == 404
    assert as_user(auditor_user).get(url).status_code == 403


def test_the_lapse_list_costs_the_same_queries_with_more_candidates(
    city, county_user, as_user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(county_user)
    url = reverse("members:dues_lapse_candidates") + "?as_of=2025-02"
    _six_unpaid(member(city.union_a))
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(4):
        _six_unpaid(member(city.branch_a))
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 5


# --- Union funds -----------------------------------------------------------------------------


def _fund(org, month=MARCH, payroll="1000000"):
    return services.fund_record(actor=None, organisation=org, month=month, payroll=D(payroll))


def test_the_fund_list_shows_only_funds_in_scope(city, chair_a, as_user):
    ours, theirs = _fund(city.union_a), _fund(city.union_b)
    response = as_user(chair_a).get(reverse("members:fund_list"))
    assert response.status_code == 200
    assert [f.pk for f in response.context["page"]] == [ours.pk]
    assert f'data-testid="fund-{theirs.pk}"' not in response.content.decode()
    assert response.context["totals"]["levy"] == D("20000.00")


def test_the_fund_list_costs_the_same_queries_with_more_records(
    city, admin_user, as_user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(admin_user)
    _fund(city.union_a)
    client.get(reverse("members:fund_list"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("members:fund_list"))
    for month in range(1, 13):
        _fund(city.union_b, month=date(2024, month, 1))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("members:fund_list"))


def test_a_chair_records_a_month_and_sees_the_division(city, chair_a, as_user):
    client = as_user(chair_a)
    url = reverse("members:fund_create")
    assert client.get(f"{url}?org={city.union_a.pk}").status_code == 200
    response = client.post(
        url, {"organisation": city.union_a.pk, "month": "2025-03", "payroll": "1000000.00"}
    )
    record_ = FundRecord.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "members:fund_detail", args=[record_.pk]
    )
    page = client.get(response.url).content.decode()
    assert 'data-testid="levy">¥20,000.00<' in page
    assert 'data-testid="share-retained"' in page and "¥12,000.00" in page
    assert 'data-testid="share-99"' in page


def test_recording_funds_for_another_union_is_refused(city, chair_a, as_user):
    client = as_user(chair_a)
    url = reverse("members:fund_create")
    assert client.get(f"{url}?org={city.union_b.pk}").status_code == 404
    response = client.post(
        url, {"organisation": city.union_b.pk, "month": "2025-03", "payroll": "100"}
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not FundRecord.objects.exists()


@pytest.mark.parametrize("payroll", ["-1", "1e309", "NaN", "Infinity", "12.345", "1,000", "十"])
def test_a_bad_payroll_is_a_form_error_not_a_crash(city, chair_a, as_user, payroll):
    response = as_user(chair_a).post(
        reverse("members:fund_create"),
        {"organisation": city.union_a.pk, "month": "2025-03", "payroll": payroll},
    )
    assert response.status_code == 200
    assert not FundRecord.objects.exists()


def test_full_width_digits_are_read_as_the_number_they_show(city, chair_a, as_user):
    as_user(chair_a).post(
        reverse("members:fund_create"),
        {"organisation": city.union_a.pk, "month": "2025-03", "payroll": "１０００"},
    )
    assert FundRecord.objects.get().payroll == D("1000.00")


def test_fund_pages_are_403_to_the_auditor_and_a_record_404_to_another_union(
    city, chair_b, auditor_user, as_user
):
    ours = _fund(city.union_a)
    auditor = as_user(auditor_user)
    for name in ("fund_list", "fund_create", "remittance_rules", "remittance_what_if"):
        assert auditor.get(reverse(f"members:{name}")).status_code == 403, name
    detail = reverse("members:fund_detail", args=[ours.pk])
    assert auditor.get(detail).status_code == 403
    assert as_user(chair_b).get(detail).status_code == 404


# --- The rule table --------------------------------------------------------------------------


def _rule_post(**overrides):
    data = {
        "organisation": "",
        "effective_from": "2026-01-01",
        "retained_percent": "70",
        "note": "下调上缴比例",
        "shares-TOTAL_FORMS": "3",
        "shares-INITIAL_FORMS": "0",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "12",
        "shares-0-level": "1",
        "shares-0-percent": "20",
        "shares-0-label": "上一级工会",
        "shares-1-level": "99",
        "shares-1-percent": "10",
        "shares-1-label": "省总工会及全总",
    }
    return {**data, **overrides}


def test_every_role_reads_the_rules_but_only_the_admin_may_add_one(
    city, chair_a, staff_user, as_user
):
    page = as_user(chair_a).get(reverse("members:remittance_rules"))
    assert page.status_code == 200
    default = RemittanceRule.objects.get(organisation__isnull=True)
    assert f'data-testid="rule-{default.pk}"' in page.content.decode()
    assert 'data-testid="rule-create"' not in page.content.decode()
    assert as_user(staff_user).get(reverse("members:remittance_rule_create")).status_code == 403
    edit = reverse("members:remittance_rule_edit", args=[default.pk])
    assert as_user(staff_user).get(edit).status_code == 403
    assert as_user(staff_user).post(edit, _rule_post()).status_code == 403
    assert RemittanceRule.objects.count() == 1


def test_the_admin_adds_a_rule_with_its_shares(city, admin_user, as_user):
    client = as_user(admin_user)
    assert client.get(reverse("members:remittance_rule_create")).status_code == 200
    response = client.post(reverse("members:remittance_rule_create"), _rule_post())
    assert response.status_code == 302
    rule = RemittanceRule.objects.get(effective_from=date(2026, 1, 1))
    assert rule.retained_percent == 70
    assert list(rule.shares.values_list("level", "percent")) == [(1, 20), (99, 10)]


def test_blank_extra_share_rows_are_skipped_as_a_browser_posts_them(city, admin_user, as_user):
    client = as_user(admin_user)
    form = client.get(reverse("members:remittance_rule_create")).content.decode()
    assert '<option value="" selected>' in form  # untouched rows post an empty level
    data = _rule_post(
        **{
            "shares-TOTAL_FORMS": "4",
            "shares-2-level": "",
            "shares-2-percent": "",
            "shares-3-level": "",
            "shares-3-percent": "",
            "shares-3-label": "",
        }
    )
    assert client.post(reverse("members:remittance_rule_create"), data).status_code == 302
    assert RemittanceRule.objects.get(effective_from=date(2026, 1, 1)).shares.count() == 2


def test_a_rule_that_does_not_make_100_percent_is_shown_back_with_the_error(
    city, admin_user, as_user
):
    response = as_user(admin_user).post(
        reverse("members:remittance_rule_create"), _rule_post(retained_percent="60")
    )
    assert response.status_code == 200
    assert 'data-testid="errors"' in response.content.decode()
    assert RemittanceRule.objects.count() == 1


def test_the_admin_edits_a_rule_and_removes_a_share(city, admin_user, as_user):
    rule = RemittanceRule.objects.get(organisation__isnull=True)
    url = reverse("members:remittance_rule_edit", args=[rule.pk])
    client = as_user(admin_user)
    assert client.get(url).status_code == 200
    data = _rule_post(
        effective_from="2020-01-01",
        retained_percent="60",
        **{
            "shares-0-percent": "30",
            "shares-2-level": "2",
            "shares-2-percent": "5",
            "shares-2-DELETE": "on",
        },
    )
    assert client.post(url, data).status_code == 302
    assert list(rule.shares.values_list("level", "percent")) == [(1, 30), (99, 10)]


def test_another_unions_rule_is_404_to_a_chair(city, admin_user, chair_a, as_user):
    rule = services.remittance_rule_save(
        actor=admin_user,
        organisation=city.union_b,
        effective_from=date(2025, 1, 1),
        retained_percent=D("50"),
        shares=[{"level": 1, "percent": D("50")}],
    )
    client = as_user(chair_a)
    assert client.get(reverse("members:remittance_rule_edit", args=[rule.pk])).status_code == 404
    assert (
        f'data-testid="rule-{rule.pk}"'
        not in client.get(reverse("members:remittance_rules")).content.decode()
    )


def test_the_rule_list_costs_the_same_queries_with_more_rules(
    city, admin_user, as_user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(admin_user)
    client.get(reverse("members:remittance_rules"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("members:remittance_rules"))
    for year, org in ((2021, city.county_a), (2022, city.county_b), (2023, city.union_a)):
        services.remittance_rule_save(
            actor=admin_user,
            organisation=org,
            effective_from=date(year, 1, 1),
            retained_percent=D("50"),
            shares=[{"level": 1, "percent": D("50")}],
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("members:remittance_rules"))


# --- What if ---------------------------------------------------------------------------------


def test_what_if_compares_the_rule_in_force_with_an_alternative(city, admin_user, chair_a, as_user):
    services.remittance_rule_save(
        actor=admin_user,
        organisation=city.union_a,
        effective_from=date(2024, 1, 1),
        retained_percent=D("50"),
        shares=[{"level": 2, "percent": D("50"), "label": "市总"}],
    )
    client = as_user(chair_a)
    url = reverse("members:remittance_what_if")
    first = client.get(f"{url}?org={city.union_a.pk}")
    assert first.status_code == 200
    assert first.context["formset"].initial == [
        {"level": 2, "percent": D("50.00"), "label": "市总"}
    ]
    response = client.get(
        url,
        {
            "org": city.union_a.pk,
            "amount": "1000000",
            "basis": "payroll",
            "retained_percent": "70",
            "alt-TOTAL_FORMS": "1",
            "alt-INITIAL_FORMS": "1",
            "alt-MIN_NUM_FORMS": "0",
            "alt-MAX_NUM_FORMS": "12",
            "alt-0-level": "2",
            "alt-0-percent": "30",
            "alt-0-label": "市总",
        },
    )
    rows = {r["key"]: r for r in response.context["rows"]}
    assert rows["self"]["now"].amount == D("10000.00") and rows["self"]["alt"].amount == D(
        "14000.00"
    )
    city_row = rows[f"org-{city.city.pk}"]
    assert (city_row["now"].amount, city_row["alt"].amount, city_row["change"]) == (
        D("10000.00"),
        D("6000.00"),
        D("-4000.00"),
    )
    assert 'data-testid="comparison"' in response.content.decode()


def test_an_alternative_that_does_not_make_100_is_explained(city, chair_a, as_user):
    response = as_user(chair_a).get(
        reverse("members:remittance_what_if"),
        {
            "org": city.union_a.pk,
            "amount": "1000",
            "basis": "levy",
            "retained_percent": "90",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() and "rows" not in response.context


def test_what_if_for_another_union_is_404(city, chair_a, as_user):
    url = reverse("members:remittance_what_if")
    assert as_user(chair_a).get(f"{url}?org={city.union_b.pk}").status_code == 404
