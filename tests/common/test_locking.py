"""The one lock order, the status re-read under the lock, and the lock timeout's "try again"."""

import threading
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from common.db import lock_rows
from common.errors import ForumError
from forum.models import Session
from registrations.choices import RegistrationStatus
from registrations.errors import RegistrationError
from registrations.models import Registration, SessionBooking
from registrations.services.bookings import book_session, change_sessions
from registrations.services.registrations import cancel_registration
from tests.factories import RegistrationFactory, SessionFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_stale_registration_object_cannot_book_after_it_was_cancelled(open_edition):
    session = SessionFactory(edition=open_edition, capacity=5)
    stale = RegistrationFactory(edition=open_edition)
    cancel_registration(registration=Registration.objects.get(pk=stale.pk))
    assert stale.status == RegistrationStatus.AWAITING_CONFIRMATION  # the caller's old copy

    with pytest.raises(RegistrationError) as changing:
        change_sessions(registration=stale, sessions=[session])
    with pytest.raises(RegistrationError) as booking:
        book_session(registration=stale, session=session)

    assert (changing.value.code, booking.value.code) == ("inactive", "inactive")
    assert SessionBooking.objects.filter(registration=stale).count() == 0


@pytest.mark.django_db
def test_locks_are_taken_registrations_first_then_sessions(open_edition):
    registration = RegistrationFactory(edition=open_edition)
    session = SessionFactory(edition=open_edition)

    with transaction.atomic():
        locked = lock_rows(Session, [session.pk])
        with pytest.raises(RuntimeError, match="Lock order"):
            lock_rows(Registration, [registration.pk])
    with transaction.atomic():  # a new transaction starts from nothing
        assert list(lock_rows(Registration, [registration.pk])) == [registration.pk]
        assert list(lock_rows(Session, [session.pk])) == [session.pk]
    assert list(locked) == [session.pk]


@pytest.mark.django_db
def test_rows_already_held_may_be_locked_again_after_later_kinds(open_edition):
    held, other = (
        RegistrationFactory(edition=open_edition),
        RegistrationFactory(edition=open_edition),
    )
    session = SessionFactory(edition=open_edition)

    with transaction.atomic():
        lock_rows(Registration, [held.pk])
        lock_rows(Session, [session.pk])
        # a service called inside a bigger transaction locks what the caller already holds
        assert list(lock_rows(Registration, [held.pk])) == [held.pk]
        assert list(lock_rows(Session, [session.pk])) == [session.pk]
        with pytest.raises(RuntimeError, match="Lock order"):
            lock_rows(Registration, [held.pk, other.pk])  # a new row: that could deadlock


@pytest.mark.django_db
def test_locking_outside_a_transaction_is_refused(open_edition):
    with pytest.raises(RuntimeError, match="needs a transaction"):
        lock_rows(Registration, [1])


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_too_long_becomes_please_try_again(open_edition, settings, monkeypatch):
    """Someone holds the session's row (on SQLite: the write lock); the booking gives up with a
    clear message, no 500, and works once the lock is released."""
    settings.REGISTRATION_LOCK_TIMEOUT_MS = 200
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)
        connection.close()  # the next connection waits 0.2 s for the write lock, not 20
    session = SessionFactory(edition=open_edition, capacity=5)
    registration = RegistrationFactory(edition=open_edition)
    held, release = threading.Event(), threading.Event()

    def hold_the_session():
        try:
            with transaction.atomic():
                list(Session.objects.select_for_update().filter(pk=session.pk))
                Session.objects.filter(pk=session.pk).update(room="B")  # SQLite: the write lock
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_session)
    holder.start()
    try:
        held.wait(10)
        with pytest.raises(ForumError) as error:
            book_session(registration=registration, session=session)
    finally:
        release.set()
        holder.join(10)

    assert error.value.code == "busy"
    assert str(error.value.message) == "The forum is busy right now. Please try again in a moment."
    assert SessionBooking.objects.filter(session=session).count() == 0
    book_session(registration=registration, session=session)  # free again: it works
    assert SessionBooking.objects.filter(session=session).count() == 1


SERVICE_MODULES = sorted(
    path
    for app in ("common", "forum", "registrations", "meetings", "backoffice")
    for path in (ROOT / app).glob("services/*.py")
) + [ROOT / "forum" / "editions.py"]


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_services_open_transactions_through_common_db_atomic(path):
    """A service's transaction that the database keeps waiting (SQLite's write lock, a lock
    timeout, a deadlock) must end in "please try again", not a 500: `common.db.atomic` does
    that, Django's own `transaction.atomic` does not (tests/meetings/test_race.py shows it)."""
    assert "transaction.atomic" not in path.read_text()
