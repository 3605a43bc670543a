"""One settings module for every environment, driven by environment variables.

Unset, it gives the embedded demo (SQLite, tasks inline); `DATABASE_URL` and `REDIS_URL`
switch to PostgreSQL and a real Celery broker, as in CI and docker-compose.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)


def read_secret_key() -> str:
    """From DJANGO_SECRET_KEY, or a file named by DJANGO_SECRET_KEY_FILE (docker secrets);
    on a developer's machine, the .secret_key that `make` writes and git ignores."""
    if key := os.environ.get("DJANGO_SECRET_KEY", ""):
        return key
    path = Path(os.environ.get("DJANGO_SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
    return path.read_text().strip() if path.is_file() else ""


SECRET_KEY = read_secret_key()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Give DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) when DJANGO_DEBUG is off."
        )
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its widget templates, found through TEMPLATES so templates/django/forms/ can replace one.
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "csp",
    "django_celery_beat",
    "teams",
    "meetings",
    "initiatives",
    "datasystem",
    "digests",
]

# `make bench` serves with this on, to read each page's SQL queries from a response header
# (smt_portal.middleware.QueryCountMiddleware); off, the middleware drops out at start-up.
PORTAL_COUNT_QUERIES = env_bool("PORTAL_COUNT_QUERIES", False)

MIDDLEWARE = [
    "smt_portal.middleware.QueryCountMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so it sees the outcome of every sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smt_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "teams.context_processors.portal_context",
            ],
        },
    },
]

# Inputs and selects are written in Python (smt_portal/widgets.py); Django's templates,
# an include per attribute list and per option, cost a filter bar milliseconds. Other
# widgets render through the templates, the project's first.
FORM_RENDERER = "smt_portal.widgets.PortalFormRenderer"

WSGI_APPLICATION = "smt_portal.wsgi.application"

# Connections are kept for a minute between requests; the health check at the start of
# each request replaces one the database dropped (a restart), so the web processes recover
# by themselves. Requests caught by the outage get the 503 page (views.server_error).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails the request in seconds rather than holding a
    # worker for the operating system's two-minute TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5"))
    )
    # The portal's pages are short queries over data that sits in memory or on SSD: with
    # PostgreSQL's spinning-disk default (random_page_cost 4) the planner scans a whole table
    # rather than an index for "the barriers of a specialist's 150 teams"; and JIT compiling
    # costs more than it saves on queries that run in milliseconds.
    DATABASES["default"]["OPTIONS"].setdefault(
        "options",
        "-c random_page_cost={} -c jit=off".format(
            os.environ.get("DJANGO_DB_RANDOM_PAGE_COST", "1.1")
        ),
    )
    # .iterator() reads client-side: Django's server-side cursor costs a DECLARE, a FETCH
    # and a CLOSE for every select's choices on a form, and would not survive a pooler in
    # transaction mode. Nothing the portal iterates is larger than the cascade's teams.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "teams.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, loading the figures the navigation shows in the same query.
    "teams.backends.PortalBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Dates the portal accepts anywhere (roles, seats, updates, reviews, the Zone): from this
# many years back to this many years ahead of today.
PORTAL_DATE_WINDOW_YEARS = (30, 5)

# Outcome values behind fewer students than this are never shown (datasystem/suppression.py).
PORTAL_MINIMUM_CELL_SIZE = int(os.environ.get("PORTAL_MINIMUM_CELL_SIZE", "10"))

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("PORTAL_TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes; `make bench` collects into its own cache to serve from.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed file names need `collectstatic` (the Dockerfile and `make run` run
# it). A server started by hand without it serves the files straight from static/
# instead of failing every page for want of the manifest.
STATIC_MANIFEST = (
    env_bool("DJANGO_STATIC_MANIFEST", True) and (STATIC_ROOT / "staticfiles.json").is_file()
)
# Outcome files waiting for their import (and the rows an import rejected): private to the
# import, never served. Web and worker processes must share it (docker-compose mounts it).
PORTAL_IMPORTS_DIR = Path(os.environ.get("PORTAL_IMPORTS_DIR", BASE_DIR / "imports"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PORTAL_IMPORTS_DIR, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Transport security -----------------------------------------------------------------
# On by default outside DEBUG; `make run` and the tests serve plain http on 127.0.0.1.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers and the compose healthcheck probe liveness over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "smt_portal.views.csrf_failure"

# No inline scripts or styles anywhere: every script is a file under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Sign-in throttling (django-axes) -----------------------------------------------------
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
# Lock the pair of account and address: ten wrong passwords for one account lock that
# account from that address, never every other account behind the same address (a whole
# agency office shares one).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address: behind the proxy docker-compose.yml assumes, the right-most
# X-Forwarded-For entry (the one our proxy added; entries to its left are the client's
# word); otherwise the connection's own address, so a forged header changes nothing.
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if BEHIND_PROXY else ("REMOTE_ADDR",)
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Keep each failed sign-in, not only the running count: admins read it on /settings/lockouts/.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# --- Cache and sessions ---------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")


def cache_url_beside(broker_url: str) -> str:
    """The next Redis database after the broker's: clearing the cache must never drop
    queued tasks."""
    parts = urlsplit(broker_url)
    current = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(current + 1) % 16}"))


# Shared by every web process when Redis is there (production, CI); one per process in the
# embedded demo. What is cached says how it is invalidated (teams/standing.py, ...).
CACHES = {
    "default": (
        {
            "BACKEND": "smt_portal.cache.RedisCache",
            "LOCATION": os.environ.get("CACHE_URL") or cache_url_beside(REDIS_URL),
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "smt"),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions read from the cache and kept in the database: no query per request to find
# who is signed in, and nobody signed out when the cache restarts.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The queue tasks go to and workers read: one per installation by default; a test or the
# bench gives its own, so two workers on one Redis never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
# The scheduled tasks are on the database's schedule (digests/schedule.py); a task's own
# retries are bounded there too.
CELERY_TASK_TIME_LIMIT = 15 * 60

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "smt-portal@localhost")
# For DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (production).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30"))
# The file backend's folder (DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased...).
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
# The portal's address as people reach it, for the links in emails.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# After an email fails, the first pause before it is tried again (doubling each time).
PORTAL_MAIL_RETRY_SECONDS = int(os.environ.get("PORTAL_MAIL_RETRY_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
