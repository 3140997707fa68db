"""The Korean catalogue and the demo data use the words of docs/glossary.md, and only those."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
CATALOGUE = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def glossary_terms() -> list[tuple[str, str, list[str]]]:
    """(English, Korean, words to avoid) from the first table of the glossary."""
    rows = []
    table = GLOSSARY.read_text().split("\n## ", 1)[0]
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("English", "") or set(cells[0]) <= {"-"}:
            continue
        avoid = [word.strip() for word in cells[2].split(",") if word.strip()]
        rows.append((cells[0], cells[1], avoid))
    return rows


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}")


def _term_pattern(english: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(english)}(e?s)?(?![\w-])", re.IGNORECASE)


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def catalogue_entries() -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr forms]) of every translated, current entry of the Korean catalogue."""
    entries, msgid, msgstrs, field, fuzzy = [], None, [], None, False
    lines = CATALOGUE.read_text().splitlines() + [""]
    for line in lines:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith(("msgid ", "msgid_plural ")):
            if line.startswith("msgid "):
                msgid, msgstrs = "", []
            field = "msgid"
            msgid += (
                " " + _unquote(line.split(" ", 1)[1]) if msgid else _unquote(line.split(" ", 1)[1])
            )
        elif line.startswith("msgstr"):
            msgstrs.append(_unquote(line.split(" ", 1)[1]))
            field = "msgstr"
        elif line.startswith('"'):
            if field == "msgid":
                msgid += _unquote(line)
            elif field == "msgstr":
                msgstrs[-1] += _unquote(line)
        elif not line.strip():
            if msgid and any(msgstrs) and not fuzzy:
                entries.append((msgid, msgstrs))
            msgid, msgstrs, field, fuzzy = None, [], None, False
    return entries


def test_the_glossary_has_its_terms():
    terms = {english: korean for english, korean, _avoid in glossary_terms()}
    assert terms["ASEAN-Korea Centre"] == "한-아세안센터"
    assert terms["Thailand"] == "태국"
    assert terms["booked"] == "예약"
    assert len(terms) >= 20


def test_the_catalogue_is_read():
    entries = dict(catalogue_entries())
    assert entries["Programme"] == ["프로그램"]
    assert len(entries) > 300


@pytest.mark.parametrize(
    ("english", "korean", "avoid"), glossary_terms(), ids=[row[0] for row in glossary_terms()]
)
def test_the_catalogue_uses_the_glossary_term(english, korean, avoid):
    pattern = _term_pattern(english)
    # A longer term that holds this one has its own row ("keynote speaker" is 기조연설자).
    longer = [
        _term_pattern(other)
        for other, _korean, _avoid in glossary_terms()
        if other != english and pattern.search(other)
    ]

    def mentions(msgid: str) -> bool:
        msgid = PLACEHOLDER.sub("", msgid)
        for other in longer:
            msgid = other.sub("", msgid)
        return bool(pattern.search(msgid))

    wrong = [
        (msgid, msgstr)
        for msgid, msgstrs in catalogue_entries()
        if mentions(msgid)
        for msgstr in msgstrs
        if korean not in msgstr
    ]
    assert wrong == [], wrong
    avoided = [
        (msgid, msgstr)
        for msgid, msgstrs in catalogue_entries()
        for msgstr in msgstrs
        for word in avoid
        if word in msgstr
    ]
    assert avoided == [], avoided


def test_the_demo_data_uses_no_word_the_glossary_avoids():
    korean_literals = [
        node.value
        for path in [*(ROOT / "forum" / "demo").glob("*.py"), ROOT / "registrations" / "demo.py"]
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if HANGUL.search(node.value)
    ]
    assert len(korean_literals) > 20
    avoided = [
        (text, word)
        for text in korean_literals
        for _english, _korean, avoid in glossary_terms()
        for word in avoid
        if word in text
    ]
    assert avoided == [], avoided
