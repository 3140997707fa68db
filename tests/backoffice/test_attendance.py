"""The online forum in the back office: attendance on the dashboard and in the exports."""

import datetime as dt

import pytest
from django.urls import reverse

from registrations.models import Attendance
from registrations.services.attendance import record_attendance
from registrations.services.registrations import confirm_registration, register_attendee
from tests.backoffice.test_backoffice import user_in
from tests.backoffice.test_exports import export, read_csv
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client):
    client.force_login(user_in("Organiser"))
    return client


@pytest.fixture
def attended(open_edition, small_session, big_session):
    """Three registered for the big session: a Korean and a Vietnamese confirmed, one not; the
    Korean attended twice, the Vietnamese not at all. The small one: the Korean, attended."""
    korean = register_attendee(
        edition=open_edition,
        data=service_data(email="kr@example.org", sessions=[small_session, big_session]),
    )
    confirm_registration(registration=korean)
    vietnamese = register_attendee(
        edition=open_edition,
        data=service_data(
            email="vn@example.org",
            country="VN",
            category="asean_government",
            sessions=[big_session],
        ),
    )
    confirm_registration(registration=vietnamese)
    register_attendee(
        edition=open_edition, data=service_data(email="late@example.org", sessions=[big_session])
    )
    first = big_session.starts_at + dt.timedelta(minutes=2)
    record_attendance(registration=korean, session=big_session, stream=None, now=first)
    record_attendance(
        registration=korean,
        session=big_session,
        stream=None,
        now=first + dt.timedelta(minutes=5),
    )
    record_attendance(registration=korean, session=small_session, stream=None, now=first)
    return korean, vietnamese, first


def test_the_dashboard_counts_registered_confirmed_attended(
    organiser_client,
    open_edition,
    attended,
    small_session,
    big_session,
):
    response = organiser_client.get(reverse("backoffice:dashboard"), {"edition": open_edition.pk})

    figures = {figure.slug: figure for figure in response.context["figures"]}
    assert figures["attendance"].headers == ["Session", "Registered", "Confirmed", "Attended"]
    assert figures["attendance"].rows == [
        [small_session.title, 1, 1, 1],
        [big_session.title, 3, 2, 1],
    ]
    assert figures["attendance-country"].rows == [["South Korea", 1, 1], ["Vietnam", 1, 0]]
    assert figures["attendance-category"].rows == [
        ["Korean company", 1, 1],
        ["ASEAN government / project owner", 1, 0],
    ]
    assert "1 attended of 2 confirmed" in response.content.decode()


def test_exports_say_who_attended_and_when_they_first_joined(
    tmp_path, open_edition, attended, small_session, big_session
):
    korean, _vietnamese, first = attended
    joined = first.astimezone(open_edition.tzinfo).strftime("%Y-%m-%d %H:%M")

    path, _said = export(
        tmp_path, edition=open_edition.slug, columns="email,sessions_attended,first_joined"
    )
    attendee_rows = read_csv(path)
    by_email = {row[0]: row[1:] for row in attendee_rows[1:]}
    sessions_path, _said = export(
        tmp_path,
        command="export_session_attendance",
        edition=open_edition.slug,
        columns="session,email,attended,first_joined",
    )

    assert attendee_rows[0] == ["Email", "Sessions attended", "First joined (Asia/Seoul)"]
    assert by_email["kr@example.org"] == [f"{small_session.title}; {big_session.title}", joined]
    assert by_email["vn@example.org"] == ["", ""]
    assert sorted(read_csv(sessions_path)[1:]) == sorted(
        [
            [small_session.title, "kr@example.org", "Yes", joined],
            [big_session.title, "kr@example.org", "Yes", joined],
            [big_session.title, "late@example.org", "No", ""],
            [big_session.title, "vn@example.org", "No", ""],
        ]
    )
    assert Attendance.objects.get(session=big_session).joins == 2


@pytest.fixture
def rated(attended, big_session, small_session):
    from registrations.services.feedback import rate_session

    korean, _vietnamese, _first = attended
    rate_session(registration=korean, session=big_session, rating=4, comment="Useful panel")
    rate_session(registration=korean, session=small_session, rating=5)
    return korean


def test_the_dashboard_shows_ratings_and_the_export_their_comments(
    organiser_client, tmp_path, open_edition, rated, small_session, big_session
):
    response = organiser_client.get(reverse("backoffice:dashboard"), {"edition": open_edition.pk})
    path, _said = export(
        tmp_path,
        command="export_session_attendance",
        edition=open_edition.slug,
        columns="session,email,rating,comment",
    )

    figures = {figure.slug: figure for figure in response.context["figures"]}
    assert figures["ratings"].rows == [
        [small_session.title, 1, "5.0"],
        [big_session.title, 1, "4.0"],
    ]
    assert sorted(read_csv(path)[1:])[:2] == [
        [big_session.title, "kr@example.org", "4", "Useful panel"],
        [big_session.title, "late@example.org", "", ""],
    ]


def test_who_gave_feedback_is_shown_only_to_the_right_role(client, rated):
    client.force_login(user_in("Staff"))
    staff_page = client.get("/admin/registrations/sessionfeedback/").content.decode()
    client.force_login(user_in("Organiser"))
    organiser_page = client.get("/admin/registrations/sessionfeedback/").content.decode()

    assert "Useful panel" in staff_page and "Useful panel" in organiser_page
    assert rated.email not in staff_page
    assert rated.email in organiser_page
