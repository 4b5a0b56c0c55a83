"""Dues records partitioned by month on PostgreSQL (issue 22, architecture.md "Growing past one
server").

`members_duesrecord` is a declaratively partitioned table (PARTITION BY RANGE (month)) with one
partition per month, `members_duesrecord_yYYYYmMM`, and a DEFAULT partition catching any month
that has none. Its primary key is (id, month): PostgreSQL requires the partition key in every
unique constraint. Django keeps `id` as the model's primary key; the identity column makes it
unique on its own, so `DuesRecord.objects.get(pk=...)` stays right.

A month's generation and rollup then touch only that month's partition, so they cost the same
in the 24th month of history as in the 12th. Partitions exist ahead for dues paid in advance;
the monthly beat task (`members.tasks.dues_partitions_task`, and `manage.py dues_partitions`)
creates the coming months'. A partition created for a month whose rows already sit in the
default partition takes those rows over (nothing is lost, nothing is duplicated).

SQLite keeps one plain table: every function here does nothing there.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import connection as default_connection
from django.db import transaction

from .dues import add_months, first_of_month

log = logging.getLogger(__name__)

TABLE = "members_duesrecord"
DEFAULT_PARTITION = f"{TABLE}_default"
AHEAD_MONTHS = 12  # dues may be paid a year in advance (dues_pay_ahead)
BACK_MONTHS = 24  # the history the migration prepares for besides the months on record


def partition_name(month: date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def is_partitioned(connection=None) -> bool:
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
            "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace",
            [TABLE],
        )
        return cursor.fetchone() is not None


def existing_partitions(connection=None) -> dict[str, str]:
    """Partition name -> its bound expression, as PostgreSQL prints it."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        return dict(cursor.fetchall())


def _owns_table(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
            "WHERE oid = %s::regclass",
            [TABLE],
        )
        return bool(cursor.fetchone()[0])


def _create_month(cursor, month: date) -> None:
    """Create one month's partition. Rows of that month already in the default partition move
    into it first (PostgreSQL refuses to attach a range the default partition holds rows of)."""
    name, end = partition_name(month), add_months(month, 1)
    # Table names here are built from constants and dates, never from input.
    cursor.execute(
        f'CREATE TABLE "{name}" (LIKE "{TABLE}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)'
    )
    cursor.execute(
        f'WITH moved AS (DELETE FROM "{DEFAULT_PARTITION}" WHERE month >= %s AND month < %s '  # noqa: S608
        f'RETURNING *) INSERT INTO "{name}" SELECT * FROM moved',
        [month, end],
    )
    cursor.execute(
        f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)',
        [month, end],
    )


def ensure_partitions(
    *, since: date | None = None, until: date | None = None, connection=None
) -> list[str]:
    """Create the missing month partitions from `since` (default: the current month) through
    `until` (default: AHEAD_MONTHS after the current month), and the default partition.
    Idempotent; returns the names created. Nothing on SQLite or an unpartitioned table."""
    from django.utils import timezone

    connection = connection or default_connection
    if not is_partitioned(connection):
        return []
    today = first_of_month(timezone.localdate())
    month = first_of_month(since or today)
    until = first_of_month(until or add_months(today, AHEAD_MONTHS))
    created = []
    if not _owns_table(connection):
        # The application role (manage.py db_roles) has no DDL: the owner runs
        # `manage.py dues_partitions` (README). Fail loudly, in the job runs, only when a month
        # due soon has no partition; its rows would still land safely in the default one.
        have = existing_partitions(connection)
        soon = [add_months(today, k) for k in range(3)]
        missing = [m for m in soon if partition_name(m) not in have]
        if missing:
            raise PermissionError(
                f"dues partitions missing for {', '.join(f'{m:%Y-%m}' for m in missing)}: "
                "run `manage.py dues_partitions` as the owner of members_duesrecord"
            )
        log.warning("not the owner of %s: dues partitions left to the owner", TABLE)
        return []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # One creator at a time (beat and a hand run): a transaction-level advisory lock.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [TABLE])
        have = existing_partitions(connection)
        if DEFAULT_PARTITION not in have:
            cursor.execute(f'CREATE TABLE "{DEFAULT_PARTITION}" PARTITION OF "{TABLE}" DEFAULT')
            created.append(DEFAULT_PARTITION)
        while month <= until:
            if partition_name(month) not in have:
                _create_month(cursor, month)
                created.append(partition_name(month))
            month = add_months(month, 1)
    return created


# --- The migration (members 0008_dues_partitioned) -------------------------------------------


def _constraints_and_indexes(cursor, table: str):
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass ORDER BY conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid "
        "AND c.conrelid = x.indrelid) ORDER BY i.relname",
        [table],
    )
    return constraints, cursor.fetchall()


def _rebuild(cursor, *, partitioned: bool) -> None:
    """Copy members_duesrecord into a new table (partitioned or plain) with the same columns,
    constraints and indexes (by the same names), then swap it in. Works on a table that holds
    rows: the copy is one INSERT ... SELECT, and the indexes are built after it."""
    old, new = f"{TABLE}_old", f"{TABLE}_new"
    constraints, indexes = _constraints_and_indexes(cursor, TABLE)
    cursor.execute(f'LOCK TABLE "{TABLE}" IN ACCESS EXCLUSIVE MODE')
    cursor.execute("SELECT MIN(month), MAX(month) FROM members_duesrecord")
    first, last = cursor.fetchone()
    suffix = " PARTITION BY RANGE (month)" if partitioned else ""
    cursor.execute(
        f'CREATE TABLE "{new}" (LIKE "{TABLE}" INCLUDING DEFAULTS INCLUDING IDENTITY){suffix}'
    )
    cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{old}"')
    cursor.execute(f'ALTER TABLE "{new}" RENAME TO "{TABLE}"')
    if partitioned:
        from django.utils import timezone

        today = first_of_month(timezone.localdate())
        month = min(first or today, add_months(today, -BACK_MONTHS))
        until = max(last or today, add_months(today, AHEAD_MONTHS))
        cursor.execute(f'CREATE TABLE "{DEFAULT_PARTITION}" PARTITION OF "{TABLE}" DEFAULT')
        while month <= until:
            cursor.execute(
                f'CREATE TABLE "{partition_name(month)}" PARTITION OF "{TABLE}" '
                "FOR VALUES FROM (%s) TO (%s)",
                [month, add_months(month, 1)],
            )
            month = add_months(month, 1)
    cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{old}"')  # noqa: S608
    # The identity sequence continues after the copied ids.
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
        "COALESCE((SELECT MAX(id) FROM members_duesrecord), 0) + 1, false)",
        [TABLE],
    )
    cursor.execute(f'DROP TABLE "{old}"')
    for name, kind, definition in constraints:
        if kind == "p":
            definition = "PRIMARY KEY (id, month)" if partitioned else "PRIMARY KEY (id)"
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{name}" {definition}')
    for _name, definition in indexes:
        cursor.execute(definition.replace(f"ON ONLY public.{TABLE} ", f"ON public.{TABLE} "))
    cursor.execute(f'ANALYZE "{TABLE}"')


def partition_dues(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql" or is_partitioned(schema_editor.connection):
        return
    with schema_editor.connection.cursor() as cursor:
        _rebuild(cursor, partitioned=True)


def unpartition_dues(apps, schema_editor) -> None:
    if not is_partitioned(schema_editor.connection):
        return
    with schema_editor.connection.cursor() as cursor:
        _rebuild(cursor, partitioned=False)
