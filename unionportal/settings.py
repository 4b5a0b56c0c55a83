"""Settings for Union Portal: one module, every value from the environment.

Embedded default: with no DATABASE_URL the portal runs on a SQLite file, and with no
CELERY_BROKER_URL Celery tasks run eagerly in the web process. .env.example documents
every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if env.bool("READ_DOT_ENV_FILE", default=True) and (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-0123456789"

# The key that encrypts resident ID numbers at rest (members.crypto). Changing it makes stored
# numbers unreadable, so it is separate from SECRET_KEY; with DEBUG on it defaults to a
# development key.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="")
if not FIELD_ENCRYPTION_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DEBUG is off.")
    FIELD_ENCRYPTION_KEY = "insecure-development-field-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Before auditlog: its management command auditlogflush is replaced by one that refuses
    # to run in production (security.md G2; Django takes a command from the first app).
    "unionportal.core",
    "auditlog",
    "csp",
    "django_htmx",
    "members",
    "welfare",
    "rights",
    "congress",
    "assessment",
    "competitions",
    "unionportal.reporting",
    "selfservice",
    "unionportal.demo",
    "unionportal.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "unionportal.core.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "unionportal.core.middleware.SessionLifetimeMiddleware",
    # the second step of the login before the forced password change (members.mfa)
    "members.mfa.middleware.TwoStepRequiredMiddleware",
    "unionportal.core.middleware.PasswordChangeRequiredMiddleware",
    # a member's account reaches the member pages and nothing else (issue 19)
    "selfservice.middleware.MemberAreaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "unionportal.core.middleware.AuditlogMiddleware",  # the lockout's client address (G1)
    "unionportal.core.middleware.NoStoreMiddleware",
    # axes must come last: it turns a locked-out login into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "unionportal.urls"
WSGI_APPLICATION = "unionportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "unionportal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: performance.md measured 70 against 41 req/s without them.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several people at once (runserver is threaded), each
    # request in one transaction (ATOMIC_REQUESTS). A deferred transaction that has read cannot
    # start writing while another writes, and SQLite answers "database is locked" at once,
    # whatever the timeout: a login reads the account before it writes the session. So every
    # transaction takes the write lock when it begins (IMMEDIATE) and waits up to 30 s for it;
    # WAL lets reads outside a transaction, and the commit, go on beside the writer.
    # scripts/concurrency_smoke.py (five users logging in, browsing and saving at once, .ci/run)
    # measured 12 of 72 requests failing with the timeout alone, WAL or not, and none of 240
    # with IMMEDIATE. Requests then queue for the lock: PostgreSQL is for more people.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL", "timeout": 30, "transaction_mode": "IMMEDIATE"}
    )
# A streaming replica (issue 22; unionportal/core/replica.py): the dashboard, statistics, Excel
# summary and member export read there when it has replayed the primary's WAL to within
# REPLICA_MAX_LAG_BYTES, else on the primary. Writes always go to the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests run on one database: the replica alias mirrors it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["unionportal.core.replica.ReplicaRouter"]
REPLICA_MAX_LAG_BYTES = env.int("REPLICA_MAX_LAG_BYTES", default=16 * 1024 * 1024)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and passwords (security.md B) ------------------------------------------------
AUTH_USER_MODEL = "members.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "members.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "members.passwords.UnionWordValidator"},
]
# 0 turns rotation off (the embedded demo); 90 when the system is graded 等保 level 3.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=0)
ACCOUNT_UNUSED_DAYS = 90

# django-axes: 5 failures lock the username for 30 minutes, answered with 429.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# axes deletes a username's failure records beyond this many (1000 by default), so someone
# failing on purpose could wipe them within days; audit rows stay at least 180 days (G3).
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 10**12
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# The IP-wide limit that joins the username lockout (security.md Decisions).
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=30)
LOGIN_IP_FAILURE_WINDOW = timedelta(minutes=15)
# Wrong codes of the second step count as failed logins too; their value is not logged.
AXES_SENSITIVE_PARAMETERS = ["code"]

# Two-step login (security.md B5, members.mfa): TOTP codes from an authenticator app and
# recovery codes, for federation accounts, those who may export full resident IDs or approve
# relief, and operators. On in production; off with DEBUG so the embedded demo logs in with
# the password alone.
MFA_ENFORCED = env.bool("MFA_ENFORCED", default=not DEBUG)
# More roles that need it, comma-separated: union_staff for county and union staff; at 等保
# level 3 every role (union_staff,branch_chair,branch_officer).
MFA_EXTRA_ROLES = env.list("MFA_EXTRA_ROLES", default=[])
# How long "do not ask on this browser" lasts, in hours: at most 12, 0 turns it off.
MFA_REMEMBER_HOURS = env.int("MFA_REMEMBER_HOURS", default=12)
if not 0 <= MFA_REMEMBER_HOURS <= 12:
    raise ImproperlyConfigured("MFA_REMEMBER_HOURS must be between 0 and 12.")
# The name the authenticator app shows beside the account.
OTP_TOTP_ISSUER = "工会工作门户"

# --- Sessions (security.md C) ---------------------------------------------------------------
SESSION_COOKIE_AGE = 30 * 60  # idle timeout: renewed on every request
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Behind HTTPS (every deployment but a developer's machine) cookies carry the __Host- prefix.
SECURE = env.bool("SECURE", default=not DEBUG)
if SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# django-csp 4: no inline script or style anywhere; everything is served from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Uploads: security.md E1 (the import forms check their own, smaller caps).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
# Private media (proofs, imports, exports) lives outside the web root and is served only by
# views that apply the record's scoping.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery (architecture.md "Periodic and slow work") ---------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# No broker: run every task in the calling process, so the embedded default needs no Redis.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Queues split by kind so a city-wide export never delays a reminder (architecture.md).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "*.rollup_*": {"queue": "rollups"},
    "*.export_*": {"queue": "exports"},
    "*.import_*": {"queue": "exports"},
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task killed with its worker (kill -9, OOM, a lost container) runs again (security.md H6):
# the message is acknowledged only when the task ends (acks late); a pool process that dies
# puts it back in the queue (reject on worker lost); when the whole worker dies, Redis hands
# the unacknowledged message out again once the visibility timeout has passed. That timeout
# must exceed the hard time limit, or a task still running would be handed to a second worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=60 * 60)
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT (seconds)."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# One message reserved per pool process: a lost worker takes no queue of waiting tasks with it.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {}  # filled by unionportal.celery from each app's schedule

# --- Cache ----------------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# The store every web process shares, for the rate limits of the public pages (selfservice):
# the Redis cache where CACHE_URL names one (production), else the database's own cache table
# (SQLite or PostgreSQL; created by selfservice's migration). Never a per-process memory.
if CACHES["default"]["BACKEND"].endswith(("RedisCache", "PyMemcacheCache", "DatabaseCache")):
    CACHES["shared"] = CACHES["default"]
else:
    CACHES["shared"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_shared_cache",
    }

# --- Email: reminders go out only when a backend is configured --------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="unionportal@localhost")
EMAIL_ENABLED = env.bool("EMAIL_ENABLED", default=False)

# --- Audit ----------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
# The hash-chained JSON-lines copy of the audit and login records, written daily for shipping
# off the host (unionportal.core.audit_export; security.md G3).
AUDIT_EXPORT_DIR = env.path("AUDIT_EXPORT_DIR", default=BASE_DIR / "var" / "audit-export")

# --- Demo -----------------------------------------------------------------------------------
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="Demo-Portal-2026!")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request paths can carry nothing personal (no IDs or phones in URLs), but keep
        # Django's request logging at WARNING so query strings are not chattered about.
        "django.request": {"level": "WARNING"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

PORTAL_NAME = _("Union Portal")

# The Django admin is for operators (superusers) only; keep it off the obvious path.
ADMIN_URL = env.str("ADMIN_URL", default="operator-admin/")

SILENCED_SYSTEM_CHECKS = [
    # axes.W006 asks for 'ip_address' in the lockout key. We lock per username (a chair must
    # not be locked out by someone else's typos behind the same NAT) and add an IP-wide
    # limit of our own (LOGIN_IP_FAILURE_LIMIT, unionportal.views.ip_locked).
    "axes.W006",
    # models.W040: SQLite (the embedded demo) ignores the INCLUDE columns of the dues rollup's
    # covering index; PostgreSQL, where the rollup's speed matters, uses them.
    "models.W040",
]

# Dates as 2026-11-23 and counts as 12,345 in both languages (ux.md).
FORMAT_MODULE_PATH = ["unionportal.core.formats"]
USE_THOUSAND_SEPARATOR = False  # grouping only where templates ask (intcomma), never in inputs
