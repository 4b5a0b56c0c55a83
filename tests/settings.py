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

from unionportal.settings import *  # noqa: E402,F403
from unionportal.settings import STORAGES  # noqa: E402

SECURE_SSL_REDIRECT = False  # the test client and live server speak plain http
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Fast hashing for the many logins in the suite; production keeps PBKDF2 (see test_security).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
