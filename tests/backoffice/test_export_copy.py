"""On PostgreSQL the attendee list's CSV is written by COPY (backoffice/exports/copy_csv.py):
byte for byte what the Python writer writes, whatever the text holds."""

import pytest
from django.db import connection
from django.utils import timezone, translation

from backoffice.exports import AttendeeList, ExportFilters
from backoffice.exports.base import csv_chunks
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
