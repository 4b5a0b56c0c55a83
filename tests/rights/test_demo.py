"""The demo casework: the seed's half-year at demo scale, every state on show, and the
figures the statistics read agree with a count of the records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from members import demo
from rights import demo as rights_demo
from rights import stats
from rights.models import Case, CaseKind, CaseStatus, Channel
from rights.services import overdue_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    demo.seed_users(demo.seed_organisations())
    today = timezone.localdate()
    made = rights_demo.seed(today)
    return today, made


def test_the_demo_has_every_state_and_the_seeds_figures_at_demo_scale(seeded):
    today, made = seeded
    assert made == Case.objects.count() == 69 + 3 + 39 + 10 + 8
    assert rights_demo.seed(today) == 0  # idempotent
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    requests = Case.objects.filter(kind=CaseKind.REQUEST)
    visits = requests.filter(channel=Channel.VISIT)
    assert visits.count() == 69 and visits.aggregate(p=Sum("people"))["p"] == 131
    assert requests.filter(channel=Channel.LETTER).count() == 3
    assert requests.filter(channel=Channel.CALL).count() == 39
    assert requests.filter(channel=Channel.CALL, hotline=True).exists()
    assert visits.filter(people__gte=5).count() == 1  # the collective visit
    assert Case.objects.filter(kind=CaseKind.CONSULTATION, status=CaseStatus.CLOSED).count() == 8
    assert Case.objects.filter(reviews__gte=1).exists()
    assert Case.objects.filter(extended_by_days__gt=0).exists()
    assert Case.objects.filter(overdue_q(today)).exists()
    assert Case.objects.exclude(satisfaction="").exists()
    assert Case.objects.filter(received_by__kind="grassroots").exists()
    assert Case.objects.filter(status=CaseStatus.DISPATCHED, handler__depth=3).exists()


def test_the_statistics_read_the_same_figures_as_the_records(seeded):
    today, _ = seeded
    start = today - timedelta(days=200)
    rows = list(stats.received(start, today))
    assert sum(r["petition_visits"] for r in rows) == 69
    assert sum(r["petition_people"] for r in rows) == 131
    assert sum(r["petition_calls"] for r in rows) == 39
    assert sum(r["petition_consultations"] for r in rows) == 8
    closure = list(stats.closure(start, today))
    closed = Case.objects.filter(kind=CaseKind.REQUEST, first_closed_on__isnull=False).count()
    assert sum(r["petitions_closed"] for r in closure) == closed
