"""Settings for benchmarks/registration_load.py only: never part of the deployed site.

Production settings with what a benchmark on 127.0.0.1 needs (plain HTTP, plain static files,
emails kept in memory, rate limits out of the way) plus one bare view to compare against.
"""

import warnings

from forum.settings import *  # noqa: F403

warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "benchmarks.registration_bench_urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SCOPES = ("register_ip", "register_email", "send_link_ip", "send_link_email")
REGISTRATION_RATE_LIMITS = dict.fromkeys(SCOPES, (1_000_000, 3600))
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# As in production: the request only queues the email; a `db_worker` would send it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
