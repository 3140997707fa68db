"""Signed, expiring, revocable links: to confirm an email address, to manage a registration and
to join a session of the online forum."""

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from registrations.models import Registration, RegistrationSettings

CONFIRM = "registrations.confirm"
MANAGE = "registrations.manage"
# The after-forum survey's personal link: it opens the survey, nothing else of the registration.
SURVEY = "registrations.survey"
DEFAULT_CONFIRMATION_HOURS = 48
DEFAULT_MANAGE_LINK_DAYS = 90


class TokenError(Exception):
    """A link that can't be used: `reason` is "invalid", "expired", "revoked" or "used"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def email_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def make_token(registration: Registration, *, purpose: str, new_email: str = "") -> str:
    """A signed link payload: the registration's public id (never the sequential key) and key.

    The per-registration key rotates when the email changes or the registration ends, which
    revokes every link made before; the signature's timestamp makes links expire. A confirmation
    link for a new address also carries a digest of that address: it confirms only that one.
    """
    payload = {"p": registration.public_id.hex, "k": registration.link_key}
    if purpose == CONFIRM and new_email:
        payload["e"] = email_digest(new_email)
    return signing.dumps(payload, salt=purpose)


def lifetime(registration: Registration, *, purpose: str) -> dt.timedelta:
    try:
        registration_settings = registration.edition.registration_settings
    except RegistrationSettings.DoesNotExist:
        registration_settings = None
    if purpose == CONFIRM:
        hours = (
            registration_settings.confirmation_hours
            if registration_settings
            else DEFAULT_CONFIRMATION_HOURS
        )
        return dt.timedelta(hours=hours)
    days = (
        registration_settings.manage_link_days
        if registration_settings
        else DEFAULT_MANAGE_LINK_DAYS
    )
    return dt.timedelta(days=days)


def _active_registration(payload: dict) -> Registration:
    """The active registration whose public id and current key a signed payload carries."""
    try:
        public_id = uuid.UUID(hex=payload["p"])
    except ValueError as error:
        raise TokenError("invalid") from error
    registration = (
        Registration.objects.select_related("edition__registration_settings")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None or not constant_time_compare(
        registration.link_key, str(payload.get("k"))
    ):
        raise TokenError("revoked")
    if not registration.is_active:
        raise TokenError("revoked")
    return registration


def read_token(token: str, *, purpose: str) -> Registration:
    """The registration a link belongs to, or TokenError saying why it can't be used.

    A confirmation link works once: after its address is confirmed it answers "used".
    """
    try:
        payload = signing.loads(token, salt=purpose)
    except signing.BadSignature as error:
        raise TokenError("invalid") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("p"), str):
        raise TokenError("invalid")
    registration = _active_registration(payload)
    try:
        signing.loads(token, salt=purpose, max_age=lifetime(registration, purpose=purpose))
    except signing.SignatureExpired as error:
        raise TokenError("expired") from error
    if purpose == CONFIRM:
        new_address = payload.get("e")
        if new_address is not None:
            pending = registration.pending_email
            if not pending or not constant_time_compare(new_address, email_digest(pending)):
                raise TokenError("used" if not pending else "revoked")
        elif registration.email_confirmed_at is not None:
            raise TokenError("used")
    return registration


def confirms_new_address(token: str) -> bool:
    """Whether a confirmation link (already read by read_token) is for a new address."""
    return "e" in signing.loads(token, salt=CONFIRM)


JOIN = "registrations.join"


def make_join_token(registration: Registration, session) -> str:
    """A personal link to one session: the registration's public id and key, and the session.

    Revoked with the other links when the key rotates (cancelled, rejected, email changed); it
    expires `manage_link_days` after the session ends, and opens anything only while its holder
    has a seat (registrations/services/attendance.py decides).
    """
    payload = {"p": registration.public_id.hex, "k": registration.link_key, "s": session.pk}
    return signing.dumps(payload, salt=JOIN)


def read_join_token(token: str) -> tuple[Registration, int]:
    """(registration, session id) of a join link, or TokenError saying why it can't be used."""
    try:
        payload = signing.loads(token, salt=JOIN)
    except signing.BadSignature as error:
        raise TokenError("invalid") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise TokenError("invalid")
    if not isinstance(payload.get("p"), str):
        raise TokenError("invalid")
    registration = _active_registration(payload)
    session = registration.edition.sessions.filter(pk=payload["s"]).only("ends_at").first()
    if session is None:
        raise TokenError("revoked")
    if timezone.now() > session.ends_at + lifetime(registration, purpose=MANAGE):
        raise TokenError("expired")
    return registration, payload["s"]


def join_url(registration: Registration, session) -> str:
    """The absolute personal join link of a registration for a session (emails, .ics, pages)."""
    token = make_join_token(registration, session)
    return f"{settings.SITE_URL}{reverse('registrations:join', kwargs={'token': token})}"


def survey_url(registration: Registration) -> str:
    """The absolute personal link to the edition's after-forum survey (the after-forum email)."""
    token = make_token(registration, purpose=SURVEY)
    return f"{settings.SITE_URL}{reverse('registrations:survey_token', kwargs={'token': token})}"
