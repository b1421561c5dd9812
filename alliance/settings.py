"""Settings for every environment, read once from the environment (and `.env`).

Development: `DEBUG=1` (written to `.env` by `make run`).
Production: `DEBUG` off, and a strong `SECRET_KEY` and `ALLOWED_HOSTS` set, or start-up
stops. Every variable is described in the README's "Deployment" section.
"""

import hashlib
import os
import tempfile
import zlib
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from environs import Env

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
# The development `.env` that `make run` writes; ENV_FILE names another, or none (empty:
# the test suite, which sets what it needs itself whatever a developer's `.env` says).
env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if env_file:
    env.read_env(env_file, recurse=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or in .env) to a long random "
            "value, or set DEBUG=1 for local development."
        )
    # Local development only: a fresh key per process, so no key is ever shared.
    from django.core.management.utils import get_random_secret_key

    SECRET_KEY = get_random_secret_key()
elif not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure")
    # A key that compresses well repeats itself ("password" * 7 passes Django's own
    # check, security.W009); random characters barely compress, even hexadecimal ones.
    or len(zlib.compress(SECRET_KEY.encode(), 9)) < 0.75 * len(SECRET_KEY.encode())
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters, not a "
        "'django-insecure-' key nor a repeated word. Generate one with: python -c "
        "'import secrets; print(secrets.token_urlsafe(50))'"
    )

# Signs backups (manage.py backup); restore refuses a file signed with another key. Keep
# it with the backups' off-site copies: a new deployment restores only with the same key.
BACKUP_SIGNING_KEY = env.str("BACKUP_SIGNING_KEY", default="")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is empty: set it to the host names the site answers to, "
        "comma-separated (ALLOWED_HOSTS=alliance.example.org), or set DEBUG=1 for local "
        "development."
    )
if not DEBUG and "*" in ALLOWED_HOSTS:
    # Any Host header would be believed: absolute links and password-reset addresses
    # could name the attacker's host.
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS=* accepts any Host header: name the host names the site answers "
        "to (ALLOWED_HOSTS=alliance.example.org; .example.org for every subdomain)."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "alliance",
]

MIDDLEWARE = [
    # First: the request log times everything below it, and the health check answers the
    # load balancer before host validation, the HTTPS redirect and sessions.
    "alliance.ops.RequestLogMiddleware",
    "alliance.ops.HealthCheckMiddleware",
    # A NUL in the address, TRACE, or a method no public page answers: refused at once.
    "alliance.http.RequestShapeMiddleware",
    # Above the page cache: kept answers get `Cache-Control: no-cache` and gzip too.
    "alliance.http.PublicAnswerMiddleware",
    # One read of the record's last change per request, for everything below.
    "alliance.freshness.FreshnessMiddleware",
    # Above security and CSP: a kept answer is served with the headers it was made with.
    "alliance.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Below CommonMiddleware, so the length it counts is the typeset page's.
    "alliance.public.typography.FrenchTypographyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into alliance.security's 429.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username and address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

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
                # `csp_nonce` for the rare inline <script nonce="{{ csp_nonce }}">.
                "django.template.context_processors.csp",
            ],
            # The public site's tags live with the public site, outside an app's templatetags.
            "libraries": {
                "public": "alliance.public.templatetags.public",
                "registers": "alliance.public.templatetags.registers",
                "highlight": "alliance.public.templatetags.highlight",
            },
        },
    },
]

