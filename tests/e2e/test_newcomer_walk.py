"""The walk of issue 17's "Done when", in Debian's Chromium: three participants in three zones —
Kim in Seoul on the Korean pages, Lan whose browser reports the legacy zone name Asia/Saigon, Sari
in Jakarta — register, confirm, fill their profiles; Kim asks Lan, Lan accepts and picks a time;
Sari asks Kim, Kim accepts in Korean; each sees the meeting in their pages and their calendar."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import sync_playwright

from meetings.choices import BookingMode, MeetingStatus
from meetings.models import Meeting
from registrations.models import Registration
from tests.e2e.test_registration_journey import emailed_link, launch
from tests.factories import (
    SEOUL,
    EditionFactory,
    MeetingSettingsFactory,
    MeetingSlotFactory,
    RegistrationSettingsFactory,
    SectorFactory,
    consent_texts_for,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PEOPLE = {
    "kim": {
        "prefix": "/ko",
        "zone": "Asia/Seoul",
        "name": "김민준",
        "name_latin": "Kim Min-jun",
        "organisation": "한빛엔지니어링",
        "organisation_en": "Hanbit Engineering",
        "email": "minjun.kim@example.co.kr",
        "country": "KR",
        "category": "korean_company",
        "side": "company",
    },
    "lan": {
        "prefix": "",
        "zone": "Asia/Saigon",  # what Chromium reports for Viet Nam
        "name": "Nguyen Thi Lan",
        "organisation": "Ministry of Transport of Viet Nam",
        "email": "lan.nguyen@example.vn",
        "country": "VN",
        "category": "asean_government",
        "side": "project_owner",
    },
    "sari": {
        "prefix": "",
        "zone": "Asia/Jakarta",
        "name": "Sari Wulandari",
        "organisation": "Ministry of Transportation of Indonesia",
        "email": "sari@example.go.id",
        "country": "ID",
        "category": "asean_government",
        "side": "project_owner",
    },
}


@pytest.fixture
def forum(transactional_db):
    edition = EditionFactory(
        registration_opens=timezone.now() - dt.timedelta(days=1),
        registration_closes=timezone.now() + dt.timedelta(days=30),
    )
    RegistrationSettingsFactory(edition=edition)
    consent_texts_for(edition)
    MeetingSettingsFactory(edition=edition, booking_mode=BookingMode.SELF_BOOKING, rooms=4)
    # A week ahead at 11:00-13:00 in Seoul (09:00-11:00 in Ho Chi Minh City and Jakarta), not at
    # the hour the test happens to run: a slot outside 08:00-19:00 in a participant's own zone
    # starts unavailable for them, so a run between 10:00 and 24:00 UTC left Kim no slot at all.
    day = timezone.localdate(timezone=SEOUL) + dt.timedelta(days=7)
    start = dt.datetime.combine(day, dt.time(11, 0), tzinfo=SEOUL)
    for n in range(4):
        MeetingSlotFactory(edition=edition, starts_at=start + dt.timedelta(minutes=30 * n), rooms=4)
    SectorFactory(slug="transport", name="Transport", name_ko="교통")
    return edition


def register_and_confirm(page, live_server, mailoutbox, person) -> None:
    base = f"{live_server.url}{person['prefix']}"
    page.goto(f"{base}/register/")
    # timezone.js stores the browser's zone in a cookie and reloads the page once: wait for it.
    page.wait_for_function("() => document.cookie.includes('visitor_tz')")
    page.goto(f"{base}/register/")
    for field in ("name", "name_latin", "email", "organisation", "organisation_en"):
        if field in person:
            page.fill(f"#id_{field}", person[field])
    page.fill("#id_job_title", "Director")
    page.select_option("#id_country", person["country"])
    page.select_option("#id_category", person["category"])
    page.check("#id_wants_meetings")
    for kind in ("collection", "sharing", "transfer"):
        page.check(f"#id_consent_{kind}")
    page.locator("#registration-form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/register/thanks/$"))
    page.goto(emailed_link(mailoutbox, live_server))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/register/manage/$"))
    page.goto(f"{base}/meetings/")
    page.wait_for_url(re.compile(r".*/meetings/profile/$"))
    page.select_option("#id_side", person["side"])
    page.locator("input[name=sectors]").first.check()
    page.fill("#id_offer", "Rail and ports")
    page.check("#id_listed")
    page.locator("#profile-form [type=submit]").click()


def ask(page, live_server, person, whom: str) -> None:
    page.goto(f"{live_server.url}{person['prefix']}/meetings/directory/?q={whom}")
    page.locator("#directory a.btn").first.click()
    page.fill("#id_message", "Let us talk about rail links.")
    page.locator("#request-form [type=submit]").click()
    page.wait_for_url(re.compile(r".*/meetings/requests/\d+/$"))


def accept_first_time(page, live_server, person) -> None:
    page.goto(f"{live_server.url}{person['prefix']}/meetings/requests/")
    page.locator("#received-requests a").first.click()
    page.locator("details.slot-day[open] input[type=radio]").first.check()
    page.locator("#accept-form [type=submit]").click()
    page.wait_for_selector("#booked-meeting")


def meetings_seen(page, live_server, person) -> tuple[str, str]:
    page.goto(f"{live_server.url}{person['prefix']}/meetings/")
    listed = page.locator("#upcoming-meetings").inner_text()
    feed = page.input_value("#feed-url")
    calendar = page.request.get(feed).text()
    return listed, calendar


def test_three_participants_in_three_zones_register_and_meet(forum, live_server, mailoutbox):
    seen = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        pages = {}
        for who, person in PEOPLE.items():
            context = browser.new_context(
                timezone_id=person["zone"], locale="ko-KR" if person["prefix"] else "en-GB"
            )
            pages[who] = context.new_page()
            register_and_confirm(pages[who], live_server, mailoutbox, person)
        ask(pages["kim"], live_server, PEOPLE["kim"], "Nguyen")
        accept_first_time(pages["lan"], live_server, PEOPLE["lan"])
        ask(pages["sari"], live_server, PEOPLE["sari"], "Hanbit")
        accept_first_time(pages["kim"], live_server, PEOPLE["kim"])
        for who in PEOPLE:
            seen[who] = meetings_seen(pages[who], live_server, PEOPLE[who])
        browser.close()

    zones = dict(Registration.objects.values_list("email", "time_zone"))
    assert zones == {
        "minjun.kim@example.co.kr": "Asia/Seoul",
        "lan.nguyen@example.vn": "Asia/Ho_Chi_Minh",  # the legacy name read as the canonical one
        "sari@example.go.id": "Asia/Jakarta",
    }
    assert Meeting.objects.filter(status=MeetingStatus.SCHEDULED).count() == 2
    kim_list, kim_calendar = seen["kim"]
    assert "Nguyen Thi Lan" in kim_list and "Sari Wulandari" in kim_list
    assert "Asia/Seoul" in kim_list
    assert kim_calendar.count("BEGIN:VEVENT") == 2
    lan_list, lan_calendar = seen["lan"]
    assert "김민준 (Kim Min-jun)" in lan_list and "Asia/Ho_Chi_Minh" in lan_list
    assert lan_calendar.count("BEGIN:VEVENT") == 1
    sari_list, sari_calendar = seen["sari"]
    assert "한빛엔지니어링 (Hanbit Engineering)" in sari_list
    assert sari_calendar.count("BEGIN:VEVENT") == 1
