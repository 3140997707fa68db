"""Every time shown goes through `common.times` and the named formats; no pattern anywhere else."""

import datetime as dt
import importlib
import re
import zoneinfo
from pathlib import Path

import pytest
from django.utils import translation

from common.times import shown, shown_span

ROOT = Path(__file__).resolve().parents[2]
APPS = ["common", "forum", "registrations", "meetings", "backoffice"]
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
START = dt.datetime(2030, 1, 21, 11, 0, tzinfo=SEOUL)

# strftime, an f-string's "{value:%H:%M}", a Django format call given a pattern, or a string
# that is a Django pattern ("H:i", "D d M Y") kept for later.
DJANGO_LETTER = "[dDjlNSwzWFmMnYyLaAfgGhHisuveOPTZcrU]"
PYTHON_PATTERN = re.compile(
    r"strftime\(|\{[^{}\n]*:%[A-Za-z]|(?:date|time)_format\([^)\n]*,\s*['\"](?![A-Z_]+_FORMAT['\"])"
    rf"|(?<=[(=,\[\s])(['\"]){DJANGO_LETTER}(?:[ :,./-]+{DJANGO_LETTER})+\1(?=[),\]\s:]|$)"
)
# `|date:"…"`, `|time:"…"` and `{% now "…" %}` with anything but a format's name.
TEMPLATE_PATTERN = re.compile(r"""(?:\|(?:date|time):|\{%\s*now\s+)(["'])(?P<arg>[^"']*)\1""")
# Machine formats in templates, never read as a date by people: ISO 8601 (`<time datetime>`),
# epoch seconds (compared, not shown).
MACHINE_TEMPLATE_FORMATS = {"c", "U"}


def python_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            # The format modules are where the patterns live.
            if "migrations" not in path.parts and "formats" not in path.parts:
                yield path


def test_no_python_module_shows_a_time_with_a_pattern():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in python_files()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PYTHON_PATTERN.search(line) and "# machine format" not in line
    ]
    assert found == []


def test_no_template_shows_a_time_with_a_pattern():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.*")
        for match in TEMPLATE_PATTERN.finditer(path.read_text())
        if not match.group("arg").endswith("_FORMAT")
        and match.group("arg") not in MACHINE_TEMPLATE_FORMATS
    ]
    assert found == []


def test_both_languages_define_the_same_formats():
    """A name missing in one language would be taken by Django as a pattern of letters."""
    names = {
        language: {
            name
            for name in vars(importlib.import_module(f"common.formats.{language}.formats"))
            if name.endswith("_FORMAT")
        }
        for language in ("en", "ko")
    }
    assert names["en"] == names["ko"]


def test_a_time_is_shown_in_the_zone_and_the_language_asked_for():
    with translation.override("en"):
        assert shown(START, "SESSION_DATETIME_FORMAT", zone="Asia/Yangon") == "Mon 21 Jan, 08:30"
        assert shown_span(START, START + dt.timedelta(minutes=30), zone=SEOUL) == (
            "21 January 2030, 11:00–11:30"
        )
        assert shown(None, "DATE_FORMAT") == ""
    with translation.override("ko"):
        assert shown(START, "SESSION_DATETIME_FORMAT", zone="Asia/Yangon") == "1월 21일 (월) 08:30"
        assert shown_span(START, START + dt.timedelta(minutes=30), zone=SEOUL) == (
            "2030년 1월 21일 11:00–11:30"
        )
        assert shown(START.date(), "SHORT_DAY_FORMAT") == "1월 21일 (월)"


def test_a_pattern_is_refused():
    with pytest.raises(ValueError, match="not the name of a format"):
        shown(START, "d M H:i")
