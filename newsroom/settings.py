"""Newsroom settings: one module, configured from the environment (see .env.example)."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from newsroom.formats.en.formats import VARIANTS as english_variants
from pagecache.backends import cache_settings, namespace_for

BASE_DIR = Path(__file__).resolve().parent.parent


def email_file_path(email_url: str, base_dir: Path) -> Path:
    """The folder of a ``filemail:`` EMAIL_URL, read as a ``file:`` URL is: django-environ drops
    the path's first slash, which made ``filemail:///tmp/mail`` the project's ``tmp/mail``. A
    path without a leading slash (``filemail:sent-emails``) is under ``base_dir``."""
    parts = urlsplit(email_url)
    path = parts.path if parts.scheme == "filemail" and parts.netloc in ("", "localhost") else ""
    if path.startswith("/"):
        return Path("/" + path.lstrip("/"))
    return base_dir / (path or "sent-emails")


env = environ.Env()
# Read before .env, which never overrides the environment: DEBUG counts only when set there.
DEBUG_SET_IN_ENVIRONMENT = "DEBUG" in os.environ
ENV_FILE = Path(os.environ.get("NEWSROOM_ENV_FILE", BASE_DIR / ".env"))
if ENV_FILE.is_file():
    env.read_env(ENV_FILE)

# No fallback key. Commands that sign nothing (makemigrations, check, migrate) run without one
# in a fresh checkout; the web server does not start without it (newsroom/wsgi.py reads it, and
# Django refuses an empty key).
SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
if DEBUG and not DEBUG_SET_IN_ENVIRONMENT:
    # A .env left by a quick start must never give a production start Django's debug pages.
    # Not ImproperlyConfigured: manage.py keeps that one quiet and fails later, elsewhere.
    raise RuntimeError(
        "DEBUG is on only in .env: remove it from .env, and set DEBUG=1 in the environment "
        "for development (make run does)."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Served over HTTPS unless SECURE=0 (a plain-HTTP test set-up) or in development: HSTS,
# secure __Host- cookies and the redirect to HTTPS are on by default with DEBUG off.
SECURE = env.bool("SECURE", default=not DEBUG)

INSTALLED_APPS = [
    "newsroom",
    "modeltranslation",  # must come before django.contrib.admin
    "newsroom.apps.NewsroomAdminConfig",  # Django's admin, with the newsroom's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_prose_editor",
    "simple_history",
    "csp",
    "axes",
    "anymail",
    "django_tasks",
    "newsroom.task_queue.TasksConfig",  # django_tasks_db, named in the desk's language
    "pagecache",
    "releases",
    "formats",
    "alerts",
]

MIDDLEWARE = [
    "newsroom.middleware.RequestIdMiddleware",
    # A stored public page is answered here, with the headers the stack below gave it when it
    # was stored; only the request log above runs again.
    "pagecache.middleware.ServeStoredPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.AdminStylePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A request no page can read (too many parameters, oversized headers): the 400 page now.
    "newsroom.middleware.MalformedRequestMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    "newsroom.db_router.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, where the view is known: decides which responses may be stored and shared.
    "pagecache.middleware.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
CSRF_FAILURE_VIEW = "newsroom.errors.csrf_failure"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "releases.public.context_processors.newsroom",
            ],
        },
    },
]

# Milliseconds a statement of a web request may run (0: no limit); see below.
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=0)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that is down must not hang a request: libpq's shortest timeout is 2 seconds,
    # and a refused connection fails at once.
    # A stalled database (a partition, a frozen host, a lock held too long) must not hang a
    # request either: TCP keepalives and a user timeout drop a connection whose peer stopped
    # acknowledging, and the web server (newsroom/gunicorn.conf.py) cuts every statement at
    # DATABASE_STATEMENT_TIMEOUT milliseconds (5000 there; 0, off, for management commands and
    # migrations). When the server never sees the statement (a partition, a frozen host), the
    # web server stops waiting for its reply a second later, and for a new connection after
    # DATABASE_CONNECT_TIMEOUT (newsroom.db_deadline). Either way the request answers 503
    # (newsroom.middleware).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=2),
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 2,
            "keepalives_count": 3,
            "tcp_user_timeout": env.int("DATABASE_TCP_USER_TIMEOUT", default=10_000),
        }
    )
    # Web pages run small queries whose cost estimates still cross PostgreSQL's JIT threshold
    # at 100,000 releases; compiling them costs far more (300 ms) than it saves.
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c jit=off -c statement_timeout={DATABASE_STATEMENT_TIMEOUT}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The quick start writes from three processes (the server, the task worker, the alerts
    # dispatcher). A transaction that reads and then writes, begun as SQLite begins them
    # (deferred), failed at once with "database is locked" beside another writer instead of
    # waiting its turn: each takes the write lock as it begins, waits up to 20 seconds for it,
    # and readers never wait for writers (write-ahead log).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if env("DATABASE_REPLICA_URL", default=""):
    # Public pages read from the replica; the admin and every write use the primary.
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"] |= {
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]
# Seconds after a change during which public reads still use the primary (replica lag).
REPLICA_LAG_ALLOWANCE = env.float("REPLICA_LAG_ALLOWANCE", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis (CACHE_URL=redis://…) is an accelerator, never a single point of failure: connect and
# socket timeouts of CACHE_TIMEOUT seconds, and every error answers as a miss
# (pagecache.backends). Keys are namespaced by database and site, so deployments sharing one
# Redis never see each other's values (CACHE_KEY_PREFIX to choose the namespace): the site as
# configured, not where a server listens, so that a management command run beside
# `make serve` (which passes LISTEN_URL) shares the server's namespace.
CONFIGURED_SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The public address of the newsroom, used where a page has no request (feeds ids, e-mails):
# SITE_URL (environment or .env), else where `make run` and `make serve` listen (LISTEN_URL).
SITE_URL = env("SITE_URL", default=env("LISTEN_URL", default=CONFIGURED_SITE_URL))
CACHES = {
    "default": cache_settings(
        env("CACHE_URL", default="locmemcache://newsroom"),
        namespace=env("CACHE_KEY_PREFIX", default="")
        or namespace_for(DATABASES["default"], CONFIGURED_SITE_URL),
        timeout=env.float("CACHE_TIMEOUT", default=0.2),
    )
}
# The version of the code that computes cached values (pagecache.caching.key_for): values kept
# by another version are never read. Unset: a digest of the sources, templates and catalogues.
CODE_VERSION = env("CODE_VERSION", default="")
# Public pages for anonymous readers (releases/caching.py; docs/deployment.md). Seconds this
# server keeps a page (0: off), and the s-maxage offered to caches in front, which cannot be told
# of changes. Both end before the next embargo lifts. With several server processes, the cache
# must be shared (Redis): a per-process cache could not be told of changes made elsewhere.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_SHARED_MAX_AGE = env.int("PAGE_CACHE_SHARED_MAX_AGE", default=60)
# The query parameters pages read (lists' filters and page, search words, sitemap pages): only
# these make a page's cache key; others (utm_*, cache busters) never store a new page.
PAGE_CACHE_QUERY_PARAMETERS = frozenset(
    ["page", "p", "q", "type", "campaign", "topic", "spokesperson", "year", "month", "language"]
)
# Bytes of recently used cache entries each process keeps in its own memory, so that a request
# asks a shared cache (Redis) only for the generation and what it does not hold (0: off).
RECENT_CACHE_BYTES = env.int("RECENT_CACHE_BYTES", default=16 * 1024 * 1024)
# Seconds a worker answers warm pages on the epoch it last read from Redis without reading it
# again (Redis also pushes word of a change at once); a change waits this long before it
# returns, so that once it has, no worker answers from what it read before (pagecache/wsgi.py).
PAGE_CACHE_EPOCH_TRUST = env.float("PAGE_CACHE_EPOCH_TRUST", default=0.05)

# The content API (/api/v1/): requests each client address may make (per s, m, h or d).
API_RATE_LIMIT = env("API_RATE_LIMIT", default="300/m")

# `make bench` only: counts SQL queries in a response header and mounts the framework floor.
NEWSROOM_BENCH = env.bool("NEWSROOM_BENCH", default=False)
if NEWSROOM_BENCH:
    MIDDLEWARE.insert(0, "pagecache.middleware.QueryCountHeaderMiddleware")

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Canadian French dates and times (“9 mai 2021”, “6 h 00”), and English in the variant below;
# other languages use Django's.
FORMAT_MODULE_PATH = ["newsroom.formats"]
# The English of dates and times, as the organisation's readers write them: en-CA, Canadian
# Press (“Ottawa, ON, May 9, 2021”, “2:24 p.m.”, 01/12/2026 typed is January 12); en-GB
# (“London, 9 May 2021”, “14:24”, 01/12/2026 is December 1), en-IE, en-AU, en-US.
ENGLISH_FORMATS = env("ENGLISH_FORMATS", default="en-CA")
if ENGLISH_FORMATS not in english_variants:
    raise RuntimeError(
        f"ENGLISH_FORMATS is {ENGLISH_FORMATS!r}: choose one of {', '.join(english_variants)}."
    )
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", default="America/Toronto")
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr")

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Uploads (releases/images.py, releases/documents.py). Files are served only through views
# that apply the visibility rule: never expose MEDIA_ROOT (or the bucket) directly.
NEWSROOM_IMAGE_MAX_BYTES = env.int("NEWSROOM_IMAGE_MAX_BYTES", default=20 * 1024 * 1024)
NEWSROOM_IMAGE_MAX_PIXELS = env.int("NEWSROOM_IMAGE_MAX_PIXELS", default=40_000_000)
NEWSROOM_DOCUMENT_MAX_BYTES = env.int("NEWSROOM_DOCUMENT_MAX_BYTES", default=50 * 1024 * 1024)


# --- Background work and e-mail (alerts/; docs/alerts.md) --------------------------------
# The task queue, by address: database:// (the quick start: django-tasks-db, a worker started
# by `manage.py db_worker`), redis://host:6379/0 (production: RQ through django-tasks-rq, any
# number of `manage.py rqworker default` processes on any number of machines) or immediate://
# (run at once, in the process that enqueues; for debugging).
TASKS_URL = env("TASKS_URL", default="database://")
if TASKS_URL.startswith(("redis://", "rediss://")):
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": TASKS_URL, "DEFAULT_TIMEOUT": 600}}
    INSTALLED_APPS.append("django_rq")
elif TASKS_URL.startswith("immediate://"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# smtp://user:password@host:587 (smtp+tls://… for STARTTLS), consolemail://, or a file per
# e-mail in a folder: filemail:sent-emails, relative to the project (the quick start's default,
# with DEBUG on), or filemail:///var/mail/newsroom, absolute as in a file:// URL. A provider
# through django-anymail: set EMAIL_BACKEND (e.g. anymail.backends.postmark.EmailBackend) and
# its ANYMAIL settings.
_email_url = env("EMAIL_URL", default="filemail:sent-emails" if DEBUG else "smtp://localhost:25")
_email = env.email_url_config(_email_url)
EMAIL_BACKEND = env("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = email_file_path(_email_url, BASE_DIR)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Provider settings (API keys, the webhook's shared secret "user:password"), read by anymail.
ANYMAIL = env.json("ANYMAIL", default={})
if env("ANYMAIL_WEBHOOK_SECRET", default=""):
    ANYMAIL["WEBHOOK_SECRET"] = env("ANYMAIL_WEBHOOK_SECRET")
# Digests (daily, weekly) leave at this hour of the newsroom's TIME_ZONE; weekly on this day
# (0 = Monday).
ALERTS_DIGEST_HOUR = env.int("ALERTS_DIGEST_HOUR", default=7)
ALERTS_DIGEST_WEEKDAY = env.int("ALERTS_DIGEST_WEEKDAY", default=0)
# A delivery claimed by a worker but not sent after this many seconds is handed out again
# (the worker died); a failed one is retried with backoff up to ALERTS_MAX_ATTEMPTS times.
ALERTS_CLAIM_TIMEOUT = env.int("ALERTS_CLAIM_TIMEOUT", default=300)
ALERTS_MAX_ATTEMPTS = env.int("ALERTS_MAX_ATTEMPTS", default=6)
# E-mails per task: one task sends them over one SMTP connection.
ALERTS_BATCH_SIZE = env.int("ALERTS_BATCH_SIZE", default=500)
# Sign-ups accepted per email address per hour, and per client (IP address: a whole newsroom
# may sign up from one).
ALERTS_SIGNUPS_PER_HOUR = env.int("ALERTS_SIGNUPS_PER_HOUR", default=3)
ALERTS_SIGNUPS_PER_CLIENT_PER_HOUR = env.int("ALERTS_SIGNUPS_PER_CLIENT_PER_HOUR", default=20)
# The WebSub hub that feeds name and the dispatcher tells of changes (empty: none).
WEBSUB_HUB_URL = env("WEBSUB_HUB_URL", default="")

LOGIN_URL = "admin:login"
# Where a sign-in lands when its `next` is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"
ADMIN_URL = env("ADMIN_URL", default="admin/")
# The admin's language, chosen by staff, is the admin's alone: the public site's “/” follows the
# reader's browser.
LANGUAGE_COOKIE_PATH = f"/{ADMIN_URL}"

# --- Security -------------------------------------------------------------------------------
# Headers every response carries (SecurityMiddleware, django-csp, django-permissions-policy).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
}
# Nothing is allowed unless listed (default-src 'none'); each kind of resource the pages use
# is listed, from this site only. No inline script anywhere (JSON-LD is data, not script).
# The one exception is the body editor's import map in the admin, which carries the
# request's nonce; the nonce appears in the header only on pages that use it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Cookies: HttpOnly and SameSite always; Secure and __Host- prefixed over HTTPS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Only staff have sessions: they end after a working day, or when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
if SECURE:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Joining the browsers' preload list is hard to undo, so it is the operator's choice.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
# Behind a TLS-terminating proxy, which sets this header (and strips it from clients).
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies (load balancer, CDN) append to X-Forwarded-For in front of the app.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Login throttling: after AXES_FAILURE_LIMIT failures an account is locked out at that address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Per account AND address: wrong passwords for one account never lock out another, nor the same
# account from elsewhere. A superuser lifts a lockout in the admin (Sign-in attempts › Access
# attempts: delete the row).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.errors.lockout"

# --- Logs: JSON lines on stderr, each with the request id ---------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.middleware.RequestIdLogFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s %(request_id)s %(process)d",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        }
    },
    "handlers": {
        "stderr": {
            "class": "newsroom.logs.BatchedStreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stderr"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Our own request log replaces Django's and gunicorn's access lines.
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
