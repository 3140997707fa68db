"""Registration: register, confirm, approve, change, cancel, expire.

Locks follow the one order of `registrations.db`: the registration's row first, then sessions.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import Edition
from registrations.choices import (
    ACTIVE_STATUSES,
    RegistrationStatus,
)
from registrations.db import integrity_as_error, lock_one, lock_rows
from registrations.emails.registrations import EmailKind
from registrations.errors import RegistrationError
from registrations.models import (
    Registration,
    RegistrationSettings,
    SessionBooking,
    new_link_key,
)
from registrations.selectors.registrations import current_consent_texts
from registrations.services.consents import _record_consents, _require_sharing_consent
from registrations.services.outbox import queue_email as _send
from registrations.services.seats import _check_sessions, _lock_sessions, _place, _release

DETAIL_FIELDS = (
    "name",
    "organisation",
    "job_title",
    "country",
    "phone",
    "time_zone",
    "language",
)


def get_registration_settings(*, edition: Edition) -> RegistrationSettings:
    try:
        return edition.registration_settings
    except RegistrationSettings.DoesNotExist:
        registration_settings, _created = RegistrationSettings.objects.get_or_create(
            edition=edition
        )
        return registration_settings


def register_attendee(*, edition: Edition, data: dict[str, Any]) -> Registration | None:
    """A new registration awaiting email confirmation, with its seats taken at once.

    When the email is already registered for the edition, nothing changes and the inbox's
    owner gets their link instead; the caller can't tell the difference (no enumeration), and
    None is returned.
    """
    if not edition.registration_is_open():
        raise RegistrationError(_("Registration is closed."), code="closed")
    sessions = _check_sessions(edition, data.get("sessions", []))
    texts = {text.kind: text for text in current_consent_texts(edition=edition)}
    given = set(data.get("consents", []))
    wants_meetings = bool(data.get("wants_meetings"))
    for kind, text in texts.items():
        if text.is_required(wants_meetings=wants_meetings) and kind not in given:
            raise RegistrationError(
                _("Please give the consent “%(consent)s”.") % {"consent": text.get_kind_display()},
                code="consent_required",
            )
    email = data["email"].strip()
    get_registration_settings(edition=edition)  # so the expiry command sees this edition
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                edition=edition,
                email=email,
                category=data["category"],
                wants_meetings=wants_meetings,
                **{name: data.get(name, "") or "" for name in DETAIL_FIELDS},
            )
            _record_consents(registration, [texts[kind] for kind in texts if kind in given])
            # Sessions without a limit need no lock; the others are locked in key order.
            limited = [session.pk for session in sessions if session.capacity is not None]
            locked = {**{session.pk: session for session in sessions}, **_lock_sessions(limited)}
            SessionBooking.objects.bulk_create(
                [_place(registration, locked[pk]) for pk in sorted(locked)]
            )
    except IntegrityError as error:
        # The database refuses a second registration of the address (even one made at the same
        # moment): its owner hears about it, and the response is the same as for a new one.
        existing = Registration.objects.filter(edition=edition, email__iexact=email).first()
        if existing is None:
            raise RegistrationError(
                _("Someone took that seat at the same moment. Please try again."),
                code="conflict",
            ) from error
        _send(existing, EmailKind.ALREADY_REGISTERED)
        return None
    _send(registration, EmailKind.CONFIRM)
    return registration


def confirm_registration(*, registration: Registration) -> Registration:
    """The address is confirmed: the registration is confirmed, or waits for staff approval."""
    with transaction.atomic():
        registration = lock_one(Registration, registration.pk)
        now = timezone.now()
        if registration.status == RegistrationStatus.AWAITING_CONFIRMATION:
            registration.email_confirmed_at = now
            if get_registration_settings(edition=registration.edition).needs_approval(
                registration.category
            ):
                registration.status = RegistrationStatus.AWAITING_APPROVAL
                _send(registration, EmailKind.AWAITING_APPROVAL)
            else:
                registration.status = RegistrationStatus.CONFIRMED
                registration.confirmed_at = now
                _send(registration, EmailKind.CONFIRMED)
            registration.save()
        elif registration.is_active and registration.email_confirmed_at is None:
            registration.email_confirmed_at = now  # a changed address, confirmed again
            registration.save(update_fields=["email_confirmed_at", "updated_at"])
        elif not registration.is_active:
            raise RegistrationError(_("This registration is no longer active."), code="inactive")
    return registration


def approve_registration(*, registration: Registration) -> Registration:
    with transaction.atomic():
        registration = lock_one(Registration, registration.pk)
        if registration.status != RegistrationStatus.AWAITING_APPROVAL:
            raise RegistrationError(
                _("Only registrations awaiting approval can be approved."), code="not_awaiting"
            )
        now = timezone.now()
        registration.status = RegistrationStatus.CONFIRMED
        registration.approved_at = registration.confirmed_at = now
        registration.save()
        _send(registration, EmailKind.APPROVED)
    return registration


def _end(registration: Registration, status: str) -> Registration:
    with transaction.atomic():
        registration = lock_one(Registration, registration.pk)
        if not registration.is_active:
            raise RegistrationError(_("This registration is no longer active."), code="inactive")
        _release(
            registration,
            SessionBooking.objects.filter(registration=registration).values_list(
                "session_id", flat=True
            ),
        )
        registration.status = status
        if status == RegistrationStatus.CANCELLED:
            registration.cancelled_at = timezone.now()
        else:
            registration.rejected_at = timezone.now()
        registration.link_key = new_link_key()  # revokes every link sent so far
        registration.save()
        _send(
            registration,
            EmailKind.CANCELLED if status == RegistrationStatus.CANCELLED else EmailKind.REJECTED,
        )
    return registration


def cancel_registration(*, registration: Registration) -> Registration:
    """Cancels, frees the seats (the waiting lists move up) and revokes the attendee's links."""
    return _end(registration, RegistrationStatus.CANCELLED)


