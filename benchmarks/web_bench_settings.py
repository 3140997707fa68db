"""Settings for benchmarks/web_load.py only: never part of the deployed site.

The deployed settings (forum/settings.py read with the environment that docs/deployment.md
sets: DEBUG off, HTTPS behind a proxy, the database task queue, manifest static files) with only
what a benchmark on 127.0.0.1 must change: the URLs gain the baseline views, rate limits are
raised out of the way (they still count every hit), emails stay in memory, logs are quiet.
"""

import os

from forum.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.web_bench_urls"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SCOPES = ("register_ip", "register_email", "send_link_ip", "send_link_email")
REGISTRATION_RATE_LIMITS = dict.fromkeys(SCOPES, (1_000_000, 3600))
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
