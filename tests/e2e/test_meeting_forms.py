"""The meeting forms in Debian's Chromium: a live counter under long texts that never cuts what
is pasted, and the times to pick folded by day (issue 17, point 6)."""

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import sync_playwright

from meetings.choices import BookingMode, ProfileSide
from meetings.services.requests import request_meeting
from registrations.tokens import MANAGE, make_token
from tests.e2e.test_registration_journey import launch
from tests.factories import (
    BusinessProfileFactory,
    EditionFactory,
    MeetingSettingsFactory,
    MeetingSlotFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@pytest.fixture
def two_participants(transactional_db):
    edition = EditionFactory()
    MeetingSettingsFactory(edition=edition, booking_mode=BookingMode.SELF_BOOKING)
    for day in (21, 22):
        for minutes in (0, 30, 60):
            MeetingSlotFactory(
                edition=edition,
                starts_at=dt.datetime(2030, 1, day, 10, 0, tzinfo=SEOUL)
                + dt.timedelta(minutes=minutes),
            )
    kim = BusinessProfileFactory(
        registration__edition=edition,
        registration__name="Kim Min-jun",
        registration__organisation="Hanbit Engineering",
    ).registration
    lan = BusinessProfileFactory(
        registration__edition=edition,
        registration__name="Nguyen Thi Lan",
        registration__organisation="Ministry of Transport of Viet Nam",
        registration__time_zone="Asia/Ho_Chi_Minh",
        side=ProfileSide.PROJECT_OWNER,
    ).registration
    return kim, lan


def enter(page, live_server, registration, then: str) -> None:
    page.goto(f"{live_server.url}/meetings/enter/{make_token(registration, purpose=MANAGE)}/")
    page.goto(f"{live_server.url}{then}")


def test_the_counter_follows_the_text_and_a_long_paste_is_kept_whole(two_participants, live_server):
    kim, lan = two_participants
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        enter(page, live_server, kim, f"/meetings/directory/{lan.business_profile.pk}/")
        counter = page.locator("#id_message-counter")
        assert counter.inner_text() == "0 of 2000 characters"
        page.locator("#id_message").press_sequentially("Hello")
        assert counter.inner_text() == "5 of 2000 characters"
        assert page.locator("#id_message-over").inner_text() == ""

        page.fill("#id_message", "x" * 2100)  # as a paste: the browser keeps every character
        assert len(page.input_value("#id_message")) == 2100
        assert counter.inner_text() == "2100 of 2000 characters"
        assert (
            page.locator("#id_message-over").inner_text()
            == "100 over the limit: please shorten the text."
        )
        page.get_by_role("button", name="Send the request").click()
        assert "Please shorten it by 100 characters." in page.locator("main").inner_text()
        assert len(page.input_value("#id_message")) == 2100  # kept, to be shortened

        page.goto(f"{live_server.url}/ko/meetings/directory/{lan.business_profile.pk}/")
        assert page.locator("#id_message-counter").inner_text() == "0/2000자"
        browser.close()


def test_the_times_come_folded_by_day_the_first_day_open(two_participants, live_server):
    kim, lan = two_participants
    request = request_meeting(sender=kim, receiver=lan)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        enter(page, live_server, lan, f"/meetings/requests/{request.pk}/")
        days = page.locator("details.slot-day")
        assert days.count() == 2
        assert page.get_by_label("08:00–08:30 (10:00 their time)").first.is_visible()
        later = page.get_by_label("08:30–09:00 (10:30 their time)").nth(1)
        assert not later.is_visible()  # the second day is folded
        days.nth(1).locator("summary").click()
        later.check()
        page.get_by_role("button", name="Accept and book this time").click()
        assert "The meeting is booked." in page.locator("main").inner_text()
        browser.close()
    assert lan.meeting_seats.get().slot.starts_at == dt.datetime(2030, 1, 22, 10, 30, tzinfo=SEOUL)
