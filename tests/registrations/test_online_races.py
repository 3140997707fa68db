"""Race tests of the online forum with their negative controls: the same production code with
only the guard taken away from the test (tests/races.py) — a constraint dropped from the test
database, a query wrapper widening the window between the read and the write, and on SQLite
DEFERRED instead of IMMEDIATE transactions — makes the positive assertions fail, on every
database, which shows the tests would catch the race.

- Attendance: one row per attendee and session, however many joins at once
  (`registrations_attendance_one_per_session`).
- Reminders: two runs at once remind once (`registrations_sentreminder_once_per_session`).
- The after-forum survey: two submissions at once store one response
  (`registrations_surveyresponse_once`).
"""

import datetime as dt

import pytest
from django.db import connection, connections

from common.models import OutgoingEmail
from registrations.choices import ReminderKind
from registrations.models import Attendance, SentReminder, SurveyQuestion, SurveyResponse
from registrations.services.attendance import record_attendance
from registrations.services.reminders import send_session_reminders
from registrations.services.survey import submit_survey
from tests.races import dropped_constraints, race_wrappers
from tests.registrations.test_online import _attendee, _session
from tests.registrations.threads import run_at_once, skip_on_shared_memory_database

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 6
# The last reads before each write: get_or_create's look for the attendance row, the run's
# list of reminders due, the survey's "answered already?".
ATTENDANCE_READ = r'^SELECT .*FROM "registrations_attendance"'
REMINDERS_DUE = r'^SELECT .*FROM "registrations_sessionbooking".*"registrations_sentreminder"'
SURVEY_ANSWERED = r'^SELECT .*FROM "registrations_surveyresponse"'


def racing(function, *, widen: str, deferred: bool = False):
    """`function` in RACERS threads at once, each connection with the window widened (and, on
    SQLite, DEFERRED transactions if asked); (results, errors, how many reads were widened)."""
    widened = []

    def race():
        try:
            connection.ensure_connection()
            if deferred and connection.vendor == "sqlite":
                connection.transaction_mode = "DEFERRED"  # SQLite's guard, switched off
            with race_wrappers(widen=widen, seconds=0.3) as window:
                try:
                    return function()
                finally:
                    widened.append(window.hits)
        finally:
            connections.close_all()

    results, errors = run_at_once(race, count=RACERS)
    assert any(widened), "no racer read before writing: the window was never widened"
    return results, errors


@pytest.fixture
def live(open_edition):
    skip_on_shared_memory_database()
    session = _session(open_edition, starts_in=-dt.timedelta(minutes=5), title="Keynotes")
    return session, _attendee(open_edition, [session])


def join(session, registration):
    return lambda: record_attendance(registration=registration, session=session, stream=None)


def test_joins_at_once_through_a_widened_window_make_one_row(live):
    session, registration = live
    _results, errors = racing(join(session, registration), widen=ATTENDANCE_READ)
    assert (errors, list(Attendance.objects.values_list("joins", flat=True))) == ([], [RACERS])


def test_negative_control_attendance_without_its_unique_row(live):
    session, registration = live
    with dropped_constraints((Attendance, "registrations_attendance_one_per_session")):
        _results, errors = racing(join(session, registration), widen=ATTENDANCE_READ, deferred=True)
        rows = list(Attendance.objects.values_list("joins", flat=True))
    if connection.vendor == "postgresql":
        assert len(rows) > 1, f"one row without the guard: {rows}"
    else:
        # SQLite: racers that read before another wrote can't write ("database is locked").
        assert errors, f"no failure without the guard: rows {rows}"
    assert (errors, rows) != ([], [RACERS])  # what the positive test asserts


@pytest.fixture
def due_soon(open_edition):
    skip_on_shared_memory_database()
    session = _session(open_edition, starts_in=dt.timedelta(minutes=40), title="Panel")
    _attendee(open_edition, [session])
    return session


def remind():
    return send_session_reminders()[ReminderKind.HOUR_BEFORE]


def test_reminder_runs_at_once_through_a_widened_window_remind_once(due_soon):
    results, errors = racing(remind, widen=REMINDERS_DUE)
    assert (errors, sorted(results)) == ([], [0] * (RACERS - 1) + [1])
    assert OutgoingEmail.objects.filter(kind="session_reminder").count() == 1


def test_negative_control_reminders_without_the_marker_constraint(due_soon):
    with dropped_constraints((SentReminder, "registrations_sentreminder_once_per_session")):
        results, errors = racing(remind, widen=REMINDERS_DUE)
        emails = OutgoingEmail.objects.filter(kind="session_reminder").count()
    assert emails > 1, f"reminded once without the guard: {results}, {errors}"
    assert (errors, sorted(results)) != ([], [0] * (RACERS - 1) + [1])


@pytest.fixture
def survey(open_edition):
    skip_on_shared_memory_database()
    past = _session(open_edition, starts_in=-dt.timedelta(hours=3))
    question = SurveyQuestion.objects.create(edition=open_edition, text_en="Useful?")
    return question, _attendee(open_edition, [past])


def answer(question, registration):
    return lambda: submit_survey(registration=registration, answers={question.pk: 5})


def test_survey_answers_at_once_store_one_response(survey):
    question, registration = survey
    results, errors = racing(answer(question, registration), widen=SURVEY_ANSWERED)
    assert len(results) == 1
    assert {getattr(error, "code", "") for error in errors} == {"answered"}
    assert SurveyResponse.objects.count() == 1


def test_negative_control_survey_without_its_unique_response(survey):
    question, registration = survey
    with dropped_constraints((SurveyResponse, "registrations_surveyresponse_once")):
        results, _errors = racing(answer(question, registration), widen=SURVEY_ANSWERED)
        responses = SurveyResponse.objects.count()
    assert responses > 1, f"one response without the guard: {results}"
