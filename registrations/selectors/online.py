"""What the online forum's pages read: a session an attendee may join, their join links."""

from django.db.models import Prefetch
from django.utils import timezone

from forum.models import Session, SessionMaterial, SessionRecording, SessionStream
from registrations.choices import BookingStatus, RegistrationStatus
from registrations.models import (
    Attendance,
    Registration,
    RegistrationSettings,
    SessionBooking,
    SessionFeedback,
)

DEFAULT_JOIN_OPENS_MINUTES = 15


def join_opens_minutes(registration: Registration) -> int:
    try:
        return registration.edition.registration_settings.join_opens_minutes
    except RegistrationSettings.DoesNotExist:
        return DEFAULT_JOIN_OPENS_MINUTES


def session_with_streams(*, registration: Registration, session_id: int) -> Session | None:
    """The session of the registration's edition, with its streams (floor first), or None."""
    return (
        Session.objects.filter(edition_id=registration.edition_id, pk=session_id)
        .select_related("edition")
        .prefetch_related(
            Prefetch("streams", queryset=SessionStream.objects.order_by("language", "pk")),
            Prefetch("recordings", queryset=SessionRecording.objects.public()),
            Prefetch(
                "materials",
                queryset=SessionMaterial.objects.public().select_related("presentation__speaker"),
            ),
        )
        .first()
    )


def join_refusal(*, registration: Registration, session: Session) -> str | None:
    """Why this registration may not join this session, or None when it may.

    Only a confirmed registration with a booked seat joins: not one still unconfirmed or
    awaiting approval, not a place on the waiting list, not a session they didn't book.
    """
    if registration.status != RegistrationStatus.CONFIRMED:
        return "unconfirmed" if registration.is_active else "ended"
    status = (
        SessionBooking.objects.filter(registration=registration, session=session)
        .values_list("status", flat=True)
        .first()
    )
    if status == BookingStatus.WAITING:
        return "waiting"
    if status != BookingStatus.BOOKED:
        return "not_booked"
    return None


def joinable_bookings(registration: Registration) -> list[SessionBooking]:
    """The bookings that carry a join link: booked seats of a confirmed registration."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return []
    return [
        booking for booking in registration.bookings.all() if booking.status == BookingStatus.BOOKED
    ]


def sessions_to_rate(registration: Registration) -> set[int]:
    """The sessions this person attended that have ended and that they have not rated yet
    (the manage page links each to its rating form)."""
    return set(
        Attendance.objects.filter(registration=registration, session__ends_at__lt=timezone.now())
        .exclude(
            session_id__in=SessionFeedback.objects.filter(registration=registration).values(
                "session_id"
            )
        )
        .values_list("session_id", flat=True)
    )
