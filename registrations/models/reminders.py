"""Markers of the online forum's emails that go once: session reminders, the after-forum email."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.db import choices_constraint
from forum.models import Session
from registrations.choices import ReminderKind
from registrations.models.registration import Registration


class SentReminder(models.Model):
    """Written with its email in one transaction: a second run (or a second worker at the same
    moment) finds the row, or hits the unique constraint, and sends nothing."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="sent_reminders",
        verbose_name=_("registration"),
    )
    # Empty for the after-forum email, which is one per registration.
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sent_reminders",
        verbose_name=_("session"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session", "kind"],
                condition=Q(session__isnull=False),
                name="registrations_sentreminder_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["registration", "kind"],
                condition=Q(session__isnull=True),
                name="registrations_sentreminder_once_per_registration",
            ),
            models.CheckConstraint(
                condition=Q(kind=ReminderKind.AFTER_FORUM, session__isnull=True)
                | (~Q(kind=ReminderKind.AFTER_FORUM) & Q(session__isnull=False)),
                name="registrations_sentreminder_session_by_kind",
            ),
            choices_constraint("registrations", "sentreminder", "kind", ReminderKind),
        ]

    def __str__(self) -> str:
        return f"{self.registration.name} — {self.get_kind_display()}"
