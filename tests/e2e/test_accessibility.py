"""axe-core in Debian's Chromium on every public page, the registration journey and /ko/:
no critical or serious violation; keyboard focus visible on checkboxes and selects.

axe-core comes from npm (package.json, pinned in package-lock.json; `make test` installs it into
node_modules/). It is evaluated through the DevTools protocol, which the page's content security
policy doesn't apply to, so the page's own policy stays on for everything else.
"""

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.e2e.test_programme_browser import CHROMIUM_ARGS
from tests.e2e.test_registration_journey import emailed_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"critical", "serious"}
PUBLIC_PAGES = [
    "/",
    "/programme/",
    "/programme/keynotes/",
    "/speakers/",
    "/projects/",
    "/register/",
    "/register/link/",
    "/ko/",
    "/ko/programme/",
    "/ko/programme/keynotes/",
    "/ko/speakers/",
    "/ko/projects/",
    "/ko/register/",
]


@pytest.fixture
def demo_forum(transactional_db):
    call_command("load_demo_forum")
    from forum.models import Edition

    # The rehearsal is current and open, so the form (not the "closed" page) is checked.
    assert Edition.objects.get(is_current=True).registration_is_open()


@pytest.fixture
def browser(demo_forum):
    assert AXE.is_file(), "axe-core is missing: `make test` installs it (npm ci)"
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is required for browser tests (make test installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def violations(page) -> list[tuple[str, str, list[str]]]:
    """(rule, impact, first offending elements) of every critical or serious violation."""
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                            "best-practice"]}
        })"""
    )
    return [
        (v["id"], v["impact"], [node["target"][0] for node in v["nodes"][:3]])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def test_every_public_page_has_no_serious_violation(browser, live_server):
    page = browser.new_page()
    found = {}
    for path in PUBLIC_PAGES:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() >= 1, path
        found[path] = violations(page)
    assert found == {path: [] for path in PUBLIC_PAGES}


def test_the_registration_journey_has_no_serious_violation(browser, live_server, mailoutbox):
    page = browser.new_page()
    page.goto(f"{live_server.url}/register/")
    assert violations(page) == []  # the empty form

    page.get_by_role("button", name="Pre-register").click()
    page.wait_for_selector(".invalid-feedback, #error-summary")
    assert violations(page) == []  # a failed submit, errors shown

    page.fill("#id_name", "Siti Rahma")
    page.fill("#id_email", "siti.rahma@example.go.id")
    page.fill("#id_organisation", "Ministry of Public Works")
    page.fill("#id_job_title", "Director")
    page.select_option("#id_country", "ID")
    page.select_option("#id_category", "asean_government")
    page.check("#id_consent_collection")
    page.check("#id_consent_transfer")
    page.get_by_role("button", name="Pre-register").click()
    page.wait_for_url(re.compile(r".*/register/thanks/$"))
    assert violations(page) == []

    page.goto(emailed_link(mailoutbox, live_server))
    assert violations(page) == []  # the confirmation page
    page.get_by_role("button", name="Confirm my email address").click()
    page.wait_for_url(re.compile(r".*/register/manage/$"))
    assert violations(page) == []  # the manage page
    page.goto(f"{live_server.url}/register/manage/cancel/")
    assert violations(page) == []


def test_keyboard_focus_is_visible_on_checkboxes_and_selects(browser, live_server):
    page = browser.new_page()
    page.goto(f"{live_server.url}/register/")
    for selector in ("#id_country", "#id_consent_collection"):
        page.focus(selector)
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
        outline = page.eval_on_selector(
            selector,
            "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }",
        )
        assert outline == ["solid", "3px"], selector
