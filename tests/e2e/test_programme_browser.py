"""A visitor's browser (Debian's Chromium) picks up its own time zone on the programme page."""

import shutil

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def demo_forum(transactional_db):
    # Loaded before Playwright starts its event loop: ORM calls made inside that loop would use a
    # connection of their own that nobody closes.
    call_command("load_demo_forum")


@pytest.fixture
def chromium(demo_forum):
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is required for browser tests (make test installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_programme_shows_times_in_the_browsers_zone_and_remembers_a_choice(chromium, live_server):
    context = chromium.new_context(timezone_id="Asia/Bangkok", locale="en-GB")
    page = context.new_page()
    # The 9th forum, a past edition of the demo: its programme stays browsable.
    page.goto(f"{live_server.url}/editions/9/programme/")
    # The page learns the zone from the browser and reloads itself once.
    page.wait_for_selector(".local-time")
    first = page.locator(".local-time").first.inner_text()
    assert first == "Tue 18 Jan, 08:00–08:20 your time (Asia/Bangkok)"
    assert page.locator("#id_tz").input_value() == "Asia/Bangkok"

    page.select_option("#id_tz", "Asia/Manila")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"{live_server.url}/editions/9/programme/")
    assert page.locator(".local-time").first.inner_text() == (
        "Tue 18 Jan, 09:00–09:20 your time (Asia/Manila)"
    )
    page.goto(f"{live_server.url}/editions/9/programme/keynotes/")
    assert "10:20–11:00 KST" in page.locator("main").inner_text()
    assert "09:20–10:00 your time (Asia/Manila)" in page.locator("main").inner_text()
    context.close()


@pytest.mark.parametrize(
    ("browser_zone", "zone"),
    [("Asia/Saigon", "Asia/Ho_Chi_Minh"), ("Asia/Rangoon", "Asia/Yangon")],
)
def test_a_browser_reporting_a_legacy_zone_name_gets_that_zone_detected_and_preselected(
    chromium, live_server, browser_zone, zone
):
    context = chromium.new_context(timezone_id=browser_zone, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/register/")
    # The page reloads once it knows the browser's zone; the sessions then say "your time".
    page.get_by_text("your time (", exact=False).first.wait_for()
    assert page.locator("#id_time_zone").input_value() == zone
    assert f"your time ({zone})" in page.locator("main").inner_text()
    assert browser_zone not in page.locator("main").inner_text()
    context.close()
