"""What a visitor sees on the public programme pages, in English and Korean, in two time zones."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.middleware import VISITOR_TZ_COOKIE
from tests.factories import (
    EditionFactory,
    ProjectFactory,
    SectorFactory,
    SessionFactory,
    SessionSpeakerFactory,
)


def text_of(response) -> str:
    """The page's visible text, tags stripped and white space folded."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.text, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", body).split())
    return re.sub(r" ([,.;:])", r"\1", text)


def test_home_shows_the_current_edition(client, demo_forum):
    text = text_of(client.get("/"))
    assert "9th ASEAN Connectivity Forum ASEAN Connectivity and ASEAN-Korea Partnership" in text
    assert "18–19 January 2022" in text
    assert "Sustainable infrastructure" in text and "Digital innovation" in text
    assert "Co-host International Contractors Association of Korea" in text
    assert "Kim Su-jung, Senior Officer (TIU) +82-2-2287-1192 sjkim@aseankorea.org" in text
    assert "24 January – 11 February 2022" in text


def test_home_without_an_edition_says_so(client, db):
    assert "The next edition has not been announced yet." in text_of(client.get("/"))


def test_programme_shows_both_days_named_speakers_and_the_forum_time(client, demo_forum):
    text = text_of(client.get("/programme/"))
    assert "Tuesday 18 January 2022" in text and "Wednesday 19 January 2022" in text
    assert (
        "H.E. Lee Seong-ho (Keynote speaker), Deputy Minister for Economic Affairs, "
        "Ministry of Foreign Affairs of the Republic of Korea" in text
    )
    assert "H.E. Yeap Samnang (Keynote speaker)" in text
    assert "10:20–11:00 KST" in text
    assert "Clock times on this page are illustrative" in text


def test_programme_also_shows_the_visitors_own_time(client, demo_forum):
    client.cookies[VISITOR_TZ_COOKIE] = "Asia/Yangon"
    text = text_of(client.get("/programme/"))
    # 10:20 in Seoul (UTC+9) is 07:50 in Yangon (UTC+6:30).
    assert "10:20–11:00 KST" in text
    assert "Tue 18 Jan, 07:50–08:30 your time (Asia/Yangon)" in text


def test_choosing_a_time_zone_is_remembered(client, demo_forum):
    response = client.post("/timezone/", {"tz": "Asia/Jakarta", "next": "/programme/"})
    assert response.status_code == 302 and response["Location"] == "/programme/"
    assert response.cookies[VISITOR_TZ_COOKIE].value == "Asia/Jakarta"
    assert "08:20–09:00 your time (Asia/Jakarta)" in text_of(client.get("/programme/"))


