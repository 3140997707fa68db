"""Registration: register, confirm, approve, change, cancel, expire.

Locks follow the one order of `common.db`: the registration's row first, then sessions.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import atomic, integrity_as_error, lock_one, lock_rows
from common.rows import PkOf, RowBatch
from common.services.audit import audit_entry, log_action
from common.services.outbox import queue_email as _send
from common.services.outbox import queue_email_in
from forum.models import Edition
from registrations.choices import (
    EmailKind,
    RegistrationStatus,
)
from registrations.errors import RegistrationError
from registrations.models import (
    ATTENDEE_FIELDS,
    Registration,
    RegistrationSettings,
    SessionBooking,
    new_link_key,
)
from registrations.selectors.registrations import (
    active_registration_with_email,
    current_consent_texts,
    missing_consent_texts,
)
from registrations.services.bookings import _release
from registrations.services.consents import new_consents
from registrations.services.seats import (
    SEAT_TAKEN,
    _check_sessions,
    recounting_once,
    take_places,
)
from registrations.signals import meeting_participation_ended

# Details stored as given; the email, the category and the meetings opt-in have rules of their own.
DETAIL_FIELDS = tuple(
    name for name in ATTENDEE_FIELDS if name not in {"email", "category", "wants_meetings"}
)


def get_registration_settings(*, edition: Edition) -> RegistrationSettings:
    try:
        return edition.registration_settings
    except RegistrationSettings.DoesNotExist:
        registration_settings, _created = RegistrationSettings.objects.get_or_create(
            edition=edition
        )
        return registration_settings


def _check_required_consents(texts: dict, given: set[str], *, wants_meetings: bool) -> None:
    """Every consent the registration needs (the sharing one only with meetings) is given."""
    for kind, text in texts.items():
        if text.is_required(wants_meetings=wants_meetings) and kind not in given:
            raise RegistrationError(
                _("Please give the consent “%(consent)s”.") % {"consent": text.get_kind_display()},
                code="consent_required",
            )


def register_attendee(*, edition: Edition, data: dict[str, Any]) -> Registration | None:
    """A new registration awaiting email confirmation, with its seats taken at once.

    When the email is already registered for the edition, nothing changes and the inbox's
    owner gets their link instead; the caller can't tell the difference (no enumeration), and
    None is returned.
    """
    if not edition.registration_is_open():
        raise RegistrationError(_("Registration is closed."), code="closed")
    if missing_consent_texts(edition=edition):
        # No registration without the texts people agree to: the form isn't open yet.
        raise RegistrationError(_("Registration is not open yet."), code="not_open_yet")
    sessions = _check_sessions(edition, data.get("sessions", []))
    texts = {text.kind: text for text in current_consent_texts(edition=edition)}
    given = set(data.get("consents", []))
    wants_meetings = bool(data.get("wants_meetings"))
    _check_required_consents(texts, given, wants_meetings=wants_meetings)
    email = data["email"].strip()
    get_registration_settings(edition=edition)  # so the expiry command sees this edition
    return recounting_once(
        [session.pk for session in sessions],
        lambda: _write_registration(
            edition=edition,
            data=data,
            email=email,
            sessions=sessions,
            consents=[texts[kind] for kind in texts if kind in given],
            wants_meetings=wants_meetings,
        ),
    )


def _write_registration(
    *,
    edition: Edition,
    data: dict[str, Any],
    email: str,
    sessions: list,
    consents: list,
    wants_meetings: bool,
) -> Registration | None:
    """One transaction: the registration, its consents, audit entry and email, its places."""
    try:
        with atomic():
            # Everything that doesn't depend on the seats is written first, in one statement on
            # PostgreSQL (common.rows): during a rush every sign-up waits for the same session
            # row, so the lock is held for the seat and the bookings only, then the commit.
            # Whether each session gave a seat or a waiting-list place is on the booking rows.
            registration = Registration(
                edition=edition,
                email=email,
                category=data["category"],
                wants_meetings=wants_meetings,
                **{name: data.get(name, "") or "" for name in DETAIL_FIELDS},
            )
            rows = RowBatch()
            rows.add([registration])
            rows.add(new_consents(registration, consents), {"registration_id": PkOf(registration)})
            entry = audit_entry(
                actor=AuditActor.ATTENDEE,
                obj=registration,
                action="registration.created",
                details={
                    "consents": sorted(text.kind for text in consents),
                    "sessions": sorted(session.pk for session in sessions),
                },
            )
            rows.add([entry], {"object_id": PkOf(registration)})
            email_queued = queue_email_in(rows, registration, EmailKind.CONFIRM)
            rows.save()
            email_queued()
            # Last: each limited session's seat (or waiting place) is one conditional UPDATE of
            # its counters, which holds the session's row until the commit; the bookings are
            # one INSERT.
            take_places(registration, sessions)
    except IntegrityError as error:
        # The database refuses a second registration of the address (even one made at the same
        # moment): its owner hears about it, and the response is the same as for a new one.
        existing = active_registration_with_email(edition=edition, email=email)
        if existing is None:
            raise RegistrationError(SEAT_TAKEN, code="conflict") from error
        _send(existing, EmailKind.ALREADY_REGISTERED)
        return None
    return registration


def confirm_registration(
    *, registration: Registration, new_email: bool = False, actor=AuditActor.ATTENDEE
) -> Registration:
    """The address is confirmed: the registration is confirmed, or waits for staff approval.

    With `new_email`, the link came from the new address asked for on the self-service page:
    it replaces the old one now, and every link sent to the old one stops working.
    """
    with atomic():
        registration = lock_one(Registration, registration.pk)
        now = timezone.now()
        if new_email and registration.is_active and registration.pending_email:
            registration.email = registration.pending_email
            registration.pending_email = ""
            registration.link_key = new_link_key()
            registration.email_confirmed_at = None
            # Someone may have registered the address since it was asked for; whoever holds
            # its inbox may know that.
            with integrity_as_error(
                _("This address now belongs to another registration: keep your old one."),
                code="email_taken",
                error_class=RegistrationError,
            ):
                registration.save()
            log_action(
                actor=actor, obj=registration, action="registration.email_changed", fields=["email"]
            )
        if registration.status == RegistrationStatus.AWAITING_CONFIRMATION:
            registration.email_confirmed_at = now
            if get_registration_settings(edition=registration.edition).needs_approval(
                registration.category
            ):
                registration.status = RegistrationStatus.AWAITING_APPROVAL
                action = "registration.awaiting_approval"
                _send(registration, EmailKind.AWAITING_APPROVAL)
            else:
                registration.status = RegistrationStatus.CONFIRMED
                registration.confirmed_at = now
                action = "registration.confirmed"
                _send(registration, EmailKind.CONFIRMED)
            registration.save()
            log_action(actor=actor, obj=registration, action=action, fields=["status"])
        elif registration.is_active and registration.email_confirmed_at is None:
            registration.email_confirmed_at = now  # a changed address, confirmed again
            registration.save(update_fields=["email_confirmed_at", "updated_at"])
            log_action(
                actor=actor,
                obj=registration,
                action="registration.email_confirmed",
                fields=["email_confirmed_at"],
            )
        elif not registration.is_active:
            raise RegistrationError(_("This registration is no longer active."), code="inactive")
    return registration


def approve_registration(*, registration: Registration, actor) -> Registration:
    with atomic():
        registration = lock_one(Registration, registration.pk)
        if registration.status != RegistrationStatus.AWAITING_APPROVAL:
            raise RegistrationError(
                _("Only registrations awaiting approval can be approved."), code="not_awaiting"
            )
        now = timezone.now()
        registration.status = RegistrationStatus.CONFIRMED
        registration.approved_at = registration.confirmed_at = now
        registration.save()
        log_action(actor=actor, obj=registration, action="registration.approved", fields=["status"])
        _send(registration, EmailKind.APPROVED)
    return registration


def _end(registration: Registration, status: str, actor) -> Registration:
    with atomic():
        registration = lock_one(Registration, registration.pk)
        if not registration.is_active:
            raise RegistrationError(_("This registration is no longer active."), code="inactive")
        # Meetings first: they lock the counterparts' registrations, which come before sessions
        # in the lock order.
        meeting_participation_ended.send(sender=Registration, registration=registration)
        _release(
            registration,
            SessionBooking.objects.filter(registration=registration).values_list(
                "session_id", flat=True
            ),
            actor=actor,
        )
        registration.status = status
        if status == RegistrationStatus.CANCELLED:
            registration.cancelled_at = timezone.now()
        else:
            registration.rejected_at = timezone.now()
        registration.link_key = new_link_key()  # revokes every link sent so far
        registration.save()
        log_action(
            actor=actor,
            obj=registration,
            action=f"registration.{status}",
            fields=["status", "link_key"],
        )
        _send(
            registration,
            EmailKind.CANCELLED if status == RegistrationStatus.CANCELLED else EmailKind.REJECTED,
        )
    return registration


def cancel_registration(*, registration: Registration, actor=AuditActor.ATTENDEE) -> Registration:
    """Cancels, frees the seats (the waiting lists move up) and revokes the attendee's links."""
    return _end(registration, RegistrationStatus.CANCELLED, actor)


