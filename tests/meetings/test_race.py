"""Many people book at once: no one is ever in two meetings and no slot over its rooms.

Through real processes: gunicorn workers (PostgreSQL) serve the participant pages while 16 client
threads press "accept and book" at the same moment — for one person's last free slot, and for a
slot's last room. Exactly one wins, the others get "that slot was just taken" with the remaining
choices, and nothing answers 5xx. The negative control serves the same code with only the guard
(row locks, seat rows, room numbers) off and the check-to-write window widened: it double-books,
so the test can tell. Threads calling the services directly run the same race on SQLite too.
"""

import datetime as dt
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, connections

from common import db
from common.errors import ForumError
from common.models import RateLimitCounter
from meetings.choices import MeetingStatus, RequestStatus
from meetings.models import Meeting, MeetingRequest
from meetings.services import booking
from meetings.services.requests import accept_request, request_meeting
from meetings.services.slots import set_availability
from registrations.views.support import MANAGE_SESSION_KEY
from tests.factories import BusinessProfileFactory, MeetingSettingsFactory, MeetingSlotFactory

CLIENTS = 16
ROOT = Path(__file__).resolve().parents[2]
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="gunicorn workers share the test database only on PostgreSQL",
)


def participant(edition):
    return BusinessProfileFactory(registration__edition=edition).registration


def last_free_slot_of_one_person(edition):
    """One person sent 16 requests; their only free slot has rooms for everyone."""
    MeetingSettingsFactory(edition=edition, request_limit=None)
    busy = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2030, 1, 21, 10, 0, tzinfo=SEOUL), rooms=CLIENTS
    )
    last = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2030, 1, 21, 11, 0, tzinfo=SEOUL), rooms=CLIENTS
    )
    person = participant(edition)
    set_availability(registration=person, unavailable_slots=[busy])
    requests = [
        request_meeting(sender=person, receiver=participant(edition)) for _ in range(CLIENTS)
    ]
    return last, requests


def last_room_of_one_slot(edition):
    """Sixteen different pairs; the slot has one room left."""
    MeetingSettingsFactory(edition=edition, request_limit=None)
    slot = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2030, 1, 21, 11, 0, tzinfo=SEOUL), rooms=3
    )
    for _ in range(2):
        a, b = participant(edition), participant(edition)
        request = request_meeting(sender=a, receiver=b)
        accept_request(request=request, by=b, slot=slot)
    requests = [
        request_meeting(sender=participant(edition), receiver=participant(edition))
        for _ in range(CLIENTS)
    ]
    return slot, requests


SCENARIOS = {"person": last_free_slot_of_one_person, "room": last_room_of_one_slot}


def double_bookings(slot) -> tuple[int, int]:
    """(people in more than one meeting in the slot, meetings beyond the slot's rooms)."""
    meetings = Meeting.objects.filter(slot=slot, status=MeetingStatus.SCHEDULED)
    seen: dict[int, int] = {}
    for sender, receiver in meetings.values_list("sender_id", "receiver_id"):
        for person in (sender, receiver):
            seen[person] = seen.get(person, 0) + 1
    doubled = sum(count > 1 for count in seen.values())
    return doubled, max(0, meetings.count() - slot.rooms)


# Through gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )


