"""Personas and the city they work in (style.md rule 11).

city federation (admin, staff, auditor)
├── county A federation (county: union staff)
│   └── union A (chair A, officer A) ── branch A
└── county B federation
    └── union B (chair B) ── branch B
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from members.models import FederationLevel, Organisation, OrgKind, RoleName, User

from .factories import PASSWORD, OrganisationFactory, RoleFactory, UserFactory
from .plugin_strict import transactional

# --- The city ------------------------------------------------------------------------------


@dataclass
class City:
    city: Organisation
    county_a: Organisation
    county_b: Organisation
    union_a: Organisation
    union_b: Organisation
    branch_a: Organisation
    branch_b: Organisation


@pytest.fixture
def city(db) -> City:
    root = OrganisationFactory(
        kind=OrgKind.FEDERATION, level=FederationLevel.CITY, name="宜昌市总工会", uscc=""
    )
    county_a = OrganisationFactory(
        parent=root,
        kind=OrgKind.FEDERATION,
        level=FederationLevel.COUNTY,
        name="西陵区总工会",
        uscc="",
    )
    county_b = OrganisationFactory(
        parent=root,
        kind=OrgKind.FEDERATION,
        level=FederationLevel.COUNTY,
        name="夷陵区总工会",
        uscc="",
    )
    union_a = OrganisationFactory(parent=county_a, name="甲公司工会委员会")
    union_b = OrganisationFactory(parent=county_b, name="乙公司工会委员会")
    branch_a = OrganisationFactory(
        parent=union_a, kind=OrgKind.BRANCH, name="甲公司车间分会", uscc=""
    )
    branch_b = OrganisationFactory(
        parent=union_b, kind=OrgKind.BRANCH, name="乙公司车间分会", uscc=""
    )
    return City(
        *(
            Organisation.objects.get(pk=o.pk)
            for o in (root, county_a, county_b, union_a, union_b, branch_a, branch_b)
        )
    )


def _persona(username: str, org: Organisation, role: str) -> User:
    user = UserFactory(username=username, organisation=org)
    RoleFactory(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def admin_user(city) -> User:
    return _persona("admin", city.city, RoleName.FEDERATION_ADMIN)


@pytest.fixture
def staff_user(city) -> User:
    return _persona("staff", city.city, RoleName.FEDERATION_STAFF)


@pytest.fixture
def auditor_user(city) -> User:
    return _persona("auditor", city.city, RoleName.AUDITOR)


@pytest.fixture
def county_user(city) -> User:
    return _persona("county", city.county_a, RoleName.UNION_STAFF)


@pytest.fixture
def chair_a(city) -> User:
    return _persona("chair_a", city.union_a, RoleName.BRANCH_CHAIR)


@pytest.fixture
def officer_a(city) -> User:
    return _persona("officer_a", city.union_a, RoleName.BRANCH_OFFICER)


@pytest.fixture
def chair_b(city) -> User:
    return _persona("chair_b", city.union_b, RoleName.BRANCH_CHAIR)


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    # The absolute session timeout needs the login time that a real login records.
    import time

    session = client.session
    session["login_at"] = time.time()
    session.save()
    return client


@pytest.fixture
def as_user():
    """as_user(user) -> a test client logged in as that user."""
    return login


@pytest.fixture
def password() -> str:
    return PASSWORD


# --- The test database ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test database, with the migrations' rows kept where every connection finds them.

    Serialized rollback (below) reloads the rows Django serialized when it created the
    database, which it keeps on that connection object. Once Playwright's sync API has started,
    the browser journeys run in a context of their own, where Django opens another connection
    object (connections are context-local), without them: the journeys would find the honour
    kinds and rule tables gone after the first flush. Keep them on the backend's class too.
    """
    from django.db import connections

    classes = []
    for conn in connections.all(initialized_only=True):
        contents = conn.__dict__.get("_test_serialized_contents")
        if contents is not None:
            type(conn)._test_serialized_contents = contents
            classes.append(type(conn))
    yield
    for cls in classes:
        del cls._test_serialized_contents


# --- Browser journeys ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser (style.md rule 15)."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # pytest-django runs tests marked django_db before the transactional ones (whose flush
    # empties the tables, seeded rule defaults included) only when it sees the marker: give it
    # to every test that reaches the database through a fixture alone.
    for item in items:
        if "db" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db)
    # A transactional test (browser journeys, concurrency, the worker) ends by flushing every
    # table, the rows the data migrations seeded included (honour kinds, rule tables, KPI
    # targets): the next transactional test would miss them. Serialized rollback puts them back
    # before each one, whatever ran before it (Django's answer for migrations' data).
    for item in items:
        if transactional(item):
            marker = item.get_closest_marker("django_db")
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
            item.add_marker(pytest.mark.django_db(**kwargs, serialized_rollback=True), append=False)
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(chromium):
        skip = pytest.mark.skip(reason=f"no chromium at {chromium} (CI installs Debian's)")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)
