"""On PostgreSQL the attendee list's CSV is written by COPY (backoffice/exports/copy_csv.py):
byte for byte what the Python writer writes, whatever the text holds. Its XLSX rows are written
by COPY too: what a reader reads of them is what it reads of the Python writer's."""

import io
import zipfile

import pytest
from django.db import connection
from django.utils import timezone, translation
from openpyxl import load_workbook

from backoffice.exports import AttendeeList, ExportFilters
from backoffice.exports.base import csv_chunks
from backoffice.exports.xlsx import xlsx_chunks
from registrations.choices import AttendanceSource, ConsentKind
from registrations.models import Attendance, Consent, Registration
from registrations.services.consents import withdraw_consent
from registrations.services.registrations import confirm_registration, register_attendee
from tests.factories import SessionFactory
from tests.registrations.data import service_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's; others write in Python"
    ),
]

ODD_TEXTS = [
    '=HYPERLINK("http://evil.example","click")',
    "+82 10 1234 5678",
    "-minus",
    "@SUM(1+1)",
    "\ttab first",
    "\rcarriage first",
    "comma, inside",
    'a "quoted" word',
    "two\nlines",
    "cr\r\nlf",
    "박지원 (Park Ji-won)",
    " spaces around ",
    "trailing backslash \\",
    "\\.",
    "back\\slash \\n not a line",
    "A & B <Partners> Ltd.",
    "emoji 🎉 and 한글",
    "bell\x07 and form feed\x0c gone",
]


@pytest.fixture
def odd_forum(open_edition):
    early = SessionFactory(edition=open_edition, capacity=1, title="=Formula session, first")
    late = SessionFactory(
        edition=open_edition, capacity=100, title='Opening "plenary"; day two\nnotes'
    )
    people = []
    for number, text in enumerate(ODD_TEXTS):
        person = register_attendee(
            edition=open_edition,
            data=service_data(
                name=text,
                email=f"person{number}@example.org",
                organisation=text,
                job_title=text if number % 2 else "",
                country=["KR", "VN", "TH"][number % 3],
                phone=text if number % 3 else "",
                sessions=[early, late] if number % 2 else [late],
                consents=["collection", "transfer", "sharing"],
            ),
        )
        if number % 4 == 0:
            confirm_registration(registration=person)
        if number % 5 == 0:
            withdraw_consent(registration=person, kind=ConsentKind.SHARING)
        people.append(person)
    Registration.objects.filter(pk=people[1].pk).update(name_latin="", organisation_en="")
    now = timezone.now()
    for session in (late, early):
        Attendance.objects.create(
            registration=people[2],
            session=session,
            source=AttendanceSource.LINK,
            first_joined_at=now,
            last_joined_at=now,
        )
    Consent.objects.filter(registration=people[3]).delete()
    return open_edition


def both_writers(edition, columns, **filters) -> tuple[bytes, bytes, AttendeeList]:
    by_copy = AttendeeList(ExportFilters(edition=edition, **filters), columns)
    assert all(column.sql is not None for column in by_copy.chosen)
    copied = b"".join(by_copy.stream("csv"))
    by_python = AttendeeList(ExportFilters(edition=edition, **filters), columns)
    written = b"".join(csv_chunks(by_python.header(), by_python.rows()))
    assert by_copy.rows_written == by_python.rows_written
    return copied, written, by_copy


@pytest.mark.parametrize("language", ["en", "ko"])
def test_copy_writes_what_the_python_writer_writes(odd_forum, language):
    columns = list(AttendeeList.column_specs())
    with translation.override(language):
        copied, written, export = both_writers(odd_forum, columns, include_waiting=True)
    assert export.rows_written == len(ODD_TEXTS)
    assert copied == written
    assert copied.startswith("\ufeff".encode())
    assert b"'=HYPERLINK" in copied and b"'+82 10" in copied


def test_copy_writes_the_default_columns_and_a_filtered_list_alike(odd_forum):
    copied, written, _ = both_writers(odd_forum, [], countries=("VN",))
    assert copied == written
    copied, written, export = both_writers(odd_forum, ["name", "email"], countries=("XX",))
    assert copied == written
    assert export.rows_written == 0


