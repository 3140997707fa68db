"""The online forum in Debian's Chromium, in English and in Korean: an attendee registers,
confirms, opens their join link before the window (a waiting page with their local time), at the
start (the stream; attendance recorded), after the session (the recording), and rates it; a
waiting-list attendee is refused.

The window follows the session's own times, which the test moves between the browser's visits
(never inside Playwright's event loop: the database is used only outside it).
"""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import sync_playwright

from common.times import shown
from forum.models import SessionRecording, SessionStream
from registrations.models import Attendance, Registration, SessionFeedback
from registrations.services.registrations import confirm_registration, register_attendee
from registrations.tokens import join_url
from tests.e2e.test_registration_journey import emailed_link, launch
from tests.factories import (
    EditionFactory,
    RegistrationSettingsFactory,
    SessionFactory,
    consent_texts_for,
)
from tests.registrations.data import service_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "waiting": "The session has not opened yet",
        "refused": "You are on the waiting list for this session",
        "rated": "You rated this session 5 out of 5. Thank you.",
        "recording": "Recording: Floor (original language)",
    },
    "ko": {
        "waiting": "세션이 아직 열리지 않았습니다",
        "refused": "이 세션의 대기자 명단에 있어 아직 좌석이 없습니다",
        "rated": "이 세션에 5점 만점에 5점을 주셨습니다. 감사합니다.",
        "recording": "녹화 영상: 원어 (현장 음성)",
    },
}


@pytest.fixture
def forum(transactional_db):
    edition = EditionFactory(
        registration_opens=timezone.now() - dt.timedelta(days=1),
        registration_closes=timezone.now() + dt.timedelta(days=30),
    )
    RegistrationSettingsFactory(edition=edition, join_opens_minutes=10)
    consent_texts_for(edition)
    starts = timezone.now() + dt.timedelta(hours=2)
    session = SessionFactory(
        edition=edition,
        title="Keynotes",
        capacity=1,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )
    return edition, session


def move(session, *, starts_in: dt.timedelta) -> None:
    session.starts_at = timezone.now() + starts_in
    session.ends_at = session.starts_at + dt.timedelta(hours=1)
    session.save(update_fields=["starts_at", "ends_at"])


def new_page(browser, language: str):
    context = browser.new_context(locale="ko-KR" if language == "ko" else "en-GB")
    return context.new_page()


@pytest.mark.parametrize("language", ["en", "ko"])
def test_join_watch_and_rate_a_session_online(forum, live_server, mailoutbox, language):
    edition, session = forum
    prefix = "/ko" if language == "ko" else ""
    words = WORDS[language]
    with translation.override(language):
        jakarta_start = shown(session.starts_at, "SESSION_DATETIME_FORMAT", zone="Asia/Jakarta")

    # Registers and confirms in the browser; the manage page holds the personal join link.
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = new_page(browser, language)
        page.goto(f"{live_server.url}{prefix}/register/")
        page.fill("#id_name", "Siti Rahma")
        page.fill("#id_email", "siti@example.id")
        page.fill("#id_organisation", "Ministry of Public Works (sample)")
        page.fill("#id_job_title", "Director")
        page.select_option("#id_country", "ID")
        page.select_option("#id_category", "asean_government")
        page.select_option("#id_time_zone", "Asia/Jakarta")
        page.check(f"input[name=sessions][value='{session.pk}']")
        page.check("#id_consent_collection")
        page.check("#id_consent_transfer")
        page.locator("#registration-form [type=submit]").click()
        page.wait_for_load_state()
        page.goto(emailed_link(mailoutbox, live_server))
        page.locator("#confirm-button").click()
        page.wait_for_url(re.compile(r".*/register/manage/$"))
        join = page.locator("#my-sessions a.join-link").get_attribute("href")
        # Before the window: a waiting page, the start in the attendee's zone.
        page.goto(join.replace("http://localhost:8000", live_server.url))
        waiting_text = page.locator("main").inner_text()
        starts_local = page.locator("#join-starts-local").inner_text()
        browser.close()

    assert words["waiting"] in waiting_text
    assert starts_local == f"{jakarta_start} (Asia/Jakarta)"
    assert Attendance.objects.count() == 0
    attendee = Registration.objects.get(email="siti@example.id")
    assert attendee.status == "confirmed"

    # At the start: the link leads to the stream and records the attendance. Someone on the
    # waiting list (the session has one seat) gets nothing.
    move(session, starts_in=-dt.timedelta(minutes=1))
    stream = f"{live_server.url}/healthz"
    SessionStream.objects.create(session=session, url=stream)
    waiting = register_attendee(
        edition=edition,
        data=service_data(email="late@example.org", sessions=[session], language=language),
    )
    confirm_registration(registration=waiting)
    with translation.override(language):
        waiting_link = join_url(waiting, session).replace("http://localhost:8000", live_server.url)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = new_page(browser, language)
        page.goto(join.replace("http://localhost:8000", live_server.url))
        arrived = page.url
        other = new_page(browser, language)
        refused = other.goto(waiting_link)
        refused_status, refused_text = refused.status, other.locator("main").inner_text()
        browser.close()

    assert arrived == stream
    attendance = Attendance.objects.get()
    assert (attendance.registration, attendance.session, attendance.joins) == (
        attendee,
        session,
        1,
    )
    assert refused_status == 403
    assert words["refused"] in refused_text

    # After the session: the recording, and a rating.
    move(session, starts_in=-dt.timedelta(hours=2))
    SessionRecording.objects.create(
        session=session, url=f"{live_server.url}/programme/", public_from=timezone.now()
    )
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = new_page(browser, language)
        page.goto(join.replace("http://localhost:8000", live_server.url))
        recording = page.locator("a.session-recording")
        recording_label, recording_href = recording.inner_text(), recording.get_attribute("href")
        page.check("#feedback-form input[name=rating][value='5']")
        page.fill("#feedback-form textarea[name=comment]", "Clear and useful")
        page.locator("#feedback-form [type=submit]").click()
        page.wait_for_selector("#feedback-given")
        rated_text = page.locator("#feedback-given").inner_text()
        browser.close()

    assert recording_label == words["recording"]
    assert recording_href == f"{live_server.url}/programme/"
    assert rated_text == words["rated"]
    feedback = SessionFeedback.objects.get()
    assert (feedback.registration, feedback.rating, feedback.comment) == (
        attendee,
        5,
        "Clear and useful",
    )
