"""Exports: filters, formulas neutralised, CSV streamed, XLSX write-only, every export logged."""

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from registrations.exports.attendees import safe_cell
from registrations.models import ExportLog, Registration
from registrations.services.registrations import confirm_registration, register_attendee
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db

FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_triggers_get_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Hanbit", "박지원", "", 42, "a=b"])
def test_other_values_stay_as_they_are(value):
    assert safe_cell(value) == value


@pytest.fixture
def attendees(open_edition, small_session, big_session):
    evil = register_attendee(
        edition=open_edition,
        data=service_data(
            name='=HYPERLINK("http://evil.example","click")',
            email="evil@example.org",
            organisation="@SUM(1+1)",
            sessions=[small_session],
        ),
    )
    korean = register_attendee(
        edition=open_edition,
        data=service_data(
            name="박지원",
            email="jiwon@example.kr",
            category="media",
            sessions=[small_session, big_session],
        ),
    )
    confirm_registration(registration=korean)
    return evil, korean


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_the_csv_export_neutralises_formulas_and_keeps_korean(
    tmp_path, open_edition, attendees, small_session, big_session
):
    path = tmp_path / "attendees.csv"
    out = io.StringIO()

    call_command(
        "export_attendees", edition=open_edition.slug, format="csv", output=str(path), stdout=out
    )

    rows = read_csv(path)
    assert rows[0][:3] == ["id", "name", "email"]
    by_email = {row[2]: row for row in rows[1:]}
    evil = by_email["evil@example.org"]
    assert evil[1] == '\'=HYPERLINK("http://evil.example","click")'
    assert evil[3] == "'@SUM(1+1)"
    assert (evil[14], evil[15]) == (small_session.slug, "")
    korean = by_email["jiwon@example.kr"]
    assert korean[1] == "박지원"
    assert (korean[6], korean[11]) == ("media", "confirmed")
    assert (korean[14], korean[15]) == (big_session.slug, small_session.slug)
    assert korean[16] == "collection:1 transfer:1"
    assert out.getvalue() == f"Exported 2 attendees to {path}.\n"


def test_the_filters_narrow_the_list_and_the_export_is_logged(
    tmp_path, open_edition, attendees, big_session
):
    path = tmp_path / "a.csv"
    call_command(
        "export_attendees",
        edition=open_edition.slug,
        format="csv",
        session=big_session.slug,
        status="confirmed",
        category="media",
        output=str(path),
        stdout=io.StringIO(),
    )
    assert [row[2] for row in read_csv(path)[1:]] == ["jiwon@example.kr"]
    log = ExportLog.objects.get()
    assert (log.edition, log.user, log.source, log.format, log.row_count) == (
        open_edition,
        None,
        "command",
        "csv",
        1,
    )
    assert log.filters == {"session": big_session.slug, "status": "confirmed", "category": "media"}


def test_the_xlsx_export_has_text_cells_not_formulas(tmp_path, open_edition, attendees):
    path = tmp_path / "attendees.xlsx"
    call_command(
        "export_attendees",
        edition=open_edition.slug,
        format="xlsx",
        output=str(path),
        stdout=io.StringIO(),
    )
    sheet = load_workbook(path).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["id", "name", "email"]
    names = {row[2]: row[1] for row in rows[1:]}
    assert names == {
        "evil@example.org": '\'=HYPERLINK("http://evil.example","click")',
        "jiwon@example.kr": "박지원",
    }
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert ExportLog.objects.get().row_count == 2


def test_an_unknown_edition_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No edition with the slug 'nope'"):
        call_command("export_attendees", edition="nope", output=str(tmp_path / "x.csv"))


def test_the_admin_action_streams_the_csv_and_logs_who(admin_client, admin_user, attendees):
    ids = list(Registration.objects.values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/registrations/registration/?status__exact=confirmed",
        {"action": "export_csv", "_selected_action": ids},
    )
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    # The changelist's filter applies to the selection too.
    assert [row[2] for row in rows[1:]] == ["jiwon@example.kr"]
    log = ExportLog.objects.get()
    assert (log.user, log.source, log.row_count, log.filters) == (
        admin_user,
        "admin",
        1,
        {"status__exact": "confirmed"},
    )
