"""Dates, times and names as each language writes them, on the programme pages."""

import datetime as dt
import re

from forum.middleware import VISITOR_TZ_COOKIE
from tests.forum.test_views import text_of


def headings(response, id_prefix: str = "") -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", " ", heading).split())
        for heading in re.findall(
            rf'<h2 id="{id_prefix}[^>]*>(.*?)</h2>', response.text, flags=re.S
        )
    ]


def test_programme_days_in_english_and_in_korean(client, demo_forum):
    assert headings(client.get("/programme/"))[:2] == [
        "Tuesday 18 January 2022",
        "Wednesday 19 January 2022",
    ]
    assert headings(client.get("/ko/programme/"))[:2] == [
        "2022년 1월 18일 (화)",
        "2022년 1월 19일 (수)",
    ]


def test_korean_times_are_in_24_hours_with_the_korean_date(client, demo_forum):
    client.cookies[VISITOR_TZ_COOKIE] = "Asia/Jakarta"
    text = text_of(client.get("/ko/programme/"))
    # The closing session: 14:50–15:10 in Seoul is 12:50–13:10 in Jakarta.
    assert "14:50–15:10 KST" in text
    assert "1월 19일 (수) 12:50–13:10" in text
    assert "오후" not in text and "화요일 18 1월" not in text


def test_home_dates_in_korean(client, demo_forum):
    text = text_of(client.get("/ko/"))
    # The year once, first, as Koreans write a range of days.
    assert "2022년 1월 18일~19일" in text
    assert "1:1 온라인 비즈니스 미팅: 2022년 1월 24일~2월 11일" in text
    assert "2022년 1월 19일" not in text


def test_date_ranges_write_the_year_once_in_each_language():
    from django.utils import translation

    from forum.templatetags.dates import format_date_range

    cases = [
        (dt.date(2022, 1, 18), dt.date(2022, 1, 19)),
        (dt.date(2022, 1, 24), dt.date(2022, 2, 11)),
        (dt.date(2026, 12, 28), dt.date(2027, 1, 15)),
        (dt.date(2022, 1, 18), dt.date(2022, 1, 18)),
    ]
    with translation.override("en"):
        assert [format_date_range(*case) for case in cases] == [
            "18–19 January 2022",
            "24 January – 11 February 2022",
            "28 December 2026 – 15 January 2027",
            "18 January 2022",
        ]
    with translation.override("ko"):
        assert [format_date_range(*case) for case in cases] == [
            "2022년 1월 18일~19일",
            "2022년 1월 24일~2월 11일",
            "2026년 12월 28일~2027년 1월 15일",
            "2022년 1월 18일",
        ]


def test_home_shows_the_contacts_once_and_no_repeated_format(client, demo_forum):
    response = client.get("/")
    assert response.text.count("mailto:sjkim@aseankorea.org") == 1
    assert response.text.count("mailto:crbak@aseankorea.org") == 1
    assert "Online (Online)" not in text_of(response)
    # Other pages keep the contacts in their footer.
    assert client.get("/programme/").text.count("mailto:sjkim@aseankorea.org") == 1


def test_projects_are_grouped_by_country_name_in_the_viewers_language(client, demo_forum):
    english = headings(client.get("/projects/"), "country-")
    assert english == ["Cambodia", "Indonesia", "Laos", "Philippines", "Thailand", "Vietnam"]
    korean = headings(client.get("/ko/projects/"), "country-")
    assert korean == ["라오스", "베트남", "인도네시아", "캄보디아", "태국", "필리핀"]
