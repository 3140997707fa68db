"""gunicorn's settings for the forum (read from the working directory, or with --config).

Workers and threads were chosen by measurement with benchmarks/web_load.py: see
docs/deployment.md. The environment can override them (WEB_CONCURRENCY, GUNICORN_THREADS).
"""

import os

wsgi_app = "forum.wsgi:application"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
