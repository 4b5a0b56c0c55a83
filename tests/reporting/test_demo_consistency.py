"""The demo city's KPIs from records: for every active organisation, in this month and in a
past one, each KPI's numerator and denominator in the statistics snapshot equals an aggregate
written here in SQL against the tables (not through the stats modules the rollup uses), and the
rate shown is that fraction to one decimal, or no rate where the denominator is zero (or, for
the establishment rate, where no territorial union has an accepted figure in force)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from unionportal.reporting.indicators import KPIS
from unionportal.reporting.models import StatSnapshot
from unionportal.reporting.rollup import month_window, months_back

pytestmark = pytest.mark.django_db

# Every organisation `a` with every organisation `o` of its subtree (itself included).
SUBTREE = """
FROM members_organisation a
JOIN members_organisation o ON substr(o.path, 1, length(a.path)) = a.path
"""

LIVE = "(x.ended_on IS NULL OR x.ended_on > %(end)s)"
CARDS = f"""
SELECT a.id,
       COUNT(x.id) FILTER (WHERE {LIVE}),
       COUNT(x.id) FILTER (WHERE {LIVE} AND x.activated_on <= %(end)s)
{SUBTREE}
LEFT JOIN members_servicecard x ON x.organisation_id = o.id AND x.issued_on <= %(end)s
WHERE a.active GROUP BY a.id
"""

DUES = f"""
SELECT a.id,
       COALESCE(SUM(x.amount), 0),
       COALESCE(SUM(x.amount) FILTER (WHERE x.paid_on <= %(end)s), 0)
{SUBTREE}
LEFT JOIN members_duesrecord x ON x.organisation_id = o.id
      AND x.month >= %(first)s AND x.month <= %(end)s
WHERE a.active GROUP BY a.id
"""

ANSWERED = "x.answered_on IS NOT NULL AND x.answered_on <= %(end)s"
MOTIONS = f"""
SELECT a.id,
       COUNT(x.id),
       COUNT(x.id) FILTER (WHERE {ANSWERED}),
       COUNT(x.id) FILTER (WHERE {ANSWERED} AND x.verdict <> ''),
       COUNT(x.id) FILTER (WHERE {ANSWERED} AND x.verdict IN ('satisfied', 'basically'))
{SUBTREE}
LEFT JOIN congress_motion x ON x.organisation_id = o.id
      AND x.submitted_on >= %(jan1)s AND x.submitted_on <= %(end)s
      AND x.status IN ('filed', 'assigned', 'answered', 'reopened', 'closed')
WHERE a.active GROUP BY a.id
"""

# A grassroots union `g` standing at the window's end (founded by then, not yet dissolved).
STANDING = """g.kind IN ('grassroots', 'joint_grassroots')
      AND (g.founded_on IS NULL OR g.founded_on <= %(end)s)
      AND (g.active OR g.dissolved_on > %(end)s)"""
UNIONS = f"""
SELECT a.id,
       COALESCE(SUM(g.employers_covered), 0),
       COALESCE(SUM(g.employees), 0),
       COUNT(g.id) FILTER (WHERE g.employees IS NULL),
       COALESCE(SUM(g.migrant_employees), 0),
       COUNT(g.id) FILTER (WHERE g.migrant_employees IS NULL)
FROM members_organisation a
LEFT JOIN members_organisation g ON substr(g.path, 1, length(a.path)) = a.path AND {STANDING}
WHERE a.active GROUP BY a.id
"""

# Active members at the end, counted where their grassroots union reported the figure.
HELD = "x.valid_from <= %(end)s AND (x.valid_to IS NULL OR x.valid_to > %(end)s)"
COUNTED_MEMBERS = f"""
SELECT a.id,
       COUNT(x.id) FILTER (WHERE g.employees IS NOT NULL),
       COUNT(x.id) FILTER (WHERE x.is_migrant AND g.migrant_employees IS NOT NULL)
{SUBTREE}
LEFT JOIN members_membershipspell x ON x.organisation_id = o.id AND {HELD} AND x.status = 'active'
LEFT JOIN members_organisation g ON substr(o.path, 1, length(g.path)) = g.path AND {STANDING}
WHERE a.active GROUP BY a.id
"""

# Each county, township or park union's latest accepted figure for a quarter begun by the end.
TERRITORIAL = (
    "(o.kind = 'federation' AND o.level = 'county') OR o.kind IN ('township_union', 'park_union')"
)
WITHOUT_UNION = f"""
SELECT a.id, COALESCE(SUM(f.n), 0), COUNT(f.n)
{SUBTREE}
LEFT JOIN LATERAL (
    SELECT r.employers_without_union AS n
    FROM reporting_quarterlyreport r JOIN reporting_reportperiod p ON p.id = r.period_id
    WHERE r.organisation_id = o.id AND r.status = 'accepted'
      AND r.employers_without_union IS NOT NULL AND p.starts_on <= %(end)s
    ORDER BY p.ends_on DESC LIMIT 1
) f ON {TERRITORIAL}
WHERE a.active GROUP BY a.id
"""

COLUMNS = {
    UNIONS: (
        "employers_with_union",
        "employees",
        "unions_without_employees",
        "migrant_employees",
        "unions_without_migrant_employees",
    ),
    COUNTED_MEMBERS: ("members_counted", "migrant_members_counted"),
    WITHOUT_UNION: ("employers_without_union", "territories_reporting"),
    CARDS: ("cards_valid", "cards_active"),
    DUES: ("dues_expected", "dues_collected"),
    MOTIONS: ("motions_filed", "motions_answered", "motions_feedback", "motions_satisfied"),
}


def raw(sql: str, start: date, end: date) -> dict[int, tuple]:
    params = {
        "start": start,
        "end": end,
        "first": start.replace(day=1),
        "jan1": date(end.year, 1, 1),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def expected_rate(num, den) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def as_number(value):
    return Decimal(value).quantize(Decimal("0.01")) if isinstance(value, Decimal) else value


def test_every_kpi_of_every_demo_organisation_agrees_with_raw_sql():
    call_command("seed_demo", "--allow-demo-passwords", stdout=open("/dev/null", "w"))
    months = months_back(12)
    checked = 0
    for month in (months[-1], months[-5]):
        start, end = month_window(month)
        snaps = {s.organisation_id: s for s in StatSnapshot.objects.filter(month=month)}
        assert len(snaps) > 50
        # the demo exercises both sides: figures in force, and joint unions of several employers
        assert any(s.territories_reporting for s in snaps.values())
        assert any(s.employers_with_union > s.unions for s in snaps.values())
        for sql, columns in COLUMNS.items():
            rows = raw(sql, start, end)
            assert rows.keys() == snaps.keys(), (month, columns)
            for org, values in rows.items():
                got = tuple(as_number(getattr(snaps[org], c)) for c in columns)
                want = tuple(as_number(v) for v in values)
                assert got == want, (month, org, columns)
                checked += 1
        for kpi in KPIS:
            for snap in snaps.values():
                num = getattr(snap, kpi.numerator)
                den = getattr(snap, kpi.denominator) + (
                    getattr(snap, kpi.denominator_plus) if kpi.denominator_plus else 0
                )
                known = not kpi.requires or getattr(snap, kpi.requires)
                want = expected_rate(num, den) if known else None
                assert kpi.rate(snap) == want, (month, kpi.code, snap)
    assert checked > 6 * 50
