"""A streaming XLSX writer: one sheet, a bold header row, typed string, number and date cells.

Why not openpyxl or XlsxWriter: for 100,000 attendees × 11 columns openpyxl's write-only mode
took 17.6 s and XlsxWriter's constant-memory mode 7.6 s on the project machine, this writer
0.56 s (docs/backoffice.md, benchmarks/export_speed.py). An export needs a tiny part of the
format — one worksheet of inline strings and numbers — and writing it row by row into a zip
stream means the file is sent while it is made: no row list, no temporary file.

Every text value becomes an inline *string* cell, so a value such as `=HYPERLINK(…)` or
`+82 10 1234 5678` is shown as typed and is never run as a formula (a formula would need an `<f>`
element, which this writer never writes). No apostrophe is needed, unlike in CSV.

Dates and times are *date cells*: a number of days since 1899-12-30 with a date number format,
so a spreadsheet sorts, filters and computes with them. The value is the wall-clock time of the
zone the column's header names (a cell has no zone); a `datetime` must come naive or it is refused.

On PostgreSQL the attendee list's rows are written by the database (`copy_csv.copy_xlsx_chunks`,
issue 20): `xlsx_package` writes the package around them and the markup constants below are what
its SQL writes.
"""

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

# XML 1.0 allows no control characters except tab, newline and carriage return (a bracket's
# content, without NUL, which a PostgreSQL text never holds).
ILLEGAL_XML_CHARACTERS = "\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
_ILLEGAL_XML = re.compile(f"[\x00{ILLEGAL_XML_CHARACTERS}]")
# Text that needs work before it goes into the XML: markup characters or illegal ones.
_NEEDS_ESCAPING = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ROWS_PER_WRITE = 500

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_MIME}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_MIME}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_MIME}.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG}/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Style 0: normal; 1: bold (the header row); 2: date and time; 3: date; 4: time of day.
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="3">'
    f'<numFmt numFmtId="164" formatCode="{DATETIME_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATE_FORMAT}"/>'
    f'<numFmt numFmtId="166" formatCode="{TIME_FORMAT}"/>'
    "</numFmts>"
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _core(title: str) -> str:
    return (
        f'{_XML}<cp:coreProperties xmlns:cp="{_PKG}/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(_clean(title))}</dc:title></cp:coreProperties>"
    )


def _workbook(sheet_name: str) -> str:
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}">'
        f'<sheets><sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("", text)


# A cell's markup, for rows written elsewhere (PostgreSQL's COPY, copy_csv.py). Those cells have
# no `r` reference (it is optional): a cell's place is its order in its row, so an empty value is
# an empty cell rather than none.
TEXT_OPEN = '<c t="inlineStr"><is><t xml:space="preserve">'
TEXT_CLOSE = "</t></is></c>"
EMPTY_CELL = "<c/>"
DATETIME_STYLE = 2


def xml_text(text: str) -> str:
    """Text as it goes between TEXT_OPEN and TEXT_CLOSE."""
    return escape(_clean(text))


def text_cell(text: str | None) -> str:
    """A whole cell of text, as `_cell` writes it without its reference."""
    return f"{TEXT_OPEN}{xml_text(text)}{TEXT_CLOSE}" if text else EMPTY_CELL


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of spreadsheets (after Lotus's 1900 leap day)
_SECONDS_A_DAY = 86400


def serial(value: dt.datetime | dt.date | dt.time) -> float | int:
    """A date, time or naive datetime as a spreadsheet's number of days."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError("An XLSX cell holds wall-clock time: convert to the zone, then naive.")
        delta = value - _EPOCH
        return delta.days + round(delta.seconds + value.microsecond / 1e6) / _SECONDS_A_DAY
    if isinstance(value, dt.date):
        return (value - _EPOCH.date()).days
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    return seconds / _SECONDS_A_DAY


def _cell(ref: str, value: Any, style: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        kind = 2 if isinstance(value, dt.datetime) else 3 if isinstance(value, dt.date) else 4
        return f'<c r="{ref}" s="{kind}"><v>{serial(value)!r}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    text = str(value)
    if _NEEDS_ESCAPING.search(text):
        text = escape(_clean(text))
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_rows(header: list[str], rows: Iterable[list[Any]], letters: list[str]) -> Iterator[str]:
    cells = "".join(_cell(f"{letters[i]}1", value, ' s="1"') for i, value in enumerate(header))
    yield f'<row r="1">{cells}</row>'
    number = 1
    needs_escaping = _NEEDS_ESCAPING.search
    # The loop below runs once per cell of the export: text, the common case, is inlined.
    for row in rows:
        number += 1
        parts = [f'<row r="{number}">']
        for letter, value in zip(letters, row, strict=False):
            if value.__class__ is str:
                if not value:
                    continue
                if needs_escaping(value):
                    value = escape(_clean(value))
                parts.append(
                    f'<c r="{letter}{number}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{value}</t></is></c>"
                )
            elif value is not None:
                parts.append(_cell(f"{letter}{number}", value, ""))
        parts.append("</row>")
        yield "".join(parts)


class _Sink:
    """A write-only file that hands each written block to the caller of `drain()`."""

    def __init__(self):
        self.blocks: list[bytes] = []
        self.position = 0

    def write(self, data) -> int:
        data = bytes(data)
        self.blocks.append(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        return None

    def drain(self) -> bytes:
        data = b"".join(self.blocks)
        self.blocks.clear()
        return data


def xlsx_chunks(
    header: list[str], rows: Iterable[list[Any]], *, sheet_name: str, title: str = ""
) -> Iterator[bytes]:
    """Yields an XLSX file block by block while `rows` are read: for streamed downloads."""
    letters = [column_letter(i) for i in range(len(header))]

    def blocks() -> Iterator[bytes]:
        batch: list[str] = []
        for xml_row in _sheet_rows(header, rows, letters):
            batch.append(xml_row)
            if len(batch) >= ROWS_PER_WRITE:
                yield "".join(batch).encode()
                batch.clear()
        yield "".join(batch).encode()

    return xlsx_package(blocks(), sheet_name=sheet_name, title=title)


def header_row(header: list[str]) -> bytes:
    """The bold first row, for a sheet whose other rows come from elsewhere (`xlsx_package`)."""
    letters = [column_letter(i) for i in range(len(header))]
    return next(_sheet_rows(header, [], letters)).encode()


def xlsx_package(
    sheet_rows: Iterable[bytes], *, sheet_name: str, title: str = ""
) -> Iterator[bytes]:
    """An XLSX file around `sheet_rows`, blocks of the sheet's `<row>` elements (UTF-8),
    deflated as they come: the package's other parts are written first."""
    sheet_name = _clean(sheet_name)[:31] or "Sheet1"
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("docProps/core.xml", _core(title or sheet_name))
        package.writestr("xl/workbook.xml", _workbook(sheet_name))
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        yield sink.drain()
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'{_XML}<worksheet xmlns="{_MAIN}">'.encode()
                + b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                b'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
            )
            for block in sheet_rows:
                sheet.write(block)
                yield sink.drain()
            sheet.write(b"</sheetData></worksheet>")
    yield sink.drain()
