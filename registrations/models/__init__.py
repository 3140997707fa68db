"""The registrations app's models, one module per sub-domain, re-exported here."""

from registrations.models.audit import AuditLog
from registrations.models.backoffice import ExportLog, ExportPreset, RateLimitCounter
from registrations.models.bulk import BulkEmail
from registrations.models.consent import Consent, ConsentText
from registrations.models.invitations import Invitee
from registrations.models.meetings import (
    BusinessProfile,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    MeetingSettings,
    MeetingSlot,
    SlotUnavailability,
    new_calendar_secret,
)
from registrations.models.outbox import OutgoingEmail
from registrations.models.registration import (
    ATTENDEE_FIELDS,
    Registration,
    RegistrationSettings,
    SessionBooking,
    new_link_key,
)
from registrations.models.schedule import ScheduleRun

__all__ = [
    "ATTENDEE_FIELDS",
    "AuditLog",
    "BulkEmail",
    "BusinessProfile",
    "Consent",
    "ConsentText",
    "ExportLog",
    "ExportPreset",
    "Invitee",
    "Meeting",
    "MeetingRequest",
    "MeetingSeat",
    "MeetingSettings",
    "MeetingSlot",
    "OutgoingEmail",
    "RateLimitCounter",
    "Registration",
    "RegistrationSettings",
    "ScheduleRun",
    "SessionBooking",
    "SlotUnavailability",
    "new_calendar_secret",
    "new_link_key",
]
