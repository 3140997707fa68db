"""Pages and sign-ups per second under gunicorn on PostgreSQL, each against a baseline of its kind.

Serves the site as deployed (gunicorn with the repository's gunicorn.conf.py, the production
settings, DEBUG off, HTTPS behind a proxy, the database task queue, manifest static files) on a
throw-away PostgreSQL database holding the 9th forum's demo programme and a long waiting list
(`--waiting`, 20,000 by default) on the capacity-limited session the sign-ups choose. wrk, a
compiled load generator, sends browser-like requests (benchmarks/web_load.lua): cookies sent back,
the visitor-zone cookie the site's script sets, a sign-up as a form GET then a POST with the CSRF
token, Origin and Referer. Contenders run interleaved (bare, register, programme, home, write
floor, sign-up; again; again), `--repeat` times, and each ratio is taken against the baseline of
the same round:

- GET /register/, /programme/, / against a bare Django view behind the same middleware;
- a sign-up (GET /register/, POST /register/ → 302) against a form GET and a POST to a view that
  does one INSERT in one transaction (→ 302).

    make bench-web                     # or: .venv/bin/python benchmarks/web_load.py [--seconds 10]

Needs wrk (Debian's package; `make bench` installs it) and PostgreSQL (DATABASE_HOST, _PORT,
_USER; 127.0.0.1:5432, postgres by default). Prints one table; exits non-zero only when a request
failed, not when a ratio misses its goal (the table says so).
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import machine, print_table  # noqa: E402

SETTINGS = "benchmarks.web_bench_settings"
LUA = Path(__file__).with_name("web_load.lua")

# name, label, mode, path, post path, baseline name, goal
CONTENDERS = [
    ("bare", "bare Django view", "page", "/bench/bare/", "", "", None),
    ("register", "GET /register/", "page", "/register/", "", "bare", 0.30),
    ("programme", "GET /programme/", "page", "/programme/", "", "bare", 0.30),
    ("home", "GET /", "page", "/", "", "bare", 0.40),
    ("floor", "1-INSERT form (GET+POST)", "form", "/bench/form/", "/bench/insert/", "", None),
    ("signup", "sign-up (GET+POST /register/)", "form", "/register/", "/register/", "floor", 0.30),
]

PREPARE = """
import datetime as dt
from django.core.management import call_command
from django.db import connection
call_command('migrate', verbosity=0)
call_command('collectstatic', interactive=False, verbosity=0)
from backoffice.demo import load_demo_forum
from forum.models import Session
from registrations.models import Registration, SessionBooking
edition = load_demo_forum()
assert edition.registration_is_open(), 'the demo edition must be open for registration'
sessions = {s.slug: s for s in edition.sessions.all()}
limited = sessions['projects-transport']
registrations = Registration.objects.bulk_create(
    [
        Registration(edition=edition, email=f'seed{i}@example.org', name=f'Seed {i}',
                     organisation='Seed', job_title='Seed', country='KR',
                     category='korean_company', time_zone='Asia/Seoul', language='en')
        for i in range(limited.capacity + WAITING)
    ],
    batch_size=2000,
)
SessionBooking.objects.bulk_create(
    [
        SessionBooking(registration=r, session=limited, status='booked', seat=i + 1)
        if i < limited.capacity
        else SessionBooking(registration=r, session=limited, status='waiting',
                            position=i - limited.capacity + 1)
        for i, r in enumerate(registrations)
    ],
    batch_size=2000,
)
# The seat counters the services keep (written here, as the rows were)
Session.objects.filter(pk=limited.pk).update(
    seats_taken=min(limited.capacity, len(registrations)),
    last_waiting_place=max(len(registrations) - limited.capacity, 0))
with connection.cursor() as cursor:
    cursor.execute('CREATE TABLE bench_signup (id bigserial PRIMARY KEY, email text NOT NULL,'
                   ' created_at timestamptz NOT NULL)')
print('SESSIONS', sessions['opening'].pk, limited.pk)
"""


def postgres_server() -> dict:
    """Where the throw-away databases go (DATABASE_HOST, _PORT, _USER)."""
    return {
        "host": os.environ.get("DATABASE_HOST", "127.0.0.1"),
        "port": os.environ.get("DATABASE_PORT", "5432"),
        "user": os.environ.get("DATABASE_USER", "postgres"),
    }


def server_env(pg: dict, database: str, static_root: str) -> dict:
    """The deployed settings' environment for a benchmark server on 127.0.0.1."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CONN_MAX_AGE", "DEBUG", "DATABASE_URL", "WEB_CONCURRENCY"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": f"postgres://{pg['user']}@{pg['host']}:{pg['port']}/{database}",
            "SECRET_KEY": "benchmark-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "BENCH_STATIC_ROOT": static_root,
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql: str, pg: dict) -> None:
    subprocess.run(
        ["psql", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], "-qc", sql, "postgres"],
        check=True,
    )


def prepare(env: dict, waiting: int) -> list[int]:
    code = f"import django\ndjango.setup()\nWAITING = {waiting}\n{PREPARE}"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(f"Setting up the benchmark database failed:\n{out.stderr}")
    line = next(x for x in out.stdout.splitlines() if x.startswith("SESSIONS"))
    return [int(x) for x in line.split()[1:]]


