"""Reads of pre-registration that pages, exports and services share, with related rows loaded."""

from django.db.models import Count, Prefetch, Q, QuerySet

from forum.models import Edition, Session
from registrations.choices import BookingStatus, ConsentKind
from registrations.models import Consent, ConsentText, Registration, SessionBooking


def current_consent_texts(*, edition: Edition) -> list[ConsentText]:
    """The newest version of each kind of consent, in the order the form shows them."""
    latest: dict[str, ConsentText] = {}
    for text in ConsentText.objects.filter(edition=edition).order_by("kind", "-created_at", "-pk"):
        latest.setdefault(text.kind, text)
    order = list(ConsentKind.values)
    return sorted(latest.values(), key=lambda text: order.index(text.kind))


def sessions_with_seats(*, edition: Edition) -> QuerySet[Session]:
    """The edition's sessions with `booked_count` and `waiting_count` annotated."""
    return (
        Session.objects.filter(edition=edition)
        .annotate(
            booked_count=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)),
            waiting_count=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
        )
        .order_by("starts_at", "pk")
    )


def seats_left(session: Session) -> int | None:
    """Needs `booked_count` from sessions_with_seats; None means no limit."""
    if session.capacity is None:
        return None
    return max(session.capacity - session.booked_count, 0)


def registration_with_details(*, pk: int) -> Registration | None:
    return (
        Registration.objects.select_related("edition__registration_settings")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=SessionBooking.objects.select_related("session").order_by(
                    "session__starts_at", "pk"
                ),
            ),
            Prefetch("consents", queryset=Consent.objects.filter(withdrawn_at=None)),
        )
        .filter(pk=pk)
        .first()
    )


def attendees_for_export(
    *,
    edition: Edition,
    session: Session | None = None,
    status: str = "",
    category: str = "",
) -> QuerySet[Registration]:
    registrations = (
        Registration.objects.filter(edition=edition)
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=SessionBooking.objects.select_related("session").order_by(
                    "session__starts_at", "pk"
                ),
            ),
            Prefetch("consents", queryset=Consent.objects.filter(withdrawn_at=None)),
        )
        .order_by("pk")
    )
    if session is not None:
        registrations = registrations.filter(bookings__session=session)
    if status:
        registrations = registrations.filter(status=status)
    if category:
        registrations = registrations.filter(category=category)
    return registrations
