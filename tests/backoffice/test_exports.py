"""Exports as a reader sees them: headers in words, labels, zone-named times, no live formula."""

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from backoffice.exports import AttendeeList, ExportFilters, SessionAttendanceList
from backoffice.exports.base import safe_csv_cell
from backoffice.exports.xlsx import column_letter, xlsx_chunks
from backoffice.models import ExportLog, ExportPreset
from registrations.services.consents import withdraw_consent
from registrations.services.registrations import confirm_registration, register_attendee
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db

FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
PHONE = "+82 10 1234 5678"


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_formula_triggers_get_an_apostrophe(value):
    assert safe_csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Hanbit", "박지원", "", 42, "a=b", None])
def test_other_csv_values_stay_as_they_are(value):
    assert safe_csv_cell(value) == value


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


@pytest.fixture
def attendees(open_edition, small_session, big_session):
    """Three people: a formula-writer waiting for the small session, a Korean journalist who
    booked both (seat taken first), and someone who withdrew the sharing consent."""
    journalist = register_attendee(
        edition=open_edition,
        data=service_data(
            name="박지원",
            email="jiwon@example.kr",
            category="media",
            country="KR",
            phone=PHONE,
            sessions=[small_session, big_session],
            consents=["collection", "transfer", "sharing"],
        ),
    )
    confirm_registration(registration=journalist)
    evil = register_attendee(
        edition=open_edition,
        data=service_data(
            name='=HYPERLINK("http://evil.example","click")',
            email="evil@example.org",
            organisation="@SUM(1+1)",
            country="VN",
            sessions=[small_session],
            consents=["collection", "transfer", "sharing"],
        ),
    )
    withdrawn = register_attendee(
        edition=open_edition,
        data=service_data(
            name="Nguyen Van An",
            email="an@example.vn",
            country="VN",
            category="asean_government",
            sessions=[big_session],
            consents=["collection", "transfer", "sharing"],
        ),
    )
    withdraw_consent(registration=withdrawn, kind="sharing")
    return journalist, evil, withdrawn


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def export(tmp_path, command="export_attendees", format="csv", **options):
    path = tmp_path / f"out.{format}"
    out = io.StringIO()
    call_command(command, output=str(path), format=format, stdout=out, **options)
    return path, out.getvalue()


