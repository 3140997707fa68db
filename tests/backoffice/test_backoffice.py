"""The back-office pages: dashboard (counts, SVG charts, CSV per figure), export page, presets."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from openpyxl import load_workbook

from backoffice.exports import EXPORT_LISTS
from backoffice.models import ExportLog, ExportPreset
from common.models import AuditLog
from registrations.models import Registration
from registrations.services.registrations import confirm_registration, register_attendee
from tests.factories import EditionFactory, SessionFactory
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


def user_in(group: str) -> User:
    user = User.objects.create_user(f"{group.lower()}-user", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def viewer_client(client):
    client.force_login(user_in("Viewer"))
    return client


@pytest.fixture
def organiser(db):
    return user_in("Organiser")


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def register(edition, n: int, sessions=(), **overrides):
    made = []
    for i in range(n):
        data = service_data(
            name=f"Person {overrides.get('country', 'KR')} {i}",
            email=f"p{i}-{overrides.get('country', 'kr')}-{len(sessions)}@example.org",
            sessions=list(sessions),
            **overrides,
        )
        made.append(register_attendee(edition=edition, data=data))
    return made


@pytest.fixture
def crowd(open_edition, small_session, big_session):
    korean = register(open_edition, 2, sessions=[small_session, big_session])
    for registration in korean:
        confirm_registration(registration=registration)
    register(open_edition, 1, country="VN", category="asean_government", sessions=[big_session])
    return korean


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_dashboard_counts_by_status_category_country_and_session(
    organiser_client, open_edition, crowd, small_session, big_session
):
    response = organiser_client.get(reverse("backoffice:dashboard"), {"edition": open_edition.pk})

    assert response.status_code == 200
    figures = {figure.slug: figure for figure in response.context["figures"]}
    assert figures["status"].rows == [
        ["Confirmed", 2],
        ["Awaiting email confirmation", 1],
    ]
    assert figures["category"].rows == [
        ["Korean company", 2],
        ["ASEAN government / project owner", 1],
    ]
    assert figures["country"].rows == [["South Korea", 2], ["Vietnam", 1]]
    starts = small_session.starts_at.astimezone(open_edition.tzinfo).strftime("%Y-%m-%d %H:%M")
    assert figures["sessions"].rows[0] == [small_session.title, starts, 1, 1, 1]
    assert figures["sessions"].rows[1][2:] == [100, 3, 0]
    body = response.content.decode()
    # Charts are SVG drawn on the server; no inline style or script (content security policy).
    assert body.count('<svg class="backoffice-chart"') == 7
    assert "style=" not in body.split('id="content-main"')[1]
    assert "<script>" not in body
    assert "1 of 1 seats, 1 waiting" in body


def test_each_figure_downloads_as_csv(organiser_client, open_edition, crowd):
    response = organiser_client.get(
        reverse("backoffice:dashboard_figure", args=[open_edition.pk, "country"])
    )
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{open_edition.slug}_dashboard-country_'
    )
    assert csv_rows(response) == [
        ["Country", "Registrations"],
        ["South Korea", "2"],
        ["Vietnam", "1"],
    ]
    missing = organiser_client.get(
        reverse("backoffice:dashboard_figure", args=[open_edition.pk, "shoe-size"])
    )
    assert missing.status_code == 404


def test_the_dashboard_needs_the_same_queries_for_few_and_many(
    organiser_client, open_edition, django_assert_num_queries
):
    url = reverse("backoffice:dashboard")

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert organiser_client.get(url, {"edition": open_edition.pk}).status_code == 200
        return len(captured)

    session = SessionFactory(edition=open_edition, capacity=5)
    register(open_edition, 1, sessions=[session])
    few = queries()
    for _ in range(3):
        extra = SessionFactory(edition=open_edition, capacity=5)
        register(open_edition, 4, sessions=[extra], country="TH")
    assert queries() == few


def test_a_viewer_sees_counts_but_never_personal_data(viewer_client, open_edition, crowd):
    dashboard = viewer_client.get(reverse("backoffice:dashboard"), {"edition": open_edition.pk})
    assert dashboard.status_code == 200
    body = dashboard.content.decode()
    assert "Person KR 0" not in body and "@example.org" not in body
    assert "Export a list" not in body

    assert viewer_client.get(reverse("backoffice:export")).status_code == 403
    post = viewer_client.post(
        reverse("backoffice:export"),
        {"edition": open_edition.pk, "list_kind": "attendees", "format": "csv"},
    )
    assert post.status_code == 403
    changelist = viewer_client.get("/admin/registrations/registration/")
    assert changelist.status_code == 403
    assert ExportLog.objects.count() == 0


def test_staff_see_the_dashboard_but_cannot_export(client, open_edition, crowd):
    client.force_login(user_in("Staff"))
    assert client.get(reverse("backoffice:dashboard")).status_code == 200
    assert client.get(reverse("backoffice:export")).status_code == 403
    ids = list(Registration.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/registrations/registration/", {"action": "export_csv", "_selected_action": ids}
    )
    assert not getattr(response, "streaming", False)
    assert ExportLog.objects.count() == 0


def test_the_export_page_counts_then_streams_and_logs(
    organiser_client, organiser, open_edition, crowd, big_session
):
    query = {
        "edition": open_edition.pk,
        "list_kind": "attendees",
        "countries": ["KR"],
        "columns": ["name", "country", "sessions_booked"],
    }
    page = organiser_client.get(reverse("backoffice:export"), query)
    assert page.status_code == 200
    assert page.context["row_count"] == 2
    assert "2 rows in this list." in page.content.decode()

    response = organiser_client.post(reverse("backoffice:export"), {**query, "format": "xlsx"})
    assert response.streaming
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{open_edition.slug}_attendees_'
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Name", "Country", "Sessions booked"]
    assert {row[1] for row in rows[1:]} == {"South Korea"}
    assert len(rows) == 3
    log = ExportLog.objects.get()
    assert (log.user, log.format, log.row_count, log.list_kind) == (
        organiser,
        "xlsx",
        2,
        "attendees",
    )
    assert log.filters == {"countries": ["KR"], "columns": ["name", "country", "sessions_booked"]}


def test_bad_export_input_keeps_the_form_and_says_why(organiser_client, open_edition):
    other_session = SessionFactory(edition=EditionFactory(is_current=False))
    response = organiser_client.post(
        reverse("backoffice:export"),
        {"edition": open_edition.pk, "list_kind": "attendees", "session": other_session.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert ExportLog.objects.count() == 0


def test_a_preset_is_saved_and_fills_in_its_columns(organiser_client, organiser, open_edition):
    response = organiser_client.post(
        reverse("backoffice:export"),
        {
            "edition": open_edition.pk,
            "list_kind": "attendees",
            "columns": ["name", "organisation", "country"],
            "preset_name": "For the co-host",
            "save_preset": "1",
        },
    )
    preset = ExportPreset.objects.get()
    assert (preset.name, preset.list_kind, preset.columns, preset.created_by) == (
        "For the co-host",
        "attendees",
        ["name", "organisation", "country"],
        organiser,
    )
    assert response.status_code == 302
    assert list(
        AuditLog.objects.filter(action="export_preset.saved").values_list("actor", "fields")
    ) == [(organiser.pk, ["columns"])]
    page = organiser_client.get(response["Location"])
    assert page.context["form"].cleaned_data["columns"] == ["name", "organisation", "country"]
    assert re.search(r'value="organisation"[^>]*checked', page.content.decode())

    # The same name again replaces the columns; no duplicate.
    organiser_client.post(
        reverse("backoffice:export"),
        {
            "edition": open_edition.pk,
            "list_kind": "attendees",
            "columns": ["email"],
            "preset_name": "For the co-host",
            "save_preset": "1",
        },
    )
    assert list(ExportPreset.objects.values_list("columns", flat=True)) == [["email"]]


def test_the_changelist_export_logs_filters_but_not_the_search_term(
    organiser_client, organiser, open_edition, crowd
):
    ids = list(Registration.objects.values_list("pk", flat=True))
    response = organiser_client.post(
        "/admin/registrations/registration/?status__exact=confirmed&q=p0-KR",
        {"action": "export_csv", "_selected_action": ids},
    )
    rows = csv_rows(response)
    assert rows[0][:3] == ["Name", "Email", "Organisation"]
    assert [row[1] for row in rows[1:]] == ["p0-kr-2@example.org"]
    log = ExportLog.objects.get()
    assert log.filters == {
        "statuses": "confirmed",
        "search": True,
        "selected": True,
        "columns": list(log.filters["columns"]),
    }
    assert "p0" not in str(log.filters)


def test_the_admin_index_links_the_back_office(organiser_client):
    body = organiser_client.get("/admin/").content.decode()
    assert reverse("backoffice:dashboard") in body and reverse("backoffice:export") in body


def test_the_viewer_index_has_the_dashboard_only(viewer_client):
    body = viewer_client.get("/admin/").content.decode()
    assert reverse("backoffice:dashboard") in body
    assert reverse("backoffice:export") not in body


def test_permissions_exist_for_the_roles():
    codes = set(
        Permission.objects.filter(group__name="Organiser").values_list("codename", flat=True)
    )
    assert {"view_dashboard", "export_personal_data"} <= codes


def test_the_export_page_starts_with_the_lists_usual_columns_ticked(organiser_client, open_edition):
    page = organiser_client.get(reverse("backoffice:export"), {"list_kind": "session-attendance"})
    assert page.context["form"].cleaned_data["columns"] == [
        "session",
        "starts_at",
        "booking",
        "name",
        "organisation",
        "country",
        "category",
    ]
    assert re.search(r'value="booking"[^>]*checked', page.content.decode())


def post_export(client, edition, *, list_kind="attendees", columns=("name", "email"), **more):
    """The export page's form as the page sent it, its columns shown for the attendee list."""
    data = {
        "edition": edition.pk,
        "list_kind": list_kind,
        "columns_for": "attendees",
        "columns": list(columns),
        "format": "csv",
    }
    return client.post(reverse("backoffice:export"), {**data, **more})


