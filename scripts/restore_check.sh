#!/usr/bin/env bash
# security.md H8, `make restore-check`: prove that a nightly dump restores.
#
#   1. build the source: a fresh database, `migrate`, `seed_demo` (the demo city: about 20,000
#      members, 200,000 dues records, every app's records); or use RESTORE_SOURCE as it is
#   2. pg_dump -Fc it, as the nightly backup does
#   3. restore the dump into a scratch database with pg_restore (the timed part of the RTO)
#   4. manage.py migrate --check against the scratch database: no migration missing
#   5. scripts/restore_compare.py: row counts and row checksums of every table, sequences too
#   6. drop the scratch database (and the source it built), also on failure or Ctrl-C
#
# Exits non-zero on any failed step or any difference. Every step has a time limit.
#   RESTORE_PG      server URL without a database (default BENCH_PG, else
#                   postgres://postgres@127.0.0.1:5432); the role must be able to create databases
#   RESTORE_NAME    prefix of the databases it makes (default unionportal_restore: _src, _scratch)
#   RESTORE_SOURCE  URL of an existing database to check instead of building one; never dropped
set -Eeuo pipefail
cd "$(dirname "$0")/.."

PG=${RESTORE_PG:-${BENCH_PG:-postgres://postgres@127.0.0.1:5432}}
PG=${PG%/}
NAME=${RESTORE_NAME:-unionportal_restore}
SCRATCH_DB=${NAME}_scratch
SCRATCH_URL=$PG/$SCRATCH_DB
PY=${PYTHON:-.venv/bin/python}
export PGCONNECT_TIMEOUT=10
# Fixed test keys and eager Celery, as the benchmarks use: nothing here serves requests.
export DJANGO_SETTINGS_MODULE=tests.settings CELERY_BROKER_URL= READ_DOT_ENV_FILE=false

work=$(mktemp -d)
built_source=""
declare -A took

fail() { printf '\nRESTORE CHECK FAILED: %s\n' "$*" >&2; exit 1; }

admin() { PGOPTIONS="-c client_min_messages=warning" timeout 120 psql "$PG/postgres" -v ON_ERROR_STOP=1 -qAtX -c "$1"; }

drop_db() { admin "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"; }

cleanup() {
  local status=$?
  drop_db "$SCRATCH_DB" || echo "could not drop $SCRATCH_DB" >&2
  if [ -n "$built_source" ]; then drop_db "$built_source" || echo "could not drop $built_source" >&2; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }
seconds_since() { local ms=$(($(now_ms) - $1)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }

# timed NAME SECONDS COMMAND...: runs COMMAND under a time limit and records its duration.
timed() {
  local name=$1 limit=$2 start rc=0
  shift 2
  printf -- '-- %s (limit %s s)\n' "$name" "$limit"
  start=$(now_ms)
  timeout --kill-after=10 "$limit" "$@" || rc=$?
  [ "$rc" -ne 124 ] || fail "$name: took longer than $limit s"
  [ "$rc" -eq 0 ] || fail "$name: exit $rc"
  took[$name]=$(seconds_since "$start")
  printf '   %s s\n' "${took[$name]}"
}

total_start=$(now_ms)
admin "SELECT 1" >/dev/null || fail "cannot reach PostgreSQL at $PG"

if [ -n "${RESTORE_SOURCE:-}" ]; then
  SOURCE_URL=$RESTORE_SOURCE
  echo "source: the existing database $SOURCE_URL"
else
  built_source=${NAME}_src
  SOURCE_URL=$PG/$built_source
  echo "source: $built_source, built from the migrations and seed_demo"
  drop_db "$built_source"
  admin "CREATE DATABASE \"$built_source\""
  timed "migrate the source" 300 env DATABASE_URL="$SOURCE_URL" "$PY" manage.py migrate --noinput -v0
  # The seed's output (the demo logins) goes to a log, shown only when it fails.
  # --allow-demo-passwords: a scratch database, also when DEBUG is off in the environment.
  timed "seed_demo" 300 bash -c '"$@" >"$0" 2>&1 || { rc=$?; cat "$0" >&2; exit $rc; }' \
    "$work/seed.log" env DATABASE_URL="$SOURCE_URL" "$PY" manage.py seed_demo --allow-demo-passwords
  head -n1 "$work/seed.log"
fi

timed "pg_dump -Fc" 600 pg_dump -Fc --no-password -f "$work/backup.dump" "$SOURCE_URL"
size=$(du -h "$work/backup.dump" | cut -f1)

drop_db "$SCRATCH_DB"
admin "CREATE DATABASE \"$SCRATCH_DB\""
timed "pg_restore" 1800 pg_restore --exit-on-error --no-owner --no-privileges --jobs=2 \
  -d "$SCRATCH_URL" "$work/backup.dump"

timed "migrate --check" 120 env DATABASE_URL="$SCRATCH_URL" "$PY" manage.py migrate --check --plan

timed "compare counts and checksums" 900 "$PY" scripts/restore_compare.py "$SOURCE_URL" "$SCRATCH_URL"

total=$(seconds_since "$total_start")
echo
echo "restore check passed: dump of $size restored in ${took[pg_restore]} s and identical;"
echo "  dump ${took[pg_dump -Fc]} s, migrate --check ${took[migrate --check]} s,"\
  "compare ${took[compare counts and checksums]} s; total ${total} s (with the source build)"
