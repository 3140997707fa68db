"""Every write of pre-registration: register, confirm, seats, waiting lists, cancel, consents."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import Edition, Session
from registrations.choices import (
    ACTIVE_STATUSES,
    BookingStatus,
    ConsentKind,
    ConsentRequirement,
    ExportFormat,
    ExportSource,
    RegistrationStatus,
)
from registrations.emails import EmailKind, send_registration_email
from registrations.models import (
    Consent,
    ConsentText,
    ExportLog,
    Registration,
    RegistrationSettings,
    SessionBooking,
    new_link_key,
)
from registrations.ratelimit import purge_expired as purge_expired_counters
from registrations.selectors import current_consent_texts

# The lock and the numbered seats are what keep a session within its capacity. Only the race
# test's negative control turns this off, to show that the test catches overbooking without them.
CAPACITY_GUARD = True

DETAIL_FIELDS = (
    "name",
    "organisation",
    "job_title",
    "country",
    "phone",
    "time_zone",
    "language",
)


class RegistrationError(Exception):
    """A registration action that can't be done, with a message the user can read."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def _send(registration: Registration, kind: str, **kwargs: Any) -> None:
    registration_id = registration.pk
    transaction.on_commit(lambda: send_registration_email.enqueue(registration_id, kind, **kwargs))


def get_registration_settings(*, edition: Edition) -> RegistrationSettings:
    try:
        return edition.registration_settings
    except RegistrationSettings.DoesNotExist:
        registration_settings, _created = RegistrationSettings.objects.get_or_create(
            edition=edition
        )
        return registration_settings


# Seats and waiting lists ---------------------------------------------------------------------


def _lock_sessions(session_ids: Iterable[int]) -> dict[int, Session]:
    """Locks the sessions' rows in primary-key order, so two transactions never deadlock."""
    session_ids = set(session_ids)
    if not session_ids:
        return {}
    sessions = Session.objects.filter(pk__in=session_ids).order_by("pk")
    if CAPACITY_GUARD:
        sessions = sessions.select_for_update()
    return {session.pk: session for session in sessions}


def _free_seat(session: Session) -> int | None:
    """The lowest free seat number, or None if the session is full. Needs the session locked."""
    booked = list(
        SessionBooking.objects.filter(session=session, status=BookingStatus.BOOKED).values_list(
            "seat", flat=True
        )
    )
    if len(booked) >= session.capacity:
        return None
    taken = set(booked)
    return next((seat for seat in range(1, session.capacity + 1) if seat not in taken), None)


def _place(registration: Registration, session: Session) -> SessionBooking:
    """Books a seat if one is free, else a place at the end of the waiting list."""
    if session.capacity is None:
        return SessionBooking(
            registration=registration, session=session, status=BookingStatus.BOOKED
        )
    if not CAPACITY_GUARD:
        # Count-then-insert without lock or seat number: the race the guard prevents.
        booked = SessionBooking.objects.filter(session=session, status=BookingStatus.BOOKED)
        if booked.count() < session.capacity:
            return SessionBooking(
                registration=registration, session=session, status=BookingStatus.BOOKED
            )
        seat = None
    else:
        seat = _free_seat(session)
    if seat is not None:
        return SessionBooking(
            registration=registration, session=session, status=BookingStatus.BOOKED, seat=seat
        )
    last = SessionBooking.objects.filter(session=session, status=BookingStatus.WAITING).aggregate(
        last=Max("position")
    )["last"]
    return SessionBooking(
        registration=registration,
        session=session,
        status=BookingStatus.WAITING,
        position=(last or 0) + 1,
    )


def _save_booking(booking: SessionBooking) -> SessionBooking:
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        raise RegistrationError(
            _("Someone took that seat at the same moment. Please try again."), code="conflict"
        ) from error
    return booking


def _promote(session: Session) -> list[SessionBooking]:
    """Moves the first in line onto free seats; the session must be locked."""
    promoted = []
    if session.capacity is None:
        waiting = SessionBooking.objects.filter(session=session, status=BookingStatus.WAITING)
        for booking in waiting:
            promoted.append(_promote_booking(booking, seat=None))
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
        promoted.append(_promote_booking(booking, seat=seat))
    return promoted


