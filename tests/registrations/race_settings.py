"""Settings of the gunicorn workers that the process race test starts: production's, over HTTP.

Plain HTTP on localhost (no TLS redirect, no secure-only cookies), rate limits out of the way (the
test posts many registrations from one address), emails kept in memory.
"""

from forum.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
REGISTRATION_RATE_LIMITS = dict.fromkeys(
    ("register_ip", "register_email", "send_link_ip"), (100000, 3600)
)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# No collectstatic for a test server: plain static URLs instead of the hashed manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
