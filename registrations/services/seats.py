"""Seats and waiting lists: booking, changing and freeing places in sessions.

Locks follow the one order of `common.db`: the registration first, then its sessions by
primary key. A session's bookings are written only while the session is locked.
"""

from collections.abc import Iterable

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import atomic, integrity_as_error, lock_one, lock_rows
from common.services.audit import log_action
from common.services.outbox import queue_email as _send
from forum.models import Edition, Session
from registrations.choices import ACTIVE_STATUSES, BookingStatus, EmailKind
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


def _promote(session: Session, *, actor=AuditActor.SYSTEM) -> list[SessionBooking]:
    """Moves the first in line onto free seats; the session must be locked."""
    promoted = []
    if session.capacity is None:
        waiting = (
            SessionBooking.objects.filter(session=session, status=BookingStatus.WAITING)
            .select_related("registration")
            .order_by("position")
        )
        for booking in waiting:
            promoted.append(_promote_booking(booking, seat=None, actor=actor))
        return promoted
    while True:
        seat = _free_seat(session)
        if seat is None:
            break
        booking = (
            SessionBooking.objects.filter(
                session=session,
                status=BookingStatus.WAITING,
                registration__status__in=ACTIVE_STATUSES,
            )
            .select_related("registration")
            .order_by("position")
            .first()
        )
        if booking is None:
            break
        promoted.append(_promote_booking(booking, seat=seat, actor=actor))
    return promoted


def _promote_booking(booking: SessionBooking, *, seat: int | None, actor) -> SessionBooking:
    booking.status = BookingStatus.BOOKED
    booking.seat = seat
    booking.position = None
    booking.promoted_at = timezone.now()
    with integrity_as_error(SEAT_TAKEN, error_class=RegistrationError):
        booking.save(update_fields=["status", "seat", "position", "promoted_at"])
    _log_booking(booking, actor, "booking.promoted")
    _send(booking.registration, EmailKind.PROMOTED, session_id=booking.session_id)
    return booking


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


def _check_sessions(edition: Edition, sessions: Iterable[Session]) -> list[Session]:
    sessions = list(sessions)
    if any(session.edition_id != edition.pk for session in sessions):
        raise RegistrationError(_("Choose sessions of this forum only."), code="wrong_session")
    return sessions


def book_session(
    *, registration: Registration, session: Session, actor=AuditActor.ATTENDEE
) -> SessionBooking:
    """A seat in the session, or a place on its waiting list when it is full."""
    _check_sessions(registration.edition, [session])
    with atomic():
        registration = lock_active_registration(registration)
        locked = _lock_sessions([session.pk])[session.pk]
        existing = SessionBooking.objects.filter(registration=registration, session=session).first()
        if existing is not None:
            return existing
        return _save_booking(_place(registration, locked), actor=actor)


def change_sessions(
    *, registration: Registration, sessions: Iterable[Session], actor=AuditActor.ATTENDEE
) -> None:
    """Sets the registration's sessions: keeps wanted places, books new ones, frees others."""
    wanted = {session.pk: session for session in _check_sessions(registration.edition, sessions)}
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
        for session_id in sorted(set(wanted) - current):
            _save_booking(_place(registration, locked[session_id]), actor=actor)
        for session_id in sorted(dropped):
            _promote(locked[session_id])


def drop_session(
    *, registration: Registration, session: Session, actor=AuditActor.ATTENDEE
) -> None:
    with atomic():
        registration = lock_active_registration(registration)
        _release(registration, [session.pk], actor=actor)


def promote_from_waiting_list(*, session: Session, actor=AuditActor.SYSTEM) -> list[SessionBooking]:
    """Fills the session's free seats from its waiting list, first in line first."""
    with atomic():
        return _promote(_lock_sessions([session.pk])[session.pk], actor=actor)


def promote_booking(*, booking: SessionBooking, actor) -> SessionBooking:
    """Staff move one person off the waiting list, ahead of the line, if a seat is free."""
    with atomic():
        lock_active_registration(booking.registration)
        session = _lock_sessions([booking.session_id])[booking.session_id]
        booking = SessionBooking.objects.select_related("registration").get(pk=booking.pk)
        if booking.status == BookingStatus.BOOKED:
            return booking
        seat = None
        if session.capacity is not None:
            seat = _free_seat(session)
            if seat is None:
                raise RegistrationError(
                    _("“%(session)s” is full: raise its capacity or free a seat first.")
                    % {"session": session.title},
                    code="full",
                )
        return _promote_booking(booking, seat=seat, actor=actor)
