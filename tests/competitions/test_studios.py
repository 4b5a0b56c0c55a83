"""The studio pages: a studio has a level and may be exemplary (示范) as well."""

from datetime import date

import pytest
from django.urls import reverse

from competitions.models import InnovationStudio

pytestmark = pytest.mark.django_db


def make(org, name, level, exemplary_on=None):
    return InnovationStudio.objects.create(
        name=name, organisation=org, field="innovation", level=level,
        recognised_on=date(2025, 4, 28), exemplary_on=exemplary_on,
    )  # fmt: skip


def test_the_list_shows_level_and_exemplary_and_filters_both(city, as_user, chair_a, chair_b):
    both = make(city.union_a, "甲示范工作室", "city", date(2026, 4, 28))
    plain = make(city.union_a, "甲工作室", "provincial")
    theirs = make(city.union_b, "乙工作室", "city", date(2026, 4, 28))
    client = as_user(chair_a)
    url = reverse("competitions:studio_list")
    page = client.get(url)
    assert {s.pk for s in page.context["page"]} == {both.pk, plain.pk}
    content = page.content.decode()
    assert "市级" in content and "示范性" in content and 'data-testid="exemplary"' in content
    assert [s.pk for s in client.get(url + "?exemplary=1").context["page"]] == [both.pk]
    assert [s.pk for s in client.get(url + "?level=provincial").context["page"]] == [plain.pk]
    assert [s.pk for s in client.get(url + "?level=city&exemplary=1").context["page"]] == [both.pk]
    assert [s.pk for s in as_user(chair_b).get(url).context["page"]] == [theirs.pk]


def test_the_form_takes_the_exemplary_day(city, as_user, staff_user):
    page = as_user(staff_user).get(reverse("competitions:studio_create")).content.decode()
    assert 'name="exemplary_on"' in page
    assert 'value="exemplary"' not in page
