"""The emails of registration: the declared kinds (`KINDS`), each a template and its context.

Each context runs when the email leaves, with the recipient's language active, and returns the
values of its template's placeholders (or None when the email isn't needed any more); the words
are in `templates/emails/kinds/<kind>.txt` (`common/emails.py` renders them).
"""

import zoneinfo
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.emails import ACTION_URL, ATTACHMENTS, SESSIONS, EmailKind
from common.times import shown
from registrations.choices import BookingStatus, RegistrationStatus
from registrations.choices import EmailKind as Kind
from registrations.ics import registration_calendar
from registrations.models import Registration, SessionBooking
from registrations.selectors.registrations import with_waiting_place
from registrations.tokens import CONFIRM, MANAGE, email_digest, join_url, lifetime, make_token

Context = dict[str, Any] | None


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirm_url(registration: Registration, *, new_email: str = "") -> str:
    token = make_token(registration, purpose=CONFIRM, new_email=new_email)
    return absolute_url(reverse("registrations:confirm", kwargs={"token": token}))


def manage_url(registration: Registration) -> str:
    token = make_token(registration, purpose=MANAGE)
    return absolute_url(reverse("registrations:manage_token", kwargs={"token": token}))


def _bookings(registration: Registration) -> list[SessionBooking]:
    bookings = SessionBooking.objects.filter(registration=registration).select_related("session")
    return list(with_waiting_place(bookings).order_by("session__starts_at", "pk"))


