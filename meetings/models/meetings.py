"""1:1 business meetings: profiles, settings, slots, availability, requests, meetings."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.db import choices_constraint
from forum.models import Edition, Project, Sector
from meetings.choices import (
    OPEN_REQUEST_STATUSES,
    BookingMode,
    MeetingOutcome,
    MeetingPriority,
    MeetingStatus,
    ProfileSide,
    RequestStatus,
    UnavailableReason,
)
from registrations.models.registration import Registration


def new_calendar_secret() -> str:
    return secrets.token_urlsafe(24)


def default_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class BusinessProfile(models.Model):
    """What a registration that takes part in business meetings shows the other sides."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="business_profile",
        verbose_name=_("registration"),
    )
    side = models.CharField(_("side"), max_length=20, choices=ProfileSide.choices)
    description = models.TextField(_("about the organisation"), blank=True)
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="business_profiles", verbose_name=_("sectors")
    )
    countries_of_interest = CountryField(_("countries of interest"), multiple=True, blank=True)
    projects_presented = models.ManyToManyField(
        Project,
        blank=True,
        related_name="presenting_profiles",
        verbose_name=_("projects presented"),
    )
    projects_of_interest = models.ManyToManyField(
        Project,
        blank=True,
        related_name="interested_profiles",
        verbose_name=_("projects of interest"),
    )
    offer = models.TextField(_("what we offer"), blank=True)
    seek = models.TextField(_("what we seek"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    listed = models.BooleanField(
        _("listed in the directory"),
        default=True,
        help_text=_("Shown to the other participants and in their recommendations."),
    )
    # The personal calendar feed's address; a new value revokes the old address.
    calendar_secret = models.CharField(
        max_length=40, unique=True, default=new_calendar_secret, editable=False
    )
    # Until the participant saves their availability, the default (08:00–19:00 in their own
    # time zone) follows their time zone.
    availability_saved_at = models.DateTimeField(_("availability saved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_businessprofile"
        ordering = ["registration__organisation", "pk"]
        verbose_name = _("business profile")
        verbose_name_plural = _("business profiles")
        constraints = [choices_constraint("registrations", "businessprofile", "side", ProfileSide)]

    def __str__(self) -> str:
        return f"{self.registration.organisation} — {self.registration.name}"

    def get_absolute_url(self) -> str:
        return reverse("admin:meetings_businessprofile_change", args=[self.pk])


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
        local = self.starts_at.astimezone(self.edition.tzinfo)
        return f"{local:%a %d %b %H:%M}"


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

    def needs_answer_from(self, registration: Registration) -> bool:
        """True while this registration's yes or no is what the request waits for."""
        if self.status == RequestStatus.PENDING:
            return registration.pk == self.receiver_id
        if self.status == RequestStatus.PROPOSED:
            if registration.pk == self.sender_id:
                return self.sender_agreed_at is None
            return registration.pk == self.receiver_id and self.answered_at is None
        return False

    def other(self, registration: Registration) -> Registration:
        return self.receiver if registration.pk == self.sender_id else self.sender


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

    def needs_answer_from(self, registration: Registration) -> bool:
        """True while this registration's yes or no is what the request waits for."""
        if self.status == RequestStatus.PENDING:
            return registration.pk == self.receiver_id
        if self.status == RequestStatus.PROPOSED:
            if registration.pk == self.sender_id:
                return self.sender_agreed_at is None
            return registration.pk == self.receiver_id and self.answered_at is None
        return False

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
