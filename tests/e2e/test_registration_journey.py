"""A new attendee in Debian's Chromium registers, confirms by the emailed link, edits, cancels.

REGISTRATION_SCREENSHOT=1 also saves docs/screenshots/registration-form.png of the filled form.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from forum.models import Edition
from registrations.demo import load_demo_consents
from registrations.models import Registration

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "registration-form.png"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright):
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is required for browser tests (make test installs it)"
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


@pytest.fixture
def demo_forum(transactional_db):
    call_command("load_demo_forum")
    edition = Edition.objects.get(is_current=True)  # the rehearsal, ahead of today
    load_demo_consents(edition)
    return edition


def emailed_link(mailoutbox, live_server) -> str:
    path = re.search(r"http://localhost:8000(/\S+/)", mailoutbox[-1].body).group(1)
    return f"{live_server.url}{path}"


def test_register_confirm_edit_and_cancel(demo_forum, live_server, mailoutbox):
    # The database is read before and after Playwright's event loop runs, never inside it: ORM
    # calls made inside it would open a connection that nobody closes.
    opening = demo_forum.sessions.get(slug="opening").pk
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="en-GB")
        page.goto(f"{live_server.url}/register/")
        page.fill("#id_name", "Nguyen Thi Lan")
        page.fill("#id_email", "lan.nguyen@example.vn")
        page.fill("#id_organisation", "Ministry of Transport (sample)")
        page.fill("#id_job_title", "Deputy Director")
        page.select_option("#id_country", "VN")
        page.select_option("#id_category", "asean_government")
        page.select_option("#id_time_zone", "Asia/Ho_Chi_Minh")
        page.check(f"input[name=sessions][value='{opening}']")
        page.check("#id_wants_meetings")
        for kind in ("collection", "sharing", "transfer"):
            page.check(f"#id_consent_{kind}")
        if os.environ.get("REGISTRATION_SCREENSHOT"):
            page.screenshot(path=SCREENSHOT, full_page=True)
        page.get_by_role("button", name="Pre-register").click()

        assert page.locator("h1").inner_text() == "Check your inbox"
        assert [m.subject for m in mailoutbox] == [
            "Please confirm your email address — ASEAN Connectivity Forum — rehearsal (demo)"
        ]
        page.goto(emailed_link(mailoutbox, live_server))
        page.get_by_role("button", name="Confirm my email address").click()

        page.wait_for_url(f"{live_server.url}/register/manage/")
        assert page.locator("#registration-status").inner_text() == "Confirmed"
        assert "Opening ceremony" in page.locator("#my-sessions").inner_text()

        page.fill("#id_job_title", "Director General")
        page.get_by_role("button", name="Save my details").click()
        assert "Your details are saved." in page.locator("main").inner_text()
        assert page.locator("#id_job_title").input_value() == "Director General"

        page.get_by_role("link", name="Cancel my registration…").click()
        assert "Cancel my registration?" in page.locator("main").inner_text()
        page.get_by_role("button", name="Yes, cancel my registration").click()
        assert "Your registration is cancelled" in page.locator("h1").inner_text()
        browser.close()

    registration = Registration.objects.get(email="lan.nguyen@example.vn")
    assert (registration.job_title, registration.status) == ("Director General", "cancelled")
    assert registration.bookings.count() == 0
