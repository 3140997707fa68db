"""Names across scripts (issue 17, point 7): a name or organisation in another script asks for
its Latin-letter companion, and counterparts see both."""

import html
import re

import pytest

from common.scripts import written_in_latin
from registrations.models import Registration
from registrations.services.registrations import confirm_registration, register_attendee
from registrations.tokens import MANAGE, make_token
from tests.registrations.data import form_data, service_data

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"</?bdi>", "", response.content.decode())))


@pytest.mark.parametrize(
    ("value", "latin"),
    [
        ("Kim Min-jun", True),
        ("Nguyễn Thị Lan", True),  # accented Latin letters
        ("Đặng Văn Hải, Jr. (2)", True),
        ("", True),
        ("김민준", False),
        ("Kim 민준", False),
        ("สมชาย ใจดี", False),  # Thai
        ("အောင်ကျော်", False),  # Burmese
        ("ហ៊ុន", False),  # Khmer
        ("株式会社", False),
    ],
)
def test_which_names_are_written_in_latin_letters(value, latin):
    assert written_in_latin(value) is latin


def test_a_name_in_hangul_asks_for_it_in_latin_letters_and_keeps_what_was_typed(
    client, open_edition
):
    response = client.post(
        "/register/", form_data(name="김민준", organisation="한빛엔지니어링", name_latin="")
    )
    page = text(response)
    assert response.status_code == 200
    assert (
        "Your name is not in Latin letters: write it in Latin letters too, so that "
        "counterparts who don't read its script can read it." in page
    )
    assert "Your organisation's name is not in Latin letters: give its English name too." in page
    assert 'value="김민준"' in page and 'value="한빛엔지니어링"' in page
    assert Registration.objects.count() == 0


def test_with_both_names_the_registration_stores_both(client, open_edition):
    response = client.post(
        "/register/",
        form_data(
            name="김민준",
            name_latin="Kim Min-jun",
            organisation="한빛엔지니어링",
            organisation_en="Hanbit Engineering",
        ),
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.name, registration.name_latin) == ("김민준", "Kim Min-jun")
    assert (registration.organisation, registration.organisation_en) == (
        "한빛엔지니어링",
        "Hanbit Engineering",
    )
    assert registration.name_both == "김민준 (Kim Min-jun)"
    assert registration.organisation_both == "한빛엔지니어링 (Hanbit Engineering)"


def test_the_latin_field_takes_only_latin_letters(client, open_edition):
    response = client.post(
        "/register/",
        form_data(name="김민준", name_latin="김민준", organisation_en="Hanbit Engineering"),
    )
    assert "Use Latin letters here (A to Z, accents allowed)." in text(response)
    assert Registration.objects.count() == 0


def test_a_latin_name_needs_no_companion_and_a_leftover_one_is_dropped(client, open_edition):
    client.post("/register/", form_data(name="Park Ji-won", name_latin="Something else"))
    registration = Registration.objects.get()
    assert (registration.name, registration.name_latin) == ("Park Ji-won", "")
    assert registration.name_both == "Park Ji-won"


def test_the_companion_fields_say_when_they_are_needed_and_wait_for_the_script(
    client, open_edition
):
    page = text(client.get("/register/"))
    assert "Your name in Latin letters" in page and "Organisation in English" in page
    assert "Only if your name above is in another script" in page
    assert re.search(r'<input type="text" name="name_latin"[^>]*data-latin-for="name"', page)
    assert re.search(r'<input type="text" name="name"[^>]*dir="auto"', page)


def test_the_manage_page_asks_the_same(client, open_edition):
    registration = confirm_registration(
        registration=register_attendee(edition=open_edition, data=service_data())
    )
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    response = client.post("/register/manage/", form_data(name="박지원"))
    assert "Your name is not in Latin letters" in text(response)
    client.post("/register/manage/", form_data(name="박지원", name_latin="Park Ji-won"))
    registration.refresh_from_db()
    assert (registration.name, registration.name_latin) == ("박지원", "Park Ji-won")


def test_korean_pages_ask_in_korean(client, open_edition):
    response = client.post("/ko/register/", form_data(name="김민준"))
    assert "이름이 로마자가 아닙니다" in text(response)
