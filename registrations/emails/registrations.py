"""The emails of registration: one builder per kind, registered with the outbox.

Each builder runs when the email leaves, with the recipient's language active, and returns the
subject and text (or None when the email isn't needed any more).
"""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from registrations.choices import EmailKind, RegistrationStatus
from registrations.models import Registration
from registrations.services.outbox import Message, register_builder
from registrations.tokens import CONFIRM, MANAGE, lifetime, make_token

__all__ = ["EmailKind", "Message"]


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirm_url(registration: Registration) -> str:
    token = make_token(registration, purpose=CONFIRM)
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


def _with_manage_link(registration: Registration, subject: str, paragraphs: list[str]) -> Message:
    return Message(
        subject=subject,
        paragraphs=paragraphs,
        action_label=_("View or change my registration"),
        action_url=manage_url(registration),
        notes=[
            _("This link is personal and works for %(days)s days.") % {"days": _days(registration)}
        ],
    )


def _confirm(registration: Registration, intro: str) -> Message | None:
    if registration.status != RegistrationStatus.AWAITING_CONFIRMATION and (
        registration.email_confirmed_at is not None or not registration.is_active
    ):
        return None  # confirmed (or ended) since the email was queued: no link to send
    edition = _edition(registration)
    return Message(
        subject=_("Please confirm your email address — %(edition)s") % {"edition": edition},
        paragraphs=[
            _greeting(registration),
            intro % {"edition": edition},
            _(
                "Please confirm your email address within %(hours)s hours; until then your "
                "seats are held for you."
            )
            % {"hours": _hours(registration)},
        ],
        action_label=_("Confirm my email address"),
        action_url=confirm_url(registration),
        notes=[_("If you did not register, ignore this email and nothing will happen.")],
    )


@register_builder(EmailKind.CONFIRM)
def confirm(registration: Registration, params: dict[str, Any]) -> Message | None:
    return _confirm(registration, _("Thank you for pre-registering for the %(edition)s."))


@register_builder(EmailKind.CONFIRM_NEW_ADDRESS)
def confirm_new_address(registration: Registration, params: dict[str, Any]) -> Message | None:
    return _confirm(
        registration,
        _("You changed the email address of your registration for the %(edition)s."),
    )


@register_builder(EmailKind.ADDRESS_CHANGED)
def address_changed(registration: Registration, params: dict[str, Any]) -> Message:
    return Message(
        subject=_("Your registration's email address was changed — %(edition)s")
        % {"edition": _edition(registration)},
        paragraphs=[
            _greeting(registration),
            _(
                "The email address of your registration was changed to %(email)s. Links "
                "sent to this address no longer work."
            )
            % {"email": registration.email},
            _("If you did not make this change, please contact the organisers."),
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
    )