def _promote_booking(booking: SessionBooking, *, seat: int | None) -> SessionBooking:
    booking.status = BookingStatus.BOOKED
    booking.seat = seat
    booking.position = None
    booking.promoted_at = timezone.now()
    try:
        with transaction.atomic():
            booking.save(update_fields=["status", "seat", "position", "promoted_at"])
    except IntegrityError as error:
        raise RegistrationError(
            _("Someone took that seat at the same moment. Please try again."), code="conflict"
        ) from error
    _send(booking.registration, EmailKind.PROMOTED, session_id=booking.session_id)
    return booking


def _release(registration: Registration, session_ids: Iterable[int]) -> None:
    """Drops the registration's places in these sessions; the waiting lists fill the seats."""
    session_ids = set(session_ids)
    if not session_ids:
        return
    sessions = _lock_sessions(session_ids)
    SessionBooking.objects.filter(registration=registration, session_id__in=session_ids).delete()
    for session in sessions.values():
        _promote(session)


def _check_sessions(edition: Edition, sessions: Iterable[Session]) -> list[Session]:
    sessions = list(sessions)
    if any(session.edition_id != edition.pk for session in sessions):
        raise RegistrationError(_("Choose sessions of this forum only."), code="wrong_session")
    return sessions


def book_session(*, registration: Registration, session: Session) -> SessionBooking:
    """A seat in the session, or a place on its waiting list when it is full."""
    if not registration.is_active:
        raise RegistrationError(_("This registration is no longer active."), code="inactive")
    _check_sessions(registration.edition, [session])
    with transaction.atomic():
        locked = _lock_sessions([session.pk])[session.pk]
        existing = SessionBooking.objects.filter(registration=registration, session=session).first()
        if existing is not None:
            return existing
        return _save_booking(_place(registration, locked))


def change_sessions(*, registration: Registration, sessions: Iterable[Session]) -> None:
    """Sets the registration's sessions: keeps wanted places, books new ones, frees others."""
    if not registration.is_active:
        raise RegistrationError(_("This registration is no longer active."), code="inactive")
    wanted = {session.pk: session for session in _check_sessions(registration.edition, sessions)}
    with transaction.atomic():
        current = set(
            SessionBooking.objects.filter(registration=registration).values_list(
                "session_id", flat=True
            )
        )
        locked = _lock_sessions(current | set(wanted))
        dropped = current - set(wanted)
        SessionBooking.objects.filter(registration=registration, session_id__in=dropped).delete()
        for session_id in sorted(set(wanted) - current):
            _save_booking(_place(registration, locked[session_id]))
        for session_id in sorted(dropped):
            _promote(locked[session_id])


def drop_session(*, registration: Registration, session: Session) -> None:
    with transaction.atomic():
        _release(registration, [session.pk])


def promote_from_waiting_list(*, session: Session) -> list[SessionBooking]:
    """Fills the session's free seats from its waiting list, first in line first."""
    with transaction.atomic():
        return _promote(_lock_sessions([session.pk])[session.pk])


def promote_booking(*, booking: SessionBooking) -> SessionBooking:
    """Staff move one person off the waiting list, ahead of the line, if a seat is free."""
    with transaction.atomic():
        session = _lock_sessions([booking.session_id])[booking.session_id]
        booking = SessionBooking.objects.select_related("registration").get(pk=booking.pk)
        if booking.status == BookingStatus.BOOKED:
            return booking
        if not booking.registration.is_active:
            raise RegistrationError(_("This registration is no longer active."), code="inactive")
        seat = None
        if session.capacity is not None:
            seat = _free_seat(session)
            if seat is None:
                raise RegistrationError(
                    _("“%(session)s” is full: raise its capacity or free a seat first.")
                    % {"session": session.title},
                    code="full",
                )
        return _promote_booking(booking, seat=seat)


# Registration --------------------------------------------------------------------------------


