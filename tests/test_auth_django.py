"""security.md B7: Django's own auth tests, mirrored against the portal's login and password pages.

Each test names the Django test it mirrors (Django's tests/auth_tests/). Django's tests drive
its stock views; these go through the portal's LoginView and PasswordChangeView, with its
middleware (absolute session lifetime, forced password change, axes) in the way, through the
test client.
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh-Harbour-Lantern-77"


def post_login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(username: str, password: str) -> Client:
    client = Client()
    response = post_login(client, username, password)
    assert response.status_code == 302, "the login itself failed"
    assert client.session[SESSION_KEY]
    return client


def session_user_id(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


def plant_session(client: Client, **data) -> str:
    """A session key the browser already holds before login (the fixation attempt)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for key, value in data.items():
        store[key] = value
    store.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    return store.session_key


class TestSessionFixation:
    """test_views.LoginTest.test_session_key_flushed_on_login."""

    def test_logging_in_gives_a_new_session_key(self, chair_a, password):
        client = Client()
        planted = plant_session(client, probe="set before login")
        assert client.session.session_key == planted

        assert post_login(client, "chair_a", password).status_code == 302

        assert client.session.session_key != planted
        assert session_user_id(client) == str(chair_a.pk)
        assert not Session.objects.filter(session_key=planted).exists()

    def test_a_session_of_another_user_is_not_reused(self, chair_a, officer_a, password):
        """Django's case: the session still names another account when someone logs in."""
        client = Client()
        # Anonymous to the request (no backend recorded) yet still carrying chair A's id.
        planted = plant_session(client, **{SESSION_KEY: str(chair_a.pk)}, probe="chair A's")

        assert post_login(client, "officer_a", password).status_code == 302

        assert client.session.session_key != planted
        assert session_user_id(client) == str(officer_a.pk)
        assert "probe" not in client.session  # flushed, not just re-keyed

    def test_a_logged_in_session_cannot_be_switched_to_another_account(
        self, chair_a, officer_a, password
    ):
        """The portal's login page sends a logged-in user away: no login on top of a session."""
        client = logged_in("chair_a", password)
        original = client.session.session_key

        response = post_login(client, "officer_a", password)

        assert response.status_code == 302
        assert session_user_id(client) == str(chair_a.pk)
        assert client.session.session_key == original


def test_session_key_changes_at_a_login_after_a_password_change(chair_a, password):
    """test_views.LoginTest.test_session_key_flushed_on_login_after_password_change."""
    client = logged_in("chair_a", password)
    original = client.session.session_key

    # If no password change, the session key is not flushed.
    post_login(client, "chair_a", password)
    assert client.session.session_key == original

    chair_a.set_password(NEW_PASSWORD)
    chair_a.save()

    assert post_login(client, "chair_a", NEW_PASSWORD).status_code == 302
    assert client.session.session_key != original
    assert session_user_id(client) == str(chair_a.pk)


def test_the_csrf_token_rotates_at_login(chair_a, password):
    """test_views.LoginTest.test_login_csrf_rotate, as a browser does it."""
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    before = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert before

    response = client.post(
        reverse("login"),
        {"username": "chair_a", "password": password, "csrfmiddlewaretoken": before},
    )

    assert response.status_code == 302, "the login with the page's own token was refused"
    assert session_user_id(client) == str(chair_a.pk)
    after = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert after and after != before
    # The old token no longer opens a form of the logged-in session.
    stale = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "csrfmiddlewaretoken": before,
        },
    )
    assert stale.status_code == 403


def test_a_password_change_ends_the_users_other_sessions(chair_a, password):
    """test_middleware.TestAuthenticationMiddleware.test_changed_password_invalidates_session,
    through the portal's password page: one browser changes it, the other is logged out."""
    here = logged_in("chair_a", password)
    elsewhere = logged_in("chair_a", password)
    other_key = elsewhere.session.session_key
    assert here.session.session_key != other_key
    assert elsewhere.get(reverse("dashboard")).status_code == 200

    response = here.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, "the password change was refused"
    assert response["Location"] == reverse("dashboard")

    # The browser that changed it stays logged in.
    assert here.get(reverse("dashboard")).status_code == 200
    # The other one is anonymous at its next request, and its session is flushed.
    response = elsewhere.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(session_key=other_key).exists()
    assert SESSION_KEY not in elsewhere.session
