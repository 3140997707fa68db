"""After a session: its recording on the join link's page, and a rating from who attended, once."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from forum.models import SessionRecording, SessionStream
from registrations.errors import RegistrationError
from registrations.models import SessionBooking, SessionFeedback
from registrations.services.attendance import record_attendance
from registrations.services.feedback import rate_session
from registrations.tokens import MANAGE, make_token
from tests.registrations.test_online import STREAM, _attendee, _path, _session

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(open_edition):
    session = _session(open_edition, starts_in=-dt.timedelta(hours=2), title="Keynotes")
    SessionStream.objects.create(session=session, url=STREAM)
    SessionRecording.objects.create(
        session=session,
        url="https://video.example.org/keynotes",
        public_from=timezone.now() - dt.timedelta(minutes=5),
    )
    return session


@pytest.fixture
def attendee(open_edition, ended):
    registration = _attendee(open_edition, [ended])
    record_attendance(
        registration=registration,
        session=ended,
        stream=None,
        now=ended.starts_at + dt.timedelta(minutes=1),
    )
    return registration


def test_after_the_session_the_link_offers_the_recording_and_a_rating(client, ended, attendee):
    page = client.get(_path(attendee, ended), follow=True).content.decode()

    assert 'href="https://video.example.org/keynotes"' in page
    assert 'id="feedback-form"' in page


def test_an_attendee_rates_once(client, ended, attendee):
    client.get(_path(attendee, ended))
    url = f"/register/online/{ended.pk}/feedback/"

    first = client.post(url, {"rating": "4", "comment": " Clear and useful. "}, follow=True)
    again = client.post(url, {"rating": "1"}, follow=True)

    assert "Thank you for your rating." in first.content.decode()
    assert "You rated this session 4 out of 5." in first.content.decode()
    assert 'id="feedback-form"' not in first.content.decode()
    assert "You have already rated this session." in again.content.decode()
    feedback = SessionFeedback.objects.get()
    assert (feedback.rating, feedback.comment) == (4, "Clear and useful.")


def test_a_bad_rating_says_why_and_keeps_the_comment(client, ended, attendee):
    client.get(_path(attendee, ended))

    response = client.post(
        f"/register/online/{ended.pk}/feedback/", {"rating": "9", "comment": "Kept text"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice. 9 is not one of the available choices." in page
    assert "Kept text" in page
    assert SessionFeedback.objects.count() == 0


def test_who_did_not_attend_cannot_rate(client, open_edition, ended):
    absent = _attendee(open_edition, [ended], email="absent@example.org")
    client.get(_path(absent, ended))

    page = client.get(f"/register/online/{ended.pk}/").content.decode()
    posted = client.post(f"/register/online/{ended.pk}/feedback/", {"rating": "5"}, follow=True)

    assert 'id="feedback-form"' not in page
    assert "Only people who attended a session can rate it." in posted.content.decode()
    with pytest.raises(RegistrationError):
        rate_session(registration=absent, session=ended, rating=5)
    assert SessionFeedback.objects.count() == 0


def test_the_rating_page_in_korean(client, open_edition, ended):
    korean = _attendee(open_edition, [ended], email="ko@example.org", language="ko")
    record_attendance(registration=korean, session=ended, stream=None)

    page = client.get("/ko" + _path(korean, ended), follow=True).content.decode()

    assert "이 세션은 어떠셨나요?" in page
    assert "녹화 영상: 원어 (현장 음성)" in page


def _manage_page(client, registration, prefix=""):
    token = make_token(registration, purpose=MANAGE)
    return client.get(f"{prefix}/register/manage/{token}/", follow=True).content.decode()


def test_the_manage_page_links_an_attended_session_to_its_rating(
    client, open_edition, ended, attendee
):
    upcoming = _session(open_edition, starts_in=dt.timedelta(days=2), title="Panel")
    SessionBooking.objects.create(registration=attendee, session=upcoming, status="booked")
    page = _manage_page(client, attendee)
    rate = re.findall(r'<a class="[^"]*rate-link" href="([^"]+)"[^>]*>Rate this session</a>', page)
    assert [link.split("/register/join/")[0] for link in rate] == ["http://localhost:8000"]
    # The attendee's join link to the ended session, whose page holds the rating form.
    opened = client.get(rate[0].removeprefix("http://localhost:8000"))
    assert opened["Location"] == f"/register/online/{ended.pk}/"
    assert 'id="feedback-form"' in client.get(opened["Location"]).content.decode()
    # The session still to come keeps its join link.
    assert len(re.findall(r"join-link", page)) == 1

    rate_session(registration=attendee, session=ended, rating=5)
    assert "Rate this session" not in _manage_page(client, attendee)


def test_no_rating_link_for_a_session_not_attended(client, open_edition, ended):
    absent = _attendee(open_edition, [ended], email="absent@example.org")
    korean = _manage_page(client, absent, prefix="/ko")
    assert "rate-link" not in korean and "join-link" in korean
