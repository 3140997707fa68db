"""Staff import the online platform's attendance report (CSV or XLSX): a preview with an error
per row, nothing written before they confirm; each row marks attendance through the service,
in the History; re-importing changes nothing; a row the join link wrote stays the link's."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, User
from openpyxl import Workbook

from common.models import AuditLog
from registrations.models import Attendance
from registrations.services.attendance import record_attendance
from tests.backoffice.test_imports import confirm, upload
from tests.registrations.test_online import _attendee, _session

pytestmark = pytest.mark.django_db

ATTENDANCES = "/admin/registrations/attendance/"


@pytest.fixture
def forum(open_edition):
    """A session that took place on 21 January 2030, 10:00–11:00 in Seoul; three people."""
    session = _session(open_edition, starts_in=dt.timedelta(days=3), title="Keynotes")
    session.starts_at = dt.datetime(2030, 1, 21, 1, 0, tzinfo=dt.UTC)  # 10:00 in Seoul
    session.ends_at = session.starts_at + dt.timedelta(hours=1)
    session.save()
    came = _attendee(open_edition, [session], email="lan@mpi.gov.vn", name="Nguyen Thi Lan")
    linked = _attendee(open_edition, [session], email="minjun@example.kr", name="Kim Min-jun")
    pending = _attendee(open_edition, [session], email="late@example.org", confirm=False)
    return session, came, linked, pending


def staff_client(client, group="Staff"):
    user = User.objects.create_user(f"{group}-user", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client, user


REPORT = (
    "Email,Session,Joined,Times joined\n"
    "LAN@mpi.gov.vn,keynotes,2030-01-21 10:05,2\n"
    "minjun@example.kr,Keynotes,01/21/2030 09:58:00 AM,\n"
)


def test_a_report_marks_attendance_once_and_keeps_what_the_link_wrote(client, forum):
    session, came, linked, _pending = forum
    link_join = dt.datetime(2030, 1, 21, 1, 2, tzinfo=dt.UTC)  # 10:02 in Seoul
    record_attendance(registration=linked, session=session, stream=None, now=link_join)
    client, user = staff_client(client)

    preview = upload(client, ATTENDANCES, REPORT.encode(), edition=session.edition)
    assert preview.status_code == 200
    assert not preview.context["result"].has_validation_errors()
    assert Attendance.objects.count() == 1  # nothing written before confirming
    confirm(client, ATTENDANCES, preview)

    rows = {row.registration.email: row for row in Attendance.objects.all()}
    assert (rows["lan@mpi.gov.vn"].source, rows["lan@mpi.gov.vn"].joins) == ("manual", 2)
    assert rows["lan@mpi.gov.vn"].first_joined_at == dt.datetime(2030, 1, 21, 1, 5, tzinfo=dt.UTC)
    # The link's row: still the link's, one join, its first join now the report's earlier one.
    assert (rows["minjun@example.kr"].source, rows["minjun@example.kr"].joins) == ("link", 1)
    assert rows["minjun@example.kr"].first_joined_at == dt.datetime(
        2030, 1, 21, 0, 58, tzinfo=dt.UTC
    )
    marked = AuditLog.objects.filter(action="attendance.marked").order_by("pk")
    assert [(entry.object_id, entry.actor, entry.details) for entry in marked] == [
        (came.pk, user, {"session_id": session.pk, "created": True}),
        (linked.pk, user, {"session_id": session.pk, "created": False}),
    ]

    again = upload(client, ATTENDANCES, REPORT.encode(), edition=session.edition)
    totals = again.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 0, 2)
    confirm(client, ATTENDANCES, again)
    assert Attendance.objects.count() == 2
    assert AuditLog.objects.filter(action="attendance.marked").count() == 2


def test_an_xlsx_report_without_times_counts_from_the_start(client, forum):
    session, came, _linked, _pending = forum
    book = Workbook()
    sheet = book.active
    sheet.append(["Email", "Session"])
    sheet.append(["lan@mpi.gov.vn", "Keynotes"])
    data = io.BytesIO()
    book.save(data)
    client, _user = staff_client(client)
    preview = upload(
        client, ATTENDANCES, data.getvalue(), edition=session.edition, name="r.xlsx", format=1
    )
    confirm(client, ATTENDANCES, preview)
    row = Attendance.objects.get()
    assert (row.registration, row.first_joined_at, row.joins) == (came, session.starts_at, 1)


def test_each_bad_row_says_why_and_nothing_is_written(client, forum):
    session, *_ = forum
    client, _user = staff_client(client)
    report = (
        "Email,Session,Joined\n"
        "nobody@example.org,Keynotes,2030-01-21 10:05\n"
        "late@example.org,Keynotes,2030-01-21 10:05\n"
        "lan@mpi.gov.vn,Closing,2030-01-21 10:05\n"
        "lan@mpi.gov.vn,Keynotes,yesterday\n"
    )
    preview = upload(client, ATTENDANCES, report.encode(), edition=session.edition)
    errors = {
        row.number: [str(error) for errors in row.error_dict.values() for error in errors]
        for row in preview.context["result"].invalid_rows
    }
    assert errors == {
        1: ["Nobody registered with “nobody@example.org” here."],
        2: [
            "The registration of “late@example.org” is not confirmed (Awaiting email confirmation)."
        ],
        3: ["No session “Closing” here."],
        4: ["“yesterday” is not a date and time such as 2030-01-21 10:05."],
    }
    assert Attendance.objects.count() == 0


def test_viewers_cannot_import(client, forum):
    session, *_ = forum
    client, _user = staff_client(client, "Viewer")
    response = upload(client, ATTENDANCES, REPORT.encode(), edition=session.edition)
    assert response.status_code == 403
    assert Attendance.objects.count() == 0
