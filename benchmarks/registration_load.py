"""Registration POSTs per second under gunicorn on PostgreSQL, against a bare Django view.

Creates a throw-away PostgreSQL database, serves the site with gunicorn (several workers) on
127.0.0.1, and for a fixed time sends, from client threads, (a) the complete registration form
— valid data, two sessions of which one has a capacity (row lock, seat numbers, waiting list),
four consents — and (b) the same body to a bare view in the same processes. Prints the rates,
their ratio (target ≥ 0.30) and p50/p95 latencies.

    DATABASE_HOST=127.0.0.1 .venv/bin/python benchmarks/registration_load.py [--seconds 10]
"""

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "benchmarks.registration_bench_settings"
TARGET_RATIO = 0.30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql: str, pg: dict) -> None:
    subprocess.run(
        ["psql", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], "-qc", sql, "postgres"],
        check=True,
    )


def prepare(env: dict) -> list[int]:
    """Migrates the new database and sets up an open edition; returns two session ids."""
    code = (
        "import datetime as dt\n"
        "from django.core.management import call_command\n"
        "from django.utils import timezone\n"
        "call_command('migrate', verbosity=0)\n"
        "from forum.models import Edition, Session\n"
        "from registrations.demo import load_demo_consents\n"
        "now = timezone.now()\n"
        "e = Edition.objects.create(number=99, slug='bench', title='Benchmark forum',"
        " start_date=now.date(), end_date=now.date(), is_current=True,"
        " registration_opens=now - dt.timedelta(days=1))\n"
        "load_demo_consents(e)\n"
        "a = Session.objects.create(edition=e, slug='a', title='Open session', kind='panel',"
        " starts_at=now + dt.timedelta(days=5), ends_at=now + dt.timedelta(days=5, hours=1))\n"
        "b = Session.objects.create(edition=e, slug='b', title='Small session', kind='panel',"
        " capacity=50, starts_at=now + dt.timedelta(days=6),"
        " ends_at=now + dt.timedelta(days=6, hours=1))\n"
        "print(a.pk, b.pk)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.exit(f"Setting up the benchmark database failed:\n{out.stderr}")
    return [int(x) for x in out.stdout.split()[-2:]]


class Client:
    """One keep-alive-free HTTP client with its own cookies and CSRF token."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str = "", headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, response.getheader("Location", ""), data

    def csrf_token(self) -> str:
        status, _, page = self.request("GET", "/register/")
        assert status == 200, status
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


def form_body(token: str, n: int, sessions: list[int]) -> str:
    fields = [
        ("csrfmiddlewaretoken", token),
        ("name", f"Bench Attendee {n}"),
        ("email", f"bench{n}@example.org"),
        ("organisation", "Benchmark Engineering"),
        ("job_title", "Engineer"),
        ("country", "KR"),
        ("category", "korean_company"),
        ("time_zone", "Asia/Seoul"),
        ("language", "en"),
        ("wants_meetings", "on"),
        *[("sessions", str(s)) for s in sessions],
        *[(f"consent_{k}", "on") for k in ("collection", "sharing", "transfer", "marketing")],
    ]
    return urllib.parse.urlencode(fields)


def run(port: int, *, bare: bool, seconds: float, threads: int, sessions, counter) -> dict:
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        nonlocal failures
        client = Client(port)
        token = client.csrf_token()
        headers = {"Referer": f"http://127.0.0.1:{port}/register/"}
        mine = []
        bad = 0
        for _ in range(1_000_000):  # bounded; the deadline ends it long before
            if time.monotonic() >= deadline:
                break
            with lock:
                n = next(counter)
            body = form_body(token, n, sessions)
            started = time.perf_counter()
            if bare:
                status, location, _ = client.request("POST", "/bench/bare/", body, headers)
                ok = status == 200
            else:
                status, location, _ = client.request("POST", "/register/", body, headers)
                ok = status == 302 and location.endswith("/register/thanks/")
            elapsed = time.perf_counter() - started
            if ok:
                mine.append(elapsed)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            failures += bad

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.monotonic()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=seconds + 120)
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "done": len(latencies),
        "failed": failures,
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    pg = {
        "host": os.environ.get("DATABASE_HOST", "127.0.0.1"),
        "port": os.environ.get("DATABASE_PORT", "5432"),
        "user": os.environ.get("DATABASE_USER", "postgres"),
    }
    database = f"forum_bench_{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": f"postgres://{pg['user']}@{pg['host']}:{pg['port']}/{database}",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "DEBUG": "0",
        "PYTHONPATH": str(ROOT),
        "CONN_MAX_AGE": "60",
    }
    psql(f"CREATE DATABASE {database}", pg)
    server = None
    try:
        sessions = prepare(env)
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "forum.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--chdir",
                str(ROOT),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        counter = iter(range(10**9))
        common = {"seconds": args.seconds, "threads": args.threads, "sessions": sessions}
        run(port, bare=True, counter=counter, **{**common, "seconds": 2})  # warm-up
        bare = run(port, bare=True, counter=counter, **common)
        registration = run(port, bare=False, counter=counter, **common)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", pg)

    ratio = registration["rate"] / bare["rate"]
    print()
    print(
        f"gunicorn {args.workers} workers, {args.threads} client threads, "
        f"{args.seconds:.0f} s each, PostgreSQL, {os.cpu_count()} CPUs"
    )
    columns = ("endpoint", "done", "failed", "req/s", "p50 ms", "p95 ms")
    widths = (22, 6, 6, 8, 7, 7)
    print(
        "| "
        + " | ".join(
            f"{c:<{w}}" if i == 0 else f"{c:>{w}}"
            for i, (c, w) in enumerate(zip(columns, widths, strict=True))
        )
        + " |"
    )
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for name, result in (("bare Django view", bare), ("registration POST", registration)):
        cells = (
            f"{name:<22}",
            f"{result['done']:>6}",
            f"{result['failed']:>6}",
            f"{result['rate']:>8.1f}",
            f"{result['p50']:>7.1f}",
            f"{result['p95']:>7.1f}",
        )
        print("| " + " | ".join(cells) + " |")
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"\nratio registration / bare = {ratio:.2f} ({verdict} the target of {TARGET_RATIO:.2f})")
    return 0 if ratio >= TARGET_RATIO and registration["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
