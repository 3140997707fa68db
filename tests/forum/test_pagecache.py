"""The public pages' HTML cache: what differs per visitor stays theirs, changes show at once."""

import datetime as dt
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.middleware import VISITOR_TZ_COOKIE
from forum.models import Edition, Sector, Session
from forum.selectors import forget_kept_editions
from tests.factories import EditionFactory, SessionFactory, consent_texts_for
from tests.forum.test_views import text_of

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def tokens(response) -> set[str]:
    return set(TOKEN.findall(response.text))


def queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("url", ["/", "/programme/", "/ko/programme/"])
def test_a_second_visitor_gets_the_same_page_with_their_own_token(demo_forum, url):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    built, page = queries(first, url)
    served, cached = queries(second, url)

    assert served == 1 < built  # the edition row: the page itself comes from the cache
    assert TOKEN.sub("", cached.text) == TOKEN.sub("", page.text)
    assert len(tokens(page)) == len(tokens(cached)) == 1
    assert tokens(page) != tokens(cached)
    # Each visitor's token works with their own cookie, as a browser would post it.
    for client, response in ((first, page), (second, cached)):
        (token,) = tokens(response)
        answer = client.post("/timezone/", {"csrfmiddlewaretoken": token, "tz": "Asia/Bangkok"})
        assert answer.status_code == 302


def test_visitors_in_other_time_zones_see_their_own_times(client, demo_forum):
    client.get("/programme/")
    client.cookies[VISITOR_TZ_COOKIE] = "Asia/Jakarta"
    jakarta = text_of(client.get("/programme/"))
    client.cookies[VISITOR_TZ_COOKIE] = "Asia/Yangon"
    yangon = text_of(client.get("/programme/"))

    assert "Tue 18 Jan, 08:00–08:20 your time (Asia/Jakarta)" in jakarta
    assert "Tue 18 Jan, 07:30–07:50 your time (Asia/Yangon)" in yangon
    assert "your time (Asia/Jakarta)" not in yangon


def programme_item(client, title: str) -> str:
    page = client.get("/programme/").text
    return text_of_html(
        re.search(rf"<li class=\"row[^>]*>(?:(?!</li>).)*{title}.*?</li>", page, re.S)
    )


def text_of_html(match) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def test_a_change_by_staff_shows_on_the_next_view(client, demo_forum):
    client.get("/programme/")
    client.get("/")
    session = Session.objects.get(edition=demo_forum, slug="keynotes")
    session.title = "Keynotes, renamed by staff"
    session.save()
    assert "Energy" not in programme_item(client, "Keynotes, renamed by staff")

    session.sectors.add(Sector.objects.get(slug="energy"))  # a many-to-many change
    assert "Energy" in programme_item(client, "Keynotes, renamed by staff")

    demo_forum.theme = "Connectivity after the pandemic"
    demo_forum.save()
    assert "Connectivity after the pandemic" in text_of(client.get("/"))


def test_a_new_current_edition_replaces_the_old_page(client, demo_forum):
    assert "9th ASEAN Connectivity Forum" in text_of(client.get("/"))
    Edition.objects.filter(pk=demo_forum.pk).update(is_current=False)
    EditionFactory(title="10th ASEAN Connectivity Forum", is_current=True)
    assert "10th ASEAN Connectivity Forum" in text_of(client.get("/"))


def test_a_visitor_with_a_message_or_a_session_gets_a_page_built_for_them(client, demo_forum):
    client.get("/")
    storage = CookieStorage(None)
    client.cookies[CookieStorage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Your registration is cancelled and your seats released.")]
    )
    assert "Your registration is cancelled" in text_of(client.get("/"))

    client.cookies.pop(CookieStorage.cookie_name, None)
    client.cookies["sessionid"] = "not-a-session"
    forget_kept_editions()  # a page built anew reads the footer's rows, unless a view kept them
    built, _page = queries(client, "/")
    assert built > 1


def test_programme_filters_are_cached_apart(client, demo_forum):
    all_sessions = text_of(client.get("/programme/"))
    panels = text_of(client.get("/programme/?kind=panel"))
    assert "Opening ceremony" in all_sessions
    assert "Opening ceremony" not in panels
    assert "Opening ceremony" in text_of(client.get("/programme/"))


def test_within_the_check_interval_a_page_needs_no_query(client, demo_forum, settings):
    settings.PAGE_CACHE_CHECK_SECONDS = 60
    client.get("/")
    served, _page = queries(client, "/")
    assert served == 0
    # A change made in this process is seen at once; other processes see it within a minute.
    session = Session.objects.get(edition=demo_forum, slug="opening")
    session.title = "Opening, renamed"
    session.save()
    assert "Opening, renamed" in text_of(client.get("/programme/"))


def test_the_cached_form_counts_seats_live(client, db):
    from registrations.services.registrations import confirm_registration, register_attendee
    from tests.registrations.data import service_data

    edition = EditionFactory(registration_opens=timezone.now() - dt.timedelta(days=1))
    consent_texts_for(edition)
    small = SessionFactory(edition=edition, capacity=2, title="Small room")
    built, _page = queries(client, "/register/")
    served, page = queries(Client(), "/register/")
    assert served == 2 < built  # the edition row and the seat count
    assert "Small room" in text_of(page) and "2 seats left" in text_of(page)

    # Seats count once the address is confirmed (no side channel: registrations.selectors).
    confirm_registration(
        registration=register_attendee(edition=edition, data=service_data(sessions=[small]))
    )
    assert "1 seat left" in text_of(Client().get("/register/"))
    confirm_registration(
        registration=register_attendee(
            edition=edition, data=service_data(email="second@example.org", sessions=[small])
        )
    )
    assert "full — you join the waiting list" in text_of(Client().get("/register/"))


def test_within_the_check_interval_the_form_counts_seats_once(db, settings):
    from registrations.services.registrations import confirm_registration, register_attendee
    from tests.registrations.data import service_data

    settings.PAGE_CACHE_CHECK_SECONDS = 60
    edition = EditionFactory(registration_opens=timezone.now() - dt.timedelta(days=1))
    consent_texts_for(edition)
    small = SessionFactory(edition=edition, capacity=2, title="Small room")
    Client().get("/register/")
    served, page = queries(Client(), "/register/")
    assert served == 0
    assert "2 seats left" in text_of(page)
    # The page may show a count up to the interval old; the booking itself is decided live.
    confirm_registration(
        registration=register_attendee(edition=edition, data=service_data(sessions=[small]))
    )
    assert "2 seats left" in text_of(Client().get("/register/"))
    settings.PAGE_CACHE_CHECK_SECONDS = 0
    assert "1 seat left" in text_of(Client().get("/register/"))
