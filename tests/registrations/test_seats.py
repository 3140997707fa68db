"""The seat service's counters: a session's seat counter or waiting-list counter that no longer
matches its bookings (a crash, a hand-made SQL edit, a recount while sign-ups were in flight) is
recounted under the session's lock by the sign-up that runs into it, which then goes through."""

import pytest
from django.db import connection

from forum.models import Session
from registrations.models import Registration, SessionBooking
from registrations.services.bookings import book_session, change_sessions
from registrations.services.registrations import register_attendee
from tests.factories import RegistrationFactory, SessionFactory
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


def counters(session) -> tuple[int, int]:
    return Session.objects.values_list("seats_taken", "last_waiting_place").get(pk=session.pk)


def set_counters(session, **values) -> None:
    """A plain UPDATE, as a hand-made edit or a stale recount would leave them."""
    q = connection.ops.quote_name
    assignments = ", ".join(f"{q(name)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q('forum_session')} SET {assignments} WHERE {q('id')} = %s",  # noqa: S608
            [*values.values(), session.pk],
        )


def place_of(email, session) -> tuple[str, int | None, int | None]:
    return SessionBooking.objects.values_list("status", "seat", "position").get(
        registration__email=email, session=session
    )


def sign_up(edition, email, session) -> Registration:
    return register_attendee(edition=edition, data=service_data(email=email, sessions=[session]))


def fill(edition, session, count) -> None:
    for n in range(count):
        sign_up(edition, f"early{n}@example.org", session)


def test_a_waiting_list_counter_behind_its_list_is_recounted_and_the_sign_up_gets_the_next_place(
    open_edition,
):
    session = SessionFactory(edition=open_edition, capacity=1)
    fill(open_edition, session, 4)  # one seat, places 1..3
    set_counters(session, last_waiting_place=1)

    registration = sign_up(open_edition, "late@example.org", session)

    assert registration is not None
    assert place_of("late@example.org", session) == ("waiting", None, 4)
    assert counters(session) == (1, 4)
    sign_up(open_edition, "later@example.org", session)  # and the next one needs no recount
    assert place_of("later@example.org", session) == ("waiting", None, 5)


def test_a_seat_counter_behind_a_full_session_gives_a_waiting_place_never_a_seat_too_many(
    open_edition,
):
    session = SessionFactory(edition=open_edition, capacity=2)
    fill(open_edition, session, 3)  # seats 1 and 2, place 1
    set_counters(session, seats_taken=0)

    sign_up(open_edition, "late@example.org", session)

    assert place_of("late@example.org", session) == ("waiting", None, 2)
    assert counters(session) == (2, 2)
    assert sorted(
        SessionBooking.objects.filter(session=session, status="booked").values_list(
            "seat", flat=True
        )
    ) == [1, 2]


def test_a_seat_counter_behind_a_session_with_seats_left_gives_them_then_the_waiting_list(
    open_edition,
):
    session = SessionFactory(edition=open_edition, capacity=3)
    fill(open_edition, session, 2)
    set_counters(session, seats_taken=0)

    sign_up(open_edition, "third@example.org", session)
    sign_up(open_edition, "fourth@example.org", session)

    assert place_of("third@example.org", session) == ("booked", 3, None)
    assert place_of("fourth@example.org", session) == ("waiting", None, 1)
    assert counters(session) == (3, 1)


def test_a_seat_counter_ahead_of_the_bookings_gives_the_free_seat_not_a_waiting_place(
    open_edition,
):
    session = SessionFactory(edition=open_edition, capacity=3)
    fill(open_edition, session, 1)
    set_counters(session, seats_taken=3)  # shown as full, two seats free

    sign_up(open_edition, "second@example.org", session)

    assert place_of("second@example.org", session) == ("booked", 2, None)
    assert counters(session) == (2, 0)


def test_a_counter_ahead_below_the_capacity_still_gives_the_lowest_free_seat(open_edition):
    session = SessionFactory(edition=open_edition, capacity=5)
    fill(open_edition, session, 1)
    set_counters(session, seats_taken=3)

    sign_up(open_edition, "second@example.org", session)

    assert place_of("second@example.org", session) == ("booked", 2, None)


def test_booking_a_session_from_the_manage_page_recounts_a_counter_behind_too(open_edition):
    session = SessionFactory(edition=open_edition, capacity=1)
    fill(open_edition, session, 3)  # one seat, places 1..2
    set_counters(session, last_waiting_place=0)
    registration = RegistrationFactory(edition=open_edition, email="manage@example.org")

    booking = book_session(registration=registration, session=session)

    assert (booking.status, booking.position) == ("waiting", 3)
    assert place_of("manage@example.org", session) == ("waiting", None, 3)
    assert counters(session) == (1, 3)


def test_changing_sessions_recounts_a_seat_counter_ahead(open_edition):
    session = SessionFactory(edition=open_edition, capacity=2)
    fill(open_edition, session, 1)
    set_counters(session, seats_taken=2)
    registration = RegistrationFactory(edition=open_edition, email="manage@example.org")

    change_sessions(registration=registration, sessions=[session])

    assert place_of("manage@example.org", session) == ("booked", 2, None)
    assert counters(session) == (2, 0)