def _session_lines(registration: Registration, bookings: list[SessionBooking]) -> list[str]:
    """Each session with its start in the attendee's own zone, named, and where they stand."""
    try:
        zone = zoneinfo.ZoneInfo(registration.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = registration.edition.tzinfo
    # A confirmed attendee's booked seats carry their personal join links.
    joins = registration.status == RegistrationStatus.CONFIRMED
    lines = []
    for booking in bookings:
        starts = shown(booking.session.starts_at, "SESSION_DATETIME_FORMAT", zone=zone)
        standing = (
            _("waiting list, place %(position)s") % {"position": booking.place}
            if booking.status == BookingStatus.WAITING
            else _("Booked")
        )
        line = f"{booking.session.title} — {starts} ({zone.key}) — {standing}"
        if joins and booking.status == BookingStatus.BOOKED:
            line += " — " + _("join online: %(url)s") % {
                "url": join_url(registration, booking.session)
            }
        lines.append(line)
    return lines


def _calendar(registration: Registration, bookings: list[SessionBooking]):
    """The booked sessions as an .ics attachment, when there are any."""
    if not any(booking.status == BookingStatus.BOOKED for booking in bookings):
        return []
    name = f"{registration.edition.slug}-sessions.ics"
    return [(name, registration_calendar(registration), "text/calendar")]


def _base(registration: Registration) -> dict[str, Any]:
    return {"name": registration.name, "edition": registration.edition.display_title}


def _sessions(registration: Registration, *, calendar: bool = False) -> dict[str, Any]:
    """The sessions held or waited for, and the .ics of the booked ones when asked."""
    bookings = _bookings(registration)
    return {
        "waiting": any(booking.status == BookingStatus.WAITING for booking in bookings),
        "booked": any(booking.status == BookingStatus.BOOKED for booking in bookings),
        SESSIONS: _session_lines(registration, bookings),
        ATTACHMENTS: _calendar(registration, bookings) if calendar else [],
    }


def _with_manage_link(registration: Registration, *, calendar: bool = False) -> dict[str, Any]:
    values = {**_base(registration), **_sessions(registration, calendar=calendar)}
    del values["booked"]
    return {
        **values,
        "days": lifetime(registration, purpose=MANAGE).days,
        ACTION_URL: manage_url(registration),
    }


def _hours(registration: Registration) -> int:
    return int(lifetime(registration, purpose=CONFIRM).total_seconds() // 3600)


def confirm(registration: Registration, params: dict[str, Any]) -> Context:
    if registration.status != RegistrationStatus.AWAITING_CONFIRMATION and (
        registration.email_confirmed_at is not None or not registration.is_active
    ):
        return None  # confirmed (or ended) since the email was queued: no link to send
    values = {**_base(registration), **_sessions(registration)}
    del values[ATTACHMENTS]
    return {**values, "hours": _hours(registration), ACTION_URL: confirm_url(registration)}


def confirm_new_address(registration: Registration, params: dict[str, Any]) -> Context:
    """The link that makes the address asked for on the self-service page the registration's.

    Queued to that address with its digest: if another address has been asked for since (or
    this one confirmed), the email is no longer needed — its link would not fit the address.
    """
    pending = registration.pending_email
    if not registration.is_active or not pending or email_digest(pending) != params["address"]:
        return None
    return {
        **_base(registration),
        "hours": _hours(registration),
        ACTION_URL: confirm_url(registration, new_email=pending),
    }


def address_changed(registration: Registration, params: dict[str, Any]) -> Context:
    """To the registration's address when a new one is asked for (before it takes effect)."""
    return {**_base(registration), "email": registration.pending_email or registration.email}


def already_registered(registration: Registration, params: dict[str, Any]) -> Context:
    if registration.is_active:
        return {**_with_manage_link(registration), "active": True}
    return {
        **_base(registration),
        "active": False,
        "status": registration.get_status_display().lower(),
    }


def with_manage_link(registration: Registration, params: dict[str, Any]) -> Context:
    return _with_manage_link(registration)


def with_calendar(registration: Registration, params: dict[str, Any]) -> Context:
    return _with_manage_link(registration, calendar=True)


def base(registration: Registration, params: dict[str, Any]) -> Context:
    return _base(registration)


def promoted(registration: Registration, params: dict[str, Any]) -> Context:
    session = registration.edition.sessions.filter(pk=params.get("session_id")).first()
    return {
        **_with_manage_link(registration, calendar=True),
        "session": session.display_title if session else "",
    }


# What each placeholder holds, said to staff who edit an email.
NAME = {"name": gettext_lazy("the recipient's name")}
EDITION = {"edition": gettext_lazy("the forum's title")}
HOURS = {"hours": gettext_lazy("hours the confirmation link works")}
WAITING = {"waiting": gettext_lazy("yes when the recipient is on a session's waiting list")}
LINK = {**WAITING, "days": gettext_lazy("days the personal link works")}


# What each email is, for organisers choosing one to edit.
LABELS = {
    Kind.CONFIRM: gettext_lazy("Confirm your address (after registering)"),
    Kind.CONFIRM_NEW_ADDRESS: gettext_lazy("Confirm your new address"),
    Kind.ADDRESS_CHANGED: gettext_lazy("Address changed (to the old address)"),
    Kind.ALREADY_REGISTERED: gettext_lazy("Already registered (someone registered again)"),
    Kind.MANAGE_LINK: gettext_lazy("Your registration link (asked for)"),
    Kind.CONFIRMED: gettext_lazy("Registration confirmed"),
    Kind.AWAITING_APPROVAL: gettext_lazy("Registration awaiting approval"),
    Kind.APPROVED: gettext_lazy("Registration approved"),
    Kind.REJECTED: gettext_lazy("Registration rejected"),
    Kind.CANCELLED: gettext_lazy("Registration cancelled"),
    Kind.PROMOTED: gettext_lazy("A seat from the waiting list"),
}


def _kind(name: str, context, **placeholders) -> EmailKind:
    return EmailKind(
        name=name,
        template=f"emails/kinds/{name}.txt",
        placeholders={**NAME, **EDITION, **placeholders},
        context=context,
        label=LABELS[name],
    )


KINDS = [
    _kind(
        Kind.CONFIRM,
        confirm,
        **HOURS,
        **WAITING,
        booked=gettext_lazy("yes when a seat is held for the recipient"),
    ),
    _kind(Kind.CONFIRM_NEW_ADDRESS, confirm_new_address, **HOURS),
    _kind(Kind.ADDRESS_CHANGED, address_changed, email=gettext_lazy("the new address asked for")),
    _kind(
        Kind.ALREADY_REGISTERED,
        already_registered,
        **LINK,
        active=gettext_lazy("yes when the registration is active"),
        status=gettext_lazy("the registration's status"),
    ),
    _kind(Kind.MANAGE_LINK, with_manage_link, **LINK),
    _kind(Kind.CONFIRMED, with_calendar, **LINK),
    _kind(Kind.AWAITING_APPROVAL, with_manage_link, **LINK),
    _kind(Kind.APPROVED, with_calendar, **LINK),
    _kind(Kind.REJECTED, base),
    _kind(Kind.CANCELLED, base),
    _kind(Kind.PROMOTED, promoted, **LINK, session=gettext_lazy("the session's title")),
]
