"""A registration's details changed, by its attendee or by staff: a new address waits for its
inbox to confirm it, the meetings opt-in needs the sharing consent, every change is audited."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import atomic, integrity_as_error, lock_one
from common.services.audit import log_action
from common.services.outbox import queue_email as _send
from registrations.choices import ACTIVE_STATUSES, ConsentKind, EmailKind
from registrations.errors import RegistrationError
from registrations.models import ATTENDEE_FIELDS, Registration
from registrations.selectors.registrations import current_consent_texts
from registrations.services.consents import _record_consents, require_sharing_consent
from registrations.services.registrations import DETAIL_FIELDS
from registrations.signals import meeting_participation_ended
from registrations.tokens import email_digest

AUDITED_FIELDS = (*ATTENDEE_FIELDS, "pending_email")


def _change_meetings_opt_in(registration: Registration, data: dict[str, Any]) -> None:
    """In needs the sharing consent (which opting back in may give in the same step); out ends
    the registration's meeting participation."""
    wants = bool(data["wants_meetings"])
    if wants and not registration.wants_meetings:
        # Opting back in may give the sharing consent in the same step.
        if ConsentKind.SHARING in data.get("consents", ()):
            _give_sharing_consent(registration)
        require_sharing_consent(registration)
    if registration.wants_meetings and not wants:
        meeting_participation_ended.send(sender=Registration, registration=registration)
    registration.wants_meetings = wants


def _change_email(registration: Registration, new_email: str) -> None:
    """A new address waits for its inbox to confirm it (`pending_email`); the letter case of the
    current one changes at once."""
    if new_email.lower() == registration.pending_email.lower():
        pass  # asked for already: its link is on its way
    elif new_email.lower() != registration.email.lower():
        # The new address waits for its inbox to confirm it, and looks the same whether or
        # not it is registered already (no enumeration): a free address gets a confirmation
        # link, a taken one's owner hears about it instead.
        registration.pending_email = new_email
        taken = (
            Registration.objects.filter(
                edition=registration.edition,
                email__iexact=new_email,
                status__in=ACTIVE_STATUSES,
            )
            .exclude(pk=registration.pk)
            .first()
        )
        _send(registration, EmailKind.ADDRESS_CHANGED, to=registration.email)
        if taken is not None:
            _send(taken, EmailKind.ALREADY_REGISTERED)
        else:
            _send(
                registration,
                EmailKind.CONFIRM_NEW_ADDRESS,
                to=new_email,
                address=email_digest(new_email),
            )
    else:
        registration.pending_email = ""  # back to the current address: nothing waits
        registration.email = new_email  # only the letter case may have changed


def update_registration(
    *, registration: Registration, data: dict[str, Any], actor=AuditActor.ATTENDEE
) -> Registration:
    """Saves changed details; a new email waits until its inbox confirms it (confirm_registration).

    Staff change details through here too (the admin), so the same rules hold: a new address is
    confirmed by its inbox first, the meetings opt-in needs the sharing consent. Only staff
    change the participant category (`category` in `data`).
    """
    with atomic():
        registration = lock_one(Registration, registration.pk)
        if not registration.is_active:
            raise RegistrationError(_("This registration is no longer active."), code="inactive")
        before = {name: getattr(registration, name) for name in AUDITED_FIELDS}
        if "category" in data:
            registration.category = data["category"]
        for name in DETAIL_FIELDS:
            if name in data:
                setattr(registration, name, data[name] or "")
        if "wants_meetings" in data:
            _change_meetings_opt_in(registration, data)
        _change_email(registration, (data.get("email") or registration.email).strip())
        with integrity_as_error(
            _("Your details could not be saved. Please try again."), error_class=RegistrationError
        ):
            registration.save()
        changed = [name for name in AUDITED_FIELDS if getattr(registration, name) != before[name]]
        if changed:
            log_action(
                actor=actor,
                obj=registration,
                action=(
                    "registration.email_change_asked"
                    if "pending_email" in changed and registration.pending_email
                    else "registration.changed"
                ),
                fields=changed,
            )
    return registration


def _give_sharing_consent(registration: Registration) -> None:
    texts = {text.kind: text for text in current_consent_texts(edition=registration.edition)}
    sharing = texts.get(ConsentKind.SHARING)
    if (
        sharing is None
        or registration.consents.filter(kind=ConsentKind.SHARING, withdrawn_at=None).exists()
    ):
        return
    _record_consents(registration, [sharing])
    log_action(
        actor=AuditActor.ATTENDEE,
        obj=registration,
        action="consent.given",
        details={"kind": ConsentKind.SHARING, "version": sharing.version},
    )
