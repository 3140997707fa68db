"""Meetings booked into slots, and the seat rows that keep a person from two meetings at once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.db import choices_constraint
from forum.models import Edition
from meetings.choices import (
    MeetingOutcome,
    MeetingStatus,
)
from meetings.models.requests import MeetingRequest
from meetings.models.slots import MeetingSlot
from registrations.models.registration import Registration


class Meeting(models.Model):
    """Two participants, one slot, one video room."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("edition")
    )
    request = models.ForeignKey(
        MeetingRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("request"),
    )
    sender = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="meetings_requested",
        verbose_name=_("requested by"),
    )
    receiver = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="meetings_received",
        verbose_name=_("with"),
    )
    slot = models.ForeignKey(
        MeetingSlot, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("slot")
    )
    # Rooms are numbered 1..slot.rooms and unique per slot while scheduled, as session seats
    # are: two processes can never take the same room, so the database caps the count.
    room = models.PositiveSmallIntegerField(_("room"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
    )
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    # The iCalendar SEQUENCE: grows with every move and the cancellation.
    sequence = models.PositiveIntegerField(_("invitation version"), default=0)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=MeetingOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("outcome note"), blank=True)
    outcome_recorded_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_meeting"
        ordering = ["slot__starts_at", "room", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("receiver")),
                name="registrations_meeting_not_with_oneself",
            ),
            models.UniqueConstraint(
                fields=["slot", "room"],
                condition=Q(status=MeetingStatus.SCHEDULED),
                name="registrations_meeting_one_per_room",
            ),
            models.CheckConstraint(
                condition=Q(room__isnull=True) | Q(room__gte=1),
                name="registrations_meeting_room_positive",
            ),
            models.CheckConstraint(
                condition=Q(status=MeetingStatus.SCHEDULED, cancelled_at__isnull=True)
                | Q(status=MeetingStatus.CANCELLED, cancelled_at__isnull=False),
                name="registrations_meeting_cancelled_when",
            ),
            choices_constraint("registrations", "meeting", "status", MeetingStatus),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=MeetingOutcome.values),
                name="registrations_meeting_outcome_valid",
            ),
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self) -> str:
        return f"{self.sender.name} & {self.receiver.name}, {self.slot}"

    def get_absolute_url(self) -> str:
        return reverse("admin:meetings_meeting_change", args=[self.pk])

    @property
    def is_scheduled(self) -> bool:
        return self.status == MeetingStatus.SCHEDULED

    @property
    def uid(self) -> str:
        """The invitation's UID: the same for every version of this meeting's invitation."""
        host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "forum"
        return f"meeting-{self.pk}@{host}"

    def participants(self) -> tuple[Registration, Registration]:
        return (self.sender, self.receiver)

    def other(self, registration: Registration) -> Registration:
        return self.receiver if registration.pk == self.sender_id else self.sender


class MeetingSeat(models.Model):
    """A person's place in a slot: one active row per person and slot, so no double booking."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="seats", verbose_name=_("meeting")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="meeting_seats",
        verbose_name=_("registration"),
    )
    slot = models.ForeignKey(
        MeetingSlot, on_delete=models.PROTECT, related_name="seats", verbose_name=_("slot")
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_meetingseat"
        ordering = ["slot__starts_at", "pk"]
        verbose_name = _("meeting seat")
        verbose_name_plural = _("meeting seats")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "slot"],
                condition=Q(released_at__isnull=True),
                name="registrations_meetingseat_one_per_person_and_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration.name}: {self.slot}"
