#!/usr/bin/env python3
"""security.md H8: compare a restored database with its source, table by table.

    .venv/bin/python scripts/restore_compare.py SOURCE_URL RESTORED_URL

For every table of the public schema (of either side): the row count and a checksum of the
rows (the md5 of the sorted md5s of each row's text form); for every sequence its last value.
Prints one line per table and exits 1 on any difference (a table missing on one side
included), 0 when all match. scripts/restore_check.sh calls it after pg_restore.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import psycopg2
from psycopg2 import sql

STATEMENT_TIMEOUT_MS = 300_000  # per table; the check is meant for small databases

TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
SEQUENCES = (
    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
    "ORDER BY sequencename"
)
# Collation "C": the order (hence the checksum) is the same on a server with another locale.
ROWS = sql.SQL(
    "SELECT count(*), "
    "coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text) COLLATE \"C\")), '-') "
    "FROM {} AS t"
)


@dataclass(frozen=True)
class Line:
    name: str
    source: tuple | None
    restored: tuple | None

    @property
    def ok(self) -> bool:
        return self.source is not None and self.source == self.restored


def snapshot(url: str) -> dict[str, tuple]:
    """name -> (rows, checksum) for tables, "sequence NAME" -> (last value,) for sequences."""
    found: dict[str, tuple] = {}
    conn = psycopg2.connect(url, options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}")
    try:
        conn.set_session(readonly=True, autocommit=True)
        with conn.cursor() as cursor:
            cursor.execute(TABLES)
            for (table,) in cursor.fetchall():
                cursor.execute(ROWS.format(sql.Identifier("public", table)))
                rows, checksum = cursor.fetchone()
                found[table] = (rows, checksum)
            cursor.execute(SEQUENCES)
            for name, last_value in cursor.fetchall():
                found[f"sequence {name}"] = (last_value,)
    finally:
        conn.close()
    return found


def compare(source: dict[str, tuple], restored: dict[str, tuple]) -> list[Line]:
    return [
        Line(name, source.get(name), restored.get(name)) for name in sorted({*source, *restored})
    ]


def _cell(value: tuple | None) -> tuple[str, str]:
    if value is None:
        return "missing", ""
    if len(value) == 1:
        return str(value[0]), ""
    return str(value[0]), value[1][:12]


def report(lines: list[Line], out=sys.stdout) -> int:
    """Prints the table; returns the number of differences."""
    tables = [line for line in lines if not line.name.startswith("sequence ")]
    header = f"{'table':40} {'rows':>9} {'restored':>9}  {'checksum':12} {'restored':12}  "
    print(header + "result", file=out)
    for line in tables:
        src_rows, src_sum = _cell(line.source)
        dst_rows, dst_sum = _cell(line.restored)
        verdict = "ok" if line.ok else "DIFFERENT"
        print(
            f"{line.name:40} {src_rows:>9} {dst_rows:>9}  {src_sum:12} {dst_sum:12}  {verdict}",
            file=out,
        )
    sequences = [line for line in lines if line.name.startswith("sequence ")]
    for line in sequences:
        if not line.ok:
            src, dst = _cell(line.source)[0], _cell(line.restored)[0]
            print(f"{line.name}: last value {src} vs restored {dst}  DIFFERENT", file=out)
    bad = [line for line in lines if not line.ok]
    rows = sum(line.source[0] for line in tables if line.source)
    print(
        f"{len(tables)} tables, {rows} rows, {len(sequences)} sequences compared: "
        + (f"{len(bad)} DIFFERENT" if bad else "all match"),
        file=out,
    )
    return len(bad)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, restored = snapshot(args[0]), snapshot(args[1])
    return 1 if report(compare(source, restored)) else 0


if __name__ == "__main__":
    sys.exit(main())
