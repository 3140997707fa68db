"""Django settings for the forum: every deploy-specific value comes from the environment."""

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value else default


# Everything below depends on DEBUG and the environment only: off, every default is production's.
# The tests have their own settings module (tests/settings.py) on top of this one.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"  # noqa: S105
    else:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation asks: it patches the translated models.
    "modeltranslation",
    # The admin without autodiscovery at start-up: forum/urls.py discovers the admin modules when
    # the URLs load (a web process, `manage.py check`), so a command that needs no URL — an
    # export, a migration, the task worker — starts without them (docs/performance.md).
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_tasks_db",
    # django-import-export, with tablib's spreadsheet formats loaded on first use (not at start-up).
    "common.spreadsheet_formats.ImportExportConfig",
    # One app per domain, each depending only on those above it (docs/architecture.md).
    "common",
    "forum",
    "registrations",
    "meetings",
    "backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost of those that may see a view's error: a database outage answers 503.
    "common.outage.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "forum.admin_language.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "forum.middleware.VisitorTimezoneMiddleware",
]

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"
ASGI_APPLICATION = "forum.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.context_processors.forum",
            ],
        },
    },
]

# SQLite under var/ by default; DATABASE_URL (postgres://…) in production.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'forum.sqlite3'}")
# Persistent connections in production: opening a PostgreSQL connection per request cost more
# than most pages (docs/performance.md); health checks drop a connection the server closed.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 0 if DEBUG else 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two processes can't both read
    # "one seat left" and then both write; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Nothing needs a cache shared between processes (rate limits count in the database, see
# registrations/ratelimit.py), so per-process caches are enough. "pages" keeps the HTML of the
# public pages (forum/pagecache.py): a few hundred pages of 5-60 kB per process at most.
# How often a process re-reads the current edition to see whether its cached pages are stale.
PAGE_CACHE_CHECK_SECONDS = env_int("PAGE_CACHE_CHECK_SECONDS", 0 if DEBUG else 2)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 400},
    },
}

# Background work (emails, scheduler runs): immediate in development, the database
# queue everywhere else (run `manage.py db_worker`), so a long solve never runs inside a request.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times per language (common/formats/<lang>/formats.py), never patterns in templates.
FORMAT_MODULE_PATH = ["common.formats"]
# Content in both languages (forum/translation.py): English is the fallback of every field.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "ko")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Uploaded files (session materials): the filesystem under MEDIA_ROOT by default; an
# S3-compatible store for several servers (docs/deployment.md). Never served from MEDIA_URL:
# downloads go through a view that checks "public from".
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"
MATERIAL_MAX_MB = env_int("MATERIAL_MAX_MB", 50)
STORAGES = {
    "default": {
        "BACKEND": env_str("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Development serves static files straight from the apps; production from STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Email: printed to the console unless an SMTP server is configured (Django 6.1's MAILERS).
# In development (DEBUG) each email is also saved under var/emails/ and listed on /dev/emails/.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "common.dev_emails.SavingConsoleBackend"
    if DEBUG
    else "django.core.mail.backends.console.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 20,
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ASEAN Connectivity Forum <forum@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A sender's claim on an outbox row lasts this long; after it, the sender is taken for dead and
# the row is sent again (with the same Message-ID). Longer than any SMTP exchange.
EMAIL_CLAIM_SECONDS = env_int("EMAIL_CLAIM_SECONDS", 600)
# A task worker silent this long is dead: its RUNNING tasks go back in the queue.
TASK_WORKER_STALE_SECONDS = env_int("TASK_WORKER_STALE_SECONDS", 120)
# The right-hand side of every Message-ID (<outbox-ROW@DOMAIN>): the site's own domain.
EMAIL_MESSAGE_ID_DOMAIN = env_str(
    "EMAIL_MESSAGE_ID_DOMAIN", urlparse(SITE_URL).hostname or "forum.localhost"
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The 11 ASEAN member states and Korea first in every country list.
COUNTRIES_FIRST = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN", "KR"]
COUNTRIES_FIRST_BREAK = "──────────"
# Names as the forum's readers write them (docs/glossary.md): Koreans write 태국, not 타이 as
# django-countries' Korean catalogue has it, and its Korean names below are wrong (Seychelles given
# as 시칠리, 몽골리아, 로마니아, 케이맨 섬1…); our catalogue translates these English names.
COUNTRIES_OVERRIDE = {
    "TH": _("Thailand"),
    "SC": _("Seychelles"),
    "MN": _("Mongolia"),
    "RO": _("Romania"),
    "KY": _("Cayman Islands"),
    "TR": _("Türkiye"),
    "BI": _("Burundi"),
    "JE": _("Jersey"),
    "CK": _("Cook Islands"),
    "CC": _("Cocos (Keeling) Islands"),
    "CX": _("Christmas Island"),
    "BQ": _("Bonaire, Sint Eustatius and Saba"),
    "MS": _("Montserrat"),
    "GP": _("Guadeloupe"),
    "IO": _("British Indian Ocean Territory"),
    "PN": _("Pitcairn"),
    "AQ": _("Antarctica"),
    "MF": _("Saint Martin (French part)"),
    "RE": _("Réunion"),
    "CW": _("Curaçao"),
}

# Content security policy: nothing inline, everything from our own origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Behind a TLS-terminating proxy (BEHIND_PROXY=1, docs/deployment.md) the app trusts its
# X-Forwarded-Proto; not by default, where a client could claim HTTPS itself.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# How many reverse proxies of ours stand in front of the app servers: rate limits count the
# address that the outermost of them saw (X-Forwarded-For, read from the right). 0: no proxy,
# REMOTE_ADDR is the client. Set it to exactly the number of proxies: one too many lets clients
# choose their own address, one too few counts every visitor as the proxy.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# The language choice is a cookie like the others: HTTPS only in production, not sent on
# cross-site requests.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
# Both commit every subdomain to HTTPS (preload: into the browsers' own lists, for good), a
# choice for the domain's owner: off unless set (docs/deployment.md); the deploy check's
# reminders about them are silenced only while they are off by that choice.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Link tokens never reach a log (common/log_redaction.py); gunicorn's access log is
    # redacted by the logger class in gunicorn.conf.py.
    "filters": {"redact_tokens": {"()": "common.log_redaction.RedactTokensFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # runserver's request lines through the same redacting handler (Django's own doesn't).
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
