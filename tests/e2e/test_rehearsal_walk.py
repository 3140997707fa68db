"""A newcomer's rehearsal on the demo as `make run` loads it (issue 17, "Done when"): a Korean
company in Seoul on the Korean pages and an ASEAN project owner in Jakarta register, confirm, see
the sample participants labelled in their own language with names they can read, ask and accept a
meeting and find it in their pages and calendars — without staff; then staff find the Korean
participant in the back office by the Latin name."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from meetings.choices import MeetingStatus
from meetings.models import Meeting
from tests.e2e.test_newcomer_walk import (
    accept_first_time,
    ask,
    meetings_seen,
    register_and_confirm,
)
from tests.e2e.test_registration_journey import launch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STAFF = ("demo-staff", "connectivity-2022")  # `load_demo_forum --with-staff`

HANEUL = {
    "prefix": "/ko",
    "zone": "Asia/Seoul",
    "name": "김하늘",
    "name_latin": "Kim Ha-neul",
    "organisation": "서울인프라",
    "organisation_en": "Seoul Infra",
    "email": "haneul@example.co.kr",
    "country": "KR",
    "category": "korean_company",
    "side": "company",
}
SARI = {
    "prefix": "",
    "zone": "Asia/Jakarta",
    "name": "Sari Wulandari",
    "organisation": "Ministry of Transportation of Indonesia",
    "email": "sari@example.go.id",
    "country": "ID",
    "category": "asean_government",
    "side": "project_owner",
}


@pytest.fixture
def rehearsal(transactional_db):
    call_command("load_demo_forum", with_staff=True)


def directory_cards(page, live_server, person) -> list[str]:
    page.goto(f"{live_server.url}{person['prefix']}/meetings/directory/")
    return [re.sub(r"\s+", " ", text) for text in page.locator("#directory h3").all_inner_texts()]


def test_a_newcomer_walks_the_rehearsal_in_both_languages(rehearsal, live_server, mailoutbox):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        pages = {}
        for who, person in (("haneul", HANEUL), ("sari", SARI)):
            context = browser.new_context(
                timezone_id=person["zone"], locale="ko-KR" if person["prefix"] else "en-GB"
            )
            pages[who] = context.new_page()
            register_and_confirm(pages[who], live_server, mailoutbox, person)
        korean_cards = directory_cards(pages["haneul"], live_server, HANEUL)
        english_cards = directory_cards(pages["sari"], live_server, SARI)
        ask(pages["haneul"], live_server, HANEUL, "Sari")
        accept_first_time(pages["sari"], live_server, SARI)
        seen = {
            who: meetings_seen(pages[who], live_server, p)
            for who, p in (("haneul", HANEUL), ("sari", SARI))
        }

        staff = browser.new_context(locale="en-GB").new_page()
        staff.goto(f"{live_server.url}/admin/login/")
        staff.fill("#id_username", STAFF[0])
        staff.fill("#id_password", STAFF[1])
        staff.locator("input[type=submit]").click()
        staff.wait_for_url(f"{live_server.url}/admin/")
        staff.goto(f"{live_server.url}/admin/registrations/registration/?q=Ha-neul")
        found = staff.locator("#result_list tbody tr").all_inner_texts()
        browser.close()

    # The samples, labelled in the reader's language, read in Latin letters beside Hangul.
    assert "예시: 한빛엔지니어링건설 (Hanbit Engineering & Construction)" in korean_cards
    assert "예시: Department of Transportation, Philippines" in korean_cards
    assert not any("Sample" in card for card in korean_cards)
    assert "Sample: 한빛엔지니어링건설 (Hanbit Engineering & Construction)" in english_cards
    assert not any("예시" in card for card in english_cards)
    # The meeting, booked without staff, in both pages and both calendars.
    assert Meeting.objects.filter(status=MeetingStatus.SCHEDULED).count() == 1
    haneul_list, haneul_calendar = seen["haneul"]
    assert "Sari Wulandari" in haneul_list and "Asia/Seoul" in haneul_list
    assert haneul_calendar.count("BEGIN:VEVENT") == 1
    sari_list, sari_calendar = seen["sari"]
    assert "김하늘 (Kim Ha-neul)" in sari_list and "서울인프라 (Seoul Infra)" in sari_list
    assert "Asia/Jakarta" in sari_list
    assert sari_calendar.count("BEGIN:VEVENT") == 1
    # Staff find her by the Latin name, the Latin name beside the Hangul.
    assert len(found) == 1 and "김하늘 (Kim Ha-neul)" in found[0]
