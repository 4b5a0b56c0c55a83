"""The statistics rollup: one StatSnapshot per organisation and month, summed over its subtree.

Two SQL statements per month, built from the apps' own aggregate querysets (sources.py):
`own` (a temporary table) joins every source's per-organisation row to its organisation (zero
where a source has none); `sub` adds each organisation's own figures to
every ancestor (the ancestors' paths are the prefixes of its path, as in the dues rollup);
the result is upserted for every active organisation. A row whose figures did not change is
not rewritten (the nightly re-run of a month mostly changes little), and rows of organisations
no longer active are deleted, so a re-run leaves exactly the rows a first run would
(idempotent). Records of a dissolved organisation still count in its ancestors' figures.
Portable between PostgreSQL and SQLite.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from members.dues import first_of_month, last_day_of_month
from members.models import Organisation

from .models import SNAPSHOT_COLUMNS, SNAPSHOT_MONEY, StatSnapshot
from .sources import columns_of, employers_without_union, sources


def month_window(month: date, today: date | None = None) -> tuple[date, date]:
    """The month's first day and its last day, or today for the current month."""
    today = today or timezone.localdate()
    start = first_of_month(month)
    return start, min(last_day_of_month(start), max(today, start))


def _joined(querysets, org_table: str) -> tuple[str, str, list]:
    """Every source LEFT JOINed to the organisation table by organisation id (each source has
    at most one row per organisation, and each figure comes from one source): the FROM clause
    of `own`, and its select list with 0 where a source has no row."""
    joins, params, origin = [], [], {}
    for i, qs in enumerate(querysets):
        sql, p = qs.query.sql_with_params()
        joins.append(f"LEFT JOIN ({sql}) s{i} ON s{i}.organisation_id = d.id")
        params.extend(p)
        for name in columns_of(qs):
            if name in SNAPSHOT_COLUMNS:
                assert name not in origin, f"{name} comes from two sources"
                origin[name] = f"s{i}"
    select = ",\n           ".join(_own(c, origin.get(c)) for c in SNAPSHOT_COLUMNS)
    return f"FROM {org_table} d\n    " + "\n    ".join(joins), select, params


def _own(c: str, source: str | None) -> str:
    if source is None:
        return f"0 AS {c}"
    # Money in whole fen: exact on PostgreSQL's numeric and SQLite's floats alike.
    if c in SNAPSHOT_MONEY:
        return f"COALESCE(CAST(ROUND({source}.{c} * 100) AS BIGINT), 0) AS {c}"
    return f"COALESCE({source}.{c}, 0) AS {c}"


def _value(c: str) -> str:
    return f"COALESCE(sub.{c}, 0) / 100.0" if c in SNAPSHOT_MONEY else f"COALESCE(sub.{c}, 0)"


OWN_TABLE = "reporting_rollup_own"


