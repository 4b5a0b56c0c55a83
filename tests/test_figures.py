"""The one filter set for figures (issue 20 item 5, ux.md "Words and formats"): money ¥1,000.00
and -¥305.56, rates with one decimal, weights and thresholds whole where whole, counts 19,972,
and a figure the portal cannot know is 暂无数据, never ¥0.00 or 0."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from unionportal.core.templatetags.figures import count_text, money_text, percent_text, rate_text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1000"), "¥1,000.00"),
        (Decimal("1000.00"), "¥1,000.00"),
        (1234.5, "¥1,234.50"),
        (Decimal("-305.555"), "-¥305.56"),
        (Decimal("0"), "¥0.00"),
        (0, "¥0.00"),
        (Decimal("1234567.891"), "¥1,234,567.89"),
        ("6800", "¥6,800.00"),
    ],
)
def test_money(value, shown):
    assert money_text(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(19972, "19,972"), (0, "0"), (1000000, "1,000,000"), (Decimal("12.0"), "12"), (-3, "-3")],
)
def test_count(value, shown):
    assert count_text(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("40.00"), "40%"),
        (Decimal("60"), "60%"),
        (Decimal("12.50"), "12.5%"),
        (Decimal("33.33"), "33.33%"),
        (Decimal("0.00"), "0%"),
        (100, "100%"),
    ],
)
def test_percent_is_whole_where_whole(value, shown):
    assert percent_text(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("96.35"), "96.4%"), (40, "40.0%"), (Decimal("0"), "0.0%"), (99.95, "100.0%")],
)
def test_rate_has_one_decimal(value, shown):
    assert rate_text(value) == shown


@pytest.mark.parametrize("unknown", [None, "", "n/a", float("nan")])
def test_an_unknown_figure_is_no_data_never_zero(unknown):
    with translation.override("zh-hans"):
        for text in (money_text(unknown), count_text(unknown), percent_text(unknown)):
            assert text == "暂无数据"
        assert rate_text(unknown) == "暂无数据"


def test_the_filters_in_a_template():
    html = Template(
        "{% load figures %}{{ a|money }} {{ b|money }} {{ n|count }} {{ w|percent }} {{ r|rate }}"
    ).render(
        Context(
            {
                "a": Decimal("1000"),
                "b": Decimal("-305.56"),
                "n": 19972,
                "w": Decimal("40.00"),
                "r": 96.35,
            }
        )
    )
    assert html == "¥1,000.00 -¥305.56 19,972 40% 96.4%"


@pytest.mark.django_db
def test_relief_amounts_show_separators(city, chair_a, as_user):
    from tests.factories import MemberFactory
    from welfare import services

    app = services.relief_create(
        actor=chair_a,
        member=MemberFactory(organisation=city.union_a),
        kind="temporary",
        reason="大病住院",
        amount_requested=Decimal("1000"),
        today=date(2026, 3, 2),
    )
    client = as_user(chair_a)
    page = client.get(reverse("welfare:relief_list")).content.decode()
    assert "¥1,000.00" in page and "¥1000" not in page
    detail = client.get(app.get_absolute_url()).content.decode()
    assert re.search(r'data-testid="requested">¥1,000\.00<', detail)


@pytest.mark.django_db
def test_criteria_weights_are_whole_percentages(city, staff_user, as_user):
    from tests.competitions.helpers import make_competition

    competition = make_competition(
        city.city, criteria=[("实操", "60.00", 0, 100), ("理论", "40", 0, 100)]
    )
    page = as_user(staff_user).get(competition.get_absolute_url()).content.decode()
    assert "实操 · 60% · " in page and "理论 · 40% · " in page and ".00%" not in page


@pytest.mark.django_db
def test_congress_thresholds_are_whole_percentages(staff_user, as_user):
    page = as_user(staff_user).get(reverse("congress:rule_list")).content.decode()
    assert '<td class="text-end">50%</td>' in page and '<td class="text-end">20%</td>' in page
    assert ".00" not in page
