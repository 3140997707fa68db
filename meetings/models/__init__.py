"""The business-meeting models, one module per sub-domain, re-exported here."""

from meetings.models.bookings import Meeting, MeetingSeat
from meetings.models.profiles import BusinessProfile, ProfileIndexVersion, new_calendar_secret
from meetings.models.requests import MeetingRequest
from meetings.models.schedule import ScheduleRun
from meetings.models.slots import MeetingSettings, MeetingSlot, SlotUnavailability

__all__ = [
    "BusinessProfile",
    "Meeting",
    "MeetingRequest",
    "MeetingSeat",
    "MeetingSettings",
    "MeetingSlot",
    "ProfileIndexVersion",
    "ScheduleRun",
    "SlotUnavailability",
    "new_calendar_secret",
]
