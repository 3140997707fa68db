"""Staff export a list in Debian's Chromium: what the page shows is what the file holds.

For each list: choose it, the page shows that list's columns at once (its usual ones ticked);
change the ticks, download XLSX straight away (no "Count the rows" first), and the file's header
is exactly the ticked columns of that list. Without JavaScript, columns ticked for another list
are never downloaded: the page shows the chosen list's columns first and says so.
"""

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from backoffice.exports import EXPORT_LISTS
from backoffice.models import ExportPreset
from tests.e2e.test_programme_browser import chromium  # noqa: F401 — a fixture, below

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STAFF = ("demo-staff", "connectivity-2022")  # `load_demo_forum --with-staff`


@pytest.fixture
def demo_forum(transactional_db):
    """The demo with its staff account (the `chromium` fixture loads this one here)."""
    call_command("load_demo_forum", with_staff=True)


@pytest.fixture
def browser(request, demo_forum):
    """Debian's Chromium, as the programme's browser test launches it."""
    return request.getfixturevalue("chromium")


def signed_in(browser, live_server, *, javascript=True, locale="en-GB"):
    context = browser.new_context(
        java_script_enabled=javascript, accept_downloads=True, locale=locale
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", STAFF[0])
    page.fill("#id_password", STAFF[1])
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def ticked(page) -> list[str]:
    return page.eval_on_selector_all(
        "input[name=columns]:checked", "boxes => boxes.map(box => box.value)"
    )


def downloaded_header(page, tmp_path, button: str) -> tuple[str, list]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, [cell.value for cell in load_workbook(path).active[1]]


@pytest.mark.parametrize("kind", list(EXPORT_LISTS))
def test_each_list_downloads_exactly_the_ticked_columns_in_one_step(
    browser, live_server, tmp_path, kind
):
    export_list = EXPORT_LISTS[kind]
    headers = dict(export_list.column_choices())
    page = signed_in(browser, live_server)
    page.goto(f"{live_server.url}/admin/backoffice/export/")
    assert page.locator("#export-count").inner_text().endswith("in this list.")
    if kind != "attendees":
        page.select_option("#id_list_kind", kind)
        # The count no longer claims to be about this list.
        assert page.locator("#export-count").inner_text() == (
            "The choices changed: count the rows again, or download."
        )
    # The columns follow the list at once, its usual ones ticked.
    assert page.locator("#export-columns-title").inner_text() == f"Columns of “{export_list.title}”"
    assert page.eval_on_selector_all("input[name=columns]", "boxes => boxes.length") == len(headers)
    assert ticked(page) == list(export_list.default_columns)
    # Untick the last usual column, tick the first column that isn't usual (if there is one).
    dropped = export_list.default_columns[-1]
    page.uncheck(f"input[name=columns][value='{dropped}']")
    added = next((key for key in headers if key not in export_list.default_columns), None)
    if added:
        page.check(f"input[name=columns][value='{added}']")
    expected = [key for key in headers if key in set(ticked(page))]
    assert dropped not in expected and (added is None or added in expected)

    name, header = downloaded_header(page, tmp_path, "Download XLSX")

    assert f"_{kind}_" in name and name.endswith(".xlsx")
    assert [label.split(" (")[0] for label in header] == [headers[key] for key in expected]


@pytest.fixture
def co_host_preset(demo_forum):
    # Made before Playwright starts its event loop (no ORM calls inside it).
    return ExportPreset.objects.create(
        name="Co-host", list_kind="attendees", columns=["name", "country"]
    )


def test_a_preset_ticks_its_columns_and_a_preset_of_another_list_is_not_offered(
    co_host_preset, browser, live_server, tmp_path
):
    page = signed_in(browser, live_server)
    page.goto(f"{live_server.url}/admin/backoffice/export/")
    page.select_option("#id_preset", label="Co-host")
    assert ticked(page) == ["name", "country"]
    page.select_option("#id_list_kind", "meetings-by-day")
    assert page.locator("#id_preset option").all_inner_texts() == ["No preset"]
    _name, header = downloaded_header(page, tmp_path, "Download XLSX")
    assert len(header) == len(EXPORT_LISTS["meetings-by-day"].default_columns)


def test_without_javascript_columns_of_another_list_are_never_downloaded(
    browser, live_server, tmp_path
):
    page = signed_in(browser, live_server, javascript=False)
    page.goto(f"{live_server.url}/admin/backoffice/export/")
    page.select_option("#id_list_kind", "session-attendance")
    page.get_by_role("button", name="Download XLSX").click()  # still the attendee columns
    page.wait_for_selector(".messagelist")
    assert page.locator(".messagelist").inner_text() == (
        "The ticked columns were those of another list. The columns of “Session attendance” are "
        "ticked now: check them, then download."
    )
    assert ticked(page) == list(EXPORT_LISTS["session-attendance"].default_columns)

    name, header = downloaded_header(page, tmp_path, "Download XLSX")
    assert "_session-attendance_" in name
    assert header[:3] == ["Session", "Starts (Asia/Seoul)", "Booking"]


INVITEES = (
    "Name,Email,Organisation,Job title,Country,Participant category,Language\n"
    "Kim Min-jun,minjun.kim@example.kr,Hanbit Engineering,Director,Korea,Korean company,ko\n"
    "Someone,not-an-email,X,Y,Atlantis,Korean company,en\n"
)


def test_staff_import_the_good_rows_and_download_the_bad_ones(browser, live_server, tmp_path):
    upload = tmp_path / "invitees.csv"
    upload.write_text(INVITEES)
    page = signed_in(browser, live_server)
    page.goto(f"{live_server.url}/admin/registrations/invitee/import/")
    page.select_option("#id_edition", index=1)
    page.set_input_files("#id_import_file", str(upload))
    page.select_option("#id_format", label="csv")
    page.get_by_role("button", name="Submit").click()

    bad_row = page.locator("tr.import-invalid")
    assert bad_row.locator("th").inner_text() == "2"
    # The value and, in the same cell, what is wrong with it.
    assert bad_row.locator("td.import-cell-error").all_inner_texts() == [
        "not-an-email\nEnter a valid email address.",
        "Atlantis\nUnknown country “Atlantis”.",
    ]
    assert page.locator("tr.import-new td").nth(1).inner_text() == "Kim Min-jun"

    with page.expect_download() as info:
        page.get_by_role("button", name="Rows with errors as XLSX").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = [[cell.value for cell in row] for row in load_workbook(path).active.iter_rows()]
    assert rows[0][:3] == ["Name", "Name in Latin letters", "Email"]
    assert [rows[1][0], rows[1][2]] == ["Someone", "not-an-email"]
    assert (
        rows[1][-1] == "Email: Enter a valid email address.; Country: Unknown country “Atlantis”."
    )

    page.get_by_role("button", name="Import the 1 good row").click()
    assert page.locator(".messagelist").inner_text().splitlines() == [
        "Import finished: 1 new, 0 updated, 0 deleted and 0 skipped invitees.",
        "1 row with errors was not imported: download it, fix it and import it: "
        "Rows with errors as XLSX · Rows with errors as CSV",
    ]
    # The import deleted the uploaded file; the rows it left out still download from here.
    with page.expect_download() as info:
        page.get_by_role("link", name="Rows with errors as XLSX").click()
    path = tmp_path / "after-import.xlsx"
    info.value.save_as(path)
    after = [[cell.value for cell in row] for row in load_workbook(path).active.iter_rows()]
    assert after == rows
