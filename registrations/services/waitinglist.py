"""The waiting list: when a seat frees up, the first in line moves onto it, told by email;
staff may move one person ahead of the line."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import atomic, integrity_as_error
from common.services.audit import log_action
from common.services.outbox import queue_email as _send
from forum.models import Session
from registrations.choices import ACTIVE_STATUSES, BookingStatus, EmailKind
from registrations.errors import RegistrationError
from registrations.models import (
    SessionBooking,
)
from registrations.services.seats import (
    SEAT_TAKEN,
    _free_seat,
    _lock_sessions,
    _log_booking,
    lock_active_registration,
    sync_seat_counts,
)


def _promote(session: Session, *, actor=AuditActor.SYSTEM) -> list[SessionBooking]:
    """Moves the first in line onto free seats; the session must be locked."""
    promoted = _promote_into_free_seats(session, actor)
    sync_seat_counts([session.pk])  # the seats freed, less those filled
    return promoted


def _promote_into_free_seats(session: Session, actor) -> list[SessionBooking]:
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


def change_capacity(*, session: Session, capacity: int | None, actor) -> list[SessionBooking]:
    """Sets a session's capacity and fills the seats it adds from the waiting list, at once.

    One transaction under the session's lock, as a booking takes it: the seats are counted with
    no booking able to slip in between, a capacity below the seats taken is refused, and the
    people promoted are those first in line when the capacity changed.
    """
    with atomic():
        locked = _lock_sessions([session.pk])[session.pk]
        booked = SessionBooking.objects.filter(session=locked, status=BookingStatus.BOOKED).count()
        if capacity is not None and capacity < booked:
            raise RegistrationError(
                _(
                    "%(booked)s people hold seats in this session: the capacity can't be lower. "
                    "Cancel bookings first."
                )
                % {"booked": booked},
                code="below_booked",
            )
        if locked.capacity != capacity:
            locked.capacity = capacity
            # Counted only while the session is limited: set with the capacity, in one UPDATE.
            locked.seats_taken = 0 if capacity is None else booked
            locked.save(update_fields=["capacity", "seats_taken"])
            log_action(
                actor=actor, obj=locked, action="session.capacity_changed", fields=["capacity"]
            )
        session.capacity = capacity
        return _promote(locked, actor=actor)


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
        booking = _promote_booking(booking, seat=seat, actor=actor)
        sync_seat_counts([session.pk])
        return booking
