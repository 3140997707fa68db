"""Many people at once for the last seat: the database lets exactly one have it.

Threads with their own connections book concurrently, on PostgreSQL and on SQLite (a file, as with
several app processes). On PostgreSQL a negative control turns the guard (row lock + numbered
seats) off and shows that the same test then catches overbooking; SQLite's IMMEDIATE transactions
serialise writers, so there the constraint tests below show what carries the guarantee.
"""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from registrations.choices import BookingStatus
from registrations.errors import RegistrationError
from registrations.models import Registration, SessionBooking
from registrations.services import seats
from registrations.services.registrations import register_attendee
from registrations.services.seats import _save_booking, book_session
from tests.factories import RegistrationFactory, SessionFactory, consent_texts_for
from tests.registrations.data import service_data

THREADS = 12

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's IMMEDIATE transactions serialise writers: there is no race to show",
)


def book_at_once(session, registrations) -> list[str]:
    barrier = threading.Barrier(len(registrations))
    errors: list[str] = []

    def book(registration):
        try:
            barrier.wait()
            book_session(registration=registration, session=session)
        except RegistrationError as error:
            errors.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(r,)) for r in registrations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def one_last_seat(edition):
    session = SessionFactory(edition=edition, capacity=2)
    book_session(registration=RegistrationFactory(edition=edition), session=session)
    return session, [RegistrationFactory(edition=edition) for _ in range(THREADS)]


@pytest.mark.django_db(transaction=True)
def test_exactly_one_of_many_concurrent_bookings_gets_the_last_seat(edition):
    session, registrations = one_last_seat(edition)

    errors = book_at_once(session, registrations)

    assert errors == []
    booked = SessionBooking.objects.filter(session=session, status=BookingStatus.BOOKED)
    waiting = SessionBooking.objects.filter(session=session, status=BookingStatus.WAITING)
    assert sorted(booked.values_list("seat", flat=True)) == [1, 2]
    assert sorted(waiting.values_list("position", flat=True)) == list(range(1, THREADS))


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_guard_the_race_overbooks(edition, monkeypatch):
    monkeypatch.setattr(seats, "CAPACITY_GUARD", False)
    overbooked = []
    for _ in range(5):  # a race is a matter of timing: a few rounds make it show for sure
        session, registrations = one_last_seat(edition)
        book_at_once(session, registrations)
        count = SessionBooking.objects.filter(session=session, status=BookingStatus.BOOKED).count()
        overbooked.append(count > session.capacity)
        if count > session.capacity:
            break
    assert any(overbooked), "without the guard the test should have seen overbooking"


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
