"""Session reminders and the after-forum email: who gets them, what they say, and only once."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from icalendar import Calendar

from common.models import OutgoingEmail
from registrations.choices import ReminderKind
from registrations.errors import RegistrationError
from registrations.models import SentReminder
from registrations.services.reminders import send_after_forum_email, send_session_reminders
from registrations.tokens import MANAGE, make_token
from tests.factories import SessionFactory
from tests.registrations.test_online import _attendee, _session
from tests.registrations.threads import run_at_once, skip_on_shared_memory_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(open_edition):
    """One session tomorrow morning (in 20 hours), one within the hour, one next week."""
    return (
        _session(open_edition, starts_in=dt.timedelta(hours=20), title="Keynotes"),
        _session(open_edition, starts_in=dt.timedelta(minutes=40), title="Panel"),
        _session(open_edition, starts_in=dt.timedelta(days=7), title="Later"),
    )


def reminder_emails(mailoutbox) -> list:
    return [m for m in mailoutbox if "Starting within" in m.subject or "within a day" in m.subject]


def test_each_attendee_gets_each_reminder_once(open_edition, programme, mailoutbox, run_on_commit):
    tomorrow, soon, later = programme
    with run_on_commit():
        _attendee(open_edition, [tomorrow, soon, later])
    mailoutbox.clear()

    with run_on_commit():
        first = send_session_reminders()
    with run_on_commit():
        again = send_session_reminders()

    assert first == {ReminderKind.DAY_BEFORE: 1, ReminderKind.HOUR_BEFORE: 1}
    assert again == {ReminderKind.DAY_BEFORE: 0, ReminderKind.HOUR_BEFORE: 0}
    subjects = sorted(message.subject for message in mailoutbox)
    assert subjects == [
        f"Starting within the hour: {soon.title}",
        f"Your sessions within a day — {open_edition.title}",
    ]
    assert set(SentReminder.objects.values_list("session__title", "kind")) == {
        ("Keynotes", ReminderKind.DAY_BEFORE),
        ("Panel", ReminderKind.HOUR_BEFORE),
    }


def test_a_later_run_reminds_an_hour_before_what_it_reminded_the_day_before(
    open_edition, programme, mailoutbox, run_on_commit
):
    tomorrow, _soon, _later = programme
    with run_on_commit():
        _attendee(open_edition, [tomorrow])
    with run_on_commit():
        send_session_reminders()
    mailoutbox.clear()

    with run_on_commit():
        sent = send_session_reminders(now=tomorrow.starts_at - dt.timedelta(minutes=30))

    assert sent == {ReminderKind.DAY_BEFORE: 0, ReminderKind.HOUR_BEFORE: 1}
    assert [message.subject for message in mailoutbox] == [
        f"Starting within the hour: {tomorrow.title}"
    ]


def test_the_reminder_has_join_links_local_times_and_the_calendar(
    open_edition, programme, mailoutbox, run_on_commit
):
    tomorrow, _soon, _later = programme
    with run_on_commit():
        _attendee(open_edition, [tomorrow], time_zone="Asia/Bangkok")
    mailoutbox.clear()

    with run_on_commit():
        send_session_reminders()

    [message] = mailoutbox
    bangkok = timezone.localtime(tomorrow.starts_at, timezone.get_fixed_timezone(7 * 60))
    assert f"{bangkok:%H:%M} (Asia/Bangkok)" in message.body
    assert re.search(r"join online: http://\S+/register/join/\S+/", message.body)
    [(_name, content, mime)] = message.attachments
    assert mime == "text/calendar"
    assert [str(event["SUMMARY"]) for event in Calendar.from_ical(content).walk("VEVENT")] == [
        "Keynotes"
    ]


def test_korean_attendees_get_korean_reminders(open_edition, programme, mailoutbox, run_on_commit):
    _tomorrow, soon, _later = programme
    with run_on_commit():
        _attendee(open_edition, [soon], language="ko")
    mailoutbox.clear()

    with run_on_commit():
        send_session_reminders()

    [message] = mailoutbox
    assert message.subject == f"1시간 안에 시작합니다: {soon.title}"
    assert re.search(r"온라인 참여: http://\S+/ko/register/join/\S+/", message.body)


def test_waiting_unconfirmed_and_opted_out_attendees_get_no_reminder(
    client, open_edition, mailoutbox, run_on_commit
):
    full = _session(open_edition, starts_in=dt.timedelta(hours=5), capacity=1)
    with run_on_commit():
        seated = _attendee(open_edition, [full], email="seated@example.org")
        _attendee(open_edition, [full], email="waiting@example.org")
        other = SessionFactory(
            edition=open_edition,
            starts_at=full.starts_at,
            ends_at=full.ends_at,
        )
        _attendee(open_edition, [other], email="unconfirmed@example.org", confirm=False)
    client.get(f"/register/manage/{make_token(seated, purpose=MANAGE)}/")
    turned_off = client.post("/register/manage/reminders/", {"wants_reminders": ""}, follow=True)
    mailoutbox.clear()

    with run_on_commit():
        sent = send_session_reminders()

    assert "Reminders are off." in turned_off.content.decode()
    assert sent == {ReminderKind.DAY_BEFORE: 0, ReminderKind.HOUR_BEFORE: 0}
    assert mailoutbox == []


def test_reminders_turned_off_after_queueing_are_not_sent(
    open_edition, programme, mailoutbox, run_on_commit
):
    from registrations.services.reminders import set_reminders

    _tomorrow, soon, _later = programme
    registration = _attendee(open_edition, [soon])
    send_session_reminders()  # queued; sent at commit, which the test holds back
    set_reminders(registration=registration, wanted=False)
    mailoutbox.clear()

    from common.services.outbox import send_due_emails

    send_due_emails()

    assert reminder_emails(mailoutbox) == []
    assert OutgoingEmail.objects.filter(kind="session_reminder").get().status == "skipped"


def test_the_manage_page_turns_reminders_back_on(client, open_edition, programme):
    registration = _attendee(open_edition, [programme[0]])
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    client.post("/register/manage/reminders/", {"wants_reminders": ""})

    page = client.post("/register/manage/reminders/", {"wants_reminders": "on"}, follow=True)

    registration.refresh_from_db()
    assert registration.wants_reminders is True
    assert "Reminders are on." in page.content.decode()


def test_the_command_says_how_many_it_queued(open_edition, programme):
    _attendee(open_edition, list(programme))
    out = io.StringIO()

    call_command("send_session_reminders", stdout=out)
    call_command("send_session_reminders", stdout=out)

    assert out.getvalue().splitlines() == [
        "1 day-before and 1 hour-before reminder email(s) queued.",
        "0 day-before and 0 hour-before reminder email(s) queued.",
    ]


def test_the_after_forum_email_goes_once_to_confirmed_attendees(
    open_edition, mailoutbox, run_on_commit
):
    past = _session(open_edition, starts_in=-dt.timedelta(hours=3), title="Keynotes")
    with run_on_commit():
        _attendee(open_edition, [past], email="came@example.org", language="ko")
        _attendee(open_edition, [past], email="never@example.org", confirm=False)
    mailoutbox.clear()

    with run_on_commit():
        first = send_after_forum_email(edition=open_edition)
    with run_on_commit():
        again = send_after_forum_email(edition=open_edition)

    assert (first, again) == (1, 0)
    [message] = mailoutbox
    assert message.to == ["came@example.org"]
    assert message.subject == f"{open_edition.title}에 함께해 주셔서 감사합니다"
    assert f"Keynotes: http://localhost:8000/ko/programme/{past.slug}/" in message.body


def test_the_after_forum_email_waits_for_the_last_session(open_edition):
    _session(open_edition, starts_in=-dt.timedelta(hours=3))
    _session(open_edition, starts_in=dt.timedelta(hours=3))

    with pytest.raises(RegistrationError) as refused:
        send_after_forum_email(edition=open_edition)
    with pytest.raises(CommandError, match="has not ended yet"):
        call_command("send_after_forum_email", edition=open_edition.slug)

    assert refused.value.code == "not_ended"


def test_the_task_worker_sends_them_too(open_edition, programme, mailoutbox, run_on_commit):
    _attendee(open_edition, [programme[1]])
    out = io.StringIO()

    with run_on_commit():
        call_command("send_session_reminders", schedule=True, stdout=out)

    assert out.getvalue() == "Session reminders queued for the task worker.\n"
    assert list(SentReminder.objects.values_list("kind", flat=True)) == [ReminderKind.HOUR_BEFORE]


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_remind_once(open_edition, programme):
    """Each thread has its own connection; the marker's unique constraint lets one run win."""
    skip_on_shared_memory_database()
    _attendee(open_edition, [programme[1]])

    results, errors = run_at_once(
        lambda: send_session_reminders()[ReminderKind.HOUR_BEFORE], count=4
    )

    assert errors == []
    assert sorted(results) == [0, 0, 0, 1]
    assert OutgoingEmail.objects.filter(kind="session_reminder").count() == 1
