"""The online forum on the attendee side: personal join links, the window, attendance."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from forum.choices import StreamLanguage
from forum.models import SessionStream
from registrations.choices import AttendanceSource, RegistrationStatus
from registrations.models import Attendance
from registrations.services.attendance import record_attendance
from registrations.services.registrations import (
    cancel_registration,
    confirm_registration,
    register_attendee,
)
from registrations.tokens import MANAGE, join_url, make_join_token, make_token
from tests.factories import SessionFactory
from tests.registrations.data import service_data
from tests.registrations.threads import run_at_once, skip_on_shared_memory_database

STREAM = "https://zoom.example.org/j/123"


def _session(edition, *, starts_in: dt.timedelta, capacity=None, **kwargs):
    starts = timezone.now() + starts_in
    return SessionFactory(
        edition=edition,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        capacity=capacity,
        **kwargs,
    )


def _attendee(edition, sessions, *, email="jiwon.park@example.co.kr", confirm=True, **data):
    registration = register_attendee(
        edition=edition, data=service_data(email=email, sessions=sessions, **data)
    )
    if confirm:
        registration = confirm_registration(registration=registration)
    return registration


def _path(registration, session) -> str:
    return join_url(registration, session).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture
def live_session(open_edition):
    """Started five minutes ago, one floor stream."""
    session = _session(open_edition, starts_in=-dt.timedelta(minutes=5), title="Keynotes")
    SessionStream.objects.create(session=session, url=STREAM)
    return session


@pytest.mark.django_db
def test_before_the_window_a_waiting_page_shows_the_start_in_both_zones(client, open_edition):
    session = _session(open_edition, starts_in=dt.timedelta(hours=3), title="Keynotes")
    SessionStream.objects.create(session=session, url=STREAM)
    SessionStream.objects.create(session=session, url=STREAM + "-ko", language="ko")
    registration = _attendee(open_edition, [session], time_zone="Asia/Jakarta")

    response = client.get(_path(registration, session), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(f"/register/online/{session.pk}/", 302)]
    page = response.content.decode()
    jakarta = timezone.localtime(session.starts_at, timezone.get_fixed_timezone(7 * 60))
    assert f"{jakarta:%H:%M} (Asia/Jakarta)" in page
    seoul = timezone.localtime(session.starts_at, timezone.get_fixed_timezone(9 * 60))
    assert f"{seoul:%H:%M} (Asia/Seoul)" in page
    assert "Floor (original language), Korean interpretation" in page
    assert STREAM not in page  # the stream's address is only ever a redirect
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_in_the_window_the_link_leads_to_the_stream_and_counts_each_use(
    client, open_edition, live_session
):
    registration = _attendee(open_edition, [live_session])
    path = _path(registration, live_session)

    first = client.get(path, follow=True)
    again = client.get(path, follow=True)

    assert first.redirect_chain[-1] == (STREAM, 302)
    assert again.redirect_chain[-1] == (STREAM, 302)
    attendance = Attendance.objects.get()
    assert (attendance.registration, attendance.session, attendance.joins) == (
        registration,
        live_session,
        2,
    )
    assert attendance.stream_language == StreamLanguage.FLOOR
    assert attendance.source == AttendanceSource.LINK
    assert attendance.first_joined_at <= attendance.last_joined_at


@pytest.mark.django_db
def test_the_window_opens_the_editions_minutes_before_the_start(client, open_edition):
    open_edition.registration_settings.join_opens_minutes = 30
    open_edition.registration_settings.save()
    session = _session(open_edition, starts_in=dt.timedelta(minutes=20))
    SessionStream.objects.create(session=session, url=STREAM)
    registration = _attendee(open_edition, [session])

    response = client.get(_path(registration, session), follow=True)

    assert response.redirect_chain[-1] == (STREAM, 302)


@pytest.mark.django_db
def test_several_streams_or_a_passcode_let_the_attendee_choose(client, open_edition, live_session):
    SessionStream.objects.create(
        session=live_session, url=STREAM + "-en", language="en", passcode="482913"
    )
    registration = _attendee(open_edition, [live_session])

    page = client.get(_path(registration, live_session), follow=True)
    assert Attendance.objects.count() == 0  # the choice page is not attending yet
    chosen = client.get(f"/register/online/{live_session.pk}/?stream=en")

    assert "Join: English interpretation" in page.content.decode()
    assert "482913" in page.content.decode()
    assert chosen.status_code == 302
    assert chosen["Location"] == STREAM + "-en"
    assert chosen["Referrer-Policy"] == "no-referrer"
    assert Attendance.objects.get().stream_language == "en"


@pytest.mark.django_db
def test_after_the_session_the_page_says_it_ended(client, open_edition):
    session = _session(open_edition, starts_in=-dt.timedelta(hours=2))
    SessionStream.objects.create(session=session, url=STREAM)
    registration = _attendee(open_edition, [session])

    response = client.get(_path(registration, session), follow=True)

    assert response.status_code == 200
    assert "The session ended on" in response.content.decode()
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_a_waiting_list_place_gets_nothing(client, open_edition):
    session = _session(open_edition, starts_in=-dt.timedelta(minutes=5), capacity=1)
    SessionStream.objects.create(session=session, url=STREAM)
    _attendee(open_edition, [session], email="first@example.org")
    waiting = _attendee(open_edition, [session], email="second@example.org")

    response = client.get(_path(waiting, session), follow=True)

    assert response.status_code == 403
    assert "You are on the waiting list for this session" in response.content.decode()
    assert STREAM not in response.content.decode()
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_an_unconfirmed_registration_gets_nothing(client, open_edition, live_session):
    registration = _attendee(open_edition, [live_session], confirm=False)

    response = client.get(_path(registration, live_session), follow=True)

    assert registration.status == RegistrationStatus.AWAITING_CONFIRMATION
    assert response.status_code == 403
    assert "Your registration is not confirmed yet" in response.content.decode()
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_a_cancelled_registrations_link_is_revoked(client, open_edition, live_session):
    registration = _attendee(open_edition, [live_session])
    path = _path(registration, live_session)
    cancel_registration(registration=registration)

    response = client.get(path, follow=True)

    assert response.redirect_chain[-1] == ("/register/link/problem/", 302)
    assert response.status_code == 400
    assert "The link is no longer valid" in response.content.decode()
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_a_cancellation_also_ends_a_link_already_opened(client, open_edition, live_session):
    registration = _attendee(open_edition, [live_session])
    client.get(_path(registration, live_session))
    cancel_registration(registration=registration)

    response = client.get(f"/register/online/{live_session.pk}/", follow=True)

    assert response.status_code == 400
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_other_peoples_links_and_other_sessions_get_nothing(client, open_edition, live_session):
    other_session = _session(open_edition, starts_in=-dt.timedelta(minutes=5))
    SessionStream.objects.create(session=other_session, url=STREAM + "-other")
    mine = _attendee(open_edition, [live_session], email="me@example.org")
    theirs = _attendee(open_edition, [other_session], email="them@example.org")

    # A link signed for a session the person has no seat in.
    not_booked = client.get(f"/register/join/{make_join_token(mine, other_session)}/", follow=True)
    # My link opened in a fresh browser, then someone else's session's page asked for.
    browser = Client()
    browser.get(_path(mine, live_session))
    other_page = browser.get(f"/register/online/{other_session.pk}/")
    # A link whose session was changed by hand: the signature no longer matches.
    token = make_join_token(theirs, other_session)
    forged = client.get(f"/register/join/{token[:-3]}abc/", follow=True)

    assert not_booked.status_code == 403
    assert "You have no seat in this session" in not_booked.content.decode()
    assert other_page.status_code == 403
    assert "personal join link" in other_page.content.decode()
    assert forged.status_code == 400
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_a_mail_scanner_following_the_link_records_no_attendance(open_edition, live_session):
    registration = _attendee(open_edition, [live_session])
    scanner = Client()
    first = scanner.get(_path(registration, live_session))
    scanner.cookies.clear()  # scanners don't keep cookies between requests

    second = scanner.get(first["Location"])

    assert second.status_code == 403
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_join_links_never_reach_a_referer(client, open_edition, live_session):
    registration = _attendee(open_edition, [live_session])

    response = client.get(_path(registration, live_session))

    assert response.status_code == 302
    assert response["Referrer-Policy"] == "no-referrer"
    assert "join" not in response["Location"] or response["Location"].startswith(
        "/register/online/"
    )


@pytest.mark.django_db(transaction=True)
def test_simultaneous_joins_make_one_row(open_edition, live_session):
    """Each thread has its own connection; the unique row and the F() update keep the count."""
    skip_on_shared_memory_database()
    registration = _attendee(open_edition, [live_session])

    _results, errors = run_at_once(
        lambda: record_attendance(registration=registration, session=live_session, stream=None),
        count=6,
    )

    assert errors == []
    assert list(Attendance.objects.values_list("joins", flat=True)) == [6]


@pytest.mark.django_db
def test_the_manage_page_shows_join_links_for_booked_seats_only(client, open_edition):
    booked = _session(open_edition, starts_in=dt.timedelta(days=1), capacity=5, title="Panel")
    full = _session(open_edition, starts_in=dt.timedelta(days=1), capacity=1, title="Full")
    _attendee(open_edition, [full], email="first@example.org")
    registration = _attendee(open_edition, [booked, full])
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")

    page = client.get("/register/manage/").content.decode()

    links = re.findall(r'href="[^"]*/register/join/([^/"]+)/"', page)
    assert len(links) == 1
    assert client.get(f"/register/join/{links[0]}/")["Location"] == (
        f"/register/online/{booked.pk}/"
    )


@pytest.mark.django_db
def test_an_unconfirmed_manage_page_has_no_join_links(client, open_edition):
    session = _session(open_edition, starts_in=dt.timedelta(days=1))
    registration = _attendee(open_edition, [session], confirm=False)
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")

    assert "/register/join/" not in client.get("/register/manage/").content.decode()


@pytest.mark.django_db
def test_the_confirmation_email_and_calendar_carry_the_join_link(
    open_edition, mailoutbox, run_on_commit
):
    session = _session(open_edition, starts_in=dt.timedelta(days=1), title="Keynotes")
    with run_on_commit():
        registration = _attendee(open_edition, [session], language="ko")

    confirmed = mailoutbox[-1]
    body = confirmed.body
    [(name, content, _mime)] = confirmed.attachments
    [event] = Calendar.from_ical(content).walk("VEVENT")

    assert re.search(r"온라인 참여: http://\S+/ko/register/join/\S+/", body)
    assert "/ko/register/join/" in str(event["DESCRIPTION"])
    link = re.search(r"(/ko/register/join/[^/\s]+/)", body).group(1)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert link.startswith("/ko/register/join/")
