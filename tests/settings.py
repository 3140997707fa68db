"""The settings the tests run with (pytest's DJANGO_SETTINGS_MODULE, pyproject.toml).

The production settings (forum/settings.py) as they stand with DEBUG off, plus only what a test
run needs: a key of its own, plain HTTP on localhost, static files from the apps, background work
run at once, a fast password hasher, no page-cache delay. Production code never asks whether it
is under test; tests that need production's own defaults read forum/settings.py in a separate
process (tests/forum/test_settings.py).
"""

import os

# forum/settings.py refuses to start without a key unless DEBUG is on; the tests get their own.
os.environ.setdefault(
    "SECRET_KEY", "django-insecure-tests-only-key-never-use-in-production-0123456789"
)

from forum.settings import *  # noqa: E402, F403
from forum.settings import BASE_DIR, DATABASES, STORAGES  # noqa: E402

# The test client's host and the live server's.
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

# Plain HTTP: no redirect to HTTPS, no HSTS, cookies sent without TLS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False

# A connection per request, as development has it: the test database is emptied between tests.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared memory, so that tests' threads race through real separate connections
    # exactly as several app processes would.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-forum.sqlite3")}

# Static files straight from the apps (no collectstatic before a test run).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Emails and scheduler runs happen within the test; a published page is stale at once.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PAGE_CACHE_CHECK_SECONDS = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
