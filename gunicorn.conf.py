"""gunicorn's settings for the forum (read from the working directory, or with --config).

Chosen by measurement with benchmarks/web_load.py (docs/performance.md): one worker process per
core, four threads each, so a worker keeps its core busy while other requests wait on the
database (sign-ups spend most of their time in PostgreSQL round trips). On 2 cores this served
47 sign-ups/s against 31 with 4 sync workers, and pages 1.2–2.8 times as fast. The environment
can override both (WEB_CONCURRENCY, GUNICORN_THREADS).
The access log keeps no link tokens: the logger class writes them as [token].
"""

import os

wsgi_app = "forum.wsgi:application"
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Each thread keeps its own database connection (CONN_MAX_AGE): workers × threads per server.
# Idle keep-alive connections from the proxy stay open this long. It must be LONGER than the
# proxy's upstream keepalive timeout (deploy/nginx/forum.conf: 60 s), so the proxy always drops
# an idle connection first: the other way round, nginx may reuse a connection gunicorn is just
# closing, and the visitor gets a 502. gunicorn's own default (2 s) is shorter than nginx's.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
logger_class = "common.gunicorn_logging.RedactingGunicornLogger"
