"""Test settings: production settings with a fixed key, plain-http test client and eager Celery.

DATABASE_URL decides the database exactly as in production (PostgreSQL in CI, else SQLite).
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-" + "x" * 40)
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "tests-only-field-key")
# Production's settings whatever the shell says: the Makefile exports DEBUG=true for `make run`
# (so `make test` had it too), and the settings derived from DEBUG (SECURE: the __Host- cookies,
# the Secure flags) would then be a developer's. pytest-django turns DEBUG off while the tests
# run anyway; this keeps what follows from it consistent. Tests of other values override them.
os.environ["DEBUG"] = "false"
os.environ.pop("SECURE", None)
os.environ.setdefault("READ_DOT_ENV_FILE", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Two-step login is off for the suite's many logins; its own tests turn it on.
os.environ.setdefault("MFA_ENFORCED", "false")

from unionportal.settings import *  # noqa: E402,F403
from unionportal.settings import BASE_DIR, DATABASES, STORAGES  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's in-memory test database: the live server of the browser journeys
    # answers each request in a thread of its own, and with an in-memory database every thread
    # shares the test's one connection, so one request's commit ends another's transaction
    # ("cannot commit - no transaction is active", "no such savepoint"). A file gives each
    # thread its own connection, with the production settings' WAL and locking.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}
    # Nothing to keep through a power cut: no waiting for the disk at each commit.
    DATABASES["default"]["OPTIONS"]["init_command"] += "; PRAGMA synchronous=OFF"

SECURE_SSL_REDIRECT = False  # the test client and live server speak plain http
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Fast hashing for the many logins in the suite; production keeps PBKDF2 (see test_security).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
# Raw saves happen only when a transactional test gets back the rows the data migrations
# seeded (serialized rollback, tests/conftest.py): nobody's action, nothing to audit.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
