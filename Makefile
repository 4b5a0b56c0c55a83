# Union Portal. `make run` serves the demo; `make test` runs the whole suite.
# Needs only Python 3.11+ (with venv) and make: everything else is installed into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The embedded default: SQLite and eager Celery unless DATABASE_URL / CELERY_BROKER_URL are set.
export DEBUG ?= true

.PHONY: run test test-money-sqlite install install-dev migrate seed lint audit restore-check messages check-deploy bench bench-mid bench-smoke clean

$(VENV)/.base: requirements/base.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev: requirements/dev.txt $(VENV)/.base
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

install: $(VENV)/.base
install-dev: $(VENV)/.dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo "Union Portal: http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite; uses DATABASE_URL when set (PostgreSQL), else SQLite.
test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# The money tests (marked `money`) again on a SQLite file, where decimals are stored as floats
# (issue 13 item 1); CI runs the suite on PostgreSQL. Eager Celery, no broker. Fails when a test
# fails or none ran (pytest exits 5 when the marker selects nothing; the strict plugin checks
# that money tests passed on SQLite and none was skipped).
MONEY_DB ?= /tmp/unionportal-money.sqlite3
test-money-sqlite: install-dev
	rm -f $(MONEY_DB) $(MONEY_DB)-wal $(MONEY_DB)-shm
	env -u CELERY_BROKER_URL DATABASE_URL=sqlite:///$(MONEY_DB) UNIONPORTAL_STRICT=money \
	  $(BIN)/pytest -m money -p no:randomly $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

# Known vulnerabilities in the locked dependencies (security.md A6); installs nothing. Fails on
# one that requirements/audit-ignore.txt does not list; only warns when no service answers.
audit: install-dev
	$(BIN)/python scripts/audit_deps.py

# Regenerate the Chinese catalogue after changing strings (needs gettext), then fill in the
# translations in locale/zh_Hans/LC_MESSAGES/django.po and compile.
messages: install-dev
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --no-location
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# Backup and restore (security.md H8, README "Backup and restore"): builds the demo city in
# its own database, dumps it with pg_dump -Fc, restores the dump into a scratch database, runs
# migrate --check there and compares every table's row count and checksum; drops both.
# RESTORE_SOURCE=postgres://… checks an existing database instead (it is never dropped).
RESTORE_PG ?= $(BENCH_PG)
restore-check: install
	RESTORE_PG=$(RESTORE_PG) bash scripts/restore_check.sh

check-deploy: install
	DEBUG=false SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  FIELD_ENCRYPTION_KEY=check-only \
	  ALLOWED_HOSTS=portal.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-wal db.sqlite3-shm

# Benchmarks (performance.md): not tests. The data sets live in their own PostgreSQL
# databases and are built once; `bench` compares the full set with the smoke set.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_ENV = DJANGO_SETTINGS_MODULE=tests.settings CELERY_BROKER_URL=
# Some parts only, e.g. `make bench ONLY=stats,summary` (parts: see `manage.py bench --help`).
BENCH_ONLY = $(if $(ONLY),--only $(ONLY))
bench-db-%:
	psql "$(BENCH_PG)/postgres" -qtc "SELECT 1 FROM pg_database WHERE datname='unionportal_bench_$*'" | grep -q 1 \
	  || psql "$(BENCH_PG)/postgres" -qc "CREATE DATABASE unionportal_bench_$*"
	$(BENCH_ENV) DATABASE_URL=$(BENCH_PG)/unionportal_bench_$* $(BIN)/python manage.py migrate --noinput -v0

bench-smoke: install-dev bench-db-small
	$(BENCH_ENV) DATABASE_URL=$(BENCH_PG)/unionportal_bench_small $(BIN)/python manage.py bench build --size smoke
	$(BENCH_ENV) DATABASE_URL=$(BENCH_PG)/unionportal_bench_small $(BIN)/python manage.py bench measure --size smoke $(BENCH_ONLY) --out var/bench/small.json

# A quarter of the full set (250,000 members), for a machine where the full build is too slow.
bench-mid: bench-smoke bench-db-mid
	$(BENCH_ENV) DATABASE_URL=$(BENCH_PG)/unionportal_bench_mid $(BIN)/python manage.py bench build --size mid
	$(BENCH_ENV) DATABASE_URL=$(BENCH_PG)/unionportal_bench_mid $(BIN)/python manage.py bench measure --size mid $(BENCH_ONLY) --small var/bench/small.json --out var/bench/mid.json

bench: bench-smoke bench-db-full
	$(BENCH_ENV) DATABASE_URL=$(BENCH_PG)/unionportal_bench_full $(BIN)/python manage.py bench build --size full
	$(BENCH_ENV) DATABASE_URL=$(BENCH_PG)/unionportal_bench_full $(BIN)/python manage.py bench measure --size full $(BENCH_ONLY) --small var/bench/small.json --out var/bench/full.json
