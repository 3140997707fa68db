"""The last seat raced through several gunicorn worker processes over HTTP, on PostgreSQL.

Twelve browsers post the public registration form at once to four workers, all wanting the last
seat of a session. The guard (row locks + numbered seats) must give it to exactly one; the
negative control starts the same workers with only the guard off (no row locks, seat constraint
dropped) and the window between count and insert widened, and must overbook.
SQLite isn't the production database and one file shared by processes serialises every writer
(see test_race.py for its threads), so this test runs on PostgreSQL.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from registrations.choices import BookingStatus
from registrations.models import Registration, SessionBooking
from registrations.services.registrations import register_attendee
from tests.factories import SessionFactory
from tests.registrations.data import form_data, service_data
from tests.registrations.test_race import guard_switched_off

ROOT = Path(__file__).resolve().parents[2]
BROWSERS = 12
WORKERS = 4

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="production runs several processes on PostgreSQL; SQLite: see test_race.py",
    ),
    pytest.mark.django_db(transaction=True),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn_workers(extra_env: dict[str, str]):
    """Real worker processes serving the production app on the test database; the base URL."""
    port = free_port()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.registrations.race_settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "SECRET_KEY": "race-test-secret-key-not-for-production-use-0123456789",
        **extra_env,
    }
    with open(os.environ.get("RACE_LOG", os.devnull), "a") as log:
        server = subprocess.Popen(  # noqa: S603 — our own gunicorn, fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.registrations.race_wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={WORKERS}",
                "--log-level=warning",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=5).close()  # noqa: S310
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("the gunicorn workers did not start") from None
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(5)


def register_at_once(base: str, session_id: int) -> list[int]:
    """Each browser opens the form, then all post at the same moment; the status codes."""
    barrier = threading.Barrier(BROWSERS)
    statuses: list[int] = []

    def browser(n: int) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{base}/register/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = {
            **form_data(email=f"racer{n}@example.org"),
            "sessions": str(session_id),
            "csrfmiddlewaretoken": token,
        }
        request = urllib.request.Request(  # noqa: S310 — our own test server
            f"{base}/register/",
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": f"{base}/register/"},
        )
        barrier.wait()
        try:
            with opener.open(request, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=browser, args=(n,)) for n in range(BROWSERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def last_seat(open_edition):
    session = SessionFactory(edition=open_edition, capacity=2)
    register_attendee(
        edition=open_edition, data=service_data(email="first@example.org", sessions=[session])
    )
    return session


def booked(session) -> list[int]:
    return sorted(
        SessionBooking.objects.filter(session=session, status=BookingStatus.BOOKED).values_list(
            "seat", flat=True
        )
    )


def test_gunicorn_workers_give_the_last_seat_to_exactly_one(open_edition):
    session = last_seat(open_edition)
    with gunicorn_workers({"RACE_WIDEN": "1"}) as base:
        statuses = register_at_once(base, session.pk)

    assert statuses == [200] * BROWSERS  # every browser reached the "check your email" page
    assert Registration.objects.count() == BROWSERS + 1
    assert booked(session) == [1, 2]
    waiting = SessionBooking.objects.filter(session=session, status=BookingStatus.WAITING)
    assert sorted(waiting.values_list("position", flat=True)) == list(range(1, BROWSERS))


def test_negative_control_gunicorn_workers_without_the_guard_overbook(open_edition, monkeypatch):
    session = last_seat(open_edition)
    with guard_switched_off(monkeypatch):
        with gunicorn_workers({"RACE_WIDEN": "1", "RACE_GUARD_OFF": "1"}) as base:
            register_at_once(base, session.pk)
        seats = booked(session)

    assert len(seats) > session.capacity, f"no overbooking without the guard: seats {seats}"