def test_downloading_straight_away_uses_exactly_the_ticked_columns(
    organiser_client, open_edition, crowd
):
    """No "Count the rows" first: one form, so the ticked columns are the file's columns."""
    response = post_export(organiser_client, open_edition, columns=["country", "name"])
    assert response.streaming
    assert csv_rows(response)[0] == ["Name", "Country"]  # in the list's order


def test_columns_ticked_for_another_list_are_never_downloaded(
    organiser_client, open_edition, crowd
):
    """The list was changed on a page whose columns were the attendee list's (no script ran)."""
    response = post_export(
        organiser_client, open_edition, list_kind="session-attendance", format="xlsx"
    )
    assert not getattr(response, "streaming", False)
    assert ExportLog.objects.count() == 0
    body = response.content.decode()
    assert (
        "The ticked columns were those of another list. The columns of “Session attendance” are "
        "ticked now: check them, then download."
    ) in body
    assert response.context["form"].cleaned_data["columns"] == list(
        EXPORT_LISTS["session-attendance"].default_columns
    )
    assert 'name="columns_for" value="session-attendance"' in body

    again = organiser_client.post(
        reverse("backoffice:export"),
        {**dict(response.context["form"].data.lists()), "format": "xlsx"},
    )
    assert again.streaming
    sheet = load_workbook(io.BytesIO(b"".join(again.streaming_content))).active
    assert [cell.value for cell in sheet[1]][:3] == ["Session", "Starts (Asia/Seoul)", "Booking"]


