"""Consents: recorded with the text and version agreed to, given and withdrawn."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import atomic, integrity_as_error, lock_one
from common.services.audit import log_action
from registrations.choices import ConsentKind, ConsentRequirement
from registrations.errors import RegistrationError
from registrations.models import (
    Consent,
    ConsentText,
    Registration,
)
from registrations.selectors.registrations import current_consent_texts
from registrations.signals import meeting_participation_ended


def _record_consents(registration: Registration, texts: Iterable[ConsentText]) -> None:
    Consent.objects.bulk_create(new_consents(registration, texts))


def new_consents(registration: Registration, texts: Iterable[ConsentText]) -> list[Consent]:
    """The consents given now with these texts (their versions), not saved yet."""
    now = timezone.now()
    return [
        Consent(
            registration=registration, text=text, kind=text.kind, version=text.version, given_at=now
        )
        for text in texts
    ]


def require_sharing_consent(registration: Registration) -> None:
    texts = {text.kind: text for text in current_consent_texts(edition=registration.edition)}
    sharing = texts.get(ConsentKind.SHARING)
    if sharing is None or sharing.requirement != ConsentRequirement.WITH_MEETINGS:
        return
    if not registration.consents.filter(kind=ConsentKind.SHARING, withdrawn_at=None).exists():
        raise RegistrationError(
            _("To take part in business meetings, first agree to share your profile."),
            code="consent_required",
        )


def give_consent(*, registration: Registration, kind: str, actor=AuditActor.ATTENDEE) -> Consent:
    texts = {text.kind: text for text in current_consent_texts(edition=registration.edition)}
    if kind not in texts:
        raise RegistrationError(_("There is no such consent."), code="no_consent")
    with atomic():
        registration = lock_one(Registration, registration.pk)
        existing = registration.consents.filter(kind=kind, withdrawn_at=None).first()
        if existing is not None:
            return existing
        with integrity_as_error(error_class=RegistrationError):
            _record_consents(registration, [texts[kind]])
        log_action(
            actor=actor,
            obj=registration,
            action="consent.given",
            details={"kind": kind, "version": texts[kind].version},
        )
    return registration.consents.get(kind=kind, withdrawn_at=None)


def withdraw_consent(*, registration: Registration, kind: str, actor=AuditActor.ATTENDEE) -> None:
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
    with atomic():
        registration = lock_one(Registration, registration.pk)
        withdrawn = registration.consents.filter(kind=kind, withdrawn_at=None).update(
            withdrawn_at=timezone.now()
        )
        fields = []
        if kind == ConsentKind.SHARING and registration.wants_meetings:
            registration.wants_meetings = False
            registration.save(update_fields=["wants_meetings", "updated_at"])
            fields = ["wants_meetings"]
        if kind == ConsentKind.SHARING:
            # Unlists the profile and cancels future meetings, each counterpart being told.
            meeting_participation_ended.send(sender=Registration, registration=registration)
        if withdrawn:
            log_action(
                actor=actor,
                obj=registration,
                action="consent.withdrawn",
                fields=fields,
                details={"kind": kind},
            )
