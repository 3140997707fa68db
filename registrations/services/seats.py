"""Seats and waiting lists: booking, changing and freeing places in sessions."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import Edition, Session
from registrations.choices import (
    ACTIVE_STATUSES,
    BookingStatus,
)
from registrations.emails.registrations import EmailKind
from registrations.errors import RegistrationError
from registrations.models import (
    Registration,
    SessionBooking,
)
from registrations.services.outbox import queue_email as _send

# The lock and the numbered seats are what keep a session within its capacity. Only the race
# test's negative control turns this off, to show that the test catches overbooking without them.
CAPACITY_GUARD = True


def _lock_sessions(session_ids: Iterable[int]) -> dict[int, Session]:
    """Locks the sessions' rows in primary-key order, so two transactions never deadlock."""
    session_ids = set(session_ids)
    if not session_ids:
        return {}
    sessions = Session.objects.filter(pk__in=session_ids).order_by("pk")
    if CAPACITY_GUARD:
        sessions = sessions.select_for_update()
    return {session.pk: session for session in sessions}


def _free_seat(session: Session) -> int | None:
    """The lowest free seat number, or None if the session is full. Needs the session locked."""
    booked = list(
        SessionBooking.objects.filter(session=session, status=BookingStatus.BOOKED).values_list(
            "seat", flat=True
        )
    )
    if len(booked) >= session.capacity:
        return None
    taken = set(booked)
    return next((seat for seat in range(1, session.capacity + 1) if seat not in taken), None)


def _place(registration: Registration, session: Session) -> SessionBooking:
    """Books a seat if one is free, else a place at the end of the waiting list."""
    if session.capacity is None:
        return SessionBooking(
            registration=registration, session=session, status=BookingStatus.BOOKED
        )
    if not CAPACITY_GUARD:
        # Count-then-insert without lock or seat number: the race the guard prevents.
        booked = SessionBooking.objects.filter(session=session, status=BookingStatus.BOOKED)
        if booked.count() < session.capacity:
            return SessionBooking(
                registration=registration, session=session, status=BookingStatus.BOOKED
            )
        seat = None
    else:
        seat = _free_seat(session)
    if seat is not None:
        return SessionBooking(
            registration=registration, session=session, status=BookingStatus.BOOKED, seat=seat
        )
    last = SessionBooking.objects.filter(session=session, status=BookingStatus.WAITING).aggregate(
        last=Max("position")
    )["last"]
    return SessionBooking(
        registration=registration,
        session=session,
        status=BookingStatus.WAITING,
        position=(last or 0) + 1,
    )


def _save_booking(booking: SessionBooking) -> SessionBooking:
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        raise RegistrationError(
            _("Someone took that seat at the same moment. Please try again."), code="conflict"
        ) from error
    return booking


def _promote(session: Session) -> list[SessionBooking]:
    """Moves the first in line onto free seats; the session must be locked."""
    promoted = []
    if session.capacity is None:
        waiting = SessionBooking.objects.filter(session=session, status=BookingStatus.WAITING)
        for booking in waiting:
            promoted.append(_promote_booking(booking, seat=None))
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
        promoted.append(_promote_booking(booking, seat=seat))
    return promoted


def _promote_booking(booking: SessionBooking, *, seat: int | None) -> SessionBooking:
    booking.status = BookingStatus.BOOKED
    booking.seat = seat
    booking.position = None
    booking.promoted_at = timezone.now()
    try:
        with transaction.atomic():
            booking.save(update_fields=["status", "seat", "position", "promoted_at"])
    except IntegrityError as error:
        raise RegistrationError(
            _("Someone took that seat at the same moment. Please try again."), code="conflict"
        ) from error
    _send(booking.registration, EmailKind.PROMOTED, session_id=booking.session_id)
    return booking


def _release(registration: Registration, session_ids: Iterable[int]) -> None:
    """Drops the registration's places in these sessions; the waiting lists fill the seats."""
    session_ids = set(session_ids)
    if not session_ids:
        return
    sessions = _lock_sessions(session_ids)
    SessionBooking.objects.filter(registration=registration, session_id__in=session_ids).delete()
    for session in sessions.values():
        _promote(session)


def _check_sessions(edition: Edition, sessions: Iterable[Session]) -> list[Session]:
    sessions = list(sessions)
    if any(session.edition_id != edition.pk for session in sessions):
        raise RegistrationError(_("Choose sessions of this forum only."), code="wrong_session")
    return sessions


def book_session(*, registration: Registration, session: Session) -> SessionBooking:
    """A seat in the session, or a place on its waiting list when it is full."""
    if not registration.is_active:
        raise RegistrationError(_("This registration is no longer active."), code="inactive")
    _check_sessions(registration.edition, [session])
    with transaction.atomic():
        locked = _lock_sessions([session.pk])[session.pk]
        existing = SessionBooking.objects.filter(registration=registration, session=session).first()
        if existing is not None:
            return existing
        return _save_booking(_place(registration, locked))


def change_sessions(*, registration: Registration, sessions: Iterable[Session]) -> None:
    """Sets the registration's sessions: keeps wanted places, books new ones, frees others."""
    if not registration.is_active:
        raise RegistrationError(_("This registration is no longer active."), code="inactive")
    wanted = {session.pk: session for session in _check_sessions(registration.edition, sessions)}
    with transaction.atomic():
        current = set(
            SessionBooking.objects.filter(registration=registration).values_list(
                "session_id", flat=True
            )
        )
        locked = _lock_sessions(current | set(wanted))
        dropped = current - set(wanted)
        SessionBooking.objects.filter(registration=registration, session_id__in=dropped).delete()
        for session_id in sorted(set(wanted) - current):
            _save_booking(_place(registration, locked[session_id]))
        for session_id in sorted(dropped):
            _promote(locked[session_id])


def drop_session(*, registration: Registration, session: Session) -> None:
    with transaction.atomic():
        _release(registration, [session.pk])


def promote_from_waiting_list(*, session: Session) -> list[SessionBooking]:
    """Fills the session's free seats from its waiting list, first in line first."""
    with transaction.atomic():
        return _promote(_lock_sessions([session.pk])[session.pk])


def promote_booking(*, booking: SessionBooking) -> SessionBooking:
    """Staff move one person off the waiting list, ahead of the line, if a seat is free."""
    with transaction.atomic():
        session = _lock_sessions([booking.session_id])[booking.session_id]
        booking = SessionBooking.objects.select_related("registration").get(pk=booking.pk)
        if booking.status == BookingStatus.BOOKED:
            return booking
        if not booking.registration.is_active:
            raise RegistrationError(_("This registration is no longer active."), code="inactive")
        seat = None
        if session.capacity is not None:
            seat = _free_seat(session)
            if seat is None:
                raise RegistrationError(
                    _("“%(session)s” is full: raise its capacity or free a seat first.")
                    % {"session": session.title},
                    code="full",
                )
        return _promote_booking(booking, seat=seat)
