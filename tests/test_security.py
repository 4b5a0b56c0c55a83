"""security.md checks A-D and F6 that the foundation must hold."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_the_deploy_check():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": "k" * 30 + "-Zx9#q" + "v" * 30,
        "FIELD_ENCRYPTION_KEY": "check",
        "ALLOWED_HOSTS": "portal.example.org",
        "READ_DOT_ENV_FILE": "false",
        "DJANGO_SETTINGS_MODULE": "unionportal.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "security." not in " ".join(settings.SILENCED_SYSTEM_CHECKS)


def test_settings_refuse_to_start_without_a_secret_key_when_not_debugging():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "",
        "READ_DOT_ENV_FILE": "false",
        "DJANGO_SETTINGS_MODULE": "unionportal.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_every_page_sends_the_security_headers(city, chair_a, as_user):
    for client, url in [
        (Client(), reverse("login")),
        (as_user(chair_a), reverse("dashboard")),
        (as_user(chair_a), city.union_a.get_absolute_url()),
    ]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_pages_with_personal_data_are_never_cached(city, chair_a, as_user):
    response = as_user(chair_a).get(city.union_a.get_absolute_url())
    assert "no-store" in response["Cache-Control"]


def test_cookies_carry_the_host_prefix_and_flags(chair_a, password):
    client = Client()
    client.get(reverse("login"))
    client.post(reverse("login"), {"username": "chair_a", "password": password})
    session = client.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["path"] == "/"
    assert client.cookies["__Host-csrftoken"]["secure"]


def test_the_404_page_is_chinese_and_leaks_nothing(chair_a, as_user):
    response = as_user(chair_a).get("/nonexistent/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page
    assert "Django" not in page and "Traceback" not in page


def test_a_server_error_shows_the_generic_page(chair_a, as_user, monkeypatch):
    client = as_user(chair_a)
    client.raise_request_exception = False
    from unionportal.reporting.views import dashboard

    monkeypatch.setattr(dashboard, "todo_items", lambda user: 1 / 0)
    response = client.get(reverse("todo_panel"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "ZeroDivisionError" not in page and "Django" not in page


class TestPasswords:
    def test_eleven_characters_are_too_short(self):
        with pytest.raises(ValidationError):
            validate_password("Abcdef-1234")

    def test_a_union_word_is_refused_even_when_long_and_mixed(self):
        with pytest.raises(ValidationError):
            validate_password("Gonghui-2026-abc")

    def test_two_character_classes_are_not_enough(self):
        with pytest.raises(ValidationError):
            validate_password("plumblossomriver")

    @pytest.mark.parametrize("length", [64, 128])
    def test_long_passphrases_are_accepted(self, length):
        validate_password(("Plum-Blossom-7421-" * 10)[:length])

    def test_production_hashes_with_pbkdf2_or_argon2(self):
        from unionportal import settings as prod

        hashers = getattr(prod, "PASSWORD_HASHERS", None)
        assert hashers is None  # Django's default list, PBKDF2 first


class TestLogin:
    def test_the_sixth_attempt_is_locked_out_with_429_then_allowed_after_30_minutes(
        self, chair_a, password
    ):
        client = Client()
        for _ in range(5):
            client.post(reverse("login"), {"username": "chair_a", "password": "wrong-Pass-123"})
        response = client.post(reverse("login"), {"username": "chair_a", "password": password})
        assert response.status_code == 429
        assert "30" in response.content.decode()
        with time_machine.travel(timezone.now() + timedelta(minutes=31)):
            response = Client().post(
                reverse("login"), {"username": "chair_a", "password": password}
            )
            assert response.status_code == 302

    def test_a_wrong_username_and_a_wrong_password_look_the_same(self, chair_a):
        a = Client().post(reverse("login"), {"username": "nobody", "password": "Wrong-pass-1234"})
        b = Client().post(reverse("login"), {"username": "chair_a", "password": "Wrong-pass-1234"})
        assert a.status_code == b.status_code == 200
        strip = lambda r: r.content.decode().replace("nobody", "").replace("chair_a", "")  # noqa
        assert (
            strip(a).split('name="csrfmiddlewaretoken"')[0]
            == strip(b).split('name="csrfmiddlewaretoken"')[0]
        )

    @override_settings(LOGIN_IP_FAILURE_LIMIT=3)
    def test_an_ip_spraying_many_usernames_is_stopped(self, chair_a, password):
        client = Client()
        for name in ("a1", "a2", "a3"):
            client.post(reverse("login"), {"username": name, "password": "Wrong-pass-1234"})
        response = client.post(reverse("login"), {"username": "chair_a", "password": password})
        assert response.status_code == 429

    def test_an_inactive_account_cannot_log_in(self, chair_a, password):
        chair_a.is_active = False
        chair_a.save()
        response = Client().post(reverse("login"), {"username": "chair_a", "password": password})
        assert response.status_code == 200


class TestSessions:
    def login(self, password):
        client = Client()
        client.post(reverse("login"), {"username": "chair_a", "password": password})
        return client

    def test_30_idle_minutes_end_the_session(self, chair_a, password):
        client = self.login(password)
        with time_machine.travel(timezone.now() + timedelta(minutes=31)):
            assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))

    def test_activity_keeps_the_session_alive(self, chair_a, password):
        client = self.login(password)
        with time_machine.travel(timezone.now() + timedelta(minutes=20)):
            assert client.get(reverse("dashboard")).status_code == 200
        with time_machine.travel(timezone.now() + timedelta(minutes=40)):
            assert client.get(reverse("dashboard")).status_code == 200

    def test_12_hours_after_login_the_session_ends_whatever_the_activity(self, chair_a, password):
        client = self.login(password)
        session = client.session
        session["login_at"] = time.time() - 12 * 3600 - 60
        session.save()
        assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))

    def test_logging_out_deletes_the_session_and_the_old_cookie_is_useless(self, chair_a, password):
        client = self.login(password)
        cookie = client.cookies["__Host-sessionid"].value
        client.post(reverse("logout"))
        assert not Session.objects.filter(session_key=cookie).exists()
        replay = Client()
        replay.cookies["__Host-sessionid"] = cookie
        assert replay.get(reverse("dashboard")).status_code == 302


PUBLIC = {
    "login",
    "healthz",
    "set_language",
    # issue 19: applying to join, its status check, activating and logging in as a member
    "selfservice:join",
    "selfservice:join_done",
    "selfservice:join_status",
    "selfservice:activate",
    "selfservice:member_login",
}


def all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if "admin" in str(p.pattern):
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from all_patterns(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name, p


def test_every_page_but_the_public_ones_needs_a_login(city):
    client = Client()
    checked = 0
    for name, pattern in all_patterns():
        if name in PUBLIC or name.startswith("django"):
            continue
        kwargs = {k: 1 for k in pattern.pattern.converters}
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            # a member's own pages send to the member login (mobile and password)
            login = "selfservice:member_login" if name.startswith("selfservice:me") else "login"
            assert response["Location"].startswith(reverse(login)), name
        checked += 1
    assert checked > 10


def test_the_language_switch_turns_the_portal_english_and_back(chair_a, as_user):
    client = as_user(chair_a)
    assert "首页" in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Dashboard" in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "首页" in client.get(reverse("dashboard")).content.decode()


def test_an_english_browser_still_gets_chinese_by_default(chair_a, as_user):
    page = as_user(chair_a).get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "首页" in page.content.decode()
