"""The audit trail: every service records who did what to which object (`log_action`); exports."""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.models import AuditLog

# What each action code means, shown in the admin. Another sub-domain adds its own codes with
# `register_actions` (meetings: "meeting.requested", …); `log_action` refuses unknown codes.
ACTIONS: dict[str, Any] = {
    "registration.created": _("Registered"),
    "registration.email_confirmed": _("Email address confirmed"),
    "registration.confirmed": _("Confirmed"),
    "registration.awaiting_approval": _("Waiting for approval"),
    "registration.approved": _("Approved"),
    "registration.rejected": _("Rejected"),
    "registration.cancelled": _("Cancelled"),
    "registration.expired": _("Expired unconfirmed and deleted"),
    "registration.deleted": _("Deleted"),
    "registration.changed": _("Details changed"),
    "registration.email_change_asked": _("New email address asked for (waits for its inbox)"),
    "registration.email_changed": _("Email address changed (confirmed by its new inbox)"),
    "booking.booked": _("Seat booked"),
    "booking.waiting": _("Put on the waiting list"),
    "booking.promoted": _("Moved off the waiting list"),
    "booking.released": _("Place released"),
    "consent.given": _("Consent given"),
    "consent.withdrawn": _("Consent withdrawn"),
    "consent_text.published": _("Consent text published"),
    "settings.changed": _("Registration settings changed"),
    "session.capacity_changed": _("Capacity changed"),
    "export.created": _("Attendees exported"),
    "export_preset.saved": _("Export preset saved"),
    "edition.personal_data_purged": _("Personal data purged after the retention period"),
    "email.queued": _("Email queued"),
    "email.sent": _("Email sent"),
    "email.failed": _("Email failed"),
    "email.resent": _("Email resent"),
}


def register_actions(actions: dict[str, Any]) -> None:
    """Adds a sub-domain's action codes and their labels (a code can't change meaning)."""
    for code, label in actions.items():
        if code in ACTIONS and ACTIONS[code] != label:
            raise ValueError(f"Audit action {code!r} is already registered")
        ACTIONS[code] = label


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


def log_action(
    *,
    actor,
    obj: models.Model,
    action: str,
    fields: Iterable[str] = (),
    details: dict[str, Any] | None = None,
    edition_id: int | None = None,
) -> AuditLog:
    """Records an action on `obj`.

    `actor` is the staff user who acted, or `AuditActor.ATTENDEE` / `AuditActor.SYSTEM`.
    `fields` names what changed; `details` holds codes and ids only, never personal values.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: register it with register_actions")
    user = None
    if isinstance(actor, str):
        kind = AuditActor(actor)
    elif getattr(actor, "is_authenticated", False):
        user, kind = actor, AuditActor.STAFF
    else:
        kind = AuditActor.ATTENDEE  # an anonymous request: the attendee, by their link
    if edition_id is None:
        edition_id = getattr(obj, "edition_id", None)
    return AuditLog.objects.create(
        actor=user,
        actor_kind=kind,
        edition_id=edition_id,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        fields=sorted(set(fields)),
        details=details or {},
    )
