"""The back office's own pages under axe-core, in English and Korean (issue 17, point 12): the
dashboard, the export form, an import's form and preview, a bulk email and its sending page, the
scheduler's pages (start, runs, review, publish) and the meetings of a day."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from backoffice.models import BulkEmail
from forum.models import Edition
from meetings.choices import BookingMode
from meetings.models import MeetingSettings, ScheduleRun
from meetings.services.requests import accept_request, request_meeting
from meetings.services.schedule_runs import start_schedule_run
from registrations.models import Registration
from tests.e2e.test_accessibility import AXE, violations
from tests.e2e.test_registration_journey import launch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BAD_IMPORT = (
    "Name,Name in Latin letters,Email,Organisation,Organisation in English,Country\n"
    "김민준,Kim Min-jun,kim@hanbit.example,한빛엔지니어링,Hanbit Engineering,KR\n"
    "Someone,,not-an-email,X,,Atlantis\n"
)


@pytest.fixture
def back_office(transactional_db, tmp_path):
    """The demo, organiser-scheduled, with two accepted requests and a draft schedule run."""
    call_command("load_demo_forum")
    edition = Edition.objects.get(is_current=True)
    MeetingSettings.objects.filter(edition=edition).update(booking_mode=BookingMode.ORGANISER)
    people = {r.email.split("@")[0]: r for r in Registration.objects.filter(edition=edition)}
    for sender, receiver in [("sample.hanbit", "sample.dotr"), ("sample.saebit", "sample.esdm")]:
        request = request_meeting(sender=people[sender], receiver=people[receiver])
        accept_request(request=request, by=people[receiver])
    user = get_user_model().objects.create_superuser("axe-admin", "axe@example.org", "axe-pass")
    run = start_schedule_run(edition=edition, user=user, time_limit=5, in_background=False)
    bulk = BulkEmail.objects.create(
        edition=edition,
        subject_en="Programme update",
        body_en="Dear {name}, the programme has changed.",
        subject_ko="프로그램 변경",
        body_ko="{name}님, 프로그램이 바뀌었습니다.",
        created_by=user,
    )
    upload = tmp_path / "invitees.csv"
    upload.write_text(BAD_IMPORT, encoding="utf-8")
    return {
        "edition": edition,
        "run": ScheduleRun.objects.get(pk=run.pk),
        "bulk": bulk,
        "upload": upload,
    }


def pages(back_office) -> list[str]:
    run, bulk = back_office["run"], back_office["bulk"]
    return [
        "/admin/",
        "/admin/backoffice/dashboard/",
        "/admin/backoffice/export/",
        "/admin/registrations/invitee/import/",
        f"/admin/backoffice/bulkemail/{bulk.pk}/change/",
        f"/admin/backoffice/bulkemail/{bulk.pk}/send/",
        "/admin/meetings/schedulerun/add/",
        f"/admin/meetings/schedulerun/{run.pk}/change/",
        f"/admin/meetings/schedulerun/{run.pk}/publish/",
        "/admin/meetings/schedulerun/",
        "/admin/meetings/meeting/day/",
    ]


@pytest.mark.parametrize("locale", ["en-GB", "ko-KR"])
def test_the_back_offices_own_pages_have_no_serious_violation(back_office, live_server, locale):
    assert AXE.is_file(), "axe-core is missing: `make test` installs it (npm ci)"
    found = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(locale=locale).new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "axe-admin")
        page.fill("#id_password", "axe-pass")
        page.locator("input[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/admin/")
        for path in pages(back_office):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert page.locator("h1").count() >= 1, path
            assert page.locator("html").get_attribute("lang") == locale[:2], path
            found[path] = violations(page)
        # The import's preview, a bad row marked in the cell at fault.
        page.goto(f"{live_server.url}/admin/registrations/invitee/import/")
        page.select_option("#id_edition", str(back_office["edition"].pk))
        page.set_input_files("#id_import_file", str(back_office["upload"]))
        page.select_option("#id_format", label="csv")
        page.locator("#content form [type=submit]").first.click()
        page.wait_for_selector("#import-summary")
        found["import preview"] = violations(page)
        browser.close()
    assert found == {path: [] for path in found}
