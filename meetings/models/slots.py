"""The edition's meeting settings, its slots, and the slots a participant can't make."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.db import choices_constraint
from common.times import shown
from forum.models import Edition
from meetings.choices import (
    BookingMode,
    UnavailableReason,
)
from registrations.models.registration import Registration


def default_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class MeetingSettings(models.Model):
    """How an edition's business meetings run: booking, requests, video links and the slot grid."""

    edition = models.OneToOneField(
        Edition,
        on_delete=models.CASCADE,
        related_name="meeting_settings",
        verbose_name=_("edition"),
    )
    booking_mode = models.CharField(
        _("booking mode"),
        max_length=20,
        choices=BookingMode.choices,
        default=BookingMode.SELF_BOOKING,
    )
    request_limit = models.PositiveSmallIntegerField(
        _("requests a participant may send"),
        null=True,
        blank=True,
        default=20,
        help_text=_("Leave empty for no limit. Withdrawn requests don't count."),
    )
    review_requests = models.BooleanField(_("staff review requests before delivery"), default=False)
    video_link_template = models.CharField(
        _("video link template"),
        max_length=300,
        blank=True,
        help_text=_(
            "Each meeting gets its own room: {room} is replaced by a unique room name, "
            "e.g. https://meet.jit.si/{room}. Leave empty to enter links by hand."
        ),
    )
    window_start = models.DateField(_("first day of meetings"))
    window_end = models.DateField(_("last day of meetings"))
    weekdays = models.JSONField(
        _("weekdays"),
        default=default_weekdays,
        help_text=_("Days of the week with meetings: 0 is Monday, 6 is Sunday."),
    )
    day_start = models.TimeField(_("daily start (forum time)"), default=dt.time(9, 0))
    day_end = models.TimeField(_("daily end (forum time)"), default=dt.time(17, 0))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    pause_minutes = models.PositiveSmallIntegerField(_("pause between slots (minutes)"), default=0)
    rooms = models.PositiveSmallIntegerField(
        _("meetings at once per slot"),
        default=10,
        help_text=_("Video rooms or interpreters available at the same time."),
    )

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_meetingsettings"
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")
        constraints = [
            choices_constraint("registrations", "meetingsettings", "booking_mode", BookingMode),
            models.CheckConstraint(
                condition=Q(window_end__gte=models.F("window_start")),
                name="registrations_meetingsettings_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(day_end__gt=models.F("day_start")),
                name="registrations_meetingsettings_day_ordered",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5), name="registrations_meetingsettings_slot_length"
            ),
            models.CheckConstraint(
                condition=Q(rooms__gte=1), name="registrations_meetingsettings_rooms_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.edition)


class MeetingSlot(models.Model):
    """A time in which up to `rooms` meetings run at once."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="meeting_slots", verbose_name=_("edition")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    rooms = models.PositiveSmallIntegerField(_("meetings at once"))

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_meetingslot"
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "starts_at"], name="registrations_meetingslot_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="registrations_meetingslot_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        # No query (a list of slots would load the edition once per slot): the edition's zone
        # when it came with the slot, else the active zone (the admin's forms run in the
        # edition's); the zone is named either way.
        zone = self.edition.tzinfo if MeetingSlot.edition.is_cached(self) else None
        return shown(self.starts_at, "ZONED_SESSION_DATETIME_FORMAT", zone=zone)


class SlotUnavailability(models.Model):
    """A slot a participant can't make; no row means free (unless already in a meeting)."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="unavailable_slots",
        verbose_name=_("registration"),
    )
    slot = models.ForeignKey(
        MeetingSlot, on_delete=models.CASCADE, related_name="unavailable", verbose_name=_("slot")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=UnavailableReason.choices)

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_slotunavailability"
        ordering = ["slot__starts_at", "pk"]
        verbose_name = _("unavailable slot")
        verbose_name_plural = _("unavailable slots")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "slot"], name="registrations_slotunavailability_unique"
            ),
            choices_constraint("registrations", "slotunavailability", "reason", UnavailableReason),
        ]

    def __str__(self) -> str:
        return f"{self.registration.name}: {self.slot}"
