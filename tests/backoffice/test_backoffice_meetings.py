"""Meeting figures on the dashboard and the meeting schedules as exports."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from backoffice.models import ExportLog
from meetings.choices import MeetingStatus, RequestStatus
from meetings.models import Meeting, MeetingRequest
from tests.factories import SEOUL, MeetingSlotFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(edition):
    """Kim meets Lan on day 1 at 10:00 and Dara on day 2 at 09:00; Lan declined Dara; one
    accepted request is waiting for a slot."""
    kim = ParticipantFactory(
        edition=edition, name="Kim Min-jun", organisation="Hanbit", country="KR"
    )
    lan = ParticipantFactory(
        edition=edition, name="Nguyen Thi Lan", organisation="MPI", country="VN"
    )
    dara = ParticipantFactory(edition=edition, name="Dara Sok", organisation="MPWT", country="KH")
    day1 = MeetingSlotFactory(
        edition=edition,
        starts_at=dt.datetime(2030, 1, 21, 10, 0, tzinfo=SEOUL),
        ends_at=dt.datetime(2030, 1, 21, 10, 30, tzinfo=SEOUL),
    )
    day2 = MeetingSlotFactory(
        edition=edition,
        starts_at=dt.datetime(2030, 1, 22, 9, 0, tzinfo=SEOUL),
        ends_at=dt.datetime(2030, 1, 22, 9, 30, tzinfo=SEOUL),
    )
    for sender, receiver, status in [
        (kim, lan, RequestStatus.BOOKED),
        (dara, kim, RequestStatus.BOOKED),
        (dara, lan, RequestStatus.DECLINED),
        (ParticipantFactory(edition=edition), kim, RequestStatus.PENDING),
    ]:
        MeetingRequest.objects.create(
            edition=edition, sender=sender, receiver=receiver, status=status
        )
    MeetingRequest.objects.create(
        edition=edition,
        sender=ParticipantFactory(edition=edition),
        receiver=dara,
        status=RequestStatus.ACCEPTED,
    )
    Meeting.objects.create(
        edition=edition, sender=kim, receiver=lan, slot=day1, room=1, video_link="https://v/1"
    )
    Meeting.objects.create(
        edition=edition, sender=dara, receiver=kim, slot=day2, room=1, video_link="https://v/2"
    )
    Meeting.objects.create(
        edition=edition,
        sender=lan,
        receiver=dara,
        slot=day2,
        room=2,
        status=MeetingStatus.CANCELLED,
        cancelled_at=dt.datetime(2030, 1, 1, tzinfo=SEOUL),
    )
    return kim, lan, dara


def read(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_the_dashboard_shows_requests_acceptance_unplaced_and_meetings_per_day(
    admin_client, edition, schedule
):
    response = admin_client.get(reverse("backoffice:dashboard"), {"edition": edition.pk})
    figures = {figure.slug: figure for figure in response.context["figures"]}
    assert figures["meeting-requests"].rows == [
        ["Booked", 2],
        ["Accepted, waiting for a slot", 1],
        ["Declined", 1],
        ["Awaiting an answer", 1],
    ]
    # 3 accepted (2 booked + 1 waiting for a slot) of 4 answered.
    assert figures["acceptance"].rows == [
        ["Accepted", 3],
        ["Declined", 1],
        ["Accepted but not placed in a slot yet", 1],
        ["Acceptance rate", "75 %"],
    ]
    assert figures["meetings-per-day"].rows == [["2030-01-21", 1], ["2030-01-22", 1]]
    assert figures["meetings-per-day"].title == "Meetings per day (Asia/Seoul)"


def test_meetings_by_participant_has_a_row_per_side_in_time_order(tmp_path, edition, schedule):
    path = tmp_path / "m.csv"
    call_command(
        "export_meetings",
        edition=edition.slug,
        output=str(path),
        columns="participant,day,starts,ends,counterpart,counterpart_country",
        stdout=io.StringIO(),
    )
    rows = read(path)
    assert rows[0] == [
        "Participant",
        "Day (Asia/Seoul)",
        "Starts (Asia/Seoul)",
        "Ends (Asia/Seoul)",
        "Meets",
        "Their country",
    ]
    assert rows[1:] == [
        ["Kim Min-jun", "2030-01-21", "10:00", "10:30", "Nguyen Thi Lan", "Vietnam"],
        ["Kim Min-jun", "2030-01-22", "09:00", "09:30", "Dara Sok", "Cambodia"],
        ["Nguyen Thi Lan", "2030-01-21", "10:00", "10:30", "Kim Min-jun", "South Korea"],
        ["Dara Sok", "2030-01-22", "09:00", "09:30", "Kim Min-jun", "South Korea"],
    ]
    log = ExportLog.objects.get()
    assert (log.list_kind, log.row_count) == ("meetings-by-participant", 4)


def test_meetings_by_day_has_a_row_per_meeting_without_cancelled_ones(tmp_path, edition, schedule):
    path = tmp_path / "d.csv"
    call_command(
        "export_meetings",
        edition=edition.slug,
        by="day",
        output=str(path),
        columns="day,starts,room,requested_by,with,video_link",
        stdout=io.StringIO(),
    )
    assert read(path)[1:] == [
        ["2030-01-21", "10:00", "1", "Kim Min-jun", "Nguyen Thi Lan", "https://v/1"],
        ["2030-01-22", "09:00", "1", "Dara Sok", "Kim Min-jun", "https://v/2"],
    ]
    assert ExportLog.objects.get().list_kind == "meetings-by-day"


def test_the_export_page_offers_the_meeting_lists(admin_client, edition, schedule):
    page = admin_client.get(
        reverse("backoffice:export"),
        {"edition": edition.pk, "list_kind": "meetings-by-participant"},
    )
    assert page.context["row_count"] == 4
    labels = dict(page.context["form"].fields["columns"].choices)
    assert labels["counterpart"] == "Meets"
