"""The emails of registration: one builder per kind, registered with the outbox.

Each builder runs when the email leaves, with the recipient's language active, and returns the
subject and text (or None when the email isn't needed any more).
"""

import zoneinfo
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.services.outbox import Message, register_builder
from registrations.choices import BookingStatus, EmailKind, RegistrationStatus
from registrations.ics import registration_calendar
from registrations.models import Registration, SessionBooking
from registrations.selectors.registrations import with_waiting_place
from registrations.tokens import CONFIRM, MANAGE, email_digest, lifetime, make_token

__all__ = ["EmailKind", "Message"]


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirm_url(registration: Registration, *, new_email: str = "") -> str:
    token = make_token(registration, purpose=CONFIRM, new_email=new_email)
    return absolute_url(reverse("registrations:confirm", kwargs={"token": token}))


def manage_url(registration: Registration) -> str:
    token = make_token(registration, purpose=MANAGE)
    return absolute_url(reverse("registrations:manage_token", kwargs={"token": token}))


def _hours(registration: Registration) -> int:
    return int(lifetime(registration, purpose=CONFIRM).total_seconds() // 3600)


def _days(registration: Registration) -> int:
    return lifetime(registration, purpose=MANAGE).days


def _edition(registration: Registration) -> str:
    return registration.edition.display_title


def _greeting(registration: Registration) -> str:
    return _("Dear %(name)s,") % {"name": registration.name}


def _bookings(registration: Registration) -> list[SessionBooking]:
    bookings = SessionBooking.objects.filter(registration=registration).select_related("session")
    return list(with_waiting_place(bookings).order_by("session__starts_at", "pk"))


def _session_lines(registration: Registration, bookings: list[SessionBooking]) -> list[str]:
    """Each session with its start in the attendee's own zone, named, and where they stand."""
    try:
        zone = zoneinfo.ZoneInfo(registration.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = registration.edition.tzinfo
    lines = []
    for booking in bookings:
        starts = formats.date_format(
            timezone.localtime(booking.session.starts_at, zone), "SESSION_DATETIME_FORMAT"
        )
        standing = (
            _("waiting list, place %(position)s") % {"position": booking.place}
            if booking.status == BookingStatus.WAITING
            else _("Booked")
        )
        lines.append(f"{booking.session.title} — {starts} ({zone.key}) — {standing}")
    return lines


def _calendar(registration: Registration, bookings: list[SessionBooking]):
    """The booked sessions as an .ics attachment, when there are any."""
    if not any(booking.status == BookingStatus.BOOKED for booking in bookings):
        return []
    name = f"{registration.edition.slug}-sessions.ics"
    return [(name, registration_calendar(registration), "text/calendar")]


def _with_manage_link(
    registration: Registration, subject: str, paragraphs: list[str], *, calendar: bool = False
) -> Message:
    bookings = _bookings(registration)
    return Message(
        subject=subject,
        paragraphs=paragraphs + _waiting_note(bookings),
        action_label=_("View or change my registration"),
        action_url=manage_url(registration),
        notes=[
            _("This link is personal and works for %(days)s days.") % {"days": _days(registration)}
        ],
        sessions=_session_lines(registration, bookings),
        attachments=_calendar(registration, bookings) if calendar else [],
    )


def _waiting_note(bookings: list[SessionBooking]) -> list[str]:
    if not any(booking.status == BookingStatus.WAITING for booking in bookings):
        return []
    return [
        _(
            "Where a session is full you are on its waiting list, at the place shown: you have "
            "no seat there yet. We will email you as soon as a seat becomes free for you."
        )
    ]


def _confirm(registration: Registration, intro: str) -> Message | None:
    if registration.status != RegistrationStatus.AWAITING_CONFIRMATION and (
        registration.email_confirmed_at is not None or not registration.is_active
    ):
        return None  # confirmed (or ended) since the email was queued: no link to send
    edition = _edition(registration)
    bookings = _bookings(registration)
    booked = any(booking.status == BookingStatus.BOOKED for booking in bookings)
    return Message(
        subject=_("Please confirm your email address — %(edition)s") % {"edition": edition},
        paragraphs=[
            _greeting(registration),
            intro % {"edition": edition},
            (
                _(
                    "Please confirm your email address within %(hours)s hours; until then your "
                    "seats are held for you."
                )
                if booked
                else _("Please confirm your email address within %(hours)s hours.")
            )
            % {"hours": _hours(registration)},
            *_waiting_note(bookings),
        ],
        sessions=_session_lines(registration, bookings),
        action_label=_("Confirm my email address"),
        action_url=confirm_url(registration),
        notes=[_("If you did not register, ignore this email and nothing will happen.")],
    )


@register_builder(EmailKind.CONFIRM)
def confirm(registration: Registration, params: dict[str, Any]) -> Message | None:
    return _confirm(registration, _("Thank you for pre-registering for the %(edition)s."))


@register_builder(EmailKind.CONFIRM_NEW_ADDRESS)
def confirm_new_address(registration: Registration, params: dict[str, Any]) -> Message | None:
    """The link that makes the address asked for on the self-service page the registration's.

    Queued to that address with its digest: if another address has been asked for since (or
    this one confirmed), the email is no longer needed — its link would not fit the address.
    """
    pending = registration.pending_email
    if not registration.is_active or not pending or email_digest(pending) != params["address"]:
        return None
    edition = _edition(registration)
    return Message(
        subject=_("Please confirm your email address — %(edition)s") % {"edition": edition},
        paragraphs=[
            _greeting(registration),
            _("You asked to change the email address of your registration for the %(edition)s.")
            % {"edition": edition},
            _(
                "Please confirm this address within %(hours)s hours; until then your "
                "registration keeps its old address."
            )
            % {"hours": _hours(registration)},
        ],
        action_label=_("Confirm my email address"),
        action_url=confirm_url(registration, new_email=pending),
        notes=[_("If you did not register, ignore this email and nothing will happen.")],
    )


@register_builder(EmailKind.ADDRESS_CHANGED)
def address_changed(registration: Registration, params: dict[str, Any]) -> Message:
    """To the registration's address when a new one is asked for (before it takes effect)."""
    return Message(
        subject=_("A change of your registration's email address — %(edition)s")
        % {"edition": _edition(registration)},
        paragraphs=[
            _greeting(registration),
            _(
                "Someone using your registration's link asked to change its email address "
                "to %(email)s. The change takes effect once that address is confirmed; then "
                "links sent to this address stop working."
            )
            % {"email": registration.pending_email or registration.email},
            _("If you did not ask for this change, please contact the organisers."),
        ],
    )


@register_builder(EmailKind.ALREADY_REGISTERED)
def already_registered(registration: Registration, params: dict[str, Any]) -> Message:
    edition = _edition(registration)
    if registration.is_active:
        return _with_manage_link(
            registration,
            _("You are already registered — %(edition)s") % {"edition": edition},
            [
                _greeting(registration),
                _(
                    "Someone, perhaps you, tried to register this email address again for "
                    "the %(edition)s. You are already registered; nothing was changed."
                )
                % {"edition": edition},
                _("Use the link below to view or change your registration."),
            ],
        )
    return Message(
        subject=_("About your registration — %(edition)s") % {"edition": edition},
        paragraphs=[
            _greeting(registration),
            _(
                "Someone, perhaps you, tried to register this email address again for the "
                "%(edition)s. This address has a registration that is %(status)s."
            )
            % {"edition": edition, "status": registration.get_status_display().lower()},
            _("To register again, please contact the organisers."),
        ],
    )


@register_builder(EmailKind.MANAGE_LINK)
def manage_link(registration: Registration, params: dict[str, Any]) -> Message:
    return _with_manage_link(
        registration,
        _("Your registration link — %(edition)s") % {"edition": _edition(registration)},
        [_greeting(registration), _("Here is the link to view or change your registration.")],
    )


@register_builder(EmailKind.CONFIRMED)
def confirmed(registration: Registration, params: dict[str, Any]) -> Message:
    edition = _edition(registration)
    return _with_manage_link(
        registration,
        _("Your registration is confirmed — %(edition)s") % {"edition": edition},
        [
            _greeting(registration),
            _("Your registration for the %(edition)s is confirmed.") % {"edition": edition},
        ],
        calendar=True,
    )


@register_builder(EmailKind.AWAITING_APPROVAL)
def awaiting_approval(registration: Registration, params: dict[str, Any]) -> Message:
    return _with_manage_link(
        registration,
        _("We received your registration — %(edition)s") % {"edition": _edition(registration)},
        [
            _greeting(registration),
            _(
                "Thank you for confirming your email address. The organisers review "
                "registrations in your category and will email you their decision."
            ),
        ],
    )


@register_builder(EmailKind.APPROVED)
def approved(registration: Registration, params: dict[str, Any]) -> Message:
    edition = _edition(registration)
    return _with_manage_link(
        registration,
        _("Your registration is approved — %(edition)s") % {"edition": edition},
        [
            _greeting(registration),
            _("The organisers approved your registration for the %(edition)s.")
            % {"edition": edition},
        ],
        calendar=True,
    )


@register_builder(EmailKind.REJECTED)
def rejected(registration: Registration, params: dict[str, Any]) -> Message:
    edition = _edition(registration)
    return Message(
        subject=_("About your registration — %(edition)s") % {"edition": edition},
        paragraphs=[
            _greeting(registration),
            _(
                "We are sorry: the organisers could not accept your registration for the "
                "%(edition)s. Please contact them if you have questions."
            )
            % {"edition": edition},
        ],
    )


@register_builder(EmailKind.CANCELLED)
def cancelled(registration: Registration, params: dict[str, Any]) -> Message:
    edition = _edition(registration)
    return Message(
        subject=_("Your registration is cancelled — %(edition)s") % {"edition": edition},
        paragraphs=[
            _greeting(registration),
            _("Your registration for the %(edition)s is cancelled and your seats released.")
            % {"edition": edition},
        ],
    )


@register_builder(EmailKind.PROMOTED)
def promoted(registration: Registration, params: dict[str, Any]) -> Message:
    session = registration.edition.sessions.filter(pk=params.get("session_id")).first()
    return _with_manage_link(
        registration,
        _("A seat became free for you — %(edition)s") % {"edition": _edition(registration)},
        [
            _greeting(registration),
            _("A seat became free in “%(session)s”: you moved off the waiting list and are booked.")
            % {"session": session.display_title if session else ""},
        ],
        calendar=True,
    )
