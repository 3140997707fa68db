"""Two participants in Debian's Chromium: A (Seoul) asks B (Jakarta) to meet, B accepts and picks
a time, and both see the meeting at their own local time.

MEETINGS_SCREENSHOT=1 also saves docs/screenshots/meetings.png (A's meetings area) and
docs/screenshots/meetings-directory.png for the README.
"""

import datetime as dt
import os
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import sync_playwright

from forum.models import Edition
from meetings.choices import MeetingStatus, RequestStatus
from meetings.models import Meeting, MeetingRequest, MeetingSettings
from meetings.services.slots import generate_slots
from registrations.demo import load_demo_consents
from registrations.services.registrations import confirm_registration, register_attendee
from registrations.tokens import MANAGE, make_token
from tests.e2e.test_registration_journey import launch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def participant(edition, **details):
    data = {
        "phone": "",
        "language": "en",
        "wants_meetings": True,
        "sessions": [],
        "consents": ["collection", "sharing", "transfer"],
        **details,
    }
    registration = register_attendee(edition=edition, data=data)
    return confirm_registration(registration=registration)


@pytest.fixture
def forum_with_slots(transactional_db):
    call_command("load_demo_forum")
    edition = Edition.objects.get(is_current=True)  # the rehearsal, ahead of today
    load_demo_consents(edition)
    # Meetings next week, so that the slots are still ahead whenever the test runs.
    monday = timezone.localdate(timezone.now(), SEOUL) + dt.timedelta(days=7)
    monday -= dt.timedelta(days=monday.weekday())
    MeetingSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "window_start": monday,
            "window_end": monday + dt.timedelta(days=1),
            "day_start": dt.time(10, 0),
            "day_end": dt.time(12, 0),
            "slot_minutes": 30,
            "rooms": 4,
            "video_link_template": "https://meet.example.org/{room}",
        },
    )
    generate_slots(edition=edition)
    return edition, monday


def fill_profile(page, *, side: str, sectors: list[str], offer: str) -> None:
    page.select_option("#id_side", side)
    for sector in sectors:
        page.get_by_label(sector, exact=True).check()
    page.fill("#id_offer", offer)
    page.get_by_role("button", name="Save my profile").click()


def test_a_requests_b_accepts_and_picks_a_slot_both_see_their_local_time(
    forum_with_slots, live_server
):
    edition, monday = forum_with_slots
    kim = participant(
        edition,
        name="Kim Min-jun",
        email="minjun.kim@example.co.kr",
        organisation="Hanbit Engineering (sample)",
        job_title="Director",
        country="KR",
        category="korean_company",
        time_zone="Asia/Seoul",
    )
    sari = participant(
        edition,
        name="Sari Wulandari",
        email="sari@example.go.id",
        organisation="Ministry of Transportation of Indonesia (sample)",
        job_title="Head of Planning",
        country="ID",
        category="asean_government",
        time_zone="Asia/Jakarta",
    )
    links = {
        who: f"{live_server.url}/meetings/enter/{make_token(registration, purpose=MANAGE)}/"
        for who, registration in (("kim", kim), ("sari", sari))
    }

    with sync_playwright() as playwright:
        browser = launch(playwright)
        options = {"viewport": {"width": 1200, "height": 1000}, "locale": "en-GB"}
        b_context = browser.new_context(**options, timezone_id="Asia/Jakarta")
        a_context = browser.new_context(**options, timezone_id="Asia/Seoul")
        b, a = b_context.new_page(), a_context.new_page()

        # B fills in her profile first, so that she is in the directory.
        b.goto(links["sari"])
        b.wait_for_url(f"{live_server.url}/meetings/profile/")
        fill_profile(b, side="project_owner", sectors=["Transport"], offer="Rail and port projects")
        assert "Your business profile is saved." in b.locator("main").inner_text()

        # A fills in his, finds B in the directory and asks to meet.
        a.goto(links["kim"])
        fill_profile(a, side="company", sectors=["Transport"], offer="Railway signalling")
        a.get_by_role("link", name="Recommended").click()
        assert (
            "Ministry of Transportation of Indonesia (sample)"
            in a.locator("#recommendations").inner_text()
        )
        assert "both in Transport" in a.locator("#recommendations").inner_text()
        a.get_by_role("link", name="Directory").click()
        if os.environ.get("MEETINGS_SCREENSHOT"):
            a.screenshot(path=SCREENSHOTS / "meetings-directory.png", full_page=False)
        a.fill("#id_q", "Wulandari")
        a.get_by_role("button", name="Filter").click()
        assert a.locator("#directory-count").inner_text() == "1 participant"
        a.get_by_role("link", name="View and ask to meet").click()
        a.get_by_label("Must meet").check()
        a.fill("#id_message", "We would like to discuss signalling for your rail projects.")
        a.get_by_role("button", name="Send the request").click()
        assert a.locator("#request-status").inner_text() == "Awaiting an answer"

        # B sees it, accepts and picks the first time both are free: 10:00 Seoul, 08:00 Jakarta.
        b.goto(f"{live_server.url}/meetings/requests/")
        b.get_by_role("link", name="From Kim Min-jun, Hanbit Engineering (sample)").click()
        first_time = "08:00–08:30 (10:00 their time)"  # under the day, which starts open
        b.get_by_label(first_time).first.check()
        b.get_by_role("button", name="Accept and book this time").click()
        assert "The meeting is booked." in b.locator("main").inner_text()
        assert b.locator("#request-status").inner_text() == "Booked"

        b.get_by_role("link", name="My meetings").click()
        b_line = b.locator("#upcoming-meetings").inner_text()
        a.goto(f"{live_server.url}/meetings/")
        a_line = a.locator("#upcoming-meetings").inner_text()
        if os.environ.get("MEETINGS_SCREENSHOT"):
            a.screenshot(path=SCREENSHOTS / "meetings.png", full_page=False)
        browser.close()

    date = monday.strftime("%A %-d %B %Y")
    short = monday.strftime("%a %-d %b")
    assert f"{date} 08:00–08:30 your time (Asia/Jakarta)" in b_line
    assert f"{short}, 10:00–10:30 for Kim Min-jun (Asia/Seoul)" in b_line
    assert f"{date} 10:00–10:30 your time (Asia/Seoul)" in a_line
    assert f"{short}, 08:00–08:30 for Sari Wulandari (Asia/Jakarta)" in a_line
    assert "Join the video call" in a_line
    request = MeetingRequest.objects.get()
    meeting = Meeting.objects.get()
    assert (request.sender, request.receiver, request.status) == (kim, sari, RequestStatus.BOOKED)
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.slot.starts_at.astimezone(SEOUL).time() == dt.time(10, 0)
