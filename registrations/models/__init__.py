"""The registrations app's models, one module per sub-domain, re-exported here."""

from registrations.models.attendance import Attendance
from registrations.models.consent import Consent, ConsentText
from registrations.models.feedback import SessionFeedback
from registrations.models.invitations import Invitee
from registrations.models.registration import (
    ATTENDEE_FIELDS,
    JOIN_OPENS_MINUTES,
    Registration,
    RegistrationSettings,
    SessionBooking,
    new_link_key,
)
from registrations.models.reminders import SentReminder
from registrations.models.survey import SurveyAnswer, SurveyQuestion, SurveyResponse

__all__ = [
    "ATTENDEE_FIELDS",
    "Attendance",
    "Consent",
    "ConsentText",
    "Invitee",
    "JOIN_OPENS_MINUTES",
    "Registration",
    "RegistrationSettings",
    "SentReminder",
    "SessionBooking",
    "SessionFeedback",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyResponse",
    "new_link_key",
]