class Server:
    """gunicorn with several worker processes on the test database."""

    def __init__(self, *, guard: bool):
        self.port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.meetings.meetings_race_settings",
            "DATABASE_URL": database_url(),
            # The sessions the test signs in with are signed with this process's key.
            "SECRET_KEY": settings.SECRET_KEY,
            "MEETINGS_RACE_NO_GUARD": "0" if guard else "1",
            "PYTHONPATH": str(ROOT),
        }
        self.process = subprocess.Popen(  # noqa: S603 — our own gunicorn, fixed arguments
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "tests.meetings.meetings_race_wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "4",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def get(self, path: str, cookies: str = "") -> tuple[int, str]:
        return self.request("GET", path, cookies=cookies)

    def request(self, method: str, path: str, *, cookies: str = "", body: str = ""):
        """(status, the redirect's location or else the page)."""
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            headers = {"Cookie": cookies} if cookies else {}
            if body:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            client.request(method, path, body=body or None, headers=headers)
            response = client.getresponse()
            location = response.getheader("Location", "")
            return response.status, location or response.read().decode()
        finally:
            client.close()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def browser_of(registration) -> str:
    """A signed-in browser: the session the emailed link would have opened, and a CSRF cookie."""
    session = SessionStore()
    session[MANAGE_SESSION_KEY] = {"id": registration.pk, "key": registration.link_key}
    session.create()
    csrf = "c" * 32
    return (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    )


def accept_at_once(server: Server, requests, slot) -> list[tuple[int, str]]:
    """Each receiver presses "accept" on the chosen slot, all at the same moment."""
    RateLimitCounter.objects.all().delete()  # 16 clicks from one address are the point here
    browsers = [browser_of(request.receiver) for request in requests]
    barrier = threading.Barrier(len(requests))
    answers: list[tuple[int, str]] = []

    def press(request, cookies):
        barrier.wait()
        answers.append(
            server.request(
                "POST",
                f"/meetings/requests/{request.pk}/accept/",
                cookies=cookies,
                body=f"csrfmiddlewaretoken={'c' * 32}&slot={slot.pk}",
            )
        )

    threads = [
        threading.Thread(target=press, args=(request, cookies))
        for request, cookies in zip(requests, browsers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return answers


# One server per test: a transactional test empties the database afterwards, and a long-lived
# worker would keep ids (content types) of the emptied database in its caches.
@pytest.fixture
def guarded_server(transactional_db):
    server = Server(guard=True)
    yield server
    server.stop()


@pytest.fixture
def unguarded_server(transactional_db):
    server = Server(guard=False)
    yield server
    server.stop()


@postgres_only
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.django_db(transaction=True)
def test_through_gunicorn_exactly_one_of_16_gets_the_slot(edition, guarded_server, scenario):
    slot, requests = SCENARIOS[scenario](edition)

    answers = accept_at_once(guarded_server, requests, slot)

    statuses = sorted(status for status, _page in answers)
    assert statuses == [302] + [409] * (CLIENTS - 1), answers[:2]
    lost = [page for status, page in answers if status == 409]
    assert all("That slot was just taken" in page for page in lost)
    assert double_bookings(slot) == (0, 0)
    booked = MeetingRequest.objects.filter(pk__in=[r.pk for r in requests])
    assert sorted(booked.values_list("status", flat=True)) == sorted(
        [RequestStatus.BOOKED] + [RequestStatus.PENDING] * (CLIENTS - 1)
    )


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_guard_the_same_clicks_double_book(edition, unguarded_server):
    slot, requests = last_free_slot_of_one_person(edition)

    answers = accept_at_once(unguarded_server, requests, slot)

    assert all(status < 500 for status, _page in answers)
    doubled, _over = double_bookings(slot)
    assert doubled == 1, "without the guard the person should have been double-booked"
    assert Meeting.objects.filter(slot=slot).count() > 1


# Threads on the services, on every database -----------------------------------------------


def book_at_once(requests, slot) -> list[str]:
    barrier = threading.Barrier(len(requests))
    codes: list[str] = []

    def accept(request):
        try:
            barrier.wait()
            accept_request(request=request, by=request.receiver, slot=slot)
            codes.append("booked")
        except ForumError as error:
            codes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return codes


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.django_db(transaction=True)
def test_threads_exactly_one_of_16_gets_the_slot(edition, scenario):
    slot, requests = SCENARIOS[scenario](edition)

    codes = book_at_once(requests, slot)

    assert sorted(codes) == ["booked"] + ["slot_taken"] * (CLIENTS - 1)
    assert double_bookings(slot) == (0, 0)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_negative_control_threads_without_the_guard_double_book(edition, monkeypatch):
    monkeypatch.setattr(db, "ROW_LOCKS", False)
    monkeypatch.setattr(booking, "MEETING_GUARD", False)
    monkeypatch.setattr(booking, "RACE_WINDOW", 0.3)
    slot, requests = last_free_slot_of_one_person(edition)

    book_at_once(requests, slot)

    doubled, _over = double_bookings(slot)
    assert doubled == 1, "without the guard the person should have been double-booked"