def reject_registration(*, registration: Registration, actor) -> Registration:
    return _end(registration, RegistrationStatus.REJECTED, actor)


def delete_registration(*, registration: Registration, actor) -> None:
    """Deletes a registration for good (staff with the right): its seats go to the waiting lists.

    Nobody is emailed; cancelling is the usual way and keeps the record.
    """
    with atomic():
        registration = lock_one(Registration, registration.pk)
        _release(
            registration,
            SessionBooking.objects.filter(registration=registration).values_list(
                "session_id", flat=True
            ),
            actor=actor,
        )
        log_action(actor=actor, obj=registration, action="registration.deleted")
        registration.delete()


def resend_confirmation(*, registration: Registration, actor=AuditActor.ATTENDEE) -> None:
    if registration.status != RegistrationStatus.AWAITING_CONFIRMATION:
        raise RegistrationError(
            _("Only registrations awaiting confirmation get a confirmation email."),
            code="not_awaiting",
        )
    with atomic():
        email = _send(registration, EmailKind.CONFIRM)
        log_action(
            actor=actor,
            obj=registration,
            action="email.queued",
            details={"kind": EmailKind.CONFIRM, "email": email.pk},
        )


def send_manage_link(*, edition: Edition, email: str) -> None:
    """Emails the link to the registration with this address, if there is one; says nothing."""
    registration = active_registration_with_email(edition=edition, email=email)
    if registration is None:
        return
    if registration.status == RegistrationStatus.AWAITING_CONFIRMATION:
        _send(registration, EmailKind.CONFIRM)
    else:
        _send(registration, EmailKind.MANAGE_LINK)


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
            with atomic():
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
                    actor=AuditActor.SYSTEM,
                )
                log_action(actor=AuditActor.SYSTEM, obj=registration, action="registration.expired")
                registration.delete()
                expired += 1
    return expired