DATABASES = {
    "default": env.dj_db_url(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Seconds a connection is kept between requests; `make serve` keeps them (60).
        conn_max_age=env.int("CONN_MAX_AGE", default=0),
        # A kept connection is checked before reuse, so a database restart costs no errors.
        conn_health_checks=env.bool("CONN_HEALTH_CHECKS", default=True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two editors saving at once: the second waits for the first (busy timeout) instead of
    # failing at once, and a transaction takes the write lock when it begins (IMMEDIATE),
    # so it never fails half-way when upgrading a read lock.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("timeout", 20)
    _options.setdefault("transaction_mode", "IMMEDIATE")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django binds parameters on the client and turns psycopg's prepared statements off,
    # so PostgreSQL plans every query afresh: 4 to 6 ms for the record's last change, asked
    # at every request, and a quarter of a detail page's time. Bound on the server, a query
    # run five times on a connection is prepared, and planned once. Off (0) behind a
    # PgBouncer in transaction mode that does not keep prepared statements.
    _prepared = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("server_side_binding", _prepared)
    _options.setdefault("prepare_threshold", 5 if _prepared else None)
# On PostgreSQL, each process keeps the record's last change and reads it again only once
# a change is announced (LISTEN/NOTIFY, alliance.listening), not at every request. It
# needs a session that keeps its LISTEN, which PgBouncer in transaction mode does not
# (nor prepared statements): off by default wherever those are turned off. On SQLite, the
# same setting has each connection ask `PRAGMA data_version`, which moves when another
# connection commits, before it reads the last change again.
FRESHNESS_LISTEN = env.bool(
    "FRESHNESS_LISTEN", default=env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
)

# Cache ------------------------------------------------------------------------------
# Two caches that never share memory (README, "Deployment"):
# - `counters` (and `default`): the API's request budget, shared by every process
#   through Redis when REDIS_URL is set. While Redis is down or hangs, each process
#   counts in its own memory (alliance.caches), after a wait of at most 0.25 s.
# - `pages`: whole answers for anonymous readers (alliance.pagecache), in each process's
#   memory, bounded in entries and in each entry's size, so no stream of addresses can
#   grow it or push anything else out.
REDIS_URL = env.str("REDIS_URL", default="")
_COUNTERS = (
    {
        "BACKEND": "alliance.caches.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"FALLBACK": "memory"},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "counters"}
)

# Whole answers to anonymous GETs of the public pages and the API, keyed by the record's
# last change, so an edit shows at once (alliance.pagecache). PAGE_CACHE=0 turns it off.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
# Pages and API answers drawn for anonymous readers, each kept until a part of the record
# it read changes (alliance.freshness.kept), in the page cache's stores. KEPT_PAGES=0
# draws every one afresh.
KEPT_PAGES = env.bool("KEPT_PAGES", default=True)
# Cards kept under the rows they print, in each process's memory (~1 KB each).
FRAGMENT_CACHE_ENTRIES = env.int("FRAGMENT_CACHE_ENTRIES", default=5000)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_ENTRIES = env.int("PAGE_CACHE_ENTRIES", default=300)
PAGE_CACHE_ENTRY_BYTES = env.int("PAGE_CACHE_ENTRY_BYTES", default=128 * 1024)
# Answers to addresses with a query (`?page=`, `?q=`, filters) live apart, so no stream
# of them can push the plain pages out.
PAGE_CACHE_VARIANT_ENTRIES = env.int("PAGE_CACHE_VARIANT_ENTRIES", default=200)
# What one process of a server drew, shared with the others through files in a private
# directory, so that after an edit each answer is drawn once per server rather than once
# per worker (alliance.freshness.kept, whose names hold the release and the database).
# One directory per checkout; an empty value turns it off.
SHARED_DRAWINGS_DIR = env.str(
    "SHARED_DRAWINGS_DIR",
    default=str(
        Path(tempfile.gettempdir())
        / f"alliance-drawings-{os.getuid()}-{hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]}"
    ),
)
SHARED_DRAWINGS_ENTRIES = env.int("SHARED_DRAWINGS_ENTRIES", default=1000)

CACHES = {
    "default": _COUNTERS,
    "counters": _COUNTERS,
    "pages": {
        "BACKEND": "alliance.caches.BoundedMemoryCache",
        "LOCATION": "pages",
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {
            "MAX_ENTRIES": PAGE_CACHE_ENTRIES,
            "MAX_ENTRY_BYTES": PAGE_CACHE_ENTRY_BYTES,
        },
    },
    # What is computed once per record version (alliance.freshness.once_per_version): a
    # list's count, a filter form's widgets. Keyed by the version: an edit moves past it.
    "per-version": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "per-version",
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # Cards of the list pages (a stance with its passage and sources) and the API's facts,
    # kept under the rows they show (alliance.fragments): an edit redraws only its own.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": FRAGMENT_CACHE_ENTRIES},
    },
    "page-variants": {
        "BACKEND": "alliance.caches.BoundedMemoryCache",
        "LOCATION": "page-variants",
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {
            "MAX_ENTRIES": PAGE_CACHE_VARIANT_ENTRIES,
            "MAX_ENTRY_BYTES": PAGE_CACHE_ENTRY_BYTES,
        },
    },
    # Public answers as gzip sent them, under a digest of the answer (alliance.http).
    "gzipped": {
        "BACKEND": "alliance.caches.BoundedMemoryCache",
        "LOCATION": "gzipped",
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {
            "MAX_ENTRIES": PAGE_CACHE_ENTRIES,
            "MAX_ENTRY_BYTES": PAGE_CACHE_ENTRY_BYTES,
        },
    },
}
if SHARED_DRAWINGS_DIR:
    CACHES["drawings"] = {
        "BACKEND": "alliance.caches.SharedDrawingsCache",
        "LOCATION": SHARED_DRAWINGS_DIR,
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": SHARED_DRAWINGS_ENTRIES},
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first: the source article is French.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "alliance" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic gathers the files that whitenoise (or a CDN in front of it) serves.
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "alliance" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# How many proxies append to X-Forwarded-For: the client address (login lockout, API
# budget) is read that many entries from its end (0: the connection's own address), and
# only when the connection comes from one of FORWARDED_ALLOW_IPS (the balancer's; gunicorn
# reads the same variable for X-Forwarded-Proto).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
FORWARDED_ALLOW_IPS = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])

REST_FRAMEWORK = {
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PAGINATION_CLASS": "alliance.api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["alliance.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "alliance.api.schema.ApiAutoSchema",
    # The throttle reads the client address through alliance.security.client_ip, which
    # believes X-Forwarded-For only from FORWARDED_ALLOW_IPS; DRF's own count agrees.
    "NUM_PROXIES": PROXY_COUNT,
}
# Requests per client (by IP) to the API; "none" turns the budget off.
API_ANONYMOUS_RATE = env.str("API_ANONYMOUS_RATE", default="120/minute")
if API_ANONYMOUS_RATE.lower() == "none":
    API_ANONYMOUS_RATE = None

SPECTACULAR_SETTINGS = {
    "TITLE": "AI Alliance record API",
    "DESCRIPTION": (
        "Who is in which coalition, who leans open or closed, and the passages that say so. "
        "Read-only and anonymous; every fact carries its citation."
    ),
    "VERSION": "1",
    # 3.1: a nullable object is `oneOf` it or null, which strict validators understand.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # One name for the one set of date precisions, whichever date carries it.
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "alliance.models.dates.DatePrecision",
        "OrganisationKindEnum": "alliance.models.organisations.OrganisationKind",
        "RelationKindEnum": "alliance.models.relations.RelationKind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    # No link inside each operation's summary button: nested controls (axe-core).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "alliance.api.schema.strict_contract",
    ],
}

# Any origin may read the API, and only read it.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")

# Logs ---------------------------------------------------------------------------
# Everything to standard output, one line per request (alliance.ops.RequestLogMiddleware).


def _not_a_runserver_request_line(record):
    # runserver logs each request it answered, as the request log already did. Its other
    # lines stay: a request it refused itself, HTTPS spoken to it, a broken pipe.
    return record.msg != '"%s" %s %s'


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handler (standard error, in DEBUG) would print each of its lines a
        # second time ("Watching for file changes"): the root's handler is enough.
        "django": {"handlers": [], "level": "NOTSET"},
        # A 404 or 429 is already in its request line; server errors still log their traceback.
        "django.request": {"level": "ERROR"},
        "django.server": {"filters": [_not_a_runserver_request_line], "propagate": True},
        # django-axes says each failure and lockout at WARNING; its INFO is per request.
        "axes": {"level": "WARNING"},
    },
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Security -------------------------------------------------------------------------
# Production (DEBUG off) follows Django's deployment checklist:
# `manage.py check --deploy --fail-level WARNING` passes.

# Behind a load balancer that ends TLS and says so in X-Forwarded-Proto.
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The health check never reaches this redirect (alliance.ops answers it first); the
# exemption keeps it reachable over plain HTTP if the middleware order ever changes.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
# No script of ours reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy: only our own files; an inline <script> or <style> runs only
# with the request's nonce ({{ csp_nonce }}), so injected markup never executes.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Admin login lockout (django-axes, alliance.security): after this many failed logins
# for one username from one address, the login answers 429 for LOGIN_LOCKOUT_SECONDS.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
# Counted in the database: shared by every server, never evicted, kept while Redis is down.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "alliance.security.failure_limit"
AXES_COOLOFF_TIME = "alliance.security.lockout_time"
AXES_USERNAME_CALLABLE = "alliance.security.lockout_username"
AXES_CLIENT_IP_CALLABLE = "alliance.security.client_ip"
AXES_LOCKOUT_CALLABLE = "alliance.security.lockout_response"
AXES_RESET_ON_SUCCESS = True
# No row per successful login, and no admin pages of its own: `unlock_logins` is the tool.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