def _record_consents(registration: Registration, texts: Iterable[ConsentText]) -> None:
    now = timezone.now()
    Consent.objects.bulk_create(
        [
            Consent(
                registration=registration,
                text=text,
                kind=text.kind,
                version=text.version,
                given_at=now,
            )
            for text in texts
        ]
    )


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
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
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
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
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
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
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
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
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
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError as error:
            raise RegistrationError(
                _("Your details could not be saved. Please try again."), code="conflict"
            ) from error
    return registration


def _require_sharing_consent(registration: Registration) -> None:
    texts = {text.kind: text for text in current_consent_texts(edition=registration.edition)}
    sharing = texts.get(ConsentKind.SHARING)
    if sharing is None or sharing.requirement != ConsentRequirement.WITH_MEETINGS:
        return
    if not registration.consents.filter(kind=ConsentKind.SHARING, withdrawn_at=None).exists():
        raise RegistrationError(
            _("To take part in business meetings, first agree to share your profile."),
            code="consent_required",
        )


def give_consent(*, registration: Registration, kind: str) -> Consent:
    texts = {text.kind: text for text in current_consent_texts(edition=registration.edition)}
    if kind not in texts:
        raise RegistrationError(_("There is no such consent."), code="no_consent")
    with transaction.atomic():
        existing = registration.consents.filter(kind=kind, withdrawn_at=None).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                _record_consents(registration, [texts[kind]])
        except IntegrityError as error:
            raise RegistrationError(_("Please try again."), code="conflict") from error
    return registration.consents.get(kind=kind, withdrawn_at=None)


def withdraw_consent(*, registration: Registration, kind: str) -> None:
    """Withdraws a consent; withdrawing sharing also ends the business-meeting opt-in."""
    if kind == ConsentKind.COLLECTION:
        raise RegistrationError(
            _(
                "Consent to the collection and use of your data is needed to stay registered; "
                "cancel the registration instead."
            ),
            code="required_consent",
        )
    texts = {text.kind: text for text in current_consent_texts(edition=registration.edition)}
    text = texts.get(kind)
    if text is not None and text.requirement == ConsentRequirement.REQUIRED:
        raise RegistrationError(
            _("This consent is needed to stay registered; cancel the registration instead."),
            code="required_consent",
        )
    with transaction.atomic():
        registration.consents.filter(kind=kind, withdrawn_at=None).update(
            withdrawn_at=timezone.now()
        )
        if kind == ConsentKind.SHARING and registration.wants_meetings:
            registration.wants_meetings = False
            registration.save(update_fields=["wants_meetings", "updated_at"])


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
                registration = (
                    Registration.objects.select_for_update()
                    .filter(pk=registration_id, status=RegistrationStatus.AWAITING_CONFIRMATION)
                    .first()
                )
                if registration is None:
                    continue
                _release(
                    registration,
                    SessionBooking.objects.filter(registration=registration).values_list(
                        "session_id", flat=True
                    ),
                )
                registration.delete()
                expired += 1
    return expired


def log_export(
    *,
    edition: Edition,
    user,
    source: str,
    format: str,
    filters: dict[str, Any],
    row_count: int,
) -> ExportLog:
    return ExportLog.objects.create(
        edition=edition,
        user=user if getattr(user, "is_authenticated", False) else None,
        source=ExportSource(source),
        format=ExportFormat(format),
        filters=filters,
        row_count=row_count,
    )


def purge_personal_data(*, today: dt.date | None = None, dry_run: bool = False) -> dict[str, int]:
    """Deletes the registrations of every edition whose retention period has ended.

    An edition's period ends `retention_days` after its last day. Bookings and consent records go
    with their registrations; export logs keep who exported what, not the attendees' data.
    Expired rate-limit counters (hashed addresses) go too. Returns the counts per edition slug.
    """
    today = today or timezone.localdate()
    purged: dict[str, int] = {}
    for edition in Edition.objects.order_by("number"):
        if edition.end_date + dt.timedelta(days=edition.retention_days) >= today:
            continue
        registrations = Registration.objects.filter(edition=edition)
        count = registrations.count()
        if count and not dry_run:
            with transaction.atomic():
                registrations.delete()
        if count:
            purged[edition.slug] = count
    if not dry_run:
        purge_expired_counters()
    return purged
