"""Welfare fixtures: the seeded rule tables (re-seeded after transactional tests flush them),
a member of union A with a second chair and staff member for the four-eyes rule."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from members.models import RoleName
from tests.factories import MemberFactory, RoleFactory, UserFactory
from welfare import services

defaults = importlib.import_module("welfare.migrations.0002_rule_defaults")


@pytest.fixture(autouse=True)
def rules(db):
    defaults.seed(apps, None)


@pytest.fixture
def member_a(city):
    return MemberFactory(organisation=city.union_a)


@pytest.fixture
def staff2(city):
    user = UserFactory(username="staff2", organisation=city.city)
    RoleFactory(user=user, organisation=city.city, role=RoleName.FEDERATION_STAFF)
    return user


def on_notice(member, chair, reviewer, *, kind="temporary", amount="1000", today=None, **kw):
    """An application submitted by `chair`, reviewed by `reviewer`, put on notice."""
    today = today or date(2026, 3, 2)
    app = services.relief_create(
        actor=chair,
        member=member,
        kind=kind,
        reason="大病住院",
        amount_requested=Decimal(amount),
        today=today,
        **kw,
    )
    app = services.relief_submit(actor=chair, application=app, home_visit="已入户走访")
    app = services.relief_review(
        actor=reviewer, application=app, income_verification="民政核对：家庭收入属实"
    )
    return services.relief_start_notice(actor=reviewer, application=app, today=today)
