import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login_and_shows_no_data():
    response = Client().get(reverse("healthz"))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["database"] == "ok"
    assert set(body) == {"status", "database", "broker"}


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_is_503_when_the_broker_is_down():
    response = Client().get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["broker"] == "down"


def test_healthz_is_503_when_the_database_is_down(monkeypatch):
    from unionportal import views

    class Broken:
        def cursor(self):
            raise RuntimeError("database unreachable")

    monkeypatch.setattr(views, "connection", Broken())
    response = Client().get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "down"


def test_healthz_refuses_post():
    assert Client().post(reverse("healthz")).status_code == 405