def test_no_column_or_an_unknown_column_is_refused_with_a_message(organiser_client, open_edition):
    unknown = post_export(organiser_client, open_edition, columns=["shoe_size"])
    assert not getattr(unknown, "streaming", False)
    assert "Select a valid choice. shoe_size is not one of the available choices." in (
        unknown.content.decode()
    )
    empty = post_export(organiser_client, open_edition, columns=[])
    assert not getattr(empty, "streaming", False)
    assert "Tick at least one column." in empty.content.decode()
    assert ExportLog.objects.count() == 0


def test_only_the_chosen_lists_presets_are_offered(organiser_client, open_edition):
    ExportPreset.objects.create(name="Co-host", list_kind="attendees", columns=["name"])
    ExportPreset.objects.create(name="Room plan", list_kind="meetings-by-day", columns=["room"])
    page = organiser_client.get(reverse("backoffice:export"), {"list_kind": "meetings-by-day"})
    assert [str(choice[1]) for choice in page.context["form"].fields["preset"].choices] == [
        "No preset",
        "Room plan",
    ]
    # A preset of the list chosen before is dropped, not an error.
    stale = organiser_client.post(
        reverse("backoffice:export"),
        {
            "edition": open_edition.pk,
            "list_kind": "meetings-by-day",
            "preset": str(ExportPreset.objects.get(name="Co-host").pk),
            "count": "1",
        },
    )
    assert stale.context["form"].is_valid()
    assert stale.context["form"].cleaned_data["preset"] is None
