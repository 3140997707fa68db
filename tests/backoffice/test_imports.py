"""Imports in the admin: a preview with an error per row, nothing written before staff confirm,
re-importing the same file changes nothing."""

import csv
import html
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from forum.models import Project
from registrations.models import Invitee
from tests.factories import ProjectFactory, SectorFactory

pytestmark = pytest.mark.django_db

INVITEES = "/admin/registrations/invitee/"
PROJECTS = "/admin/forum/project/"

GOOD = (
    "Name,Email,Organisation,Job title,Country,Participant category,Language\n"
    "Kim Min-jun,MinJun.Kim@Example.kr,Hanbit Engineering,Director,Korea,Korean company,ko\n"
    "Nguyen Thi Lan,lan@mpi.gov.vn,Ministry of Planning,Deputy Director,Viet Nam,"
    "ASEAN government / project owner,English\n"
)
BAD = GOOD + (
    "Someone,not-an-email,X,Y,Atlantis,Korean company,en\n"
    "Another,another@example.org,X,Y,TH,astronaut,en\n"
)


def upload(client, url, content: bytes, *, edition, resource=0, name="list.csv", format=0):
    return client.post(
        f"{url}import/",
        {
            "edition": edition.pk,
            "resource": resource,
            "format": format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, url, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(f"{url}process_import/", data)


def test_the_preview_shows_an_error_per_row_and_writes_nothing(admin_client, edition):
    preview = upload(admin_client, INVITEES, BAD.encode(), edition=edition)

    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.has_validation_errors()
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(errors) == {3, 4}
    assert "Enter a valid email address." in str(errors[3]["email"])
    assert "Unknown country “Atlantis”." in str(errors[3]["country"])
    assert "“astronaut” is not one of" in str(errors[4]["category"])
    body = preview.content.decode()
    assert "Unknown country “Atlantis”." in body
    assert Invitee.objects.count() == 0


def preview_table(response) -> list[list[tuple[str, list[str]]]]:
    """Each row of the preview: (value, errors in that cell) per cell, as staff read them."""
    body = response.content.decode()
    table = re.search(r'<table class="import-preview".*?</table>', body, re.S).group(0)
    rows = []
    for row in re.findall(r"<tr class=\"import-row.*?</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        parsed = []
        for cell in cells:
            errors = [html.unescape(e) for e in re.findall(r"<li>(.*?)</li>", cell, re.S)]
            text = re.sub(r"<ul.*?</ul>", "", cell, flags=re.S)
            parsed.append((html.unescape(re.sub(r"<[^>]+>", "", text)).strip(), errors))
        rows.append(parsed)
    return rows


def test_the_preview_shows_each_rows_values_and_errors_in_the_cell_at_fault(admin_client, edition):
    preview = upload(admin_client, INVITEES, BAD.encode(), edition=edition)

    rows = preview_table(preview)
    assert [row[0][0] for row in rows] == ["1", "2", "3", "4"]
    assert [row[1][0] for row in rows] == ["New", "New", "Not imported", "Not imported"]
    # A good row shows its values as they are in the file.
    # (The file has no "Name in Latin letters" nor "Organisation in English" column: empty.)
    assert [cell[0] for cell in rows[0][2:8]] == [
        "Kim Min-jun",
        "",
        "MinJun.Kim@Example.kr",
        "Hanbit Engineering",
        "",
        "Director",
    ]
    assert all(errors == [] for _value, errors in rows[0][2:])
    # A bad row: each error beside the value it is about.
    bad = {cell[0]: cell[1] for cell in rows[2][2:]}
    assert bad["not-an-email"] == ["Enter a valid email address."]
    assert bad["Atlantis"] == ["Unknown country “Atlantis”."]
    assert bad["Someone"] == []
    assert "“astronaut” is not one of" in {c[0]: c[1] for c in rows[3][2:]}["astronaut"][0]
    assert preview.context["good_count"] == 2 and preview.context["bad_count"] == 2


def test_the_good_rows_import_and_the_bad_ones_are_left_out_with_a_message(admin_client, edition):
    preview = upload(admin_client, INVITEES, BAD.encode(), edition=edition)
    assert 'value="Import the 2 good rows"' in preview.content.decode()

    done = confirm(admin_client, INVITEES, preview)

    assert done.status_code == 302
    assert sorted(Invitee.objects.values_list("email", flat=True)) == [
        "lan@mpi.gov.vn",
        "minjun.kim@example.kr",
    ]
    shown = [str(m) for m in get_messages(done.wsgi_request)]
    assert shown[1].startswith(
        "2 rows with errors were not imported: download them, fix them and import them: <a "
    )


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_bad_rows_download_with_an_errors_column(admin_client, edition, format):
    preview = upload(admin_client, INVITEES, BAD.encode(), edition=edition)
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}

    response = admin_client.post(f"{INVITEES}import/bad-rows/", {**data, "bad_rows_format": format})

    assert response["Content-Disposition"] == (
        f'attachment; filename="list-rows-with-errors.{format}"'
    )
    if format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Name" and rows[0][-1] == "Errors"
    assert [row[0] for row in rows[1:]] == ["Someone", "Another"]
    assert rows[0][:3] == ["Name", "Name in Latin letters", "Email"]
    assert rows[1][2] == "not-an-email"
    assert (
        rows[1][-1] == "Email: Enter a valid email address.; Country: Unknown country “Atlantis”."
    )
    assert rows[2][-1].startswith("Participant category: “astronaut” is not one of")
    assert Invitee.objects.count() == 0  # downloading writes nothing


def test_a_file_with_no_good_row_cannot_be_confirmed(admin_client, edition):
    only_bad = BAD.splitlines()[0] + "\n" + "\n".join(BAD.splitlines()[3:]) + "\n"
    preview = upload(admin_client, INVITEES, only_bad.encode(), edition=edition)
    assert preview.context.get("confirm_form") is None
    assert "No row of this file can be imported" in preview.content.decode()


def test_confirming_writes_and_importing_again_changes_nothing(admin_client, edition):
    preview = upload(admin_client, INVITEES, GOOD.encode(), edition=edition)
    assert not preview.context["result"].has_validation_errors()
    assert Invitee.objects.count() == 0  # the preview wrote nothing

    done = confirm(admin_client, INVITEES, preview)
    assert done.status_code == 302
    rows = list(
        Invitee.objects.order_by("name").values_list(
            "edition", "name", "email", "country", "category", "language"
        )
    )
    assert rows == [
        (edition.pk, "Kim Min-jun", "minjun.kim@example.kr", "KR", "korean_company", "ko"),
        (edition.pk, "Nguyen Thi Lan", "lan@mpi.gov.vn", "VN", "asean_government", "en"),
    ]

    again = upload(
        admin_client,
        INVITEES,
        GOOD.upper().replace("NAME,EMAIL", "Name,Email").encode(),
        edition=edition,
    )
    # Same people, emails in capitals: matched, not duplicated.
    assert again.context["result"].totals["new"] == 0
    same = upload(admin_client, INVITEES, GOOD.encode(), edition=edition)
    assert same.context["result"].totals["skip"] == 2
    confirm(admin_client, INVITEES, same)
    assert Invitee.objects.count() == 2


def test_project_owners_from_xlsx_need_a_project(admin_client, edition):
    project = ProjectFactory(edition=edition, slug="mrt-line-2", title="MRT Line 2")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Email", "Organisation", "Country", "Project"])
    sheet.append(["Dara Sok", "dara@mpwt.gov.kh", "Ministry of Public Works", "KH", "MRT Line 2"])
    sheet.append(["No Project", "np@example.org", "Ministry", "LA", ""])
    content = io.BytesIO()
    workbook.save(content)

    preview = upload(
        admin_client,
        INVITEES,
        content.getvalue(),
        edition=edition,
        resource=1,
        name="owners.xlsx",
        format=1,
    )
    errors = {row.number: row.error_dict for row in preview.context["result"].invalid_rows}
    assert list(errors) == [2]
    assert "This column needs a value." in str(errors[2]["project"])
    assert Invitee.objects.count() == 0

    sheet.delete_rows(3)
    content = io.BytesIO()
    workbook.save(content)
    preview = upload(
        admin_client,
        INVITEES,
        content.getvalue(),
        edition=edition,
        resource=1,
        name="owners.xlsx",
        format=1,
    )
    confirm(admin_client, INVITEES, preview)
    owner = Invitee.objects.get()
    assert (owner.project, owner.category, owner.country) == (project, "asean_government", "KH")


def test_projects_import_by_names_and_reimport_is_idempotent(admin_client, edition):
    SectorFactory(slug="transport", name="Transport")
    csv_text = (
        "Title,Country,Sector,Estimated cost (USD),Financing mode,Stage\n"
        "Hanoi Ring Road 4,Viet Nam,Transport,1200000000,Public-private partnership,Design\n"
        "Phnom Penh Port,KH,transport,,,\n"
    )
    preview = upload(admin_client, PROJECTS, csv_text.encode(), edition=edition)
    assert not preview.context["result"].has_validation_errors()
    confirm(admin_client, PROJECTS, preview)
    projects = list(
        Project.objects.order_by("title").values_list(
            "slug", "country", "sector__slug", "financing_mode", "stage", "edition"
        )
    )
    assert projects == [
        ("hanoi-ring-road-4", "VN", "transport", "ppp", "design", edition.pk),
        ("phnom-penh-port", "KH", "transport", "open", "concept", edition.pk),
    ]
    again = upload(admin_client, PROJECTS, csv_text.encode(), edition=edition)
    assert again.context["result"].totals["skip"] == 2
    assert Project.objects.count() == 2


def test_the_import_page_has_no_inline_script_or_style(admin_client):
    body = admin_client.get(f"{INVITEES}import/").content.decode()
    main = body.split("<h1>")[1]
    assert "style=" not in main
    assert "<script>" not in body
    assert 'name="edition"' in body


def test_invitees_are_purged_with_the_editions_personal_data(edition):
    import datetime as dt

    from registrations.services.privacy import purge_personal_data

    Invitee.objects.create(edition=edition, name="Kim", email="kim@example.kr")
    purge_personal_data(today=edition.end_date + dt.timedelta(days=edition.retention_days))
    assert Invitee.objects.count() == 1  # the last day of the period still counts
    purge_personal_data(today=edition.end_date + dt.timedelta(days=edition.retention_days + 1))
    assert Invitee.objects.count() == 0


def test_staff_cannot_import_invitees(client, edition):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("staff-user", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Staff"))
    client.force_login(user)
    assert client.get(f"{INVITEES}import/").status_code == 403
    response = upload(client, INVITEES, GOOD.encode(), edition=edition)
    assert response.status_code == 403
    assert Invitee.objects.count() == 0


def test_an_organiser_can_import(client, edition):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("organiser-user", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Organiser"))
    client.force_login(user)
    preview = upload(client, INVITEES, GOOD.encode(), edition=edition)
    assert preview.status_code == 200
    confirm(client, INVITEES, preview)
    assert Invitee.objects.count() == 2


def test_a_korean_named_invitee_imports_with_the_latin_name_and_is_found_by_it(
    admin_client, edition
):
    latin = (
        "Name,Name in Latin letters,Email,Organisation,Organisation in English,Country\n"
        "김민준,Kim Min-jun,kim@hanbit.example,한빛엔지니어링,Hanbit Engineering,KR\n"
        "Nguyen Thi Lan,,lan@mpi.gov.vn,Ministry of Planning,,VN\n"
    )
    confirm(admin_client, INVITEES, upload(admin_client, INVITEES, latin.encode(), edition=edition))
    assert Invitee.objects.get(email="kim@hanbit.example").name_latin == "Kim Min-jun"

    found = admin_client.get(INVITEES, {"q": "kim min-jun"})
    assert [str(i) for i in found.context["cl"].result_list] == ["김민준 <kim@hanbit.example>"]
    page = html.unescape(found.content.decode())
    assert "김민준 (Kim Min-jun)" in page and "한빛엔지니어링 (Hanbit Engineering)" in page
    by_organisation = admin_client.get(INVITEES, {"q": "hanbit engineering"})
    assert len(by_organisation.context["cl"].result_list) == 1


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_bad_rows_still_download_after_the_good_ones_are_imported(
    admin_client, edition, format
):
    preview = upload(admin_client, INVITEES, BAD.encode(), edition=edition)
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    done = confirm(admin_client, INVITEES, preview)
    assert Invitee.objects.count() == 2  # importing deleted the uploaded file

    # The page the import leads to links to them…
    changelist = admin_client.get(done["Location"])
    links = re.findall(r"href='([^']*bad-rows/\?format=\w+)'", changelist.content.decode())
    assert links == [
        f"{INVITEES}import/bad-rows/?format=xlsx",
        f"{INVITEES}import/bad-rows/?format=csv",
    ]
    # …and both that link and the preview's button (staff going back to it) give the rows.
    for response in (
        admin_client.get(f"{INVITEES}import/bad-rows/", {"format": format}),
        admin_client.post(f"{INVITEES}import/bad-rows/", {**data, "bad_rows_format": format}),
    ):
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="list-rows-with-errors.{format}"'
        )
        if format == "csv":
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            rows = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
        assert [row[0] for row in rows[1:]] == ["Someone", "Another"]
        assert rows[1][-1] == (
            "Email: Enter a valid email address.; Country: Unknown country “Atlantis”."
        )


def test_an_import_without_bad_rows_keeps_none(admin_client, edition):
    confirm(admin_client, INVITEES, upload(admin_client, INVITEES, BAD.encode(), edition=edition))
    confirm(admin_client, INVITEES, upload(admin_client, INVITEES, GOOD.encode(), edition=edition))
    response = admin_client.get(f"{INVITEES}import/bad-rows/", {"format": "csv"})
    assert response.status_code == 400
    assert response.content.decode() == "No rows with errors are kept from an import."