def test_an_unknown_time_zone_or_foreign_next_is_ignored(client, demo_forum):
    response = client.post("/timezone/", {"tz": "Mars/Olympus", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert VISITOR_TZ_COOKIE not in response.cookies
    client.cookies[VISITOR_TZ_COOKIE] = "Mars/Olympus"
    assert "your time" not in text_of(client.get("/programme/"))


def test_programme_filters_by_kind_and_sector(client, demo_forum):
    text = text_of(client.get("/programme/", {"kind": "project_presentation"}))
    assert "Project presentations: transport" in text
    assert "Opening ceremony" not in text
    text = text_of(client.get("/programme/", {"sector": "energy"}))
    assert "Project presentations: energy" in text
    assert "Project presentations: transport" not in text
    # An unknown filter value shows the whole programme instead of an error.
    text = text_of(client.get("/programme/", {"kind": "party", "sector": "nope"}))
    assert "Opening ceremony" in text


def test_session_page_shows_speakers_with_roles_and_projects(client, demo_forum):
    text = text_of(client.get("/programme/panel-post-covid-connectivity/"))
    assert "Speaker to be announced (Panelist), Export-Import Bank of Korea" in text
    assert "Speaker to be announced (Panelist), ASEAN Secretariat" in text
    text = text_of(client.get("/programme/projects-energy/"))
    assert "Sample: cross-border power interconnection Sample" in text
    assert "Lao People's Democratic Republic · Energy" in text or "Laos · Energy" in text
    assert "USD 650,000,000" in text


def test_unknown_session_is_not_found(client, demo_forum):
    assert client.get("/programme/no-such-session/").status_code == 404


def test_speakers_page_lists_speakers_with_their_sessions(client, demo_forum):
    text = text_of(client.get("/speakers/"))
    assert "H.E. Yeap Samnang" in text
    assert "Keynote speaker — Keynotes: connectivity projects during the pandemic" in text


def test_projects_filter_by_country_and_sector(client, demo_forum):
    text = text_of(client.get("/projects/", {"country": "VN"}))
    assert "Sample: smart traffic management centre" in text
    assert "Sample: smart water network" not in text
    text = text_of(client.get("/projects/", {"sector": "transport"}))
    assert "Sample: urban rail line extension" in text
    assert "Sample: cross-border power interconnection" not in text


def test_korean_pages_are_korean(client, demo_forum):
    response = client.get("/ko/programme/")
    assert response.status_code == 200
    assert '<html lang="ko">' in response.text
    text = text_of(response)
    assert "프로그램" in text
    assert "기조연설: 팬데믹 시기의 연계성 사업" in text
    assert "<h1>프로그램</h1>" in response.text
    assert ">Programme</a>" not in response.text and ">Speakers</a>" not in response.text
    assert "H.E. 이성호 (기조연설자), 경제외교조정관, 외교부" in text
    home = text_of(client.get("/ko/"))
    assert "제9회 아세안 연계성 포럼" in home


def test_language_switcher_goes_to_the_korean_page(client, demo_forum):
    response = client.post("/i18n/setlang/", {"language": "ko", "next": "/programme/"})
    assert response["Location"] == "/ko/programme/"


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok"}


def test_every_page_has_a_content_security_policy_without_inline_code(client, demo_forum):
    for url in ["/", "/programme/", "/programme/keynotes/", "/speakers/", "/projects/"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert " style=" not in response.text
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text) is None


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def build_programme(n: int):
    edition = EditionFactory()
    sector = SectorFactory()
    for i in range(n):
        session = SessionFactory(
            edition=edition,
            starts_at=dt.datetime(2030, 1, 15 + i % 2, 9, tzinfo=dt.UTC) + dt.timedelta(hours=i),
            ends_at=dt.datetime(2030, 1, 15 + i % 2, 9, 30, tzinfo=dt.UTC) + dt.timedelta(hours=i),
        )
        session.sectors.add(sector)
        SessionSpeakerFactory(session=session)
        SessionSpeakerFactory(session=session)
        ProjectFactory(edition=edition, session=session, sector=sector)
    return edition


@pytest.mark.parametrize("url", ["/programme/", "/speakers/", "/projects/", "/"])
def test_list_pages_make_the_same_number_of_queries_for_1_and_30_sessions(client, db, url):
    from forum.models import Edition

    build_programme(1)
    one = count_queries(client, url)
    Edition.objects.all().delete()
    build_programme(30)
    many = count_queries(client, url)
    assert one == many


def test_favicon_is_served_from_the_project(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/forum/favicon.svg"


def test_a_page_can_add_to_the_navigation(rf, db):
    """`nav_extra` is a block of base.html itself, so a page that extends it can fill it."""
    from django.template import engines

    page = engines["django"].from_string(
        '{% extends "base.html" %}{% block nav_extra %}{{ block.super }}'
        '<li class="nav-item" id="extra">Meetings</li>{% endblock %}'
    )
    request = rf.get("/")
    request.visitor_tz = None

    html = page.render({}, request)

    assert '<li class="nav-item" id="extra">Meetings</li>' in html
    assert 'href="/register/"' in html  # the registration link stays (block.super)


def test_session_pages_of_past_editions_keep_working(client, db):
    """Slugs are unique per edition only: each edition's session has its own address."""
    past = EditionFactory(number=8, slug="8th", is_current=False)
    current = EditionFactory(number=9, slug="9th", is_current=True)
    old = SessionFactory(edition=past, slug="opening", title="Opening of the 8th forum")
    new = SessionFactory(edition=current, slug="opening", title="Opening of the 9th forum")

    assert (old.get_absolute_url(), new.get_absolute_url()) == (
        "/editions/8/programme/opening/",
        "/programme/opening/",
    )
    assert "Opening of the 8th forum" in text_of(client.get(old.get_absolute_url()))
    assert "Opening of the 9th forum" in text_of(client.get(new.get_absolute_url()))
    assert "Opening of the 9th forum" in text_of(client.get("/editions/9/programme/opening/"))
    assert client.get("/editions/7/programme/opening/").status_code == 404