def test_a_list_of_one_column_is_written_in_python(odd_forum):
    """Python's writer quotes a lone empty field; COPY would write an empty line."""
    export = AttendeeList(ExportFilters(edition=odd_forum), ["job_title"])
    written = b"".join(export.stream("csv"))
    assert b'\r\n""\r\n' in written


def test_copy_writes_a_session_list_for_a_third_party_alike(odd_forum):
    """The aggregated columns are joined to the filtered registrations only."""
    session = odd_forum.sessions.order_by("starts_at", "pk").first()
    columns = list(AttendeeList.column_specs())
    copied, written, export = both_writers(
        odd_forum, columns, session=session, include_waiting=True, third_party=True
    )
    assert copied == written
    assert 0 < export.rows_written < len(ODD_TEXTS)


def read_xlsx(data: bytes) -> list[list[tuple]]:
    """Each row's cells as a reader sees them: value, type, number format (empty cells None)."""
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    rows = []
    for row in sheet.iter_rows():
        cells = [
            (cell.value, cell.data_type, cell.number_format) if cell.value is not None else None
            for cell in row
        ]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(cells)
    return rows


def both_xlsx_writers(edition, columns, **filters) -> tuple[bytes, bytes, AttendeeList]:
    by_copy = AttendeeList(ExportFilters(edition=edition, **filters), columns)
    copied = b"".join(by_copy.stream("xlsx"))
    by_python = AttendeeList(ExportFilters(edition=edition, **filters), columns)
    written = b"".join(
        xlsx_chunks(
            by_python.header(),
            by_python.rows(),
            sheet_name=str(by_python.title),
            title=by_python.sheet_title(),
        )
    )
    assert by_copy.rows_written == by_python.rows_written
    return copied, written, by_copy


@pytest.mark.parametrize("language", ["en", "ko"])
def test_copy_writes_the_xlsx_rows_a_reader_reads_as_the_python_writers(odd_forum, language):
    columns = list(AttendeeList.column_specs())
    with translation.override(language):
        copied, written, export = both_xlsx_writers(odd_forum, columns, include_waiting=True)
    assert export.rows_written == len(ODD_TEXTS)
    with zipfile.ZipFile(io.BytesIO(copied)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    # The rows came from COPY (no cell references), never as a formula.
    assert '<c r="A2"' not in sheet and "<row><c><v>" in sheet
    assert "<f>" not in sheet
    copied_rows, written_rows = read_xlsx(copied), read_xlsx(written)
    assert copied_rows == written_rows
    names = [row[1][0] for row in copied_rows[1:]]
    assert "A & B <Partners> Ltd." in names and "emoji 🎉 and 한글" in names
    assert "bell and form feed gone" in names
    assert "back\\slash \\n not a line" in names and "two\nlines" in names
    assert '=HYPERLINK("http://evil.example","click")' in names  # a string, as typed
    times = {cell[1:] for row in copied_rows[1:] for cell in row[14:16] if cell}
    assert times == {("d", "yyyy-mm-dd hh:mm")}


def test_copy_writes_the_default_and_filtered_xlsx_alike(odd_forum):
    copied, written, _ = both_xlsx_writers(odd_forum, [], countries=("VN",))
    assert read_xlsx(copied) == read_xlsx(written)
    copied, written, export = both_xlsx_writers(odd_forum, ["job_title"], countries=("XX",))
    assert read_xlsx(copied) == read_xlsx(written) == [[("Job title", "s", "General")]]
    assert export.rows_written == 0
    session = odd_forum.sessions.order_by("starts_at", "pk").first()
    copied, written, export = both_xlsx_writers(
        odd_forum, list(AttendeeList.column_specs()), session=session, third_party=True
    )
    assert read_xlsx(copied) == read_xlsx(written)
    assert 0 < export.rows_written < len(ODD_TEXTS)


def test_the_sheets_statement_runs_without_jit_and_leaves_the_session_as_it_was(odd_forum):
    def settings() -> tuple:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit'), current_setting('extra_float_digits')")
            return cursor.fetchone()

    before = settings()
    export = AttendeeList(ExportFilters(edition=odd_forum), ["name", "registered_at"])
    seen = []
    for _chunk in export.stream("xlsx"):
        if export.rows_written:  # COPY has ended (the rows fit one block)
            seen.append(settings())
    assert seen[0] == ("off", "1")
    assert seen[-1] == before == settings()
    assert before[0] == "on"