def test_the_csv_has_headers_in_words_labels_and_zone_named_times(
    tmp_path, open_edition, attendees, big_session, small_session
):
    path, said = export(
        tmp_path,
        edition=open_edition.slug,
        columns="name,country,category,status,registered_at,sessions_booked,sessions_waiting,phone",
    )

    rows = read_csv(path)
    assert rows[0] == [
        "Name",
        "Country",
        "Participant category",
        "Registration status",
        "Registered (Asia/Seoul)",
        "Sessions booked",
        "Sessions on the waiting list",
        "Phone",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    journalist = by_name["박지원"]
    assert journalist[1:4] == ["South Korea", "Media", "Confirmed"]
    # Programme order (the small session was created first), titles not slugs.
    assert journalist[5:7] == [f"{small_session.title}; {big_session.title}", ""]
    # CSV keeps the guard, so even a genuine phone number gets the apostrophe (documented).
    assert journalist[7] == "'" + PHONE
    registered = attendees[0].created_at.astimezone(open_edition.tzinfo)
    assert journalist[4] == registered.strftime("%Y-%m-%d %H:%M")
    evil = by_name['\'=HYPERLINK("http://evil.example","click")']
    assert evil[1:3] == ["Vietnam", "Korean company"]
    assert evil[5:7] == ["", small_session.title]
    assert said == f"Exported 3 rows to {path}.\n"


def test_the_xlsx_has_typed_string_cells_no_formula_and_genuine_values(
    tmp_path, open_edition, attendees
):
    path, _said = export(
        tmp_path,
        format="xlsx",
        edition=open_edition.slug,
        columns="name,organisation,phone,country",
    )

    sheet = load_workbook(path).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Name", "Organisation", "Phone", "Country"]
    assert [row[0] for row in rows[1:]] == [
        "박지원",
        '=HYPERLINK("http://evil.example","click")',
        "Nguyen Van An",
    ]
    assert rows[1][2] == PHONE  # no apostrophe in XLSX
    assert rows[2][1] == "@SUM(1+1)"
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert {cell.data_type for cell in cells} == {"s"}
    with zipfile.ZipFile(path) as package:
        assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode()


def test_the_headers_and_labels_follow_the_language(tmp_path, open_edition, attendees):
    path, _said = export(
        tmp_path,
        edition=open_edition.slug,
        columns="name,category,status,wants_meetings",
        language="ko",
    )
    rows = read_csv(path)
    assert rows[0] == ["이름", "참가자 분류", "등록 상태", "비즈니스 미팅 희망"]
    assert rows[1][1:] == ["언론", "확정", "아니요"]


def test_filters_narrow_the_list_and_the_log_keeps_codes_only(
    tmp_path, open_edition, attendees, big_session
):
    path, _said = export(
        tmp_path,
        edition=open_edition.slug,
        session=big_session.slug,
        status=["confirmed"],
        category=["media"],
        country=["kr"],
        columns="email",
    )

    assert read_csv(path)[1:] == [["jiwon@example.kr"]]
    log = ExportLog.objects.get()
    assert (log.edition, log.user, log.source, log.format, log.row_count, log.list_kind) == (
        open_edition,
        None,
        "command",
        "csv",
        1,
        "attendees",
    )
    assert log.filters == {
        "session": big_session.slug,
        "statuses": ["confirmed"],
        "categories": ["media"],
        "countries": ["KR"],
        "columns": ["email"],
    }


def test_a_third_party_list_holds_only_people_who_agreed_to_sharing(
    tmp_path, open_edition, attendees
):
    path, _said = export(tmp_path, edition=open_edition.slug, third_party=True, columns="email")
    assert sorted(row[0] for row in read_csv(path)[1:]) == ["evil@example.org", "jiwon@example.kr"]
    assert ExportLog.objects.get().filters["third_party"] is True


def test_session_attendance_is_one_row_per_person_per_session_waiting_only_when_asked(
    tmp_path, open_edition, attendees, small_session, big_session
):
    columns = "session,booking,place,name"
    path, _said = export(
        tmp_path,
        command="export_session_attendance",
        edition=open_edition.slug,
        columns=columns,
    )
    assert read_csv(path) == [
        ["Session", "Booking", "Place on the waiting list", "Name"],
        [small_session.title, "Booked", "", "박지원"],
        [big_session.title, "Booked", "", "Nguyen Van An"],
        [big_session.title, "Booked", "", "박지원"],
    ]

    path, _said = export(
        tmp_path,
        command="export_session_attendance",
        edition=open_edition.slug,
        columns=columns,
        include_waiting=True,
    )
    assert read_csv(path)[1:3] == [
        [small_session.title, "Booked", "", "박지원"],
        [small_session.title, "Waiting list", "1", '\'=HYPERLINK("http://evil.example","click")'],
    ]
    assert ExportLog.objects.order_by("pk").last().list_kind == "session-attendance"


def test_session_start_is_in_the_forums_zone_and_the_zone_is_named(
    open_edition, attendees, small_session
):
    filters = ExportFilters(edition=open_edition, session=small_session)
    export_list = SessionAttendanceList(filters, ["session", "starts_at"])
    starts = small_session.starts_at.astimezone(open_edition.tzinfo).replace(tzinfo=None)
    assert export_list.header() == ["Session", "Starts (Asia/Seoul)"]
    assert list(export_list.rows()) == [[small_session.title, starts]]
    assert b"".join(export_list.stream("csv")).decode("utf-8-sig").splitlines()[1] == (
        f"{small_session.title},{starts:%Y-%m-%d %H:%M}"
    )


def test_the_file_name_says_edition_list_and_date(open_edition):
    import datetime as dt

    export_list = AttendeeList(ExportFilters(edition=open_edition))
    assert export_list.filename("xlsx", today=dt.date(2026, 11, 25)) == (
        f"{open_edition.slug}_attendees_2026-11-25.xlsx"
    )


def test_a_preset_chooses_the_columns_from_the_command_line(tmp_path, open_edition, attendees):
    ExportPreset.objects.create(name="Co-host", list_kind="attendees", columns=["name", "country"])
    path, _said = export(tmp_path, edition=open_edition.slug, preset="Co-host")
    assert read_csv(path)[0] == ["Name", "Country"]


def test_bad_command_input_is_a_clear_error(tmp_path, open_edition):
    with pytest.raises(CommandError, match="No edition with the slug 'nope'"):
        export(tmp_path, edition="nope")
    with pytest.raises(CommandError, match="Unknown column"):
        export(tmp_path, edition=open_edition.slug, columns="name,shoe_size")
    with pytest.raises(CommandError, match="No attendees preset named 'x'"):
        export(tmp_path, edition=open_edition.slug, preset="x")


def test_the_xlsx_writer_streams_and_keeps_odd_text(tmp_path):
    rows = [["=1+1", 3, "tab\there", "bell\x07gone", " padded "], ["", None, 1.5, "<&>", "ok"]]
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"".join(xlsx_chunks(["A", "B", "C", "D", "E"], rows, sheet_name="T")))
    sheet = load_workbook(path).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["A", "B", "C", "D", "E"],
        ["=1+1", 3, "tab\there", "bellgone", " padded "],
        [None, None, 1.5, "<&>", "ok"],
    ]
    assert sheet["A2"].data_type == "s"
    assert sheet.title == "T"


def test_an_export_never_loads_registrations_one_query_per_row(
    open_edition, attendees, django_assert_max_num_queries
):
    export_list = AttendeeList(
        ExportFilters(edition=open_edition), list(AttendeeList.column_specs())
    )
    with django_assert_max_num_queries(3):
        rows = list(export_list.rows())
    assert len(rows) == 3