def rollup_sql(month: date, today: date | None = None) -> tuple[str, list, str]:
    """The two statements of a month's rollup: the own figures of every organisation into a
    temporary table (a plain SELECT, so PostgreSQL may scan the big tables in parallel, which
    it never does inside an INSERT), and the subtree sums upserted from it. Returns the first
    statement, its parameters, and the second (whose parameters stats_rollup supplies)."""
    start, end = month_window(month, today)
    org_table = Organisation._meta.db_table
    joined, own, params = _joined(
        [*sources(start, end, year_to_date_motions=True), employers_without_union(end)],
        org_table,
    )
    cols = ", ".join(SNAPSHOT_COLUMNS)
    sub = ",\n       ".join(f"SUM(own.{c}) AS {c}" for c in SNAPSHOT_COLUMNS)
    values = ", ".join(f"{_value(c)} AS {c}" for c in SNAPSHOT_COLUMNS)
    table = StatSnapshot._meta.db_table
    updates = ",\n    ".join(f"{c} = excluded.{c}" for c in [*SNAPSHOT_COLUMNS, "computed_at"])
    # A row whose figures are all the same is left alone: no write, no row lock. (IS NOT
    # DISTINCT FROM rather than "=": PostgreSQL then hashes the anti-join on the key alone
    # and compares the figures of the one matching row, instead of hashing 30 columns.)
    same = "\n      AND ".join(f"t.{c} IS NOT DISTINCT FROM r.{c}" for c in SNAPSHOT_COLUMNS)
    # Paths are ASCII: group them byte by byte, not by the database's locale (PostgreSQL).
    bytewise = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    # Identifiers come from model metadata; values are params.
    own_sql = f"""
CREATE TEMPORARY TABLE {OWN_TABLE} AS
SELECT d.path, d.depth,
       {own}
{joined}
"""  # noqa: S608
    sql = f"""
INSERT INTO {table} (organisation_id, month, {cols}, computed_at)
WITH levels AS (SELECT DISTINCT depth AS k FROM {org_table}),
sub AS (
    SELECT SUBSTR(own.path, 1, lv.k * %s){bytewise} AS apath, {sub}
    FROM {OWN_TABLE} own
    JOIN levels lv ON lv.k <= own.depth
    GROUP BY SUBSTR(own.path, 1, lv.k * %s){bytewise}
),
result AS (
    SELECT o.id AS organisation_id, {values}
    FROM {org_table} o
    LEFT JOIN sub ON sub.apath = o.path
    WHERE o.active
)
SELECT r.organisation_id, %s, {cols}, %s
FROM result r
WHERE NOT EXISTS (
    SELECT 1 FROM {table} t
    WHERE t.organisation_id = r.organisation_id AND t.month = %s
      AND {same}
)
ON CONFLICT (organisation_id, month) DO UPDATE SET
    {updates}
"""  # noqa: S608
    return own_sql, params, sql


# PostgreSQL: the statement is large (14 sources x 30 columns) and its estimated cost passes
# the JIT thresholds; compiling it took 3-4 s of a 4 s run on the benchmark data set, against
# well under a second of execution. The per-organisation aggregates also spill to disk at the
# default 4 MB of work_mem. Both settings hold for this transaction only.
PG_SETTINGS = ("SET LOCAL jit = off", "SET LOCAL work_mem = '64MB'")


def stats_rollup(*, month: date, today: date | None = None) -> int:
    """Upsert the month's StatSnapshot rows for every active organisation in one transaction
    (a failure leaves the previous rows untouched). Returns the rows inserted or changed."""
    month = first_of_month(month)
    now = timezone.now()
    ops = connection.ops
    own_sql, own_params, sql = rollup_sql(month, today)
    steplen = Organisation.steplen
    params = [
        steplen,
        steplen,
        ops.adapt_datefield_value(month),
        ops.adapt_datetimefield_value(now),
        ops.adapt_datefield_value(month),
    ]
    table, org_table = StatSnapshot._meta.db_table, Organisation._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        postgres = connection.vendor == "postgresql"
        if postgres:
            for setting in PG_SETTINGS:
                cursor.execute(setting)
        cursor.execute(f"DROP TABLE IF EXISTS {OWN_TABLE}")
        cursor.execute(own_sql, own_params)
        if postgres:
            cursor.execute(f"ANALYZE {OWN_TABLE}")
        cursor.execute(sql, params)
        written = cursor.rowcount
        cursor.execute(f"DROP TABLE {OWN_TABLE}")
        cursor.execute(
            f"DELETE FROM {table} WHERE month = %s AND organisation_id IN "  # noqa: S608
            f"(SELECT id FROM {org_table} WHERE NOT active)",
            [ops.adapt_datefield_value(month)],
        )
    return max(written, 0)


def months_back(count: int, today: date | None = None) -> list[date]:
    """The first days of the last `count` months, oldest first, this month included."""
    today = today or timezone.localdate()
    month = first_of_month(today)
    out = []
    for _ in range(count):
        out.append(month)
        month = first_of_month(month - timedelta(days=1))
    return list(reversed(out))
