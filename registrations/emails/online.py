"""The online forum's emails: session reminders and the after-forum email (kinds and contexts).

Their words are in `templates/emails/kinds/session_reminder.txt` and `after_forum.txt`.
"""

from typing import Any

from django.utils.translation import gettext_lazy

from common.emails import ACTION_URL, ATTACHMENTS, SESSIONS, EmailKind
from registrations.choices import BookingStatus, RegistrationStatus, ReminderKind
from registrations.choices import EmailKind as Kind
from registrations.emails.registrations import (
    EDITION,
    NAME,
    Context,
    _base,
    _session_lines,
    absolute_url,
    manage_url,
)
from registrations.ics import sessions_calendar
from registrations.models import Registration, SessionBooking, SurveyQuestion
from registrations.selectors.online import join_opens_minutes
from registrations.tokens import survey_url


def session_reminder(registration: Registration, params: dict[str, Any]) -> Context:
    """The sessions of one reminder that the attendee still holds a seat in, with their join
    links, times in the attendee's zone and the .ics; nothing once reminders are turned off."""
    if registration.status != RegistrationStatus.CONFIRMED or not registration.wants_reminders:
        return None
    bookings = list(
        SessionBooking.objects.filter(
            registration=registration,
            status=BookingStatus.BOOKED,
            session_id__in=params.get("session_ids") or [],
        )
        .select_related("session")
        .order_by("session__starts_at", "pk")
    )
    if not bookings:
        return None
    sessions = [booking.session for booking in bookings]
    return {
        **_base(registration),
        "soon": params.get("reminder") == ReminderKind.HOUR_BEFORE,
        "session": sessions[0].display_title,
        "minutes": join_opens_minutes(registration),
        SESSIONS: _session_lines(registration, bookings),
        ATTACHMENTS: [
            (
                f"{registration.edition.slug}-sessions.ics",
                sessions_calendar(registration, sessions),
                "text/calendar",
            )
        ],
        ACTION_URL: manage_url(registration),
    }


def after_forum(registration: Registration, params: dict[str, Any]) -> Context:
    """Thanks, each booked session's page, where the recordings and the speakers' materials
    appear once the organisers publish them, and the personal link to the survey if any."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return None
    bookings = (
        SessionBooking.objects.filter(registration=registration, status=BookingStatus.BOOKED)
        .select_related("session__edition")
        .order_by("session__starts_at", "pk")
    )
    has_survey = SurveyQuestion.objects.filter(edition_id=registration.edition_id).exists()
    return {
        **_base(registration),
        "survey_url": survey_url(registration) if has_survey else "",
        SESSIONS: [
            f"{booking.session.display_title}: {absolute_url(booking.session.get_absolute_url())}"
            for booking in bookings
        ],
        ACTION_URL: absolute_url(registration.edition.get_absolute_url()),
    }


KINDS = [
    EmailKind(
        name=Kind.SESSION_REMINDER,
        template="emails/kinds/session_reminder.txt",
        placeholders={
            **NAME,
            **EDITION,
            "soon": gettext_lazy("yes for the reminder within the hour, no for within a day"),
            "session": gettext_lazy("the first session's title"),
            "minutes": gettext_lazy("minutes before the start that the join links open"),
        },
        context=session_reminder,
        label=gettext_lazy("Session reminder (a day or an hour before)"),
    ),
    EmailKind(
        name=Kind.AFTER_FORUM,
        template="emails/kinds/after_forum.txt",
        placeholders={
            **NAME,
            **EDITION,
            "survey_url": gettext_lazy(
                "the attendee's personal link to the forum's survey (empty without a survey)"
            ),
        },
        context=after_forum,
        label=gettext_lazy("After the forum: thanks"),
    ),
]
