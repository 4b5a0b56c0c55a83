"""The membership history on the demo city: every organisation's snapshot for each of the
last 12 months agrees with a raw SQL count over the history, and the backfill migration,
run again on the demo's records, gives back the same history (the counts for today agree with
the register before and after)."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from members.models import Member, MembershipSpell, MemberStatus
from unionportal.reporting.models import StatSnapshot
from unionportal.reporting.rollup import month_window, months_back

pytestmark = pytest.mark.django_db

FIGURES = ("members", "women_members", "migrant_members", "retained_members", "new_members")

# Per organisation, its whole subtree, as of the window's end: written here in SQL against
# the tables, not through the stats module the rollup uses.
RAW = """
SELECT a.id,
       COUNT(s.id) FILTER (WHERE s.status = 'active' AND {held}),
       COUNT(s.id) FILTER (WHERE s.status = 'active' AND {held} AND s.gender = 'F'),
       COUNT(s.id) FILTER (WHERE s.status = 'active' AND {held} AND s.is_migrant),
       COUNT(s.id) FILTER (WHERE s.status = 'retained' AND {held}),
       COUNT(s.id) FILTER (WHERE s.started_by = 'join' AND s.valid_from BETWEEN %(start)s
                                                                          AND %(end)s)
FROM members_organisation a
JOIN members_organisation o ON substr(o.path, 1, length(a.path)) = a.path
LEFT JOIN members_membershipspell s ON s.organisation_id = o.id
WHERE a.active
GROUP BY a.id
""".format(held="s.valid_from <= %(end)s AND (s.valid_to IS NULL OR s.valid_to > %(end)s)")


def raw_counts(start, end) -> dict[int, tuple]:
    sql = RAW  # FILTER: PostgreSQL, and SQLite since 3.30
    with connection.cursor() as cursor:
        cursor.execute(sql, {"start": start, "end": end})
        return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in cursor.fetchall()}


def today_by_union() -> dict:
    """Today's register: active and retained members per union."""
    out: dict = {}
    for org, status in Member.objects.filter(
        status__in=(MemberStatus.ACTIVE, MemberStatus.RETAINED)
    ).values_list("organisation_id", "status"):
        out[(org, status)] = out.get((org, status), 0) + 1
    return out


def spells_today() -> dict:
    from django.utils import timezone

    out: dict = {}
    for org, status in MembershipSpell.objects.at(timezone.localdate()).values_list(
        "organisation_id", "status"
    ):
        out[(org, status)] = out.get((org, status), 0) + 1
    return out


def test_the_demo_history_agrees_with_its_snapshots_and_survives_the_backfill():
    call_command("seed_demo", "--allow-demo-passwords", stdout=open("/dev/null", "w"))
    # The demo has a past that differs from today: people who left or retired in the year.
    assert MembershipSpell.objects.filter(valid_to__isnull=False).count() > 500

    months = months_back(12)
    checked = 0
    for month in months:
        start, end = month_window(month)
        raw = raw_counts(start, end)
        snaps = {
            s.organisation_id: tuple(getattr(s, f) for f in FIGURES)
            for s in StatSnapshot.objects.filter(month=month)
        }
        assert snaps.keys() == raw.keys(), month
        for org, figures in raw.items():
            assert snaps[org] == figures, (month, org)
            checked += 1
    assert checked >= 12 * 50
    # the city's count moves over the year (the past is not today's register)
    city_members = [
        StatSnapshot.objects.get(organisation__depth=1, month=m).members for m in months
    ]
    assert len(set(city_members)) > 1

    # The backfill migration, run with the historical models on the demo's records.
    before = set(
        MembershipSpell.objects.values_list(
            "member_id", "organisation_id", "status", "valid_from", "valid_to", "started_by"
        )
    )
    register = today_by_union()
    assert spells_today() == register
    MembershipSpell.objects.all().delete()
    migration = importlib.import_module("members.migrations.0004_backfill_membership_history")
    state = MigrationLoader(connection).project_state(
        ("members", "0004_backfill_membership_history")
    )
    migration.forwards(state.apps, None)
    after = set(
        MembershipSpell.objects.values_list(
            "member_id", "organisation_id", "status", "valid_from", "valid_to", "started_by"
        )
    )
    assert spells_today() == register
    assert after == before
