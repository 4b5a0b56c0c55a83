"""The demo's 六有六好 data: last year's round finished with every result confirmed, this year's
in progress with assessments in every state; running it twice adds nothing."""

from datetime import date

import pytest

from assessment import demo
from assessment.models import Assessment, AssessmentStatus, Round, RoundStatus

pytestmark = pytest.mark.django_db


def test_a_finished_round_and_one_in_progress(city, staff_user, admin_user):
    for _ in range(4):
        from tests.factories import OrganisationFactory

        OrganisationFactory(parent=city.county_a)
    assert demo.seed(date(2026, 12, 4)) == 12
    finished = Round.objects.get(year=2025)
    assert finished.status == RoundStatus.FINISHED
    assert set(finished.assessments.values_list("status", flat=True)) == {"confirmed"}
    current = Round.objects.get(year=2026)
    assert current.status == RoundStatus.OPEN
    assert set(current.assessments.values_list("status", flat=True)) == set(AssessmentStatus.values)
    before = Assessment.objects.count()
    assert demo.seed(date(2026, 12, 4)) == 0
    assert Assessment.objects.count() == before
