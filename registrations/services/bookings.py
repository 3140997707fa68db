"""An attendee's sessions: booking, changing and dropping them; a released seat moves the
waiting list up."""

from collections.abc import Iterable

from common.choices import AuditActor
from common.db import atomic, integrity_as_error
from forum.models import Session
from registrations.errors import RegistrationError
from registrations.models import (
    Registration,
    SessionBooking,
)
from registrations.services.seats import (
    SEAT_TAKEN,
    _check_sessions,
    _lock_sessions,
    _log_booking,
    lock_active_registration,
    recounting_once,
    take_places,
)
from registrations.services.waitinglist import _promote


def _drop(registration: Registration, session_ids: Iterable[int], actor) -> None:
    """Deletes the registration's places in these sessions (locked), recording each."""
    dropped = SessionBooking.objects.filter(registration=registration, session_id__in=session_ids)
    for booking in dropped:
        booking.registration = registration
        _log_booking(booking, actor, "booking.released")
    dropped.delete()


def _release(
    registration: Registration, session_ids: Iterable[int], *, actor=AuditActor.ATTENDEE
) -> None:
    """Drops the registration's places in these sessions; the waiting lists fill the seats."""
    session_ids = set(session_ids)
    if not session_ids:
        return
    sessions = _lock_sessions(session_ids)
    _drop(registration, session_ids, actor)
    for session in sessions.values():
        _promote(session)


def book_session(
    *, registration: Registration, session: Session, actor=AuditActor.ATTENDEE
) -> SessionBooking:
    """A seat in the session, or a place on its waiting list when it is full."""
    _check_sessions(registration.edition, [session])
    return recounting_once([session.pk], lambda: _book(registration, session, actor))


def _book(registration: Registration, session: Session, actor) -> SessionBooking:
    with atomic():
        registration = lock_active_registration(registration)
        existing = SessionBooking.objects.filter(registration=registration, session=session).first()
        if existing is not None:
            return existing
        # The registration's lock keeps a second booking of it out; the seat counter, the rest.
        session = Session.objects.get(pk=session.pk)
        with integrity_as_error(SEAT_TAKEN, error_class=RegistrationError):
            (booking,) = take_places(registration, [session])
        _log_booking(booking, actor, f"booking.{booking.status}")
        return booking


def change_sessions(
    *, registration: Registration, sessions: Iterable[Session], actor=AuditActor.ATTENDEE
) -> None:
    """Sets the registration's sessions: keeps wanted places, books new ones, frees others."""
    wanted = {session.pk: session for session in _check_sessions(registration.edition, sessions)}
    recounting_once(wanted, lambda: _change(registration, wanted, actor))


def _change(registration: Registration, wanted: dict[int, Session], actor) -> None:
    with atomic():
        registration = lock_active_registration(registration)
        current = set(
            SessionBooking.objects.filter(registration=registration).values_list(
                "session_id", flat=True
            )
        )
        locked = _lock_sessions(current | set(wanted))
        dropped = current - set(wanted)
        _drop(registration, dropped, actor)
        with integrity_as_error(SEAT_TAKEN, error_class=RegistrationError):
            new = take_places(registration, [locked[pk] for pk in sorted(set(wanted) - current)])
        for booking in new:
            _log_booking(booking, actor, f"booking.{booking.status}")
        for session_id in sorted(dropped):
            _promote(locked[session_id])


def drop_session(
    *, registration: Registration, session: Session, actor=AuditActor.ATTENDEE
) -> None:
    with atomic():
        registration = lock_active_registration(registration)
        _release(registration, [session.pk], actor=actor)
