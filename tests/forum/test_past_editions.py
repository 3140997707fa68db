"""The demo's two editions as visitors see them: the rehearsal ahead, the 9th forum past."""

import re

from registrations.models import Registration


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


TOOK_PLACE = (
    "This edition took place on 18–19 January 2022. Registration, meeting requests and "
    "bookings are closed."
)


def test_the_rehearsal_is_labelled_as_a_demo_and_open_for_registration(client, rehearsal):
    page = text(client.get("/"))
    assert "ASEAN Connectivity Forum — rehearsal (demo)" in page
    assert "Rehearsal with sample data: this edition is a demo, not a real forum." in page
    assert 'href="/register/">Pre-register</a>' in page
    assert "took place" not in page
    # Every page says it, the registration form too.
    assert "Rehearsal with sample data" in text(client.get("/register/"))
    assert 'name="email"' in text(client.get("/register/"))


def test_the_rehearsal_home_page_links_the_ninth_forum_as_a_past_edition(client, rehearsal):
    page = text(client.get("/"))
    assert (
        '<a href="/editions/9/programme/">9th ASEAN Connectivity Forum</a> '
        "(18–19 January 2022)" in page
    )
    programme = text(client.get("/editions/9/programme/"))
    assert "9th ASEAN Connectivity Forum" in programme
    assert TOOK_PLACE in programme
    assert "Tuesday 18 January 2022" in programme
    assert 'href="/editions/9/programme/keynotes/"' in programme
    assert "Keynotes: connectivity projects during the pandemic" in text(
        client.get("/editions/9/programme/keynotes/")
    )
    assert client.get("/editions/99/programme/").status_code == 404


def test_a_past_edition_left_current_says_it_took_place_and_takes_no_registration(
    client, demo_forum
):
    page = text(client.get("/"))
    assert TOOK_PLACE in page
    assert "Pre-register" not in page
    closed = text(client.get("/register/"))
    assert "Registration is closed" in closed
    assert TOOK_PLACE in closed
    response = client.post("/register/", {"email": "late@example.org", "name": "Late"})
    assert "Registration is closed" in text(response)
    assert not Registration.objects.filter(email="late@example.org").exists()


def test_the_korean_pages_say_it_too(client, demo_forum):
    page = text(client.get("/ko/"))
    assert "이 회차는 2022년 1월 18일~19일에 열렸습니다." in page


def test_the_korean_rehearsal_notice(client, rehearsal):
    page = text(client.get("/ko/"))
    assert (
        'id="rehearsal-notice">예시 데이터로 꾸민 리허설: 이 회차는 실제 포럼이 아닌 데모입니다.'
        in page
    )
