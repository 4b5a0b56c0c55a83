"""A chair sees every problem of the report at once: an unreadable figure and a part above its
whole in the same round."""

import pytest
from django.urls import reverse

from .page_helpers import ENTERED, form_data, open_period, report_of

pytestmark = pytest.mark.django_db


def test_unreadable_figures_and_rule_errors_show_together(as_user, chair_a, city):
    report = report_of(open_period(), city.union_a)
    entered = {**ENTERED, "migrant_employees": "很多", "women_employees": 500}
    page = as_user(chair_a).post(
        reverse("reporting:report_detail", args=[report.pk]), form_data(report, entered)
    )
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "migrant_employees" in errors and "women_employees" in errors
    report.refresh_from_db()
    assert report.version == 0
