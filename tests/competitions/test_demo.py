"""competitions.demo.seed builds every state once and is idempotent."""

from datetime import date

import pytest

from competitions import demo
from competitions.models import (
    Competition,
    Entry,
    Honour,
    InnovationStudio,
    NominationRound,
    Score,
)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seed_makes_every_state_and_runs_once(city, staff_user, admin_user, chair_b):
    for union in (city.union_a, city.union_b):
        for _ in range(10):
            MemberFactory(organisation=union, is_frontline=True)
    made = demo.seed(date(2026, 5, 1))
    assert made > 0
    assert set(Competition.objects.values_list("status", flat=True)) == {
        "planned", "registering", "judging", "published",
    }  # fmt: skip
    published = Competition.objects.get(status="published")
    assert all(e.rank for e in Entry.objects.filter(competition=published))
    assert Score.objects.exists()
    assert Honour.objects.filter(kind__code="national_model_worker").count() == 7
    assert Honour.objects.filter(kind__code="may_day_award").count() == 2
    # The six default rules of the 五一 medal, and one of the city's.
    assert NominationRound.objects.get().rules.count() == 7
    assert InnovationStudio.objects.count() == 40
    assert InnovationStudio.objects.filter(exemplary_on__isnull=False).count() == 10
    assert InnovationStudio.objects.filter(exemplary_on__isnull=False, level="city").count() == 7
    counts = (Competition.objects.count(), Honour.objects.count(), Entry.objects.count())
    assert demo.seed(date(2026, 5, 1)) == 0
    assert (Competition.objects.count(), Honour.objects.count(), Entry.objects.count()) == counts
