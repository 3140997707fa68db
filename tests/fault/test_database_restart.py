"""PostgreSQL restarted under a burst of registrations, with real processes: gunicorn, the task
worker and an SMTP server. After the restart: no half-written row, every email delivered exactly
once, the worker alive, and no 500 (503, with Retry-After, only while the database was away).

It restarts the PostgreSQL server it runs against, so it is kept out of the default run (marker
`fault`, deselected in pyproject.toml) and CI runs it on its own after the PostgreSQL suite
(`.ci/run`: `pytest -m fault tests/fault`; docs/deployment.md). FORUM_FAULT_LOCKS may name lock
files (comma-separated) the test holds, with flock, while it restarts the server, so that others
sharing the server can wait for it.
"""

import concurrent.futures
import contextlib
import fcntl
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fault.smtp_sink import SmtpSink

pytestmark = pytest.mark.fault

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 48
CLIENT_THREADS = 8
# After the server is back, how long a request may still meet a connection it dropped.
GRACE_SECONDS = 10

PREPARE = """
import django
django.setup()
from django.core.management import call_command
call_command('migrate', verbosity=0)
from backoffice.demo import load_demo_forum
edition = load_demo_forum()
assert edition.registration_is_open(), 'the demo edition must be open for registration'
sessions = {s.slug: s for s in edition.sessions.all()}
kinds = sorted(edition.consent_texts.values_list('kind', flat=True).distinct())
print('SESSIONS', sessions['opening'].pk, sessions['projects-transport'].pk)
print('CONSENTS', *kinds)
"""


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the fault test restarts PostgreSQL: run it with DATABASE_URL=postgres://…")
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(url: str, sql: str, database: str | None = None) -> list[list[str]]:
    parts = urllib.parse.urlsplit(url)
    command = [
        "psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        "-AtF",
        "\t",
        "-c",
        sql,
        database or parts.path.lstrip("/"),
    ]
    env = {**os.environ, **({"PGPASSWORD": parts.password} if parts.password else {})}
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env)  # noqa: S603
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def cluster() -> tuple[str, str]:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    return version, "main"


@contextlib.contextmanager
def held(paths: list[str]):
    """flock on each path (in order) for the block; never passed to a child process."""
    handles = []
    try:
        for path in paths:
            handle = open(path, "a")  # noqa: SIM115 — held for the block
            fcntl.flock(handle, fcntl.LOCK_EX)
            handles.append(handle)
        yield
    finally:
        for handle in reversed(handles):
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()


def restart_postgres(url: str) -> tuple[float, float]:
    """Restarts the server; the moments it went away and was answering again."""
    version, name = cluster()
    went = time.monotonic()
    subprocess.run(  # noqa: S603 — fixed arguments
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],  # noqa: S607
        check=True,
        capture_output=True,
    )
    parts = urllib.parse.urlsplit(url)
    for _ in range(120):
        ready = subprocess.run(  # noqa: S603
            [  # noqa: S607
                "pg_isready",
                "-q",
                "-h",
                parts.hostname or "127.0.0.1",
                "-p",
                str(parts.port or 5432),
            ]
        )
        if ready.returncode == 0:
            break
        time.sleep(0.25)
    back = time.monotonic()
    return went, back


@dataclass
class Answer:
    person: int
    method: str
    status: int
    started: float
    ended: float


def register(port: int, person: int, sessions: list[int], consents: list[str]) -> list[Answer]:
    """One person registering as a browser does (GET the form, POST it), again after a 503."""
    answers: list[Answer] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.monotonic()
        try:
            connection.request("GET", "/register/")
            response = connection.getresponse()
            page = response.read().decode()
            answers.append(Answer(person, "GET", response.status, started, time.monotonic()))
            if response.status != 200:
                time.sleep(float(response.headers.get("Retry-After", "1")) / 30)
                continue
            cookies = "; ".join(
                value.split(";", 1)[0] for value in response.headers.get_all("Set-Cookie") or []
            )
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            fields = [
                ("csrfmiddlewaretoken", token),
                ("name", f"Fault Person {person}"),
                ("email", f"fault{person}@example.org"),
                ("organisation", "Restart Engineering"),
                ("job_title", "Engineer"),
                ("country", "KR"),
                ("category", "korean_company"),
                ("phone", ""),
                ("time_zone", "Asia/Seoul"),
                ("language", "en" if person % 2 else "ko"),
                *[("sessions", str(session)) for session in sessions],
                ("wants_meetings", "on"),
                *[(f"consent_{kind}", "on") for kind in consents],
                ("website", ""),
            ]
            started = time.monotonic()
            connection.request(
                "POST",
                "/register/",
                body=urllib.parse.urlencode(fields),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookies,
                },
            )
            response = connection.getresponse()
            response.read()
            answers.append(Answer(person, "POST", response.status, started, time.monotonic()))
            if response.status == 302:
                return answers
            time.sleep(float(response.headers.get("Retry-After", "1")) / 30)
        except (OSError, http.client.HTTPException):
            answers.append(Answer(person, "connection", 0, started, time.monotonic()))
            time.sleep(0.5)
        finally:
            connection.close()
    return answers


def wait_for(port: int, process: subprocess.Popen) -> None:
    for _ in range(240):
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer")


def drained(url: str, database: str) -> bool:
    pending = psql(
        url,
        "SELECT (SELECT count(*) FROM registrations_outgoingemail"
        " WHERE status IN ('queued', 'retrying')),"
        " (SELECT count(*) FROM django_tasks_database_dbtaskresult"
        " WHERE status IN ('READY', 'RUNNING'))",
        database,
    )
    return pending == [["0", "0"]]


