"""Downloads of the back office and the command line, one module per list."""

from registrations.exports.attendees import AttendeeList
from registrations.exports.base import ExportFilters, ExportList
from registrations.exports.meetings import MeetingsByDayList, MeetingsByParticipantList
from registrations.exports.sessions import SessionAttendanceList

EXPORT_LISTS: dict[str, type[ExportList]] = {
    AttendeeList.slug: AttendeeList,
    SessionAttendanceList.slug: SessionAttendanceList,
    MeetingsByParticipantList.slug: MeetingsByParticipantList,
    MeetingsByDayList.slug: MeetingsByDayList,
}

__all__ = [
    "EXPORT_LISTS",
    "AttendeeList",
    "ExportFilters",
    "ExportList",
    "MeetingsByDayList",
    "MeetingsByParticipantList",
    "SessionAttendanceList",
]