def signup_body(sessions: list[int]) -> str:
    """The whole registration form as a browser sends it; {token} and {email} filled by wrk."""
    fields = [
        ("name", "Bench Attendee"),
        ("email", "EMAIL"),
        ("organisation", "Benchmark Engineering"),
        ("job_title", "Engineer"),
        ("country", "KR"),
        ("category", "korean_company"),
        ("phone", ""),
        ("time_zone", "Asia/Seoul"),
        ("language", "en"),
        *[("sessions", str(s)) for s in sessions],
        ("wants_meetings", "on"),
        *[(f"consent_{k}", "on") for k in ("collection", "sharing", "transfer", "marketing")],
        ("website", ""),
    ]
    body = urllib.parse.urlencode(fields).replace("EMAIL", "{email}")
    return f"csrfmiddlewaretoken={{token}}&{body}"


def server_cpu_seconds(master: int) -> float:
    """CPU time of the gunicorn master and its workers (user + system), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == master or ppid == master:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def run_wrk(url: str, args: list[str], *, seconds: float, connections: int, threads: int) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{round(seconds)}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA),
        url,
        "--",
        *args,
    ]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    match = re.search(r"^RESULT (.*)$", out.stdout, re.MULTILINE)
    if out.returncode or not match:
        sys.exit(f"wrk failed:\n{out.stdout}\n{out.stderr}")
    result = {k: float(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    result["rate"] = result["done"] / result["seconds"]
    return result


def wait_for(port: int, path: str) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"}
    )
    for _ in range(150):
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"The server did not answer {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per contender and round")
    parser.add_argument("--repeat", type=int, default=3, help="rounds")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--client-threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--waiting", type=int, default=20_000, help="waiting-list length")
    parser.add_argument("--only", default="", help="comma-separated contender names")
    parser.add_argument(
        "--gunicorn", default="", help="extra gunicorn options, e.g. '--workers 3 --threads 4'"
    )
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `apt-get install wrk` (make bench does it)")
    wanted = {name for name in args.only.split(",") if name}
    if wanted:
        wanted |= {c[5] for c in CONTENDERS if c[0] in wanted and c[5]}
    contenders = [c for c in CONTENDERS if not wanted or c[0] in wanted]

    pg = postgres_server()
    database = f"forum_web_bench_{os.getpid()}"
    static_root = tempfile.mkdtemp(prefix="forum-bench-static-")
    env = server_env(pg, database, static_root)
    env.update(dict(item.split("=", 1) for item in args.env))
    psql(f"CREATE DATABASE {database}", pg)
    server = None
    rounds: list[dict[str, dict]] = []
    try:
        sessions = prepare(env, args.waiting)
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "forum.wsgi:application",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                *args.gunicorn.split(),
            ],
            cwd=ROOT,
            env=env,
        )
        wait_for(port, "/register/")
        url = f"http://127.0.0.1:{port}"
        body = signup_body(sessions)
        wrk_args = {
            name: [mode, path]
            if mode == "page"
            else [
                mode,
                path,
                post_path,
                body if name == "signup" else "csrfmiddlewaretoken={token}&email={email}",
            ]
            for name, _label, mode, path, post_path, _base, _goal in contenders
        }
        common = {"connections": args.connections, "threads": args.client_threads}
        for name, *_rest in contenders:  # warm-up: imports, caches, connections
            run_wrk(url, [*wrk_args[name], f"warm-{name}"], seconds=2, **common)
        for number in range(args.repeat):
            results = {}
            for name, *_rest in contenders:
                cpu = server_cpu_seconds(server.pid)
                result = run_wrk(
                    url, [*wrk_args[name], f"r{number}-{name}"], seconds=args.seconds, **common
                )
                result["cpu_ms"] = (
                    (server_cpu_seconds(server.pid) - cpu) * 1000 / max(result["done"], 1)
                )
                results[name] = result
            rounds.append(results)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", pg)
        shutil.rmtree(static_root, ignore_errors=True)

    print()
    print(
        f"{machine()}; gunicorn.conf.py {args.gunicorn or '(as deployed)'}; wrk "
        f"{args.client_threads} thread(s), {args.connections} connections, {args.seconds:g} s "
        f"per contender, {args.repeat} interleaved rounds; PostgreSQL; "
        f"{args.waiting} on the waiting list at the start"
    )
    rows = []
    failed = 0
    for name, label, _mode, _path, _post, base, goal in contenders:
        rates = [r[name]["rate"] for r in rounds]
        failed += sum(int(r[name]["failed"] + r[name]["socket_errors"]) for r in rounds)
        p50 = statistics.median(r[name]["p50_ms"] for r in rounds)
        cpu = statistics.median(r[name]["cpu_ms"] for r in rounds)
        fails = sum(int(r[name]["failed"]) for r in rounds)
        cells = [
            label,
            f"{statistics.median(rates):.0f} ({min(rates):.0f}–{max(rates):.0f})",
            f"{p50:.1f}",
            f"{cpu:.2f}",
            str(fails),
        ]
        if base:
            ratios = sorted(r[name]["rate"] / r[base]["rate"] for r in rounds)
            median = statistics.median(ratios)
            cells += [
                f"{ratios[0]:.3f} / {median:.3f} / {ratios[-1]:.3f}",
                f"≥ {goal:.2f}",
                "meets" if median >= goal else "MISSES",
            ]
        else:
            cells += ["baseline", "", ""]
        rows.append(cells)
    print_table(
        [
            "page or write",
            "done/s median (min–max)",
            "p50 ms",
            "server CPU ms each",
            "failed",
            "ratio min / median / max",
            "goal",
            "",
        ],
        rows,
    )
    print(
        "(a sign-up is a form GET plus a POST answered 302; its ratio is against the same two "
        "requests to the 1-INSERT floor)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
