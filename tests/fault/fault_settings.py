"""Settings for the fault test's gunicorn and task worker only: the deployed settings with what a
run on 127.0.0.1 must change (no HTTPS redirect, static files from the apps, rate limits out of
the way of a burst from one address; they still count every hit)."""

from forum.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SCOPES = ("register_ip", "register_email", "manage_ip", "manage_registration")
REGISTRATION_RATE_LIMITS = dict.fromkeys(SCOPES, (1_000_000, 3600))
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
