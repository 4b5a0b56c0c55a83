"""The notification list, marking read, and the bell's count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from unionportal.reporting import services
from unionportal.reporting.models import Notification

from .page_helpers import open_period, report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(city, chair_a, chair_b):
    period = open_period()
    services.notify(report_of(period, city.union_a), "reminder")
    services.notify(report_of(period, city.union_a), "overdue")
    services.notify(report_of(period, city.union_b), "reminder")
    return Notification.objects.filter(recipient=chair_a)


def test_the_list_shows_my_notifications_only(as_user, chair_a, city, notes):
    page = as_user(chair_a).get(reverse("reporting:notification_list"))
    assert page.status_code == 200
    assert {r["note"].pk for r in page.context["rows"]} == set(notes.values_list("pk", flat=True))
    html = page.content.decode()
    assert city.union_a.name in html and city.union_b.name not in html
    assert 'data-testid="bell-count">2<' in html


def test_mark_one_and_all_read(as_user, chair_a, notes):
    client = as_user(chair_a)
    first, second = notes
    assert client.get(reverse("reporting:notification_read", args=[first.pk])).status_code == 405
    assert client.post(reverse("reporting:notification_read", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at and not second.read_at
    html = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="bell-count">1<' in html
    response = client.post(reverse("reporting:notification_read", args=[second.pk]), {"open": "1"})
    assert response["Location"] == reverse("reporting:report_detail", args=[second.report_id])
    services.notify(second.report, "due_soon")
    client.post(reverse("reporting:notification_read_all"))
    assert not Notification.objects.filter(recipient=chair_a, read_at__isnull=True).exists()
    assert 'data-testid="bell-count"' not in client.get(reverse("dashboard")).content.decode()


def test_nobody_marks_another_persons_notification(as_user, chair_a, chair_b, notes):
    theirs = Notification.objects.get(recipient=chair_b)
    response = as_user(chair_a).post(reverse("reporting:notification_read", args=[theirs.pk]))
    assert response.status_code == 404
    as_user(chair_a).post(reverse("reporting:notification_read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_bell_links_to_the_list(as_user, chair_a):
    html = as_user(chair_a).get(reverse("dashboard")).content.decode()
    assert reverse("reporting:notification_list") in html
