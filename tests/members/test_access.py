"""The one scoping function: who sees which organisations."""

from datetime import date

import pytest

from members import access, services
from members.models import Organisation, RoleName

pytestmark = pytest.mark.django_db


def names(user):
    return set(access.organisations_in_scope(user).values_list("name", flat=True))


def test_a_federation_admin_sees_the_whole_city(city, admin_user):
    assert len(names(admin_user)) == Organisation.objects.count()


def test_a_county_officer_sees_the_county_subtree_only(city, county_user):
    assert names(county_user) == {"西陵区总工会", "甲公司工会委员会", "甲公司车间分会"}


def test_a_chair_sees_their_union_and_its_branches(city, chair_a):
    assert names(chair_a) == {"甲公司工会委员会", "甲公司车间分会"}


def test_the_auditor_sees_no_union_data(city, auditor_user):
    assert names(auditor_user) == set()
    assert access.can(auditor_user, "audit.read")


def test_an_ended_role_stops_at_once(city, chair_a):
    role = chair_a.roles.get()
    services.role_end(actor=None, role=role)
    access.forget_roles(chair_a)
    assert names(chair_a) == set()


def test_a_role_that_starts_tomorrow_does_not_count_yet(city, chair_a):
    chair_a.roles.update(active_from=date(2999, 1, 1))
    assert names(chair_a) == set()


def test_capabilities_follow_the_role_table(city, chair_a, officer_a, county_user, staff_user):
    assert access.can(chair_a, "member.reveal", city.union_a)
    assert not access.can(officer_a, "member.reveal", city.union_a)
    assert not access.can(officer_a, "member.delete", city.union_a)
    assert access.can(county_user, "organisation.manage", city.union_a)
    assert not access.can(county_user, "organisation.manage", city.union_b)
    assert not access.can(staff_user, "organisation.manage", city.union_a)
    assert not access.can(chair_a, "member.edit", city.union_b)


def test_union_staff_cannot_grant_federation_roles(city, county_user, admin_user):
    assert RoleName.FEDERATION_ADMIN not in access.grantable_roles(county_user, city.county_a)
    assert RoleName.BRANCH_CHAIR in access.grantable_roles(county_user, city.union_a)
    assert RoleName.FEDERATION_ADMIN in access.grantable_roles(admin_user, city.city)
    assert access.grantable_roles(county_user, city.union_b) == []
