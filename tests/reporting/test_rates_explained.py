"""Rates show one decimal everywhere and "暂无数据" where they can't be known (ux.md; issue 13),
and the statistics page explains each KPI: its formula, numerator and denominator with their
values, and how many organisations below lack data (issue 13 item 14)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from members.kpis import Rate
from unionportal.reporting.models import StatSnapshot

from ..factories import OrganisationFactory

FEB = date(2026, 2, 1)


@pytest.mark.parametrize(
    "value, shown",
    [
        (90, "90.0%"),
        (Decimal("90"), "90.0%"),
        (Decimal("96.35"), "96.4%"),
        (Decimal("96.349"), "96.3%"),
        (0, "0.0%"),
        (100.0, "100.0%"),
        (Rate(9, 10), "90.0%"),
        (Rate(0, 0), "暂无数据"),
        (None, "暂无数据"),
        ("", "暂无数据"),
    ],
)
def test_the_rate_filter_shows_one_decimal_and_no_data(value, shown):
    with translation.override("zh-hans"):
        out = Template("{% load figures %}{{ v|rate }}").render(Context({"v": value}))
    assert out == shown


def _snap(org, **figures):
    return StatSnapshot.objects.create(
        organisation=org, month=FEB, computed_at=timezone.now(), **figures
    )


@pytest.mark.django_db
def test_the_statistics_page_explains_each_kpi(city, county_user, as_user):
    a = city.union_a
    b = OrganisationFactory(parent=city.county_a, name="西陵一号公司工会")
    c = OrganisationFactory(parent=city.county_a, name="西陵二号公司工会")
    _snap(city.county_a, employees=300, members=270, cards_active=9, cards_valid=10)
    _snap(a, employees=100, members=90, cards_active=9, cards_valid=10)
    _snap(b, employees=100, members=90)  # no cards: no activation rate
    _snap(c, employees=100, members=90)  # no cards either
    response = as_user(county_user).get(reverse("statistics_org", args=[city.county_a.pk]))
    page = response.content.decode()
    assert re.search(r'data-testid="rate-card_activation_rate">90\.0%<', page)
    # No dues due at all: the rate can't be known, never 0 or 100%.
    assert re.search(r'data-testid="rate-dues_collection_rate">暂无数据<', page)
    explain = page.split('data-testid="explain-card_activation_rate"')[1].split("</details>")[0]
    assert "已激活服务卡数 ÷ 月末有效服务卡数 × 100%" in explain
    assert re.search(r'data-testid="explain-numerator">9<', explain)
    assert re.search(r'data-testid="explain-denominator">10<', explain)
    assert "下级 3 个组织中有 2 个缺少该比率的数据" in explain
    cards = {c.kpi.code: c for c in response.context["stats"].kpi_cards}
    assert (cards["card_activation_rate"].lacking, cards["card_activation_rate"].below) == (2, 3)
    assert cards["membership_rate"].lacking == 0
    # The ranked table shows the missing rates as no data too.
    table = page.split('id="ranking"')[-1] if 'id="ranking"' in page else page
    assert "暂无数据" in table


@pytest.mark.django_db
def test_the_statistics_page_shows_items_warmth_and_studios(city, county_user, as_user):
    _snap(
        city.county_a,
        reviewed_items=18,
        warmth_amount=Decimal("1032000.00"),
        warmth_households=847,
        studios=40,
        exemplary_studios=10,
    )
    response = as_user(county_user).get(reverse("statistics_org", args=[city.county_a.pk]))
    cards = {c.code: c for c in response.context["stats"].count_cards}
    assert cards["reviewed_items"].value == 18
    assert cards["warmth_amount"].value == Decimal("1032000.00")
    assert (cards["studios"].value, cards["exemplary_studios"].value) == (40, 10)
    page = response.content.decode()
    for text in ("本月职代会审议事项", "本月送温暖金额", "¥1,032,000.00", "847", "示范"):
        assert text in page, text