def reject_registration(*, registration: Registration) -> Registration:
    return _end(registration, RegistrationStatus.REJECTED)


def resend_confirmation(*, registration: Registration) -> None:
    if registration.status != RegistrationStatus.AWAITING_CONFIRMATION:
        raise RegistrationError(
            _("Only registrations awaiting confirmation get a confirmation email."),
            code="not_awaiting",
        )
    _send(registration, EmailKind.CONFIRM)


def send_manage_link(*, edition: Edition, email: str) -> None:
    """Emails the link to the registration with this address, if there is one; says nothing."""
    registration = Registration.objects.filter(
        edition=edition, email__iexact=email.strip(), status__in=ACTIVE_STATUSES
    ).first()
    if registration is None:
        return
    if registration.status == RegistrationStatus.AWAITING_CONFIRMATION:
        _send(registration, EmailKind.CONFIRM)
    else:
        _send(registration, EmailKind.MANAGE_LINK)


def update_registration(*, registration: Registration, data: dict[str, Any]) -> Registration:
    """Saves changed details; a changed email is confirmed again and the old links stop working."""
    with transaction.atomic():
        registration = lock_one(Registration, registration.pk)
        if not registration.is_active:
            raise RegistrationError(_("This registration is no longer active."), code="inactive")
        for name in DETAIL_FIELDS:
            if name in data:
                setattr(registration, name, data[name] or "")
        if "wants_meetings" in data:
            wants = bool(data["wants_meetings"])
            if wants and not registration.wants_meetings:
                _require_sharing_consent(registration)
            registration.wants_meetings = wants
        new_email = (data.get("email") or registration.email).strip()
        old_email = registration.email
        if new_email.lower() != old_email.lower():
            taken = (
                Registration.objects.filter(edition=registration.edition, email__iexact=new_email)
                .exclude(pk=registration.pk)
                .first()
            )
            if taken is not None:
                # Same answer as a free address: the new inbox's owner hears about it instead.
                _send(taken, EmailKind.ALREADY_REGISTERED)
            else:
                registration.email = new_email
                registration.email_confirmed_at = None
                registration.link_key = new_link_key()
                _send(registration, EmailKind.ADDRESS_CHANGED, to=old_email)
                _send(registration, EmailKind.CONFIRM_NEW_ADDRESS)
        elif new_email != old_email:
            registration.email = new_email  # only the letter case changed
        with integrity_as_error(_("Your details could not be saved. Please try again.")):
            registration.save()
    return registration


def expire_registrations(*, now: dt.datetime | None = None) -> int:
    """Deletes registrations whose address wasn't confirmed in time and frees their seats."""
    now = now or timezone.now()
    expired = 0
    for registration_settings in RegistrationSettings.objects.all():
        cutoff = now - dt.timedelta(hours=registration_settings.confirmation_hours)
        stale = Registration.objects.filter(
            edition_id=registration_settings.edition_id,
            status=RegistrationStatus.AWAITING_CONFIRMATION,
            created_at__lt=cutoff,
        ).values_list("pk", flat=True)
        for registration_id in list(stale):
            with transaction.atomic():
                registration = lock_rows(Registration, [registration_id]).get(registration_id)
                if (
                    registration is None
                    or registration.status != RegistrationStatus.AWAITING_CONFIRMATION
                ):
                    continue  # confirmed or gone since the list was read
                _release(
                    registration,
                    SessionBooking.objects.filter(registration=registration).values_list(
                        "session_id", flat=True
                    ),
                )
                registration.delete()
                expired += 1
    return expired
