"""Times in the admin are in the edition's zone whatever the visitor-zone cookie says."""

import datetime as dt
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model

from forum.middleware import VISITOR_TZ_COOKIE
from forum.models import Session
from tests.factories import EditionFactory, SessionFactory

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


class FormValues(HTMLParser):
    """The values a browser would submit from the page's change form."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.values.append((name, attrs.get("value", "on" if "checked" in attrs else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.append((name, ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.values[-1]
            self.values[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_values(page: str) -> dict:
    parser = FormValues()
    parser.feed(page)
    values: dict = {}
    for name, value in parser.values:
        values.setdefault(name, []).append(value)
    return values


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser("organiser", "o@example.org", "pw")
    client.force_login(user)
    # The public site's zone picker set a far-away zone in this browser.
    client.cookies[VISITOR_TZ_COOKIE] = "America/New_York"
    return client


@pytest.fixture
def session(db):
    edition = EditionFactory(time_zone="Asia/Seoul")
    return SessionFactory(
        edition=edition,
        title="Opening ceremony",
        starts_at=dt.datetime(2022, 1, 18, 10, 0, tzinfo=SEOUL),
        ends_at=dt.datetime(2022, 1, 18, 10, 20, tzinfo=SEOUL),
    )


def test_the_session_form_shows_and_names_the_editions_zone(staff_client, session):
    page = staff_client.get(f"/admin/forum/session/{session.pk}/change/").text
    values = form_values(page)
    assert (values["starts_at_0"], values["starts_at_1"]) == (["2022-01-18"], ["10:00:00"])
    assert values["ends_at_1"] == ["10:20:00"]
    assert "In Asia/Seoul, the edition's time zone." in page


def test_a_time_typed_in_the_admin_is_read_in_the_editions_zone(staff_client, session):
    url = f"/admin/forum/session/{session.pk}/change/"
    values = form_values(staff_client.get(url).text)
    values.update({"starts_at_1": ["14:00"], "ends_at_1": ["15:30"], "_save": ["Save"]})
    response = staff_client.post(url, values)
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^"]*">(.*?)</ul>', response.text
    )
    session.refresh_from_db()
    assert session.starts_at == dt.datetime(2022, 1, 18, 5, 0, tzinfo=dt.UTC)
    assert session.ends_at == dt.datetime(2022, 1, 18, 6, 30, tzinfo=dt.UTC)


def test_the_session_list_shows_each_editions_local_time(staff_client, session):
    jakarta = EditionFactory(time_zone="Asia/Jakarta", is_current=False)
    SessionFactory(
        edition=jakarta,
        title="Jakarta session",
        starts_at=dt.datetime(2027, 5, 4, 2, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2027, 5, 4, 3, 0, tzinfo=dt.UTC),
    )
    page = staff_client.get("/admin/forum/session/").text
    assert "18 January 2022, 10:00 KST" in page
    assert "4 May 2027, 09:00 WIB" in page


def test_the_edition_form_reads_registration_times_in_its_own_zone(staff_client, session):
    edition = session.edition
    edition.registration_closes = dt.datetime(2022, 1, 14, 18, 0, tzinfo=SEOUL)
    edition.save()
    page = staff_client.get(f"/admin/forum/edition/{edition.pk}/change/").text
    values = form_values(page)
    assert values["registration_closes_1"] == ["18:00:00"]
    assert "In Asia/Seoul, the edition's time zone." in page


def test_the_public_site_still_uses_the_visitors_zone(staff_client, session):
    session.edition.is_current = True
    session.edition.save()
    page = staff_client.get(f"/programme/{session.slug}/").text
    assert "20:00" in page  # 10:00 in Seoul is 20:00 the day before in New York (UTC-5)
    assert Session.objects.count() == 1
