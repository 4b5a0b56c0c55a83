from datetime import date

import pytest

from congress import demo
from congress.models import CongressSession, Motion, MotionStatus, ReviewedItem, Suggestion
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_motions_in_every_state_and_the_years_suggestions(city, chair_a, chair_b):
    for k in range(40):
        MemberFactory(organisation=city.union_a, is_frontline=k % 3 != 0, is_manager=k % 10 == 0)
        MemberFactory(organisation=city.union_b, is_frontline=True)
    # demo.seed looks the chairs up by their demo usernames
    chair_a.username, chair_b.username = "chair", "chair2"
    chair_a.save()
    chair_b.save()
    today = date(2026, 11, 24)
    import time_machine

    with time_machine.travel(today, tick=False):
        assert demo.seed(today) > 0
        assert set(Motion.objects.values_list("status", flat=True)) == set(MotionStatus.values)
        assert Motion.objects.overdue(today).count() >= 2
    assert CongressSession.objects.count() == 4
    assert ReviewedItem.objects.count() == 8
    year = Suggestion.objects.filter(received_on__year=2026)
    assert year.count() >= 200
    assert year.filter(status="adopted").count() >= 170
    assert demo.seed(today) == 0
