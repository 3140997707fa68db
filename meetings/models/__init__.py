"""The business-meeting models, one module per sub-domain, re-exported here."""

from meetings.models.meetings import (
    BusinessProfile,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    MeetingSettings,
    MeetingSlot,
    SlotUnavailability,
    new_calendar_secret,
)
from meetings.models.schedule import ScheduleRun

__all__ = [
    "BusinessProfile",
    "Meeting",
    "MeetingRequest",
    "MeetingSeat",
    "MeetingSettings",
    "MeetingSlot",
    "ScheduleRun",
    "SlotUnavailability",
    "new_calendar_secret",
]
