"""The outbox: every email the app sends, stored before it leaves, so it can be seen and resent."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.choices import EmailStatus, Language
from common.db import choices_constraint


class OutgoingEmail(models.Model):
    """One email to one recipient, of one kind; built from its kind's builder when sent.

    The recipient is any object with `email`, `language` and `edition_id` (a registration),
    referred to generically so the outbox knows no app above it; its app deletes the rows with
    the person (a `GenericRelation` on the registration). Only the kind and its parameters
    (codes and ids) are stored, not the text: the text and its personal links are built when
    the email leaves, in the recipient's language.
    """

    recipient_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of recipient")
    )
    # The column of the registration it once pointed at, kept with its rows.
    recipient_id = models.BigIntegerField(
        _("recipient id"), db_column="registration_id", db_index=True
    )
    recipient = GenericForeignKey("recipient_type", "recipient_id")
    # For filtering by edition in the admin; a plain value, as the audit trail keeps it.
    edition_id = models.BigIntegerField(_("edition"), null=True, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=40)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    # Set only when the email goes to another address than the recipient's (the notice to the
    # old address after a change); empty means the recipient's address when sent.
    to_address = models.EmailField(_("sent to another address"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # The attempt in progress: a sender claims the row (token and time) before sending and
    # marks it sent only under its own claim. A live claim is never taken over, so one claim
    # sends at most once; a claim older than CLAIM_SECONDS belongs to a sender that died.
    claim_token = models.CharField(_("claim"), max_length=32, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_outgoingemail"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        permissions = [("resend_outgoingemail", _("Can send an outgoing email again"))]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            choices_constraint("registrations", "outgoingemail", "status", EmailStatus),
            choices_constraint("registrations", "outgoingemail", "language", Language),
            models.CheckConstraint(
                condition=Q(status=EmailStatus.SENT, sent_at__isnull=False)
                | (~Q(status=EmailStatus.SENT) & Q(sent_at__isnull=True)),
                name="registrations_outgoingemail_sent_when_sent",
            ),
            models.CheckConstraint(
                condition=Q(claim_token="", claimed_at__isnull=True)
                | (~Q(claim_token="") & Q(claimed_at__isnull=False)),
                name="common_outgoingemail_claim_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.get_status_display()})"

    @property
    def message_id(self) -> str:
        """The email's Message-ID, the same on every attempt: its idempotency key.

        A sender killed after the mail server took the message, before the row was marked
        sent, leaves the row to be sent again once its claim has expired; the second copy
        carries the same Message-ID, so mail servers and clients that deduplicate drop it.
        """
        return f"<outbox-{self.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"
