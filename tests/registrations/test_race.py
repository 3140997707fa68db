"""Many people at once for the last seat: the database lets exactly one have it.

Threads with their own connections book concurrently through the production services, on
PostgreSQL and on SQLite (a file, as with several app processes). A seat is taken by one
conditional UPDATE of the session's counter (`seats_taken < capacity`), which holds the
session's row until the commit; the window between taking it and inserting the booking is
widened for every racer. The negative control runs the same production code with only the guard
switched off from the test (tests/races.py) — a query wrapper strips the counter's limit, the
numbered-seat and seats-within-capacity constraints are dropped from the test database (on SQLite
also: DEFERRED instead of IMMEDIATE transactions): the positive test's assertions fail, on
every database, which shows it would catch a race. tests/registrations/test_race_processes.py does
the same through gunicorn worker processes on PostgreSQL.
"""

import threading
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, connections, transaction

from common.errors import ForumError
from forum.models import Session
from registrations.choices import BookingStatus
from registrations.errors import RegistrationError
from registrations.models import Registration, SessionBooking
from registrations.services.bookings import book_session
from registrations.services.registrations import register_attendee
from registrations.services.seats import _save_booking
from tests.factories import RegistrationFactory, SessionFactory, consent_texts_for
from tests.races import SEAT_TAKEN, dropped_constraints, race_wrappers
from tests.registrations.data import service_data

THREADS = 12
SEAT_CONSTRAINT = "registrations_sessionbooking_one_per_seat"
CAPACITY_CONSTRAINT = "forum_session_seats_within_capacity"


def book_at_once(
    session, registrations, *, widen=False, seat_limit=True, transactions=True, deferred=False
) -> list[str]:
    """Books all at once; returns the error codes users saw ("server error" for any other)."""
    barrier = threading.Barrier(len(registrations))
    errors: list[str] = []
    counted: list[int] = []

    def book(registration):
        try:
            connection.ensure_connection()
            if deferred:
                connection.transaction_mode = "DEFERRED"  # SQLite's guard, switched off
            barrier.wait()
            # Sleeps after taking the seat, before the booking is inserted.
            window = SEAT_TAKEN if widen else ""
            with race_wrappers(
                seat_limit=seat_limit, transactions=transactions, widen=window, seconds=0.1
            ) as sleeper:
                try:
                    book_session(registration=registration, session=session)
                finally:
                    counted.append(sleeper.hits if sleeper else 0)
        except ForumError as error:
            errors.append(error.code)
        except Exception:  # noqa: BLE001 — what a user would get as a server error
            errors.append("server error")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(r,)) for r in registrations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not widen or any(counted), "no racer took a seat: the window was never widened"
    return errors


def one_last_seat(edition):
    session = SessionFactory(edition=edition, capacity=2)
    book_session(registration=RegistrationFactory(edition=edition), session=session)
    return session, [RegistrationFactory(edition=edition) for _ in range(THREADS)]


def booked_seats(session) -> list[int]:
    return sorted(
        SessionBooking.objects.filter(session=session, status=BookingStatus.BOOKED).values_list(
            "seat", flat=True
        )
    )


@contextmanager
def seat_constraint_dropped():
    """No numbered-seat constraint and no seats-within-capacity constraint in the test database;
    the production code is left as it is."""
    with dropped_constraints((SessionBooking, SEAT_CONSTRAINT), (Session, CAPACITY_CONSTRAINT)):
        yield


@pytest.mark.django_db(transaction=True)
def test_exactly_one_of_many_concurrent_bookings_gets_the_last_seat(edition):
    session, registrations = one_last_seat(edition)

    errors = book_at_once(session, registrations, widen=True)

    assert errors == []
    waiting = SessionBooking.objects.filter(session=session, status=BookingStatus.WAITING)
    assert booked_seats(session) == [1, 2]
    assert sorted(waiting.values_list("position", flat=True)) == list(range(1, THREADS))


@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_guard_the_race_goes_wrong(edition):
    """The positive test's assertions fail without the guard, on both databases.

    PostgreSQL overbooks. On SQLite, DEFERRED transactions overbook too, or the racers that
    read before another wrote fail with "database is locked" (turned away with "please try
    again" instead of getting their place); the guard (IMMEDIATE transactions) is what turns
    that into waiting.
    """
    session, registrations = one_last_seat(edition)
    deferred = connection.vendor == "sqlite"

    with seat_constraint_dropped():
        errors = book_at_once(
            session, registrations, widen=True, seat_limit=False, deferred=deferred
        )
        seats = booked_seats(session)

    if connection.vendor == "postgresql":
        assert len(seats) > session.capacity, f"no overbooking without the guard: seats {seats}"
    else:
        assert "busy" in errors or len(seats) > session.capacity, (
            f"no failure without the guard: {errors}, seats {seats}"
        )
    assert (errors, seats) != ([], [1, 2])  # what the positive test asserts


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's transaction modes")
@pytest.mark.django_db(transaction=True)
def test_sqlite_deferred_transactions_still_never_overbook(edition):
    """DEFERRED instead of IMMEDIATE transactions, and no seat constraints: the counter's
    conditional UPDATE still lets exactly two seats go; a racer whose read another's write
    overtook is told "please try again" (not a 500) instead of waiting for its place, which is
    what IMMEDIATE gives it."""
    session, registrations = one_last_seat(edition)

    with seat_constraint_dropped():
        errors = book_at_once(session, registrations, widen=True, deferred=True)
        seats = booked_seats(session)

    assert seats == [1, 2], f"overbooked with DEFERRED transactions: {seats}"
    assert "server error" not in errors, errors


@pytest.mark.django_db
def test_the_database_refuses_a_second_booking_of_the_same_seat(edition):
    session = SessionFactory(edition=edition, capacity=1)
    first, second = RegistrationFactory(edition=edition), RegistrationFactory(edition=edition)
    SessionBooking.objects.create(
        registration=first, session=session, status=BookingStatus.BOOKED, seat=1
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionBooking.objects.create(
            registration=second, session=session, status=BookingStatus.BOOKED, seat=1
        )
    # The same clash inside a service is the user's "try again", never a server error.
    with pytest.raises(RegistrationError) as error:
        _save_booking(SessionBooking(registration=second, session=session, status="booked", seat=1))
    assert error.value.code == "conflict"
    assert SessionBooking.objects.filter(session=session).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_two_people_in_the_same_place_in_line(edition):
    session = SessionFactory(edition=edition, capacity=1)
    first, second = RegistrationFactory(edition=edition), RegistrationFactory(edition=edition)
    SessionBooking.objects.create(
        registration=first, session=session, status=BookingStatus.WAITING, position=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionBooking.objects.create(
            registration=second, session=session, status=BookingStatus.WAITING, position=1
        )


@pytest.mark.django_db(transaction=True)
def test_the_same_email_registered_at_once_makes_one_registration(edition, mailoutbox):
    """The unique constraint decides; the others get the "already registered" email, no error."""
    consent_texts_for(edition)
    barrier = threading.Barrier(THREADS)
    results, failures = [], []

    def register(n):
        try:
            barrier.wait()
            email = "Same.Person@Example.org" if n % 2 else "same.person@example.org"
            results.append(register_attendee(edition=edition, data=service_data(email=email)))
        except Exception as error:  # noqa: BLE001 — any failure at all is what this test looks for
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert Registration.objects.count() == 1
    assert sum(result is not None for result in results) == 1
    subjects = sorted(m.subject.split(" — ")[0] for m in mailoutbox)
    assert subjects == ["Please confirm your email address"] + ["You are already registered"] * (
        THREADS - 1
    )
