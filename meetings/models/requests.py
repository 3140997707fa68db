"""Meeting requests between two participants."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _

from common.db import choices_constraint
from forum.models import Edition, Project
from meetings.choices import (
    ANSWERABLE_REQUEST_STATUSES,
    OPEN_REQUEST_STATUSES,
    WITHDRAWABLE_REQUEST_STATUSES,
    MeetingPriority,
    RequestStatus,
)
from registrations.models.registration import Registration


class MeetingRequest(models.Model):
    """One participant asks another for a meeting, optionally about a project."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="meeting_requests",
        verbose_name=_("edition"),
    )
    sender = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="sent_meeting_requests",
        verbose_name=_("sender"),
    )
    receiver = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="received_meeting_requests",
        verbose_name=_("receiver"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_requests",
        verbose_name=_("about the project"),
    )
    priority = models.CharField(
        _("priority"), max_length=20, choices=MeetingPriority.choices, default=MeetingPriority.MUST
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices)
    answer_reason = models.TextField(_("reason given"), blank=True)
    # A suggestion of the organisers' matchmaking: both sides must agree before it counts as
    # accepted (the receiver's agreement is `answered_at`, as for any request).
    suggested = models.BooleanField(_("suggested by the organisers"), default=False)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested by"),
    )
    sender_agreed_at = models.DateTimeField(_("first side agreed"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_meetingrequest"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("receiver")),
                name="registrations_meetingrequest_not_to_oneself",
            ),
            # One open request per pair, whichever of the two sent it.
            models.UniqueConstraint(
                Least("sender", "receiver"),
                Greatest("sender", "receiver"),
                condition=Q(status__in=OPEN_REQUEST_STATUSES),
                name="registrations_meetingrequest_one_open_per_pair",
            ),
            choices_constraint("registrations", "meetingrequest", "status", RequestStatus),
            choices_constraint("registrations", "meetingrequest", "priority", MeetingPriority),
        ]
        indexes = [
            models.Index(fields=["edition", "status"]),
            models.Index(fields=["sender", "status"]),
            models.Index(fields=["receiver", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.sender.name} → {self.receiver.name} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    # Who may do what to a request: the one home of these rules. The participant pages ask them
    # to show a button, the services ask them again under the row lock before they act.

    def answers_to(self, registration: Registration) -> bool:
        """True if this registration is the side that answers: the receiver, or either side of
        a meeting the organisers suggested."""
        if self.suggested or self.status == RequestStatus.PROPOSED:
            return registration.pk in (self.sender_id, self.receiver_id)
        return registration.pk == self.receiver_id

    def may_decline(self, registration: Registration) -> bool:
        return self.answers_to(registration) and self.status in ANSWERABLE_REQUEST_STATUSES

    def may_withdraw(self, registration: Registration) -> bool:
        """Only its sender, only before a meeting exists; a suggested meeting is declined."""
        return (
            registration.pk == self.sender_id
            and not self.suggested
            and self.status in WITHDRAWABLE_REQUEST_STATUSES
        )

    def needs_answer_from(self, registration: Registration) -> bool:
        """True while this registration's yes or no is what the request waits for: who may
        accept it."""
        if self.status == RequestStatus.PENDING:
            return registration.pk == self.receiver_id
        if self.status == RequestStatus.PROPOSED:
            if registration.pk == self.sender_id:
                return self.sender_agreed_at is None
            return registration.pk == self.receiver_id and self.answered_at is None
        return False

    def other(self, registration: Registration) -> Registration:
        return self.receiver if registration.pk == self.sender_id else self.sender
