"""Many people book at once: no one is ever in two meetings and no slot over its rooms.

Two races: one person's last free slot (16 of their requests accepted at once) and a slot's last
room (16 pairs). Run through real processes — gunicorn workers on PostgreSQL serving the
participant pages while 16 browsers press "accept" at the same moment — and through threads
calling the services directly, on PostgreSQL and SQLite. Exactly one wins, the others read "that
slot was just taken" with the remaining choices, and nothing answers 5xx.

The guard has two layers: row locks (`common.db.lock_rows`: the people's registrations, then the
slot) and the database's constraints (one active seat per person and slot, room numbers unique
per slot). Every control runs the production code as it is; the test takes a layer away from
outside (tests/races.py): a query wrapper strips `FOR UPDATE`, the constraints are dropped from the
test database, and a query wrapper sleeps after the last check (the rooms taken in the slot) so
every racer has checked before anyone writes.

- Without the guard the same clicks double-book (PostgreSQL: gunicorn and threads; SQLite:
  threads), so the positive tests can tell.
- Without row locks, the constraints alone still never double-book, and the losers are told
  "that slot was just taken", not a server error — also when the winner keeps the others
  waiting past the database's timeout: they are told to try again (`common.db.atomic`).
- SQLite has no row locks: its IMMEDIATE transactions take the write lock at BEGIN, and every
  SQLite transaction is serialisable — with DEFERRED ones instead (and no constraints) it still
  books one and turns the others away. So on SQLite "without the guard" means without the
  transaction: a query wrapper leaves out BEGIN and the savepoints, every statement commits on
  its own, and with the constraints dropped the same clicks double-book there too.
"""

import datetime as dt
import threading
import urllib.error
import urllib.request
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, connections

from common.errors import ForumError
from common.models import RateLimitCounter
from meetings.choices import MeetingStatus, RequestStatus
from meetings.models import Meeting, MeetingRequest, MeetingSeat
from meetings.services.requests import accept_request, request_meeting
from meetings.services.slots import set_availability
from registrations.views.support import MANAGE_SESSION_KEY
from tests.factories import BusinessProfileFactory, MeetingSettingsFactory, MeetingSlotFactory
from tests.races import ROOMS_TAKEN, dropped_constraints, gunicorn_workers, race_wrappers

CLIENTS = 16
SETTINGS = "tests.meetings.meetings_race_settings"
CONSTRAINTS = (
    (MeetingSeat, "registrations_meetingseat_one_per_person_and_slot"),
    (Meeting, "registrations_meeting_one_per_room"),
)
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


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


def booked_and_taken(requests) -> list[str]:
    """The requests' statuses afterwards, sorted."""
    booked = MeetingRequest.objects.filter(pk__in=[r.pk for r in requests])
    return sorted(booked.values_list("status", flat=True))


ONE_BOOKED = sorted([RequestStatus.BOOKED] + [RequestStatus.PENDING] * (CLIENTS - 1))


# Through gunicorn ---------------------------------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="gunicorn workers share the test database only on PostgreSQL",
)


