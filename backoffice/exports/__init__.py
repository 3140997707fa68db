"""Downloads of the back office and the command line, one module per list."""

from backoffice.exports.attendees import AttendeeList
from backoffice.exports.base import ExportFilters, ExportList
from backoffice.exports.meetings import MeetingsByDayList, MeetingsByParticipantList
from backoffice.exports.sessions import SessionAttendanceList
from backoffice.exports.survey import SurveyAnswerList

EXPORT_LISTS: dict[str, type[ExportList]] = {
    AttendeeList.slug: AttendeeList,
    SessionAttendanceList.slug: SessionAttendanceList,
    MeetingsByParticipantList.slug: MeetingsByParticipantList,
    MeetingsByDayList.slug: MeetingsByDayList,
    SurveyAnswerList.slug: SurveyAnswerList,
}

__all__ = [
    "EXPORT_LISTS",
    "AttendeeList",
    "ExportFilters",
    "ExportList",
    "MeetingsByDayList",
    "MeetingsByParticipantList",
    "SessionAttendanceList",
    "SurveyAnswerList",
]