def test_older_export_logs_lose_their_search_terms(open_edition):
    """Migration 0006 scrubs what older entries kept of the raw query string."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("registrations.migrations.0006_backoffice_exports")
    # The models as that migration knew them (the export log lived in registrations then).
    state = MigrationLoader(connection).project_state(("registrations", "0006_backoffice_exports"))
    apps = state.apps
    old = ExportLog.objects.create(
        edition=open_edition,
        source="admin",
        format="csv",
        row_count=1,
        filters={"q": "jiwon@example.kr", "status__exact": "confirmed", "o": "2"},
    )
    clean = ExportLog.objects.create(
        edition=open_edition, source="command", format="csv", row_count=1, filters={"status": "x"}
    )

    migration.scrub_export_filters(apps, None)

    old.refresh_from_db()
    clean.refresh_from_db()
    assert old.filters == {"status__exact": "confirmed", "search": True}
    assert clean.filters == {"status": "x"}


def test_xlsx_times_are_date_cells_in_the_forums_zone_with_a_number_format(
    tmp_path, open_edition, attendees
):
    path, _said = export(
        tmp_path, format="xlsx", edition=open_edition.slug, columns="name,registered_at"
    )
    sheet = load_workbook(path).active
    assert sheet["B1"].value == "Registered (Asia/Seoul)"
    cell = sheet["B2"]
    # openpyxl reads a number cell with a date format as a date ("d"), never as text ("s").
    assert (cell.is_date, cell.data_type) == (True, "d")
    assert cell.number_format == "yyyy-mm-dd hh:mm"
    registered = attendees[0].created_at.astimezone(open_edition.tzinfo)
    # Naive in the cell (a spreadsheet has no zones), the wall-clock time of the header's zone.
    assert cell.value.tzinfo is None
    assert cell.value.replace(second=0, microsecond=0) == registered.replace(
        tzinfo=None, second=0, microsecond=0
    )


def test_xlsx_meeting_days_and_clock_times_are_date_and_time_cells(tmp_path):
    import datetime as dt

    rows = [[dt.date(2022, 1, 24), dt.time(10, 30), dt.datetime(2022, 1, 24, 10, 30), "x"]]
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"".join(xlsx_chunks(["Day", "Starts", "When", "T"], rows, sheet_name="T")))
    sheet = load_workbook(path).active
    day, clock, when = sheet["A2"], sheet["B2"], sheet["C2"]
    assert (day.is_date, day.number_format, day.value) == (
        True,
        "yyyy-mm-dd",
        dt.datetime(2022, 1, 24),
    )
    assert (clock.is_date, clock.number_format, clock.value) == (True, "hh:mm", dt.time(10, 30))
    assert (when.is_date, when.value) == (True, dt.datetime(2022, 1, 24, 10, 30))
    assert sheet["A1"].font.b  # the header row stays bold


def test_csv_writes_times_as_text_and_keeps_its_formula_guard():
    import datetime as dt

    from backoffice.exports.base import figure_csv

    data = figure_csv(
        ["When", "Day", "Clock", "Name"],
        [[dt.datetime(2022, 1, 24, 10, 30, 15), dt.date(2022, 1, 24), dt.time(9, 5), "=1+1"]],
    )
    assert data.decode("utf-8-sig").splitlines() == [
        "When,Day,Clock,Name",
        "2022-01-24 10:30,2022-01-24,09:05,'=1+1",
    ]


def test_the_xlsx_reads_as_the_csv_whatever_the_text_holds(tmp_path, open_edition):
    """On PostgreSQL the XLSX rows are written by COPY, on SQLite by Python: a reader reads the
    same values as the CSV's (bar the CSV's formula guard) either way."""
    names = ["Line one\nline two", "Kim & Lee <Partners>", "박지원", "Emoji 🎉 fan", "=1+1"]
    for number, name in enumerate(names):
        register_attendee(
            edition=open_edition,
            data=service_data(name=name, email=f"p{number}@example.org", organisation=name),
        )
    columns = "id,name,organisation,country,wants_meetings,registered_at,sessions_booked"
    csv_path, _said = export(tmp_path, edition=open_edition.slug, columns=columns)
    xlsx_path, _said = export(tmp_path, format="xlsx", edition=open_edition.slug, columns=columns)

    sheet = load_workbook(xlsx_path, read_only=True).active
    rows = [list(row) for row in sheet.iter_rows()]
    assert [cell.value for cell in rows[0]] == read_csv(csv_path)[0]
    as_text = []
    for row in rows[1:]:
        assert [cell.data_type for cell in row[:6]] == ["n", "s", "s", "s", "s", "d"]
        # A reader's row ends at its last value (the sessions column is empty here).
        values = [cell.value for cell in row] + [None] * (len(rows[0]) - len(row))
        number, name, organisation, country, wants, registered, sessions = values
        as_text.append(
            [
                str(number),
                *(safe_csv_cell(value) for value in (name, organisation, country, wants)),
                registered.strftime("%Y-%m-%d %H:%M"),
                sessions or "",
            ]
        )
    assert as_text == read_csv(csv_path)[1:]
    assert [row[1] for row in as_text] == [*names[:4], "'=1+1"]
