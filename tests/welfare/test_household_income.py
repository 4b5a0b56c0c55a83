"""Hardship household income (issue 13 item 8, domain.md E): a typed 家庭年收入 is never
replaced silently by the household rows, and the per-capita income is compared with the
低保 line unrounded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from welfare import services
from welfare.models import HouseholdMember

pytestmark = [pytest.mark.django_db, pytest.mark.money]


@pytest.mark.parametrize(
    ("income", "net", "category"),
    [
        ("9599.94", "800.00", "deep"),  # ¥799.995 a month: below ¥800.00, however it rounds
        ("9600.00", "800.00", "relative"),  # exactly the line: not below it
    ],
)
def test_the_line_is_compared_unrounded(chair_a, member_a, income, net, category):
    hf = services.file_open(
        actor=chair_a,
        member=member_a,
        year=2026,
        household_size=1,
        annual_income=Decimal(income),
        causes="失业",
    )
    assert hf.net_per_capita == Decimal(net)
    assert hf.suggested_category == category and hf.category == category


FORM = {
    "year": 2026,
    "household_size": 3,
    "annual_income": "21000",
    "illness_costs": "11000",
    "disability_costs": "0",
    "schooling_costs": "0",
    "causes": "大病",
    "category": "",
    "household-TOTAL_FORMS": "2",
    "household-INITIAL_FORMS": "0",
    "household-0-name": "李梅",
    "household-0-relation": "配偶",
    "household-0-annual_income": "",
    "household-1-name": "",
    "household-1-relation": "",
    "household-1-annual_income": "",
}


def test_a_typed_income_of_21000_is_not_replaced_by_a_household_row(as_user, chair_a, member_a):
    client = as_user(chair_a)
    data = {**FORM, "member": member_a.name}
    with translation.override("zh-hans"):
        asked = client.post(reverse("welfare:file_create"), data)
    # The form says the two figures differ and asks which one; nothing is saved.
    assert asked.status_code == 200 and not member_a.hardship_files.exists()
    page = asked.content.decode()
    assert "填写的家庭年收入（¥21,000.00）与家庭成员收入合计（¥0.00）不一致" in page
    assert (
        client.post(reverse("welfare:file_create"), {**data, "income_from": "typed"}).status_code
        == 302
    )
    hf = member_a.hardship_files.get()
    # (21,000 - 11,000) / 3 people / 12 months, not (0 - 11,000) / 36 = -305.56
    assert hf.annual_income == Decimal("21000.00") and hf.net_per_capita == Decimal("277.78")
    assert hf.category == "deep" and HouseholdMember.objects.filter(hardship_file=hf).count() == 1
    with translation.override("zh-hans"):
        detail = client.get(reverse("welfare:file_detail", args=[hf.pk])).content.decode()
    assert "按填写的数字" in detail and "家庭成员收入合计 ¥0.00" in detail


def test_the_rows_sum_is_used_only_when_chosen_or_nothing_differs(as_user, chair_a, member_a):
    client = as_user(chair_a)
    data = {**FORM, "member": member_a.name, "household-0-annual_income": "21000"}
    assert client.post(reverse("welfare:file_create"), data).status_code == 302  # they agree
    hf = member_a.hardship_files.get()
    assert hf.annual_income == Decimal("21000.00")
    update = {
        **{k: v for k, v in data.items() if k != "member"},
        "household-INITIAL_FORMS": "1",
        "household-0-annual_income": "18000",
    }
    url = reverse("welfare:file_update", args=[hf.pk])
    assert client.post(url, update).status_code == 200  # differs: asked, not overwritten
    hf.refresh_from_db()
    assert hf.annual_income == Decimal("21000.00")
    assert client.post(url, {**update, "income_from": "rows"}).status_code == 302
    hf.refresh_from_db()
    assert hf.annual_income == Decimal("18000.00")