@pytest.fixture
def fault_database():
    url = postgres_url()
    database = f"forum_fault_{os.getpid()}"
    psql(url, f"CREATE DATABASE {database}", "postgres")
    try:
        yield url, database
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            psql(url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", "postgres")


def test_a_database_restart_under_a_registration_burst(fault_database, tmp_path):
    url, database = fault_database
    parts = urllib.parse.urlsplit(url)
    database_url = urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))
    port = free_port()
    with SmtpSink() as sink:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DEBUG", "CONN_MAX_AGE", "WEB_CONCURRENCY", "GUNICORN_THREADS"}
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "tests.fault.fault_settings",
                "DATABASE_URL": database_url,
                "SECRET_KEY": "fault-test-only-" + "x" * 40,
                "ALLOWED_HOSTS": "127.0.0.1",
                "SITE_URL": f"http://127.0.0.1:{port}",
                "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(sink.port),
                "WEB_CONCURRENCY": "2",
                "GUNICORN_THREADS": "4",
                "TASK_WORKER_STALE_SECONDS": "30",
                "PYTHONPATH": str(ROOT),
            }
        )
        prepared = subprocess.run(  # noqa: S603 — our own code
            [sys.executable, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert prepared.returncode == 0, prepared.stderr
        lines = dict(line.split(" ", 1) for line in prepared.stdout.splitlines() if " " in line)
        sessions = [int(pk) for pk in lines["SESSIONS"].split()]
        consents = lines["CONSENTS"].split()

        logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("web", "worker")}  # noqa: SIM115
        web = subprocess.Popen(  # noqa: S603 — our own gunicorn, fixed arguments
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=logs["web"],
            stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(  # noqa: S603 — our own worker
            [sys.executable, "manage.py", "task_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stdout=logs["worker"],
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(port, web)
            outage: list[tuple[float, float]] = []
            first_done = threading.Event()

            def person(number: int) -> list[Answer]:
                answers = register(port, number, sessions, consents)
                first_done.set()
                return answers

            # Others sharing the server wait (FORUM_FAULT_LOCKS) from before the burst to after
            # the restart; taken once gunicorn and the worker run, so they don't inherit them.
            locks = [p for p in os.environ.get("FORUM_FAULT_LOCKS", "").split(",") if p]
            with held(locks), concurrent.futures.ThreadPoolExecutor(CLIENT_THREADS) as pool:
                futures = [pool.submit(person, n) for n in range(PEOPLE)]
                first_done.wait(60)
                time.sleep(1)  # in the thick of the burst
                outage.append(restart_postgres(url))
                answers = [answer for future in futures for answer in future.result()]

            deadline = time.monotonic() + 180
            while not drained(url, database) and time.monotonic() < deadline:
                time.sleep(1)
            assert drained(url, database), "the queue did not drain after the restart"
            time.sleep(2)  # the last SMTP sessions end

            went, back = outage[0]
            statuses = sorted({answer.status for answer in answers})
            late_503 = [a for a in answers if a.status == 503 and a.started > back + GRACE_SECONDS]
            early_503 = [a for a in answers if a.status == 503 and a.ended < went]
            registered = {a.person for a in answers if a.method == "POST" and a.status == 302}

            counts = {status: sum(1 for a in answers if a.status == status) for status in statuses}
            print(  # the figures, for the record (pytest -s)
                f"outage {back - went:.1f} s; answers by status {counts}; "
                f"{len(sink.mailbox.snapshot())} emails delivered"
            )
            # No 500, and 503 only while the database was away.
            assert 500 not in statuses, statuses
            # Every request answered (0 would be a dropped connection), 503 or not.
            assert set(statuses) <= {200, 302, 503}, statuses
            assert (late_503, early_503) == ([], [])
            assert registered == set(range(PEOPLE))

            # No half-written rows: each registration with all its consents, both bookings and
            # its confirmation email.
            rows = psql(
                url,
                "SELECT r.email,"
                " (SELECT count(*) FROM registrations_consent c WHERE c.registration_id = r.id),"
                " (SELECT count(*) FROM registrations_sessionbooking b"
                "  WHERE b.registration_id = r.id),"
                " (SELECT count(*) FROM registrations_outgoingemail e"
                "  WHERE e.registration_id = r.id AND e.kind = 'confirm')"
                " FROM registrations_registration r WHERE r.email LIKE 'fault%' ORDER BY r.email",
                database,
            )
            assert sorted(row[0] for row in rows) == sorted(
                f"fault{n}@example.org" for n in range(PEOPLE)
            )
            assert {tuple(row[1:]) for row in rows} == {
                (str(len(consents)), str(len(sessions)), "1")
            }
            orphans = psql(
                url,
                "SELECT (SELECT count(*) FROM registrations_sessionbooking b LEFT JOIN"
                " registrations_registration r ON r.id = b.registration_id WHERE r.id IS NULL),"
                " (SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status = 'FAILED')",
                database,
            )
            assert orphans == [["0", "0"]]

            # Every email delivered exactly once: one message per outbox row, by Message-ID.
            emails = psql(
                url,
                "SELECT id, status FROM registrations_outgoingemail ORDER BY id",
                database,
            )
            assert {status for _id, status in emails} == {"sent"}
            expected = sorted(f"<outbox-{email_id}@127.0.0.1>" for email_id, _status in emails)
            delivered = sorted(message.message_id for message in sink.mailbox.snapshot())
            assert delivered == expected

            # The worker lived through it, and still beats.
            assert worker.poll() is None
            assert web.poll() is None
            beating = psql(
                url,
                "SELECT count(*) FROM common_taskworker"
                " WHERE seen_at > now() - interval '30 seconds'",
                database,
            )
            assert beating == [["1"]]
        finally:
            for process in (web, worker):
                process.terminate()
            for process in (web, worker):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
            for log in logs.values():
                log.close()
