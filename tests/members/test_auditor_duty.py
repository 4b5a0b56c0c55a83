"""Separation of duties (security.md D7): the auditor role is held alone, and is granted or
removed by one federation administrator and confirmed by a second; a portal with a single
administrator grants its first auditor through an operator command. All of it is audited."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from members import access
from members.models import Role, RoleName, User
from tests.factories import RoleFactory, UserFactory


@pytest.fixture
def admin2(city):
    user = UserFactory(username="admin2", organisation=city.city)
    RoleFactory(user=user, organisation=city.city, role=RoleName.FEDERATION_ADMIN)
    return user


def grant(client, account, org, role=RoleName.AUDITOR):
    return client.post(
        reverse("members:role_grant", args=[account.pk]),
        {"organisation": org.pk, "role": role, "active_from": "2026-01-01"},
    )


def events(name):
    return LogEntry.objects.filter(additional_data__event=name)


def reads_the_log(user) -> bool:
    user = User.objects.get(pk=user.pk)
    return access.can(user, "audit.read")


def test_an_auditor_grant_waits_for_a_second_administrator(city, admin_user, admin2, as_user):
    account = User.objects.create(username="aud1", organisation=city.city)
    first = as_user(admin_user)
    assert grant(first, account, city.city).status_code == 302
    role = Role.objects.get(user=account, role=RoleName.AUDITOR)
    assert not reads_the_log(account)  # not in force yet
    page = first.get(reverse("members:account_detail", args=[account.pk])).content.decode()
    assert f'data-testid="waiting-role-{role.pk}"' in page

    first.post(reverse("members:role_confirm", args=[role.pk]))  # the same admin: refused
    assert not reads_the_log(account)
    as_user(admin2).post(reverse("members:role_confirm", args=[role.pk]))
    assert reads_the_log(account)
    role.refresh_from_db()
    assert role.confirmed_by == admin2
    assert events("role.auditor_requested").get().actor == admin_user
    assert events("role.auditor_confirmed").get().actor == admin2


def test_an_admin_cannot_make_itself_auditor(city, admin_user, as_user):
    """The incident of the issue: an administrator granted itself the auditor role."""
    response = grant(as_user(admin_user), admin_user, city.city)
    assert response.status_code == 200
    assert "单独持有" in response.content.decode()
    assert not Role.objects.filter(user=admin_user, role=RoleName.AUDITOR).exists()


def test_an_auditor_takes_no_other_role(city, admin_user, auditor_user, as_user):
    response = grant(as_user(admin_user), auditor_user, city.city, RoleName.FEDERATION_STAFF)
    assert response.status_code == 200
    assert not Role.objects.filter(user=auditor_user, role=RoleName.FEDERATION_STAFF).exists()


def test_removing_an_auditor_needs_a_second_administrator(
    city, admin_user, admin2, auditor_user, as_user
):
    role = Role.objects.get(user=auditor_user, role=RoleName.AUDITOR)
    as_user(admin_user).post(reverse("members:role_end", args=[role.pk]))
    assert reads_the_log(auditor_user)  # still in force
    as_user(admin_user).post(reverse("members:role_confirm", args=[role.pk]))  # refused
    assert reads_the_log(auditor_user)
    as_user(admin2).post(reverse("members:role_confirm", args=[role.pk]))
    assert not reads_the_log(auditor_user)
    assert events("role.auditor_removal_requested").get().actor == admin_user
    assert events("role.auditor_removal_confirmed").get().actor == admin2


def test_the_operator_grants_the_first_auditor_and_only_the_first(city, admin_user):
    account = User.objects.create(username="aud2", organisation=city.city)
    call_command("grant_first_auditor", "aud2")
    assert reads_the_log(account)
    assert events("role.first_auditor").get().additional_data["account"] == "aud2"
    User.objects.create(username="aud3", organisation=city.city)
    with pytest.raises(CommandError, match="already"):
        call_command("grant_first_auditor", "aud3")


def test_a_chair_cannot_confirm(city, admin_user, chair_a, as_user):
    account = User.objects.create(username="aud4", organisation=city.city)
    grant(as_user(admin_user), account, city.city)
    role = Role.objects.get(user=account, role=RoleName.AUDITOR)
    response = as_user(chair_a).post(reverse("members:role_confirm", args=[role.pk]))
    assert response.status_code == 404
    assert not reads_the_log(account)
