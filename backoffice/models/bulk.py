"""Bulk emails: one message, in English and Korean, to a filtered set of registrations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.validators import single_line
from forum.models import Edition, Session


class BulkEmail(models.Model):
    """Written in the admin, previewed, then queued once in the outbox for every recipient.

    `filters` holds codes only (statuses, categories, countries, consent); a marketing message
    goes only to people whose marketing consent is in force and carries an unsubscribe line.
    """

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="bulk_emails", verbose_name=_("edition")
    )
    subject_en = models.CharField(_("subject in English"), max_length=200, validators=[single_line])
    body_en = models.TextField(
        _("message in English"), help_text=_("Paragraphs separated by a blank line.")
    )
    subject_ko = models.CharField(
        _("subject in Korean"), max_length=200, blank=True, validators=[single_line]
    )
    body_ko = models.TextField(
        _("message in Korean"),
        blank=True,
        help_text=_("Recipients who prefer Korean get this; English when it is empty."),
    )
    is_marketing = models.BooleanField(
        _("marketing"),
        default=False,
        help_text=_(
            "News and promotion rather than what a registration needs: sent only to people who "
            "agreed to news about future forums, with a line saying how to stop."
        ),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only people booked in this session"),
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    recipient_count = models.PositiveIntegerField(_("recipients"), null=True, blank=True)

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_bulkemail"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bulk email")
        verbose_name_plural = _("bulk emails")
        permissions = [("send_bulkemail", _("Can send a bulk email"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True, recipient_count__isnull=True)
                | Q(sent_at__isnull=False, recipient_count__isnull=False),
                name="registrations_bulkemail_sent_with_count",
            ),
        ]

    def __str__(self) -> str:
        return self.subject_en

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
