"""The last seat raced through several gunicorn worker processes over HTTP, on PostgreSQL.

Twelve browsers post the public registration form at once to four workers, all wanting the last
seat of a session. The guard (the session's seat counter, taken by one conditional UPDATE, and
numbered seats) must give it to exactly one; the negative control starts the same workers with
only the guard off from the test (a query wrapper strips the counter's limit, the seat and
capacity constraints are dropped from the test database; tests/races.py) and the window between
taking the seat and inserting the booking widened, and must overbook.
SQLite isn't the production database and one file shared by processes serialises every writer
(see test_race.py for its threads), so this test runs on PostgreSQL.
"""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from registrations.choices import BookingStatus
from registrations.models import Registration, SessionBooking
from registrations.services.registrations import register_attendee
from tests.factories import SessionFactory
from tests.races import SEAT_TAKEN, gunicorn_workers
from tests.registrations.data import form_data, service_data
from tests.registrations.test_race import seat_constraint_dropped

BROWSERS = 12
SETTINGS = "tests.registrations.race_settings"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="production runs several processes on PostgreSQL; SQLite: see test_race.py",
    ),
    pytest.mark.django_db(transaction=True),
]


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
    with gunicorn_workers(SETTINGS, widen=SEAT_TAKEN) as base:
        statuses = register_at_once(base, session.pk)

    assert statuses == [200] * BROWSERS  # every browser reached the "check your email" page
    assert Registration.objects.count() == BROWSERS + 1
    assert booked(session) == [1, 2]
    waiting = SessionBooking.objects.filter(session=session, status=BookingStatus.WAITING)
    assert sorted(waiting.values_list("position", flat=True)) == list(range(1, BROWSERS))


def test_negative_control_gunicorn_workers_without_the_guard_overbook(open_edition):
    session = last_seat(open_edition)
    with seat_constraint_dropped():
        with gunicorn_workers(SETTINGS, widen=SEAT_TAKEN, seconds=0.5, no_seat_limit=True) as base:
            register_at_once(base, session.pk)
        seats = booked(session)

    assert len(seats) > session.capacity, f"no overbooking without the guard: seats {seats}"
