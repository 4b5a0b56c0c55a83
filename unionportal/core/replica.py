"""Reads on a streaming replica (issue 22 item 2, architecture.md "Growing past one server").

With DATABASE_REPLICA_URL set, settings add a "replica" database: a PostgreSQL hot standby of
the primary. Work that only reads and can stand a moment's lag -- the dashboard, the statistics
page, the Excel summary and the member export -- is marked with `reads_from_replica()` (a
context manager and a decorator), and inside the mark the router sends every read there. It
is the view or task that says so, never "inside a transaction" (with ATOMIC_REQUESTS every
request is one). Writes always go to the primary, even of rows read on the replica.

The freshness guard: on entering the mark, the replica's replayed WAL position
(pg_last_wal_replay_lsn()) is compared with the primary's current one (pg_current_wal_lsn());
when the replica is more than REPLICA_MAX_LAG_BYTES behind, or cannot be reached, or is not
a standby at all, the reads stay on the primary. Replay timestamps are not used: on an idle
primary they fall behind the clock though the replica has replayed everything.

Without a replica every mark does nothing.
"""

from __future__ import annotations

import logging
import time
from contextlib import ContextDecorator
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
_read_alias: ContextVar[str | None] = ContextVar("read_alias", default=None)


def replica_alias() -> str | None:
    alias = getattr(settings, "REPLICA_DATABASE_ALIAS", REPLICA)
    return alias if alias in connections.settings else None


def primary_alias() -> str:
    return getattr(settings, "REPLICA_PRIMARY_ALIAS", DEFAULT_DB_ALIAS)


def parse_lsn(text: str) -> int:
    """'16/B374D848' -> its byte position in the WAL."""
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def replica_lag_bytes(replica: str | None = None, primary: str | None = None) -> int | None:
    """How many bytes of WAL the replica has still to replay; None when it is not a standby
    (or unreachable). Asked of the replica first: a position read later on the primary can
    only be ahead, so the figure never understates the lag. The primary's position is its WAL
    write position: with synchronous_commit off there, a transaction that has just committed
    may lie beyond it, and a `caught_up` read could miss it (run the primary with it on)."""
    replica = replica or replica_alias()
    if replica is None:
        return None
    try:
        with connections[replica].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text")
            in_recovery, replayed = cursor.fetchone()
        if not in_recovery or replayed is None:
            return None
        with connections[primary or primary_alias()].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            (current,) = cursor.fetchone()
    except DatabaseError:
        log.warning("replica %s unreachable: reads stay on the primary", replica, exc_info=True)
        return None
    return max(parse_lsn(current) - parse_lsn(replayed), 0)


def replica_is_fresh(*, caught_up: bool = False) -> bool:
    """Fresh: at most REPLICA_MAX_LAG_BYTES behind. `caught_up`: the work has just committed
    rows it reads next (the summary's snapshots), so the replica must have replayed the
    primary's position of now; it gets REPLICA_CATCH_UP_SECONDS to do so."""
    limit = getattr(settings, "REPLICA_MAX_LAG_BYTES", 16 * 1024 * 1024)
    if caught_up:
        limit = 0
        deadline = time.monotonic() + getattr(settings, "REPLICA_CATCH_UP_SECONDS", 2.0)
        lag = replica_lag_bytes()
        while lag is not None and lag > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
            lag = replica_lag_bytes()
    else:
        lag = replica_lag_bytes()
    if lag is None or lag > limit:
        if lag is not None:
            log.info("replica %s bytes behind (limit %s): reads stay on the primary", lag, limit)
        return False
    return True


def current_read_alias() -> str | None:
    """The database the router sends reads to now (None: the default routing)."""
    return _read_alias.get()


class reads_from_replica(ContextDecorator):  # noqa: N801 (used like a function)
    """Mark read-only work: its reads go to the replica when it is fresh enough. Pass
    caught_up=True when the work reads rows it has just committed on the primary. Rows
    written in a transaction still open are never on the replica: mark no such reads."""

    def __init__(self, *, caught_up: bool = False):
        self.caught_up = caught_up

    def _recreate_cm(self):
        # As a decorator, one instance per call: concurrent requests keep their own token.
        return type(self)(caught_up=self.caught_up)

    def __enter__(self):
        alias = replica_alias()
        if alias is None:
            chosen = None  # no replica: the default routing
        elif replica_is_fresh(caught_up=self.caught_up):
            chosen = alias
        else:
            chosen = primary_alias()
        self._token = _read_alias.set(chosen)
        return chosen

    def __exit__(self, *exc) -> bool:
        _read_alias.reset(self._token)
        return False


class ReplicaRouter:
    """Reads inside a `reads_from_replica()` mark go to the replica; everything else, and
    every write, goes to the primary. Nothing is migrated on the replica (it is a standby)."""

    def db_for_read(self, model, **hints):
        return _read_alias.get()

    def db_for_write(self, model, **hints):
        return primary_alias() if replica_alias() else None

    def allow_relation(self, obj1, obj2, **hints):
        dbs = {primary_alias(), replica_alias()}
        if obj1._state.db in dbs and obj2._state.db in dbs:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == replica_alias():
            return False
        return None
