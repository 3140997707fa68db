"""The business-meeting area under axe-core in both languages, and a meeting requested and
accepted with the keyboard alone (issue 17, point 12)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import sync_playwright

from meetings.choices import BookingMode, MeetingStatus, ProfileSide
from meetings.models import Meeting, MeetingRequest
from meetings.services.requests import accept_request, request_meeting
from tests.e2e.test_accessibility import AXE, violations
from tests.e2e.test_meeting_forms import enter
from tests.e2e.test_registration_journey import launch
from tests.factories import (
    SEOUL,
    BusinessProfileFactory,
    EditionFactory,
    MeetingSettingsFactory,
    MeetingSlotFactory,
    SectorFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meetings_area(transactional_db):
    """Three participants a week ahead: Kim (Seoul) has a meeting booked with Lan (Ho Chi Minh
    City) and a request waiting from Sari (Jakarta)."""
    edition = EditionFactory()
    MeetingSettingsFactory(edition=edition, booking_mode=BookingMode.SELF_BOOKING)
    # A week ahead at 11:00 in Seoul (09:00 in Ho Chi Minh City, 09:00 in Jakarta), not at the hour
    # the test runs: a slot outside 08:00-19:00 in a participant's own zone starts unavailable.
    day = timezone.localdate(timezone=SEOUL) + dt.timedelta(days=7)
    start = dt.datetime.combine(day, dt.time(11, 0), tzinfo=SEOUL)
    slots = [
        MeetingSlotFactory(edition=edition, starts_at=start + dt.timedelta(minutes=30 * n))
        for n in range(6)
    ]
    transport = SectorFactory(slug="transport", name="Transport", name_ko="교통")

    def person(name, organisation, zone, side, country="KR"):
        profile = BusinessProfileFactory(
            registration__edition=edition,
            registration__name=name,
            registration__organisation=organisation,
            registration__time_zone=zone,
            registration__country=country,
            side=side,
            offer="Rail signalling and port logistics",
        )
        profile.sectors.set([transport])
        return profile.registration

    kim = person("Kim Min-jun", "Hanbit Engineering", "Asia/Seoul", ProfileSide.COMPANY)
    lan = person(
        "Nguyen Thi Lan",
        "Ministry of Transport of Viet Nam",
        "Asia/Ho_Chi_Minh",
        ProfileSide.PROJECT_OWNER,
        "VN",
    )
    sari = person(
        "Sari Wulandari",
        "Ministry of Transportation of Indonesia",
        "Asia/Jakarta",
        ProfileSide.PROJECT_OWNER,
        "ID",
    )
    tan = person(
        "Tan Wei Ming", "Port of Singapore Partners", "Asia/Singapore", ProfileSide.COMPANY, "SG"
    )
    booked = accept_request(
        request=request_meeting(sender=kim, receiver=lan), by=lan, slot=slots[0]
    )
    waiting = request_meeting(sender=sari, receiver=kim, message="Let us talk about ports.")
    return {
        "kim": kim,
        "lan": lan,
        "sari": sari,
        "tan": tan,
        "meeting": booked.meetings.get(),
        "waiting": waiting,
    }


def area_pages(area) -> list[str]:
    lan_profile = area["lan"].business_profile.pk
    tan_profile = area["tan"].business_profile.pk
    return [
        "/meetings/",
        "/meetings/profile/",
        "/meetings/availability/",
        "/meetings/directory/",
        f"/meetings/directory/{tan_profile}/",  # the request form
        f"/meetings/directory/{lan_profile}/",  # an open request already
        "/meetings/recommended/",
        "/meetings/requests/",
        f"/meetings/requests/{area['waiting'].pk}/",  # accept: times by day
        f"/meetings/meeting/{area['meeting'].pk}/",  # move and cancel
    ]


@pytest.mark.parametrize("prefix", ["", "/ko"])
def test_the_meetings_area_has_no_serious_violation(meetings_area, live_server, prefix):
    assert AXE.is_file(), "axe-core is missing: `make test` installs it (npm ci)"
    found = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        enter(page, live_server, meetings_area["kim"], "/meetings/")
        for path in area_pages(meetings_area):
            page.goto(f"{live_server.url}{prefix}{path}")
            assert page.locator("h1").count() == 1, path
            found[path] = violations(page)
        # A refused request form, its errors shown.
        page.goto(
            f"{live_server.url}{prefix}/meetings/directory/"
            f"{meetings_area['tan'].business_profile.pk}/"
        )
        page.fill("#id_message", "x" * 2100)
        page.locator("#request-form [type=submit]").click()
        page.wait_for_selector(".invalid-feedback")
        found["request form with errors"] = violations(page)
        browser.close()
    assert found == {path: [] for path in found}


def tab_to(page, name: str, *, limit: int = 80) -> None:
    """Presses Tab until the focused element's accessible text matches `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const label = el.labels && el.labels[0] ? el.labels[0].innerText : "";
                return (el.getAttribute("aria-label") || label || el.innerText || el.value || "")
                    .replace(/\\s+/g, " ").trim();
            }"""
        )
        if re.search(name, focused):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_meeting_is_requested_and_accepted_with_the_keyboard_alone(meetings_area, live_server):
    lan, sari = meetings_area["lan"], meetings_area["sari"]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        asker = browser.new_page()
        enter(asker, live_server, lan, "/meetings/directory/")
        # From the directory to Sari's profile, the request form, and sent: Tab, Enter, typing.
        tab_to(asker, r"^View and ask to meet$")  # the first entry is Kim (already met)…
        tab_to(asker, r"^View and ask to meet$")  # …the second Sari
        asker.keyboard.press("Enter")
        asker.wait_for_url(re.compile(rf".*/meetings/directory/{sari.business_profile.pk}/$"))
        tab_to(asker, r"^Must meet$")
        asker.keyboard.press("ArrowDown")  # the radio group: "Would like to meet"
        tab_to(asker, r"^Message")  # the message box
        asker.keyboard.type("We would like to discuss your port projects.")
        tab_to(asker, r"^Send the request$")
        asker.keyboard.press("Enter")
        asker.wait_for_url(re.compile(r".*/meetings/requests/\d+/$"))
        assert asker.locator("#request-status").inner_text() == "Awaiting an answer"

        request_pk = int(asker.url.rstrip("/").rsplit("/", 1)[1])
        answerer = browser.new_page()
        enter(answerer, live_server, sari, "/meetings/requests/")
        tab_to(answerer, r"^From Nguyen Thi Lan")
        answerer.keyboard.press("Enter")
        answerer.wait_for_url(re.compile(rf".*/meetings/requests/{request_pk}/$"))
        tab_to(answerer, r"their time\)$")  # the first time of the first (open) day
        answerer.keyboard.press("Space")
        tab_to(answerer, r"^Accept and book this time$")
        answerer.keyboard.press("Enter")
        answerer.wait_for_selector("text=The meeting is booked.")
        browser.close()
    request = MeetingRequest.objects.get(sender=lan, receiver=sari)
    assert request.pk == request_pk
    assert request.priority == "would_like"
    assert request.message == "We would like to discuss your port projects."
    meeting = Meeting.objects.get(request=request)
    assert meeting.status == MeetingStatus.SCHEDULED
