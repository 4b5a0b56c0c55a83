"""The statistics rollup: one StatSnapshot per organisation and month, summed over its subtree.

One SQL statement per month, built from the apps' own aggregate querysets (sources.py):
`own` stacks every source's per-organisation rows (UNION ALL, zeros for the figures a source
does not give) and sums them per organisation; `sub` adds each organisation's own figures to
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

from members.dues import first_of_month
from members.models import Organisation

from .models import SNAPSHOT_COLUMNS, SNAPSHOT_MONEY, StatSnapshot
from .sources import columns_of, employers_without_union, sources


def month_window(month: date, today: date | None = None) -> tuple[date, date]:
    """The month's first day and its last day, or today for the current month."""
    today = today or timezone.localdate()
    start = first_of_month(month)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, min(end, max(today, start))


def _compose(querysets) -> tuple[str, list]:
    parts, params = [], []
    for i, qs in enumerate(querysets):
        names = set(columns_of(qs))
        sql, p = qs.query.sql_with_params()
        select = ", ".join(
            (f"s{i}.{c}" if c in names else "0") + f" AS {c}" for c in SNAPSHOT_COLUMNS
        )
        # Identifiers come from model metadata and the querysets' own SQL; values are params.
        parts.append(f"SELECT s{i}.organisation_id AS organisation_id, {select} FROM ({sql}) s{i}")  # noqa: S608, E501
        params.extend(p)
    return "\nUNION ALL\n".join(parts), params


def _sum(c: str) -> str:
    # Money is summed in whole fen: exact on PostgreSQL's numeric and SQLite's floats alike.
    return f"SUM(ROUND(u.{c} * 100))" if c in SNAPSHOT_MONEY else f"SUM(u.{c})"


def _value(c: str) -> str:
    return f"COALESCE(sub.{c}, 0) / 100.0" if c in SNAPSHOT_MONEY else f"COALESCE(sub.{c}, 0)"


def rollup_sql(month: date, today: date | None = None) -> tuple[str, list]:
    start, end = month_window(month, today)
    stacked, params = _compose(
        [*sources(start, end, year_to_date_motions=True), employers_without_union(end)]
    )
    cols = ", ".join(SNAPSHOT_COLUMNS)
    own = ",\n       ".join(f"{_sum(c)} AS {c}" for c in SNAPSHOT_COLUMNS)
    sub = ",\n       ".join(f"SUM(own.{c}) AS {c}" for c in SNAPSHOT_COLUMNS)
    values = ", ".join(_value(c) for c in SNAPSHOT_COLUMNS)
    table = StatSnapshot._meta.db_table
    updates = ",\n    ".join(f"{c} = excluded.{c}" for c in [*SNAPSHOT_COLUMNS, "computed_at"])
    changed = "\n    OR ".join(f"{table}.{c} <> excluded.{c}" for c in SNAPSHOT_COLUMNS)
    org_table = Organisation._meta.db_table
    # Identifiers come from model metadata; values are params.
    sql = f"""
INSERT INTO {table} (organisation_id, month, {cols}, computed_at)
WITH own AS (
    SELECT u.organisation_id, {own}
    FROM ({stacked}) u
    GROUP BY u.organisation_id
),
levels AS (SELECT DISTINCT depth AS k FROM {org_table}),
sub AS (
    SELECT SUBSTR(d.path, 1, lv.k * %s) AS apath, {sub}
    FROM own
    JOIN {org_table} d ON d.id = own.organisation_id
    JOIN levels lv ON lv.k <= d.depth
    GROUP BY SUBSTR(d.path, 1, lv.k * %s)
)
SELECT o.id, %s, {values}, %s
FROM {org_table} o
LEFT JOIN sub ON sub.apath = o.path
WHERE o.active
ON CONFLICT (organisation_id, month) DO UPDATE SET
    {updates}
WHERE {changed}
"""  # noqa: S608
    return sql, params


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
    sql, params = rollup_sql(month, today)
    steplen = Organisation.steplen
    params = [
        *params,
        steplen,
        steplen,
        ops.adapt_datefield_value(month),
        ops.adapt_datetimefield_value(now),
    ]
    table, org_table = StatSnapshot._meta.db_table, Organisation._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for setting in PG_SETTINGS:
                cursor.execute(setting)
        cursor.execute(sql, params)
        written = cursor.rowcount
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
