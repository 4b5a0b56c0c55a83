"""members 0006: an employee figure of 0 where the union has members was never reported and
becomes NULL; a 0 without members stays; backwards, NULL is 0 again. Run on the historical
models inside the test's transaction (PostgreSQL rolls the schema back too)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

BEFORE = [("members", "0005_phone_landline")]
AFTER = [("members", "0006_employees_not_reported")]


def migrate(target):
    with connection.cursor() as cursor:  # no deferred checks pending before an ALTER TABLE
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def figures(apps, *orgs):
    Organisation = apps.get_model("members", "Organisation")
    rows = Organisation.objects.in_bulk([o.pk for o in orgs])
    return [(rows[o.pk].employees, rows[o.pk].migrant_employees) for o in orgs]


def test_zero_employees_of_a_union_with_members_becomes_not_reported(city):
    MemberFactory(organisation=city.branch_a, is_migrant=True)  # members in a branch count
    MemberFactory(organisation=city.union_b, is_migrant=False)
    apps = migrate(BEFORE)
    Organisation = apps.get_model("members", "Organisation")
    Organisation.objects.filter(pk__in=[city.union_a.pk, city.union_b.pk]).update(
        employees=0, migrant_employees=0
    )
    spare = Organisation.objects.get(pk=city.county_b.pk)  # 0 and nobody: stays 0
    Organisation.objects.filter(pk=city.branch_b.pk).update(employees=0, migrant_employees=0)
    apps = migrate(AFTER)
    assert figures(apps, city.union_a, city.union_b, city.branch_b) == [
        (None, None),  # members, a migrant among them
        (None, 0),  # members, no migrant: 0 migrants may be true
        (0, 0),  # no members
    ]
    assert spare.employees == figures(apps, city.county_b)[0][0]
    apps = migrate(BEFORE)
    assert figures(apps, city.union_a, city.union_b) == [(0, 0), (0, 0)]
    migrate(AFTER)
