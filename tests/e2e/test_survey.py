"""The after-forum survey in Debian's Chromium, in English and Korean: the attendee opens the
personal link from the after-forum email, answers a rating, a choice and a text, is thanked,
and finds the survey answered when they come back.

The database is read before and after Playwright's event loop runs, never inside it.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import sync_playwright

from registrations.models import SurveyQuestion, SurveyResponse
from registrations.services.reminders import send_after_forum_email
from tests.e2e.test_registration_journey import launch
from tests.factories import EditionFactory, RegistrationSettingsFactory, consent_texts_for
from tests.registrations.test_online import _attendee, _session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "question": "How useful was the forum?",
        "choice": "A colleague",
        "thanks": "Thank you: your answers are recorded.",
        "answered": "You have already answered the survey. Thank you.",
    },
    "ko": {
        "question": "포럼은 얼마나 유익했습니까?",
        "choice": "동료",
        "thanks": "감사합니다. 응답이 기록되었습니다.",
        "answered": "이미 설문에 응답하셨습니다. 감사합니다.",
    },
}


@pytest.fixture
def edition(transactional_db):
    edition = EditionFactory()
    RegistrationSettingsFactory(edition=edition)
    consent_texts_for(edition)
    SurveyQuestion.objects.create(
        edition=edition,
        position=1,
        kind="rating",
        text_en="How useful was the forum?",
        text_ko="포럼은 얼마나 유익했습니까?",
        required=True,
    )
    SurveyQuestion.objects.create(
        edition=edition,
        position=2,
        kind="choice",
        text_en="How did you hear of it?",
        text_ko="포럼을 어떻게 아셨습니까?",
        choices_en="An email\nA colleague",
        choices_ko="이메일\n동료",
    )
    SurveyQuestion.objects.create(
        edition=edition, position=3, kind="text", text_en="What should change?"
    )
    return edition


@pytest.mark.parametrize("language", ["en", "ko"])
def test_an_attendee_answers_the_survey_from_the_email(
    edition, live_server, mailoutbox, django_capture_on_commit_callbacks, language
):
    past = _session(edition, starts_in=-dt.timedelta(hours=3))
    attendee = _attendee(edition, [past], email="siti@example.id", language=language)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_after_forum_email(edition=edition)
    path = re.search(r"http://localhost:8000(/\S*register/survey/\S+/)", mailoutbox[-1].body)
    words = WORDS[language]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(locale="ko-KR" if language == "ko" else "en-GB").new_page()
        page.goto(f"{live_server.url}{path.group(1)}")
        form_text = page.locator("#survey-form").inner_text()
        page.locator("#survey-form input[type=radio][value='5']").first.check()
        page.get_by_label(words["choice"]).check()
        page.locator("#survey-form textarea").fill("More business meetings")
        page.locator("#survey-form [type=submit]").click()
        page.wait_for_load_state()
        thanks = page.locator("main").inner_text()
        page.reload()
        again = page.locator("main").inner_text()
        browser.close()

    assert words["question"] in form_text
    assert words["thanks"] in thanks
    assert words["answered"] in again
    response = SurveyResponse.objects.get()
    assert response.registration == attendee
    assert [answer.display for answer in response.answers.all()] == [
        "5/5",
        "A colleague",
        "More business meetings",
    ]