def browser_of(registration) -> str:
    """A signed-in browser: the session the emailed link would have opened, and a CSRF cookie."""
    session = SessionStore()
    session[MANAGE_SESSION_KEY] = {"id": registration.pk, "key": registration.link_key}
    session.create()
    csrf = "c" * 32
    return (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post(url: str, *, cookies: str, data: str) -> tuple[int, str]:
    """(status, the redirect's location or else the page)."""
    request = urllib.request.Request(  # noqa: S310 — our own test server
        url,
        data=data.encode(),
        headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location") or answer.read().decode()


def accept_at_once(base: str, requests, slot) -> list[tuple[int, str]]:
    """Each receiver presses "accept" on the chosen slot, all at the same moment."""
    RateLimitCounter.objects.all().delete()  # 16 clicks from one address are the point here
    browsers = [browser_of(request.receiver) for request in requests]
    barrier = threading.Barrier(len(requests))
    answers: list[tuple[int, str]] = []

    def press(request, cookies):
        barrier.wait()
        answers.append(
            post(
                f"{base}/meetings/requests/{request.pk}/accept/",
                cookies=cookies,
                data=f"csrfmiddlewaretoken={'c' * 32}&slot={slot.pk}",
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


# A new server per test: a transactional test empties the database afterwards, and a long-lived
# worker would keep ids (content types) of the emptied database in its caches.
def workers(**control):
    return gunicorn_workers(SETTINGS, workers=4, threads=4, **control)


def assert_one_wins_and_the_others_are_told(answers, slot, requests) -> None:
    statuses = sorted(status for status, _page in answers)
    assert statuses == [302] + [409] * (CLIENTS - 1), answers[:2]
    lost = [page for status, page in answers if status == 409]
    assert all("That slot was just taken" in page for page in lost)
    assert double_bookings(slot) == (0, 0)
    assert booked_and_taken(requests) == ONE_BOOKED


@postgres_only
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.django_db(transaction=True)
def test_through_gunicorn_exactly_one_of_16_gets_the_slot(edition, scenario):
    slot, requests = SCENARIOS[scenario](edition)

    with workers(widen=ROOMS_TAKEN) as base:
        answers = accept_at_once(base, requests, slot)

    assert_one_wins_and_the_others_are_told(answers, slot, requests)


@postgres_only
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.django_db(transaction=True)
def test_through_gunicorn_without_row_locks_the_constraints_still_give_it_to_one(edition, scenario):
    slot, requests = SCENARIOS[scenario](edition)

    with workers(no_row_locks=True, widen=ROOMS_TAKEN) as base:
        answers = accept_at_once(base, requests, slot)

    assert_one_wins_and_the_others_are_told(answers, slot, requests)


@postgres_only
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.django_db(transaction=True)
def test_negative_control_through_gunicorn_without_the_guard_double_books(edition, scenario):
    slot, requests = SCENARIOS[scenario](edition)

    # A wider window than the guarded tests': on a loaded machine the 16 presses reach the
    # workers spread over more than 0.2 s, and the control must still see them overlap.
    with dropped_constraints(*CONSTRAINTS):
        with workers(no_row_locks=True, widen=ROOMS_TAKEN, seconds=1.5) as base:
            answers = accept_at_once(base, requests, slot)
        doubled, over = double_bookings(slot)

    assert all(status < 500 for status, _page in answers)
    if scenario == "person":
        assert doubled == 1, "without the guard the person should have been double-booked"
    else:
        assert over > 0, "without the guard the slot should have gone over its rooms"


# Threads on the services, on every database -----------------------------------------------


def book_at_once(
    requests,
    slot,
    *,
    row_locks=True,
    transactions=True,
    transaction_mode=None,
    busy_timeout_ms=None,
    seconds=0.2,
) -> list[str]:
    """Accepts all at once; the outcome each user saw ("server error" for anything unexpected).

    Each racer sleeps `seconds` after reading the rooms taken: a check that never ran fails the
    test. `busy_timeout_ms` shortens how long a racer waits for another's lock (SQLite's write
    lock, PostgreSQL's lock timeout) from production's seconds to a few milliseconds, so the
    widened window outlasts it."""
    barrier = threading.Barrier(len(requests))
    codes: list[str] = []
    checked: list[int] = []

    def accept(request):
        try:
            connection.ensure_connection()
            if transaction_mode is not None:
                connection.transaction_mode = transaction_mode  # SQLite's BEGIN <mode>
            if busy_timeout_ms is not None and connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            barrier.wait()
            with race_wrappers(
                row_locks=row_locks, transactions=transactions, widen=ROOMS_TAKEN, seconds=seconds
            ) as window:
                try:
                    accept_request(request=request, by=request.receiver, slot=slot)
                finally:
                    checked.append(window.hits)
            codes.append("booked")
        except ForumError as error:
            codes.append(error.code)
        except Exception:  # noqa: BLE001 — what a user would get as a server error
            codes.append("server error")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert any(checked), "no racer read the rooms taken: the window was never widened"
    return codes


ONE_AND_TOLD = ["booked"] + ["slot_taken"] * (CLIENTS - 1)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.django_db(transaction=True)
def test_threads_exactly_one_of_16_gets_the_slot(edition, scenario):
    slot, requests = SCENARIOS[scenario](edition)

    codes = book_at_once(requests, slot)

    assert sorted(codes) == ONE_AND_TOLD
    assert double_bookings(slot) == (0, 0)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.django_db(transaction=True)
def test_threads_without_row_locks_the_constraints_still_give_it_to_one(edition, scenario):
    slot, requests = SCENARIOS[scenario](edition)

    codes = book_at_once(requests, slot, row_locks=False)

    assert sorted(codes) == ONE_AND_TOLD
    assert double_bookings(slot) == (0, 0)
    assert booked_and_taken(requests) == ONE_BOOKED


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.django_db(transaction=True)
def test_threads_kept_waiting_past_the_timeout_are_told_to_try_again(edition, scenario, settings):
    """Row locks off, constraints on, and the winner holds the database longer than the others
    may wait (SQLite: its write lock, taken at BEGIN IMMEDIATE; PostgreSQL: the lock timeout on
    a seat or room the winner is inserting). One books; each of the others reads "that slot was
    just taken" or "the forum is busy, please try again" — never a server error, which is what a
    service outside `common.db.atomic` gave on SQLite ("database is locked")."""
    settings.REGISTRATION_LOCK_TIMEOUT_MS = 50
    slot, requests = SCENARIOS[scenario](edition)

    codes = book_at_once(requests, slot, row_locks=False, busy_timeout_ms=50, seconds=0.3)

    assert codes.count("booked") == 1
    assert set(codes) <= {"booked", "slot_taken", "busy"}, codes
    if connection.vendor == "sqlite":
        assert "busy" in codes, "no racer waited past the timeout: the test tested nothing"
    assert double_bookings(slot) == (0, 0)
    assert booked_and_taken(requests) == ONE_BOOKED


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.django_db(transaction=True)
def test_negative_control_threads_without_the_guard_double_book(edition, scenario):
    """The same accepts with only the guard taken away, from the test, double-book.

    The guard is the database's constraints plus, on PostgreSQL, the row locks, and on SQLite
    the transaction itself: SQLite has no row locks and runs every transaction serialisably —
    with DEFERRED transactions instead of IMMEDIATE a racer whose read was overtaken by another's
    write fails to write ("database is locked"), it can't double-book — so the control runs the
    services with no transaction at all (tests/races.py, `no_transactions`: every statement
    commits on its own). Each racer sleeps after reading the rooms taken, so all of them read
    "free" before anyone writes."""
    slot, requests = SCENARIOS[scenario](edition)
    sqlite = connection.vendor == "sqlite"

    with dropped_constraints(*CONSTRAINTS):
        codes = book_at_once(requests, slot, row_locks=False, transactions=not sqlite)
        doubled, over = double_bookings(slot)

    assert "server error" not in codes
    if scenario == "person":
        assert doubled == 1, "without the guard the person should have been double-booked"
    else:
        assert over > 0, "without the guard the slot should have gone over its rooms"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's transaction modes")
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.django_db(transaction=True)
def test_sqlite_deferred_transactions_still_book_one_and_tell_the_others(edition, scenario):
    """DEFERRED instead of IMMEDIATE transactions, and no constraints: SQLite still books one
    (serialisable), and the racers whose read was overtaken are told to try again, not a 500."""
    slot, requests = SCENARIOS[scenario](edition)

    with dropped_constraints(*CONSTRAINTS):
        codes = book_at_once(requests, slot, row_locks=False, transaction_mode="DEFERRED")
        doubled, over = double_bookings(slot)

    assert codes.count("booked") == 1
    assert set(codes) <= {"booked", "slot_taken", "busy"}, codes
    assert (doubled, over) == (0, 0)
