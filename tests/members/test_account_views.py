"""Accounts and roles in the portal: create, first login, reset, deactivate, grant, end."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from members.models import Role, RoleName, User

pytestmark = pytest.mark.django_db


def one_time_password(response) -> str:
    page = response.content.decode()
    start = page.index('data-testid="one-time-password">') + len('data-testid="one-time-password">')
    return page[start : page.index("<", start)]


def test_a_county_officer_creates_an_account_with_a_one_time_password(city, county_user, as_user):
    response = as_user(county_user).post(
        reverse("members:account_create"),
        {
            "username": "newchair",
            "full_name": "孙丽",
            "email": "",
            "organisation": city.union_a.pk,
        },
    )
    assert response.status_code == 200
    password = one_time_password(response)
    account = User.objects.get(username="newchair")
    assert account.must_change_password and account.check_password(password)
    assert response["Cache-Control"].count("no-store")


def test_the_first_login_must_change_the_password(city, county_user, as_user):
    response = as_user(county_user).post(
        reverse("members:account_create"),
        {
            "username": "newchair",
            "full_name": "孙丽",
            "organisation": city.union_a.pk,
        },
    )
    password = one_time_password(response)
    client = Client()
    client.post(reverse("login"), {"username": "newchair", "password": password})
    assert client.get(reverse("dashboard"))["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Plum-Blossom-7421",
            "new_password2": "Plum-Blossom-7421",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert not User.objects.get(username="newchair").must_change_password


def test_an_account_outside_the_managers_subtree_cannot_be_created(city, county_user, as_user):
    response = as_user(county_user).post(
        reverse("members:account_create"),
        {"username": "intruder", "full_name": "外人", "organisation": city.union_b.pk},
    )
    assert response.status_code == 200  # the form refuses the organisation
    assert not User.objects.filter(username="intruder").exists()


def test_a_chair_cannot_manage_accounts(city, chair_a, as_user):
    assert as_user(chair_a).get(reverse("members:account_list")).status_code == 403
    assert as_user(chair_a).get(reverse("members:account_create")).status_code == 403


def test_the_account_list_shows_only_the_subtree(city, county_user, chair_a, chair_b, as_user):
    page = as_user(county_user).get(reverse("members:account_list")).content.decode()
    assert "chair_a" in page and "chair_b" not in page


def test_another_countys_account_is_404(city, county_user, chair_b, as_user):
    client = as_user(county_user)
    assert client.get(reverse("members:account_detail", args=[chair_b.pk])).status_code == 404
    assert client.post(reverse("members:account_deactivate", args=[chair_b.pk])).status_code == 404
    assert User.objects.get(pk=chair_b.pk).is_active


def test_granting_a_chair_role_in_the_subtree(city, county_user, as_user):
    account = User.objects.create(username="x1", organisation=city.union_a)
    response = as_user(county_user).post(
        reverse("members:role_grant", args=[account.pk]),
        {
            "organisation": city.union_a.pk,
            "role": RoleName.BRANCH_CHAIR,
            "active_from": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assert account.roles.current().get().role == RoleName.BRANCH_CHAIR


def test_union_staff_cannot_grant_a_federation_role(city, county_user, as_user):
    account = User.objects.create(username="x2", organisation=city.county_a)
    response = as_user(county_user).post(
        reverse("members:role_grant", args=[account.pk]),
        {
            "organisation": city.county_a.pk,
            "role": RoleName.FEDERATION_ADMIN,
            "active_from": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert not account.roles.exists()


def test_a_role_cannot_be_held_at_the_wrong_kind_of_organisation(city, admin_user, as_user):
    account = User.objects.create(username="x3", organisation=city.union_a)
    as_user(admin_user).post(
        reverse("members:role_grant", args=[account.pk]),
        {
            "organisation": city.union_a.pk,
            "role": RoleName.FEDERATION_STAFF,
            "active_from": "2026-01-01",
        },
    )
    assert not account.roles.exists()


def test_ending_a_role_takes_effect_on_the_next_request(city, county_user, chair_a, as_user):
    chair = as_user(chair_a)
    assert chair.get(city.union_a.get_absolute_url()).status_code == 200
    role = chair_a.roles.get()
    as_user(county_user).post(reverse("members:role_end", args=[role.pk]))
    assert chair.get(city.union_a.get_absolute_url()).status_code == 404
    assert Role.objects.filter(pk=role.pk, active_to__isnull=False).exists()


def test_deactivating_ends_the_accounts_sessions(city, county_user, chair_a, password):
    chair = Client()
    chair.post(reverse("login"), {"username": "chair_a", "password": password})
    assert chair.get(reverse("dashboard")).status_code == 200
    manager = Client()
    manager.force_login(county_user)
    session = manager.session
    session["login_at"] = __import__("time").time()
    session.save()
    before = Session.objects.count()
    manager.post(reverse("members:account_deactivate", args=[chair_a.pk]))
    assert Session.objects.count() == before - 1
    assert chair.get(reverse("dashboard"))["Location"].startswith(reverse("login"))


def test_resetting_a_password_logs_the_user_out_and_forces_a_change(
    city, county_user, chair_a, password, as_user
):
    chair = Client()
    chair.post(reverse("login"), {"username": "chair_a", "password": password})
    response = as_user(county_user).post(
        reverse("members:account_reset_password", args=[chair_a.pk])
    )
    new_password = one_time_password(response)
    assert chair.get(reverse("dashboard")).status_code == 302
    chair.post(reverse("login"), {"username": "chair_a", "password": new_password})
    assert chair.get(reverse("dashboard"))["Location"] == reverse("password_change")


def test_a_manager_cannot_deactivate_themselves(city, county_user, as_user):
    as_user(county_user).post(reverse("members:account_deactivate", args=[county_user.pk]))
    assert User.objects.get(pk=county_user.pk).is_active


@pytest.mark.parametrize(
    "name", ["account_reset_password", "account_deactivate", "account_activate"]
)
def test_account_actions_refuse_get(city, county_user, chair_a, as_user, name):
    url = reverse(f"members:{name}", args=[chair_a.pk])
    assert as_user(county_user).get(url).status_code == 405


def test_ending_a_role_refuses_get(city, county_user, chair_a, as_user):
    url = reverse("members:role_end", args=[chair_a.roles.get().pk])
    assert as_user(county_user).get(url).status_code == 405
