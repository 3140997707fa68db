"""The attendee's booked sessions as an iCalendar file, with UIDs stable across downloads."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registrations.choices import BookingStatus, RegistrationStatus
from registrations.models import Registration
from registrations.tokens import join_url


def session_uid(registration: Registration, session) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "forum"
    return f"registration-{registration.pk}-session-{session.pk}@{host}"


def registration_calendar(registration: Registration) -> bytes:
    """Needs the registration's bookings with their sessions (registration_with_details).

    In the attendee's language: a Korean registrant's calendar and events carry the Korean
    names where staff entered them (English otherwise), and links to the Korean pages.
    """
    with translation.override(registration.language):
        return _calendar(registration)


def sessions_calendar(registration: Registration, sessions) -> bytes:
    """Some sessions' events, the same UIDs as in the full file (a join link's waiting page, a
    reminder)."""
    with translation.override(registration.language):
        return _calendar(registration, list(sessions))


def _calendar(registration: Registration, sessions=None) -> bytes:
    if sessions is None:
        sessions = [
            booking.session
            for booking in registration.bookings.all()
            if booking.status == BookingStatus.BOOKED
        ]
    from icalendar import Calendar, Event  # loaded by the first download, not at start-up

    joins = registration.status == RegistrationStatus.CONFIRMED
    calendar = Calendar()
    calendar.add("prodid", "-//ASEAN Connectivity Forum//Registrations//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-timezone", registration.edition.time_zone)
    calendar.add("x-wr-calname", registration.edition.title)
    now = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", session_uid(registration, session))
        event.add("dtstamp", now)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", session.title)
        if session.room:
            event.add("location", session.room)
        event.add("url", f"{settings.SITE_URL}{session.get_absolute_url()}")
        description = [session.description] if session.description else []
        if joins:
            # The personal join link (a confirmed attendee's booked seat): calendars show it
            # at the start, where the attendee looks for it.
            description.append(_("Join online: %(url)s") % {"url": join_url(registration, session)})
        if description:
            event.add("description", "\n\n".join(description))
        calendar.add_component(event)
    return calendar.to_ical()
