"""The audit trail: every service records who did what to which object (`log_action`); exports."""

import functools
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.models import AuditLog

# What each action code means, shown in the admin. The outbox's codes are here; each app declares
# its own on its AppConfig (`audit_actions`), read once all apps are loaded; `log_action` refuses
# unknown codes.
ACTIONS: dict[str, Any] = {
    "email.queued": _("Email queued"),
    "email.sent": _("Email sent"),
    "email.failed": _("Email failed"),
    "email.undeliverable": _("Email undeliverable"),
    "email.resent": _("Email resent"),
}


@functools.cache
def known_actions() -> dict[str, Any]:
    """Every action code with its label: the outbox's and each app's `audit_actions`."""
    actions = dict(ACTIONS)
    for config in apps.get_app_configs():
        for code, label in getattr(config, "audit_actions", {}).items():
            if code in actions:
                raise ValueError(f"Audit action {code!r} is declared twice")
            actions[code] = label
    return actions


def action_label(code: str) -> str:
    return str(known_actions().get(code, code))


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
    entry = audit_entry(
        actor=actor, obj=obj, action=action, fields=fields, details=details, edition_id=edition_id
    )
    entry.save(force_insert=True)
    return entry


def audit_entry(
    *,
    actor,
    obj: models.Model,
    action: str,
    fields: Iterable[str] = (),
    details: dict[str, Any] | None = None,
    edition_id: int | None = None,
) -> AuditLog:
    """`log_action`'s record, not saved yet: for a write that saves its rows together
    (`common.rows.RowBatch`); `obj` may be unsaved too, its key filled in by the batch."""
    if action not in known_actions():
        raise ValueError(f"Unknown audit action {action!r}: declare it in its AppConfig")
    user = None
    if isinstance(actor, str):
        kind = AuditActor(actor)
    elif getattr(actor, "is_authenticated", False):
        user, kind = actor, AuditActor.STAFF
    else:
        kind = AuditActor.ATTENDEE  # an anonymous request: the attendee, by their link
    if edition_id is None:
        edition_id = getattr(obj, "edition_id", None)
    return AuditLog(
        actor=user,
        actor_kind=kind,
        edition_id=edition_id,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        fields=sorted(set(fields)),
        details=details or {},
    )
