"""What people type can't break the page for others, and the Korean language switch stays on one
line (issue 17, point 9), measured in Debian's Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import sync_playwright

from meetings.choices import BookingMode, ProfileSide
from tests.e2e.test_meeting_forms import enter
from tests.e2e.test_registration_journey import launch
from tests.factories import (
    BusinessProfileFactory,
    EditionFactory,
    MeetingSettingsFactory,
    RegistrationSettingsFactory,
    consent_texts_for,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_NAME = "Wolfeschlegelsteinhausenbergerdorff" * 4  # 140 letters (the field holds 150)
RLO = "\u202e"


@pytest.fixture
def directory(transactional_db):
    """A viewer, a participant with a very long unbroken name and one whose job title holds a
    right-to-left override (the kind of thing pasted from elsewhere, or typed to cause harm)."""
    edition = EditionFactory()
    MeetingSettingsFactory(edition=edition, booking_mode=BookingMode.SELF_BOOKING)
    viewer = BusinessProfileFactory(registration__edition=edition).registration
    BusinessProfileFactory(
        registration__edition=edition,
        registration__name=LONG_NAME,
        registration__organisation="Hanbit Engineering",
    )
    trick = BusinessProfileFactory(
        registration__edition=edition,
        registration__name="Nguyen Thi Lan",
        registration__job_title=f"Director{RLO} of Planning",
        registration__organisation="Ministry of Transport of Viet Nam",
        registration__country="VN",
        side=ProfileSide.PROJECT_OWNER,
    )
    return viewer, trick


def test_a_long_unbroken_name_does_not_widen_the_directory(directory, live_server):
    viewer, _ = directory
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for width in (1200, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            enter(page, live_server, viewer, "/meetings/directory/")
            assert LONG_NAME in page.locator("#directory").inner_text()
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow == 0, width
            entry_right = page.evaluate(
                """() => [...document.querySelectorAll('.directory-entry')].map(entry => {
                    const box = entry.getBoundingClientRect();
                    const widest = Math.max(...[...entry.querySelectorAll('bdi')]
                        .map(text => text.getBoundingClientRect().right));
                    return widest <= box.right;
                })"""
            )
            assert entry_right == [True, True], width
            page.close()
        browser.close()


def test_a_right_to_left_override_in_a_job_title_stays_inside_it(directory, live_server):
    viewer, trick = directory
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        for path in ("/meetings/directory/", f"/meetings/directory/{trick.pk}/"):
            enter(page, live_server, viewer, path)
            line = page.locator("p", has_text="Nguyen Thi Lan").first
            # Where each piece after the title is drawn: left to right, in the order written.
            lefts = line.evaluate(
                """(line) => {
                    const text = line.textContent;
                    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
                    const where = (word) => {
                        walker.currentNode = line;
                        let node;
                        while ((node = walker.nextNode())) {
                            const at = node.data.indexOf(word);
                            if (at >= 0) {
                                const range = document.createRange();
                                range.setStart(node, at);
                                range.setEnd(node, at + word.length);
                                return range.getBoundingClientRect().left;
                            }
                        }
                        return null;
                    };
                    return ["Nguyen", "Director", "Viet", "Project owner"].map(where);
                }"""
            )
            assert None not in lefts, path
            assert lefts == sorted(lefts), path
        browser.close()


def test_the_korean_language_switch_stays_on_one_line(transactional_db, live_server):
    EditionFactory()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for width in (992, 1100, 1280):
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto(f"{live_server.url}/ko/")
            button = page.get_by_role("button", name="변경")
            lines = button.evaluate(
                """(button) => {
                    const range = document.createRange();
                    range.selectNodeContents(button);
                    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
                }"""
            )
            assert lines == 1, width
            page.close()
        browser.close()


def test_the_latin_name_fields_appear_once_a_name_is_in_another_script(
    transactional_db, live_server
):
    edition = EditionFactory(
        registration_opens=timezone.now() - dt.timedelta(days=1),
        registration_closes=timezone.now() + dt.timedelta(days=30),
    )
    RegistrationSettingsFactory(edition=edition)
    consent_texts_for(edition)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(f"{live_server.url}/register/")
        latin, english = page.locator("#id_name_latin"), page.locator("#id_organisation_en")
        page.fill("#id_name", "Nguyễn Thị Lan")
        page.fill("#id_organisation", "Bộ Giao thông Vận tải")
        assert (latin.is_visible(), english.is_visible()) == (False, False)
        page.fill("#id_name", "김민준")
        assert (latin.is_visible(), english.is_visible()) == (True, False)
        assert latin.get_attribute("aria-required") == "true"
        page.fill("#id_organisation", "한빛엔지니어링")
        assert english.is_visible()
        browser.close()
