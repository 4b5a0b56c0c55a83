"""The COPY and SQL helpers the data set's builders share, and SQL for random rows."""

# ruff: noqa: S608 (fixed SQL of this module; every value is a parameter)
from __future__ import annotations

import io

from django.db import connection

# Rows per COPY statement: the build holds one chunk of text at a time, not the whole table
# (1M members held at once peaked at 2.37 GB RSS; issue 21 item 5).
COPY_CHUNK = 20_000


def copy_rows(table: str, columns: list[str], rows, chunk: int = COPY_CHUNK) -> int:
    """COPY the rows in chunks of `chunk` (all in the caller's transaction); returns the count."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)"
    done = 0
    buf, held = io.StringIO(), 0
    with connection.cursor() as cursor:
        for row in rows:
            buf.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
            held += 1
            if held == chunk:
                buf.seek(0)
                cursor.cursor.copy_expert(sql, buf)
                done, buf, held = done + held, io.StringIO(), 0
        if held:
            buf.seek(0)
            cursor.cursor.copy_expert(sql, buf)
            done += held
    return done


def count_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (our own table names)
        return cursor.fetchone()[0]


def run_sql(sql: str, params: dict | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.rowcount


# A random day of the window, per row: %(start)s + a random number of days.
DAY = "(%(start)s::date + floor(random() * (%(end)s::date - %(start)s::date + 1))::int)"

# A random moment of a day expression, as a timestamp in the portal's time zone.
MOMENT = "(({d})::timestamp + interval '9 hours' + random() * interval '8 hours') AT TIME ZONE 'Asia/Shanghai'"  # noqa: E501


def picked_members(n_param: str) -> str:
    """n distinct random active members (id, organisation_id, rn)."""
    return f"""
        SELECT id, organisation_id, row_number() OVER () AS rn FROM (
            SELECT id, organisation_id FROM members_member WHERE status = 'active'
            ORDER BY random() LIMIT %({n_param})s
        ) p"""
