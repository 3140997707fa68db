"""Seats in sessions: locking sessions, finding a free seat or the next waiting place, recording
a booking. The seat rows' unique constraint is what keeps a session from being overbooked.

Locks follow the one order of `common.db`: the registration first, then its sessions by
primary key. A session's bookings are written only while the session is locked.
"""

from collections.abc import Iterable

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import integrity_as_error, lock_one, lock_rows
from common.services.audit import log_action
from forum.models import Edition, Session
from registrations.choices import BookingStatus
from registrations.errors import RegistrationError
from registrations.models import (
    Registration,
    SessionBooking,
)

SEAT_TAKEN = _("Someone took that seat at the same moment. Please try again.")


def _lock_sessions(session_ids: Iterable[int]) -> dict[int, Session]:
    """Locks the sessions' rows in primary-key order (after the registration, if any)."""
    return lock_rows(Session, session_ids)


def lock_active_registration(registration: Registration) -> Registration:
    """The registration's row, locked and read afresh; refused when it is no longer active."""
    try:
        locked = lock_one(Registration, registration.pk)
    except Registration.DoesNotExist:
        raise RegistrationError(
            _("This registration is no longer active."), code="inactive"
        ) from None
    if not locked.is_active:
        raise RegistrationError(_("This registration is no longer active."), code="inactive")
    return locked


def _free_seat(session: Session) -> int | None:
    """The lowest free seat number, or None if the session is full. Needs the session locked.

    Runs while the session's row is locked, so it does the least it can: one aggregate over the
    session's booked seats (no join, no ordering); the seat numbers themselves are read only
    when a cancellation left a gap below the highest one.
    """
    booked = SessionBooking.objects.filter(session=session, status=BookingStatus.BOOKED).order_by()
    counts = booked.aggregate(count=Count("pk"), highest=Max("seat"))
    if counts["count"] >= session.capacity:
        return None
    if counts["highest"] is None or counts["highest"] == counts["count"]:
        return (counts["highest"] or 0) + 1  # seats 1..highest all taken: the next one
    taken = set(booked.values_list("seat", flat=True))
    return next((seat for seat in range(1, session.capacity + 1) if seat not in taken), None)


def _last_place(session: Session) -> int:
    """The last place on the session's waiting list (0 if none): one step down the index on
    (session, place) of waiting bookings, however long the list."""
    last = (
        SessionBooking.objects.filter(session=session, status=BookingStatus.WAITING)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return last or 0


def _place(registration: Registration, session: Session) -> SessionBooking:
    """Books a seat if one is free, else a place at the end of the waiting list."""
    if session.capacity is None:
        return SessionBooking(
            registration=registration, session=session, status=BookingStatus.BOOKED
        )
    seat = _free_seat(session)
    if seat is not None:
        return SessionBooking(
            registration=registration, session=session, status=BookingStatus.BOOKED, seat=seat
        )
    return SessionBooking(
        registration=registration,
        session=session,
        status=BookingStatus.WAITING,
        position=_last_place(session) + 1,
    )


def _save_booking(booking: SessionBooking, *, actor=AuditActor.ATTENDEE) -> SessionBooking:
    with integrity_as_error(SEAT_TAKEN, error_class=RegistrationError):
        booking.save()
    _log_booking(booking, actor, f"booking.{booking.status}")
    return booking


def _log_booking(booking: SessionBooking, actor, action: str) -> None:
    log_action(
        actor=actor,
        obj=booking.registration,
        action=action,
        details={"session": booking.session_id, "seat": booking.seat, "place": booking.position},
    )


def _check_sessions(edition: Edition, sessions: Iterable[Session]) -> list[Session]:
    sessions = list(sessions)
    if any(session.edition_id != edition.pk for session in sessions):
        raise RegistrationError(_("Choose sessions of this forum only."), code="wrong_session")
    return sessions
