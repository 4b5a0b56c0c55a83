"""Two-step login (security.md B5): who needs it, enrolment, codes, recovery codes, the
remembered browser, the lockout and the administrator's reset."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.mfa import devices, policy
from members.mfa.remember import cookie_name

from ..test_security import PUBLIC, all_patterns

ROOT = Path(__file__).resolve().parents[2]


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits) computed here, not by django-otp."""
    key = base64.b32decode(secret)
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(int.from_bytes(mac[offset : offset + 4], 'big') & 0x7FFFFFFF) % 10**6:06d}"


@pytest.fixture
def enforced(settings):
    settings.MFA_ENFORCED = True
    return settings


def enrolled(user) -> tuple[str, list[str]]:
    """Enrol `user` as the enrolment page would; returns the secret and recovery codes."""
    device = devices.pending_app_device(user)
    secret = devices.secret_of(device)
    check, codes = devices.confirm_app_device(user, device, totp(secret))
    assert check.device is not None
    return secret, codes


def password_step(client: Client, user, password: str, next_url: str = ""):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def code_step(client: Client, code: str, remember: bool = False):
    data = {"code": code}
    if remember:
        data["remember"] = "on"
    return client.post(reverse("mfa_verify"), data)


def test_who_needs_two_step_login(
    enforced, admin_user, staff_user, auditor_user, county_user, chair_a, officer_a
):
    assert policy.required(admin_user)  # federation admin: exports full IDs
    assert policy.required(staff_user)  # federation staff: approves relief
    assert policy.required(auditor_user)  # federation role: reads the login records
    assert not policy.required(county_user)
    assert not policy.required(chair_a)
    assert not policy.required(officer_a)
    enforced.MFA_EXTRA_ROLES = ["union_staff"]
    assert policy.required(county_user)
    assert not policy.required(chair_a)
    enforced.MFA_ENFORCED = False
    assert not policy.required(admin_user)


def test_a_staff_user_without_a_device_is_sent_to_enrolment_from_every_page(
    enforced, staff_user, as_user
):
    client = as_user(staff_user)
    enrol = reverse("mfa_enrol")
    checked = 0
    for name, pattern in all_patterns():
        if name in PUBLIC or name.startswith("django") or name in {"mfa_enrol", "mfa_verify"}:
            continue
        if name == "logout":
            continue
        kwargs = {k: 1 for k in pattern.pattern.converters}
        for method in (client.get, client.post):
            response = method(reverse(name, kwargs=kwargs))
            assert response.status_code == 302, name
            assert response["Location"].startswith(enrol), name
        checked += 1
    assert checked > 50
    # The Django admin too.
    assert client.get("/operator-admin/")["Location"].startswith(enrol)
    # The enrolment page and logout stay open.
    assert client.get(enrol).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_enforcement_off_lets_the_password_alone_in(settings, staff_user, password):
    settings.MFA_ENFORCED = False
    client = Client()
    assert password_step(client, staff_user, password)["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize(
    "env, enforced",
    [
        ({"DEBUG": "true"}, "False"),
        ({"DEBUG": "false"}, "True"),
        ({"DEBUG": "true", "MFA_ENFORCED": "true"}, "True"),
    ],
)
def test_enforcement_is_on_in_production_and_off_under_debug(env, enforced):
    full = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "unionportal.settings",
        "READ_DOT_ENV_FILE": "false",
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEY": "k",
        **env,
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.MFA_ENFORCED)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == enforced


def test_a_remembered_browser_longer_than_12_hours_is_refused_at_start_up():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "unionportal.settings",
        "READ_DOT_ENV_FILE": "false",
        "DEBUG": "true",
        "MFA_REMEMBER_HOURS": "13",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0 and "MFA_REMEMBER_HOURS" in out.stderr


