"""Signed, expiring, revocable links: to confirm an email address and to manage a registration."""

import datetime as dt

from django.core import signing

from registrations.models import Registration, RegistrationSettings

CONFIRM = "registrations.confirm"
MANAGE = "registrations.manage"
DEFAULT_CONFIRMATION_HOURS = 48
DEFAULT_MANAGE_LINK_DAYS = 90


class TokenError(Exception):
    """A link that can't be used: `reason` is "invalid", "expired" or "revoked"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def make_token(registration: Registration, *, purpose: str) -> str:
    # The per-registration key rotates when the email changes or the registration ends, which
    # revokes every link made before; the signature's timestamp makes links expire.
    return signing.dumps({"r": registration.pk, "k": registration.link_key}, salt=purpose)


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


def read_token(token: str, *, purpose: str) -> Registration:
    """The registration a link belongs to, or TokenError saying why it can't be used."""
    try:
        payload = signing.loads(token, salt=purpose)
    except signing.BadSignature as error:
        raise TokenError("invalid") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        raise TokenError("invalid")
    registration = (
        Registration.objects.select_related("edition__registration_settings")
        .filter(pk=payload["r"])
        .first()
    )
    if registration is None or registration.link_key != payload.get("k"):
        raise TokenError("revoked")
    if not registration.is_active:
        raise TokenError("revoked")
    try:
        signing.loads(token, salt=purpose, max_age=lifetime(registration, purpose=purpose))
    except signing.SignatureExpired as error:
        raise TokenError("expired") from error
    return registration
