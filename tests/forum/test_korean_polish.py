"""Korean pages as Koreans write them: country names and their order, zone cities, where the data
goes (issue 17)."""

import re

from django.utils import translation

from common.timezones import time_zone_choices
from registrations.forms.fields import country_choices


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_country_names_are_the_korean_ones():
    with translation.override("ko"):
        names = dict(country_choices())
    assert [names[code] for code in ("SC", "MN", "RO", "KY", "TR", "BI")] == [
        "세이셸",
        "몽골",
        "루마니아",
        "케이맨 제도",
        "튀르키예",
        "부룬디",
    ]
    with translation.override("en"):
        assert dict(country_choices())["SC"] == "Seychelles"


def test_countries_are_in_korean_order_on_korean_pages():
    with translation.override("ko"):
        choices = country_choices()
    codes = [code for code, _name in choices]
    brk = codes.index("", 1)
    asean, others = choices[1 : brk - 1], choices[brk + 1 :]
    assert choices[brk - 1] == ("KR", "대한민국")
    assert [name for _code, name in asean] == sorted(name for _code, name in asean)
    assert asean[0] == ("TL", "동티모르")
    assert [name for _code, name in others] == sorted(name for _code, name in others)
    assert others[0][1] == "가나"
    with translation.override("en"):
        choices = country_choices()
    assert choices[1] == ("BN", "Brunei") and choices[14][1] == "Afghanistan"


def test_zone_cities_of_asean_and_korea_in_korean():
    with translation.override("ko"):
        labels = dict(time_zone_choices())
    assert labels["Asia/Seoul"] == "서울 — 대한민국 (Asia/Seoul)"
    assert labels["Asia/Ho_Chi_Minh"] == "호찌민 — 베트남 (Asia/Ho_Chi_Minh)"
    with translation.override("en"):
        assert dict(time_zone_choices())["Asia/Seoul"] == "Seoul — South Korea (Asia/Seoul)"


def test_the_korean_form_lists_korean_cities_and_says_where_the_data_goes(client, rehearsal):
    page = text(client.get("/ko/register/"))
    assert "서울 — 대한민국 (Asia/Seoul)" in page
    assert "대한민국 서울에 있는 한-아세안센터의 서버로 이전·보관되는 데 동의합니다." in page
    assert "본인의 국가 밖" not in page
    english = text(client.get("/register/"))
    assert "the ASEAN-Korea Centre&#x27;s servers in Seoul, Republic of Korea" in english
    assert "outside my country" not in english
