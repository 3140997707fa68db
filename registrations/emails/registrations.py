"""The emails an attendee receives, in their own language, sent by a background task."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from registrations.choices import RegistrationStatus
from registrations.models import Registration
from registrations.tokens import CONFIRM, MANAGE, lifetime, make_token


class EmailKind:
    CONFIRM = "confirm"  # double opt-in: confirm your address
    CONFIRM_NEW_ADDRESS = "confirm_new_address"
    ADDRESS_CHANGED = "address_changed"  # notice to the old address
    ALREADY_REGISTERED = "already_registered"  # someone registered this address again
    MANAGE_LINK = "manage_link"  # "send me my link"
    CONFIRMED = "confirmed"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    PROMOTED = "promoted"


@dataclass
class Message:
    subject: str
    paragraphs: list[str]
    action_label: str = ""
    action_url: str = ""
    notes: list[str] = field(default_factory=list)


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


def build_message(registration: Registration, kind: str, *, session_title: str = "") -> Message:
    """The subject and text of one email; called with the attendee's language active."""
    edition = registration.edition.display_title
    greeting = _("Dear %(name)s,") % {"name": registration.name}
    manage_label = _("View or change my registration")
    manage_note = _("This link is personal and works for %(days)s days.") % {
        "days": _days(registration)
    }
    if kind in (EmailKind.CONFIRM, EmailKind.CONFIRM_NEW_ADDRESS):
        intro = (
            _("Thank you for pre-registering for the %(edition)s.")
            if kind == EmailKind.CONFIRM
            else _("You changed the email address of your registration for the %(edition)s.")
        )
        return Message(
            subject=_("Please confirm your email address — %(edition)s") % {"edition": edition},
            paragraphs=[
                greeting,
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
    if kind == EmailKind.ADDRESS_CHANGED:
        return Message(
            subject=_("Your registration's email address was changed — %(edition)s")
            % {"edition": edition},
            paragraphs=[
                greeting,
                _(
                    "The email address of your registration was changed to %(email)s. Links "
                    "sent to this address no longer work."
                )
                % {"email": registration.email},
                _("If you did not make this change, please contact the organisers."),
            ],
        )
    if kind == EmailKind.ALREADY_REGISTERED:
        if registration.is_active:
            return Message(
                subject=_("You are already registered — %(edition)s") % {"edition": edition},
                paragraphs=[
                    greeting,
                    _(
                        "Someone, perhaps you, tried to register this email address again for "
                        "the %(edition)s. You are already registered; nothing was changed."
                    )
                    % {"edition": edition},
                    _("Use the link below to view or change your registration."),
                ],
                action_label=manage_label,
                action_url=manage_url(registration),
                notes=[manage_note],
            )
        return Message(
            subject=_("About your registration — %(edition)s") % {"edition": edition},
            paragraphs=[
                greeting,
                _(
                    "Someone, perhaps you, tried to register this email address again for the "
                    "%(edition)s. This address has a registration that is %(status)s."
                )
                % {"edition": edition, "status": registration.get_status_display().lower()},
                _("To register again, please contact the organisers."),
            ],
        )
    if kind == EmailKind.MANAGE_LINK:
        return Message(
            subject=_("Your registration link — %(edition)s") % {"edition": edition},
            paragraphs=[greeting, _("Here is the link to view or change your registration.")],
            action_label=manage_label,
            action_url=manage_url(registration),
            notes=[manage_note],
        )
    if kind == EmailKind.CONFIRMED:
        return Message(
            subject=_("Your registration is confirmed — %(edition)s") % {"edition": edition},
            paragraphs=[
                greeting,
                _("Your registration for the %(edition)s is confirmed.") % {"edition": edition},
            ],
            action_label=manage_label,
            action_url=manage_url(registration),
            notes=[manage_note],
        )
    if kind == EmailKind.AWAITING_APPROVAL:
        return Message(
            subject=_("We received your registration — %(edition)s") % {"edition": edition},
            paragraphs=[
                greeting,
                _(
                    "Thank you for confirming your email address. The organisers review "
                    "registrations in your category and will email you their decision."
                ),
            ],
            action_label=manage_label,
            action_url=manage_url(registration),
            notes=[manage_note],
        )
    if kind == EmailKind.APPROVED:
        return Message(
            subject=_("Your registration is approved — %(edition)s") % {"edition": edition},
            paragraphs=[
                greeting,
                _("The organisers approved your registration for the %(edition)s.")
                % {"edition": edition},
            ],
            action_label=manage_label,
            action_url=manage_url(registration),
            notes=[manage_note],
        )
    if kind == EmailKind.REJECTED:
        return Message(
            subject=_("About your registration — %(edition)s") % {"edition": edition},
            paragraphs=[
                greeting,
                _(
                    "We are sorry: the organisers could not accept your registration for the "
                    "%(edition)s. Please contact them if you have questions."
                )
                % {"edition": edition},
            ],
        )
    if kind == EmailKind.CANCELLED:
        return Message(
            subject=_("Your registration is cancelled — %(edition)s") % {"edition": edition},
            paragraphs=[
                greeting,
                _("Your registration for the %(edition)s is cancelled and your seats released.")
                % {"edition": edition},
            ],
        )
    if kind == EmailKind.PROMOTED:
        return Message(
            subject=_("A seat became free for you — %(edition)s") % {"edition": edition},
            paragraphs=[
                greeting,
                _(
                    "A seat became free in “%(session)s”: you moved off the waiting list and "
                    "are booked."
                )
                % {"session": session_title},
            ],
            action_label=manage_label,
            action_url=manage_url(registration),
            notes=[manage_note],
        )
    raise ValueError(f"Unknown email kind {kind!r}")


@task
def send_registration_email(
    registration_id: int, kind: str, to: str = "", session_id: int | None = None
) -> None:
    """Renders and sends one email; run after the transaction that caused it has committed."""
    registration = (
        Registration.objects.select_related("edition__registration_settings")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:  # expired or purged before the task ran
        return
    if kind == EmailKind.CONFIRM and registration.status != (
        RegistrationStatus.AWAITING_CONFIRMATION
    ):
        return
    session_title = ""
    with translation.override(registration.language):
        if session_id is not None:
            session = registration.edition.sessions.filter(pk=session_id).first()
            session_title = session.display_title if session else ""
        message = build_message(registration, kind, session_title=session_title)
        context = {"message": message, "registration": registration}
        text = render_to_string("emails/message.txt", context)
        html = render_to_string("emails/message.html", context)
    email = EmailMultiAlternatives(
        subject=message.subject, body=text, to=[to or registration.email]
    )
    email.attach_alternative(html, "text/html")
    email.send()
