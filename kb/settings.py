"""Settings for the 大模型创业知识库 project.

Everything that differs between a laptop and production comes from the
environment; the defaults are safe for local development only.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "For local development set DJANGO_DEBUG=1."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    # First, so that its ready() registers the models with reversion (with their
    # follow rules) before the admin's autodiscovery creates the VersionAdmins.
    "articles",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "reversion",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS headers on /api/ only (CORS_URLS_REGEX); before anything that can answer.
    "corsheaders.middleware.CorsMiddleware",
    # Rendered read-only pages by content version, ETag and 304 (articles/pagecache.py):
    # early, so that a cached page skips everything below.
    "articles.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "articles.middleware.UrlLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: a POST to a read-only page is a 405, not a CSRF failure.
    "articles.middleware.ReadOnlyViewsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After sessions, language and CSRF, so its 400 page is in the reader's language.
    "articles.middleware.RejectMalformedQueryMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After, not 500.
    "articles.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "kb.urls"

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
                "articles.context_processors.navigation",
                "articles.context_processors.feeds",
            ],
        },
    },
]

WSGI_APPLICATION = "kb.wsgi.application"

# Database: DATABASE_URL, or an SQLite file in the project folder.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share the file: WAL lets readers and the one
    # writer proceed together, IMMEDIATE avoids "database is locked" upgrades.
    # Connections are kept (CONN_MAX_AGE, as for PostgreSQL): opening one and setting
    # the journal mode on every request would cost more than most pages.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Chinese by default, English offered.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files: the project's own, served by whitenoise (compressed, hashed).
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WHITENOISE_MAX_AGE = int(os.environ.get("WHITENOISE_MAX_AGE", "3600"))  # unhashed files; hashed: 1 year

# Cache: Redis when CACHE_URL or REDIS_URL is set (shared by all hosts), local memory otherwise.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
if CACHE_URL:
    # Sessions are read from the shared cache and written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CACHES = {
        "default": {
            # Django's RedisCache with short timeouts, where a Redis failure is a cache miss
            # (articles/cache.py): the site keeps answering from the database without it.
            "BACKEND": "articles.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kb"),
            "TIMEOUT": int(os.environ.get("CACHE_TIMEOUT", "300")),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CACHE_SOCKET_TIMEOUT = float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.25"))  # seconds per Redis call
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "5"))  # skip a failed cache this long

# Rendered pages: cached per content version (never stale), and what browsers, proxies and
# CDNs may keep (they revalidate with the ETag after max-age / s-maxage seconds).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=True)
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "86400"))
PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", "60"))
PAGE_S_MAXAGE = int(os.environ.get("PAGE_S_MAXAGE", "600"))
RELEASE = os.environ.get("KB_RELEASE", "")

# Security. Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=1.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", default=False)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Preloading is a commitment for the whole domain: opt in with DJANGO_SECURE_HSTS_PRELOAD=1.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "articles.views.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: the project's own files only; no inline script or style anywhere.
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

# The read-only JSON API (articles/api.py): anonymous, JSON only, throttled per client address.
KB_API_ANON_RATE = os.environ.get("KB_API_ANON_RATE", "300/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["articles.throttling.AnonThrottle"],
    "NUM_PROXIES": int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0")),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    # ASCII: the schema download's file name is made from it.
    "TITLE": "Large-model startup knowledge base API",
    "DESCRIPTION": "大模型创业知识库的只读 JSON API. Read-only JSON API of the knowledge base: every record "
    "kind, the case list's facets, and search. No authentication; anonymous clients are throttled.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Other sites' pages may read the API from the browser (GET only, no cookies): the data is public
# and read-only, and reading it is what the API is for. Nothing else is shared across origins.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False

# Brute-force protection for the admin login (django-axes).
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client address comes from X-Forwarded-For only as far as our own proxies wrote it
# (TRUSTED_PROXY_COUNT of them); otherwise from the connection, so a made-up header dodges nothing.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "articles.security.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}

TAGGIT_CASE_INSENSITIVE = True
FORMS_URLFIELD_ASSUME_HTTPS = True

# Content of the knowledge base lives in fixtures/ and is loaded by load_kb.
KB_FIXTURE_DIR = BASE_DIR / "fixtures"

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# -- Keeping the content true (README, "The editor's routine") -----------------------------------
# A case whose last check is older than this many days is due for review.
KB_REVIEW_DAYS = int(os.environ.get("KB_REVIEW_DAYS", "90"))
# A key figure whose "as of" date is older than this many days is due for review.
KB_FIGURE_MAX_AGE_DAYS = int(os.environ.get("KB_FIGURE_MAX_AGE_DAYS", "365"))
# manage.py check_sources: parallel requests, seconds per request, and how it names itself.
KB_LINK_CHECK_CONCURRENCY = int(os.environ.get("KB_LINK_CHECK_CONCURRENCY", "8"))
KB_LINK_CHECK_TIMEOUT = float(os.environ.get("KB_LINK_CHECK_TIMEOUT", "15"))
KB_LINK_CHECK_USER_AGENT = os.environ.get(
    "KB_LINK_CHECK_USER_AGENT", "KnowledgeBaseLinkChecker/1.0 (source link check of a knowledge base)"
)
# Reader reports: how many one address may send per hour (counted in the shared cache).
KB_REPORTS_PER_HOUR = int(os.environ.get("KB_REPORTS_PER_HOUR", "5"))
# The public change history shows editors' names only when this is on.
KB_PUBLIC_EDITOR_NAMES = env_bool("KB_PUBLIC_EDITOR_NAMES", default=False)
