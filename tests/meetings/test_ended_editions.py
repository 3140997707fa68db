"""A past edition is closed for meetings: no requests, no answers, no bookings (issue 17)."""

import datetime as dt
import re
import zoneinfo

import pytest

from meetings.errors import MeetingError
from meetings.models import Meeting, MeetingRequest
from meetings.services.booking import book_meeting
from meetings.services.requests import accept_request, request_meeting
from registrations.tokens import MANAGE, make_token
from tests.factories import (
    BusinessProfileFactory,
    EditionFactory,
    MeetingSettingsFactory,
    MeetingSlotFactory,
)

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@pytest.fixture
def ended():
    """The 9th forum's dates: 18–19 January 2022, meetings until 11 February 2022."""
    edition = EditionFactory(
        start_date=dt.date(2022, 1, 18),
        end_date=dt.date(2022, 1, 19),
        meetings_start=dt.date(2022, 1, 24),
        meetings_end=dt.date(2022, 2, 11),
    )
    MeetingSettingsFactory(edition=edition, booking_mode="self_booking")
    return edition


def participant(edition, name):
    return BusinessProfileFactory(
        registration__edition=edition, registration__name=name
    ).registration


def test_a_meeting_request_in_an_ended_edition_is_refused(ended):
    with pytest.raises(MeetingError) as error:
        request_meeting(sender=participant(ended, "Kim"), receiver=participant(ended, "Nguyen"))
    assert error.value.code == "edition_ended"
    assert str(error.value.message) == (
        "This forum has taken place: meeting requests and bookings are closed."
    )
    assert MeetingRequest.objects.count() == 0


def test_a_request_left_open_in_an_ended_edition_can_no_longer_be_accepted_or_booked(ended):
    sender, receiver = participant(ended, "Kim"), participant(ended, "Nguyen")
    request = MeetingRequest.objects.create(
        edition=ended, sender=sender, receiver=receiver, status="pending"
    )
    with pytest.raises(MeetingError) as error:
        accept_request(request=request, by=receiver)
    assert error.value.code == "edition_ended"
    request.refresh_from_db()
    assert request.status == "pending"
    request.status = "accepted"
    request.save()
    slot = MeetingSlotFactory(edition=ended, starts_at=dt.datetime(2022, 1, 24, 10, tzinfo=SEOUL))
    with pytest.raises(MeetingError) as error:
        book_meeting(request=request, slot=slot, by=receiver)
    assert error.value.code == "edition_ended"
    assert Meeting.objects.count() == 0


def test_the_meetings_area_of_an_ended_edition_says_so_and_refuses_a_request(client, ended):
    sender, receiver = participant(ended, "Kim"), participant(ended, "Nguyen")
    client.get(f"/meetings/enter/{make_token(sender, purpose=MANAGE)}/")
    page = re.sub(r"\s+", " ", client.get("/meetings/").text)
    assert (
        "This edition took place on 18–19 January 2022. Registration, meeting requests and "
        "bookings are closed." in page
    )
    response = client.post(
        f"/meetings/directory/{receiver.business_profile.pk}/",
        {"priority": "must", "message": "Still there?"},
    )
    page = re.sub(r"\s+", " ", response.text)
    assert "This forum has taken place: meeting requests and bookings are closed." in page
    assert "Still there?</textarea>" in page
    assert MeetingRequest.objects.count() == 0


def test_an_edition_whose_meetings_run_on_is_not_ended_yet(ended):
    last_meeting_day = dt.datetime(2022, 2, 11, 23, 59, tzinfo=SEOUL)
    assert not ended.has_ended(now=last_meeting_day)
    assert ended.has_ended(now=last_meeting_day + dt.timedelta(minutes=1))