def test_enrolling_with_a_code_from_the_app_turns_it_on_and_shows_recovery_codes(
    enforced, staff_user, password
):
    client = Client()
    password_step(client, staff_user, password)
    page = client.get(reverse("mfa_enrol"))
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code is drawn here
    secret = re.search(r'data-secret="([A-Z2-7]+)"', html).group(1)
    svg = base64.b64decode(re.search(r"data:image/svg\+xml;base64,([^\"]+)", html).group(1))
    assert svg.startswith(b"<svg") and b"http" not in svg.replace(b"http://www.w3.org", b"")
    # Reloading keeps the same key.
    assert secret in client.get(reverse("mfa_enrol")).content.decode()

    wrong = client.post(reverse("mfa_enrol"), {"code": "000000"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=staff_user, confirmed=True).exists()

    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        done = client.post(reverse("mfa_enrol"), {"code": totp(secret)})
        assert done.status_code == 200
        codes = re.findall(
            r"<li class=\"col\">([a-z2-7]{4}-[a-z2-7]{4})</li>", done.content.decode()
        )
        assert len(codes) == 10
        assert StaticToken.objects.filter(device__user=staff_user).count() == 10
        assert client.get(reverse("dashboard")).status_code == 200
        assert client.get(reverse("members:member_export")).status_code == 200
    assert LogEntry.objects.filter(additional_data__event="account.mfa_enrolled").count() == 1


def test_a_password_login_with_a_device_goes_to_the_code_step_before_any_page(
    enforced, admin_user, password
):
    """security.md B5: log in as exporter without OTP, open /members/export/."""
    secret, _ = enrolled(admin_user)
    client = Client()
    response = password_step(client, admin_user, password)
    assert response["Location"] == reverse("mfa_verify")
    export = client.get(reverse("members:member_export"))
    assert export.status_code == 302 and export["Location"].startswith(reverse("mfa_verify"))
    assert "_auth_user_id" not in client.session  # not logged in yet
    assert not AccessLog.objects.exists()  # no successful login recorded yet

    wrong = code_step(client, "123456" if totp(secret) != "123456" else "654321")
    assert wrong.status_code == 200 and "验证码错误或已过期" in wrong.content.decode()
    assert AccessFailureLog.objects.filter(username="admin").count() == 1

    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        response = client.post(
            reverse("mfa_verify"), {"code": totp(secret), "next": reverse("members:member_export")}
        )
        assert response["Location"] == reverse("members:member_export")
        assert client.get(reverse("members:member_export")).status_code == 200
    assert AccessLog.objects.filter(username="admin").count() == 1


def test_a_code_is_not_accepted_twice(enforced, admin_user, password):
    secret, _ = enrolled(admin_user)
    with time_machine.travel(timezone.now() + timedelta(seconds=60), tick=False):
        code = totp(secret)
        first = Client()
        password_step(first, admin_user, password)
        assert code_step(first, code)["Location"] == reverse("dashboard")
        second = Client()
        password_step(second, admin_user, password)
        assert code_step(second, code).status_code == 200


def test_a_recovery_code_works_once(enforced, staff_user, password):
    _, codes = enrolled(staff_user)
    client = Client()
    password_step(client, staff_user, password)
    response = code_step(client, codes[0].upper()[:4] + "-" + codes[0][4:])
    assert response["Location"] == reverse("dashboard")
    assert "还剩 9 个" in client.get(reverse("dashboard")).content.decode()
    assert StaticToken.objects.filter(device__user=staff_user).count() == 9

    again = Client()
    password_step(again, staff_user, password)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        refused = code_step(again, codes[0])
    assert refused.status_code == 200
    assert "_auth_user_id" not in again.session


def test_five_wrong_codes_lock_the_account_out_like_five_wrong_passwords(
    enforced, staff_user, password
):
    secret, _ = enrolled(staff_user)
    client = Client()
    password_step(client, staff_user, password)
    start = timezone.now()
    statuses = []
    for n in range(5):
        # past django-otp's own back-off (1, 2, 4, 8 s) so every code is checked
        with time_machine.travel(start + timedelta(seconds=20 * (n + 1)), tick=False):
            statuses.append(
                code_step(client, "000000" if totp(secret) != "000000" else "111111").status_code
            )
    assert statuses == [200, 200, 200, 200, 429]
    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        # The right code no longer helps, nor does the password.
        assert code_step(client, totp(secret)).status_code == 429
        assert "_auth_user_id" not in client.session
        assert password_step(Client(), staff_user, password).status_code == 429
    # (the refused password above restarted the 30 minutes)
    with time_machine.travel(start + timedelta(minutes=35), tick=False):
        fresh = Client()
        assert password_step(fresh, staff_user, password)["Location"] == reverse("mfa_verify")
        assert code_step(fresh, totp(secret))["Location"] == reverse("dashboard")


def test_the_code_step_expires_after_five_minutes(enforced, staff_user, password):
    secret, _ = enrolled(staff_user)
    client = Client()
    password_step(client, staff_user, password)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = code_step(client, totp(secret))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_remembered_browser_skips_the_code_for_12_hours_and_not_after(
    enforced, staff_user, password
):
    secret, _ = enrolled(staff_user)
    client = Client()
    password_step(client, staff_user, password)
    response = code_step(client, totp(secret, time.time() + 30), remember=True)
    cookie = response.cookies[cookie_name()]
    assert 0 < int(cookie["max-age"]) <= 12 * 3600
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    client.post(reverse("logout"))

    with time_machine.travel(timezone.now() + timedelta(hours=11, minutes=50)):
        response = password_step(client, staff_user, password)
        assert response["Location"] == reverse("dashboard")
        assert client.get(reverse("members:member_export")).status_code == 200
        client.post(reverse("logout"))
    with time_machine.travel(timezone.now() + timedelta(hours=12, minutes=1)):
        # The browser would have dropped it; a kept copy is refused by its signed time.
        assert password_step(client, staff_user, password)["Location"] == reverse("mfa_verify")


def test_a_remembered_browser_is_bound_to_the_account_and_its_device(
    enforced, staff_user, admin_user, password
):
    staff_secret, _ = enrolled(staff_user)
    enrolled(admin_user)
    client = Client()
    password_step(client, staff_user, password)
    code_step(client, totp(staff_secret, time.time() + 30), remember=True)
    client.post(reverse("logout"))
    # Another account on the same browser still needs its code.
    assert password_step(client, admin_user, password)["Location"] == reverse("mfa_verify")
    client.post(reverse("logout"))
    # A tampered cookie is ignored.
    value = client.cookies[cookie_name()].value
    client.cookies[cookie_name()] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert password_step(client, staff_user, password)["Location"] == reverse("mfa_verify")
    client.cookies[cookie_name()] = value
    client.post(reverse("logout"))
    # A new device (after a reset and a new enrolment) ends it.
    TOTPDevice.objects.filter(user=staff_user).delete()
    enrolled(staff_user)
    assert password_step(client, staff_user, password)["Location"] == reverse("mfa_verify")


def logged_in_with_code(user, password: str, secret: str) -> Client:
    client = Client()
    password_step(client, user, password)
    assert code_step(client, totp(secret, time.time() + 30))["Location"] == reverse("dashboard")
    return client


def test_an_administrator_resets_a_lost_device_and_it_is_audited(
    enforced, admin_user, staff_user, password
):
    staff = logged_in_with_code(staff_user, password, enrolled(staff_user)[0])
    staff_key = staff.session.session_key
    admin = logged_in_with_code(admin_user, password, enrolled(admin_user)[0])

    detail = admin.get(reverse("members:account_detail", args=[staff_user.pk]))
    assert "重置两步验证" in detail.content.decode()
    response = admin.post(reverse("members:account_reset_two_step", args=[staff_user.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff_user).exists()
    assert not StaticDevice.objects.filter(user=staff_user).exists()
    assert not Session.objects.filter(session_key=staff_key).exists()
    assert staff.get(reverse("dashboard"))["Location"].startswith(reverse("login"))
    entry = LogEntry.objects.get(additional_data__event="account.mfa_reset")
    assert entry.actor == admin_user and entry.object_pk == str(staff_user.pk)
    assert entry.additional_data["devices_removed"] == 2
    # The next login enrols again.
    client = Client()
    assert password_step(client, staff_user, password)["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("mfa_enrol"))


def test_only_a_federation_administrator_resets_a_federation_account(
    admin_user, staff_user, city, as_user
):
    from members.models import RoleName

    from ..conftest import _persona

    enrolled(staff_user)
    city_union_staff = _persona("city_union_staff", city.city, RoleName.UNION_STAFF)
    county = _persona("county_staff", city.county_a, RoleName.UNION_STAFF)
    assert not devices.may_reset(city_union_staff, staff_user)
    assert devices.may_reset(admin_user, staff_user)
    response = as_user(city_union_staff).post(
        reverse("members:account_reset_two_step", args=[staff_user.pk])
    )
    assert response.status_code == 403
    # Out of scope answers 404.
    response = as_user(county).post(reverse("members:account_reset_two_step", args=[staff_user.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=staff_user).exists()


def test_a_one_time_password_is_changed_after_the_second_step_without_a_loop(
    enforced, staff_user, password
):
    staff_user.must_change_password = True
    staff_user.save()
    client = Client()
    password_step(client, staff_user, password)
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("mfa_enrol"))
    assert client.get(reverse("password_change"))["Location"].startswith(reverse("mfa_enrol"))
    assert client.get(reverse("mfa_enrol")).status_code == 200
    secret = devices.secret_of(TOTPDevice.objects.get(user=staff_user))
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        assert client.post(reverse("mfa_enrol"), {"code": totp(secret)}).status_code == 200
    assert client.get(reverse("dashboard"))["Location"] == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200


def test_the_own_two_step_page_makes_new_recovery_codes(enforced, staff_user, password):
    secret, old_codes = enrolled(staff_user)
    client = logged_in_with_code(staff_user, password, secret)
    page = client.get(reverse("mfa_settings"))
    assert "还剩 10 个恢复码" in page.content.decode()
    fresh = client.post(reverse("mfa_settings"), {"action": "new_codes"})
    codes = re.findall(r"<li class=\"col\">([a-z2-7]{4}-[a-z2-7]{4})</li>", fresh.content.decode())
    assert len(codes) == 10
    tokens = set(
        StaticToken.objects.filter(device__user=staff_user).values_list("token", flat=True)
    )
    assert not tokens & set(old_codes)


@pytest.mark.parametrize("debug", [True, False])
def test_demo_accounts_are_pre_enrolled_with_the_published_secret_only_under_debug(
    settings, debug, admin_user, chair_a
):
    from members import demo

    settings.DEBUG = debug
    assert demo.seed_two_step([admin_user, chair_a]) == (1 if debug else 0)
    device = TOTPDevice.objects.filter(user=admin_user).first()
    if debug:
        assert devices.secret_of(device) == devices.DEMO_SECRET
        grouped = " ".join(re.findall("....", devices.DEMO_SECRET))
        assert grouped in (ROOT / "README.md").read_text()  # the published key
        assert not TOTPDevice.objects.filter(user=chair_a).exists()
    else:
        assert device is None


def test_a_misspelt_extra_role_fails_the_system_check(settings):
    settings.MFA_EXTRA_ROLES = ["union_staf"]
    assert [e.id for e in policy.check_extra_roles()] == ["members.E001"]
    settings.MFA_EXTRA_ROLES = ["union_staff", ""]
    assert policy.check_extra_roles() == []
