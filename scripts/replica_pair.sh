#!/usr/bin/env bash
# A throwaway PostgreSQL primary and streaming standby (issue 22 item 3), for the replica test
# and the bench. Nothing of an installed cluster is touched:
#   - initdb into a new temporary directory, as the postgres user (runuser when run as root);
#   - its own ports (free ones, or PAIR_PRIMARY_PORT / PAIR_STANDBY_PORT), sockets in the dir;
#   - the standby from pg_basebackup --checkpoint=fast -R (streaming, hot standby);
#   - a timeout on every wait (PAIR_TIMEOUT seconds each, default 60);
#   - a trap that stops both servers and removes the directory on any exit.
#
# scripts/replica_pair.sh CMD ARGS...   runs CMD with PAIR_PRIMARY_URL and PAIR_STANDBY_URL set
#                                       (postgres://postgres@127.0.0.1:PORT/postgres), then stops
#                                       the pair; exits with CMD's status.
# scripts/replica_pair.sh               prints "READY <primary url> <standby url>" and keeps the
#                                       pair until its standard input closes (a test fixture
#                                       holds it this way: the pair dies with the test process).
set -euo pipefail

PG_BIN=${PG_BIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
TIMEOUT=${PAIR_TIMEOUT:-60}
DIR=$(mktemp -d /tmp/replica-pair.XXXXXX)
chmod 755 "$DIR"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_pair() {
  local status=$?
  trap - EXIT INT TERM HUP
  for node in standby primary; do
    if [ -f "$DIR/$node/postmaster.pid" ]; then
      as_pg timeout 20 "$PG_BIN/pg_ctl" -D "$DIR/$node" -m immediate -t 15 stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$DIR"
  exit "$status"
}
trap stop_pair EXIT INT TERM HUP

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
PRIMARY_PORT=${PAIR_PRIMARY_PORT:-$(free_port)}
STANDBY_PORT=${PAIR_STANDBY_PORT:-$(free_port)}
while [ "$STANDBY_PORT" = "$PRIMARY_PORT" ]; do STANDBY_PORT=$(free_port); done

log() { echo "replica_pair: $*" >&2; }

if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
as_pg timeout "$TIMEOUT" "$PG_BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust \
  -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
cat >>"$DIR/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 5
hot_standby = on
fsync = off
# on, as a real primary runs: with it off a commit returns before its WAL is written, so
# pg_current_wal_lsn() (the freshness guard's primary position) can trail a transaction that
# has just committed and the guard sees a standby "caught up" that lacks it (seen in CI).
synchronous_commit = on
full_page_writes = off
shared_buffers = 32MB
max_connections = 40
EOF
as_pg timeout "$TIMEOUT" "$PG_BIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w \
  -t "$TIMEOUT" start >/dev/null || { cat "$DIR/primary.log" >&2; exit 1; }
log "primary up on port $PRIMARY_PORT"

as_pg timeout "$TIMEOUT" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
  -D "$DIR/standby" --checkpoint=fast -R -X stream >"$DIR/basebackup.log" 2>&1 \
  || { cat "$DIR/basebackup.log" >&2; exit 1; }
echo "port = $STANDBY_PORT" | as_pg tee -a "$DIR/standby/postgresql.auto.conf" >/dev/null
as_pg timeout "$TIMEOUT" "$PG_BIN/pg_ctl" -D "$DIR/standby" -l "$DIR/standby.log" -w \
  -t "$TIMEOUT" start >/dev/null || { cat "$DIR/standby.log" >&2; exit 1; }

# The standby is ready when it answers, is in recovery and streams from the primary.
deadline=$((SECONDS + TIMEOUT))
until [ "$(as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atqc \
  "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" 2>/dev/null)" = 1 ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "the standby did not start streaming within ${TIMEOUT}s"
    cat "$DIR/standby.log" >&2
    exit 1
  fi
  sleep 0.2
done
[ "$(as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$STANDBY_PORT" -U postgres -Atqc \
  "SELECT pg_is_in_recovery()")" = t ] || { log "the standby is not in recovery"; exit 1; }
log "standby streaming on port $STANDBY_PORT"

export PAIR_PRIMARY_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/postgres"
export PAIR_STANDBY_URL="postgres://postgres@127.0.0.1:$STANDBY_PORT/postgres"
if [ "$#" -gt 0 ]; then
  set +e
  "$@"
  status=$?
  set -e
  exit "$status"
fi
echo "READY $PAIR_PRIMARY_URL $PAIR_STANDBY_URL"
# Hold the pair until whoever started us closes our standard input (or dies).
cat >/dev/null || true
