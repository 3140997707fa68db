"""The audit trail: who did what to which object, and which fields changed — never their values."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import choices_constraint
from common.times import shown


class AuditLog(models.Model):
    """One recorded action. Written by the services only; nobody edits or deletes it.

    `fields` names the fields that changed and `details` holds codes and ids (an email's kind, a
    session's id): no names, addresses or other personal values, so the trail can outlive the
    personal data it describes.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    actor_kind = models.CharField(_("by"), max_length=10, choices=AuditActor.choices)
    # The edition the object belongs to, for filtering: a plain value, so the trail knows no app
    # above it and outlives the edition's other rows.
    edition_id = models.BigIntegerField(_("edition"), null=True, blank=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of object")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    obj = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=60)
    fields = models.JSONField(_("fields changed"), default=list, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_auditlog"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [choices_constraint("registrations", "auditlog", "actor_kind", AuditActor)]

    def __str__(self) -> str:
        return f"{shown(self.created_at, 'SHORT_DATETIME_FORMAT')} {self.action}"
