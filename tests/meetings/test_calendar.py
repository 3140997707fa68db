"""Meeting invitations (.ics), the personal calendar feed and local times in the emails."""

import datetime as dt
import zoneinfo

import pytest
from icalendar import Calendar

from meetings.emails.meetings import both_times, local_time
from meetings.invitations import feed_url, meeting_invitation
from meetings.models import BusinessProfile, Meeting
from meetings.services.booking import book_meeting, cancel_meeting, move_meeting
from meetings.services.profiles import rotate_calendar_secret
from meetings.services.requests import accept_request, request_meeting
from tests.factories import BusinessProfileFactory

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@pytest.fixture
def slots(meeting_slots):
    return meeting_slots


def participant(edition, name, time_zone="Asia/Seoul", language="en"):
    return BusinessProfileFactory(
        registration__edition=edition,
        registration__name=name,
        registration__email=f"{name.lower()}@example.org",
        registration__time_zone=time_zone,
        registration__language=language,
    ).registration


def booked(edition, slot, sender, receiver):
    request = request_meeting(sender=sender, receiver=receiver)
    accept_request(request=request, by=receiver)
    return book_meeting(request=request, slot=slot, by=receiver)


def events(data: bytes):
    calendar = Calendar.from_ical(data)
    return calendar, list(calendar.walk("VEVENT"))


def test_the_invitation_parses_and_its_sequence_grows_on_a_move(edition, slots):
    kim = participant(edition, "Kim")
    siti = participant(edition, "Siti", "Asia/Jakarta")
    meeting = booked(edition, slots[0], kim, siti)

    calendar, (event,) = events(meeting_invitation(meeting, kim))
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == meeting.uid
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == dt.datetime(2030, 1, 21, 2, 0, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2030, 1, 21, 2, 30, tzinfo=dt.UTC)
    assert str(event["summary"]) == f"Business meeting with Siti, {siti.organisation}"
    assert str(event["organizer"]).startswith("mailto:")
    assert sorted(str(a) for a in event["attendee"]) == [
        "mailto:kim@example.org",
        "mailto:siti@example.org",
    ]

    move_meeting(meeting=meeting, slot=slots[2], by=siti)
    meeting.refresh_from_db()
    _calendar, (moved,) = events(meeting_invitation(meeting, siti))
    assert str(moved["uid"]) == str(event["uid"])
    assert moved["sequence"] == 1
    assert moved.decoded("dtstart") == dt.datetime(2030, 1, 21, 4, 0, tzinfo=dt.UTC)

    cancel_meeting(meeting=meeting, by=kim)
    meeting.refresh_from_db()
    calendar, (cancelled,) = events(meeting_invitation(meeting, siti))
    assert (str(calendar["method"]), cancelled["sequence"], str(cancelled["status"])) == (
        "CANCEL",
        2,
        "CANCELLED",
    )


def test_the_korean_invitation_is_in_korean(edition, slots):
    kim = participant(edition, "Kim", language="ko")
    siti = participant(edition, "Siti", "Asia/Jakarta")
    meeting = booked(edition, slots[0], siti, kim)
    _calendar, (event,) = events(meeting_invitation(meeting, kim))
    assert "Siti" in str(event["summary"])
    assert "Business meeting" not in str(event["summary"])


def test_the_feed_lists_exactly_the_participants_meetings(client, edition, slots):
    kim, siti, juan, other = (
        participant(edition, "Kim"),
        participant(edition, "Siti", "Asia/Jakarta"),
        participant(edition, "Juan", "Asia/Manila"),
        participant(edition, "Aung", "Asia/Yangon"),
    )
    with_siti = booked(edition, slots[0], kim, siti)
    with_juan = booked(edition, slots[1], juan, kim)
    booked(edition, slots[2], siti, other)  # not Kim's
    lan = participant(edition, "Lan", "Asia/Ho_Chi_Minh")
    cancelled = booked(edition, slots[2], kim, lan)
    cancel_meeting(meeting=cancelled, by=lan)
    profile = BusinessProfile.objects.get(registration=kim)

    response = client.get(feed_url(profile).removeprefix("http://localhost:8000"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    _calendar, listed = events(response.content)
    # Kim's meetings, and nobody else's; the cancelled one stays in as CANCELLED, so a calendar
    # that had it drops it.
    assert sorted((str(e["uid"]), str(e["status"])) for e in listed) == sorted(
        [
            (with_siti.uid, "CONFIRMED"),
            (with_juan.uid, "CONFIRMED"),
            (cancelled.uid, "CANCELLED"),
        ]
    )


def test_a_renewed_feed_address_revokes_the_old_one(client, edition, slots):
    kim = participant(edition, "Kim")
    old = feed_url(BusinessProfile.objects.get(registration=kim))
    profile = rotate_calendar_secret(registration=kim)
    assert client.get(old.removeprefix("http://localhost:8000")).status_code == 404
    assert client.get(feed_url(profile).removeprefix("http://localhost:8000")).status_code == 200
    assert client.get("/meetings/calendar/nonsense.ics").status_code == 404


@pytest.mark.parametrize(
    ("time_zone", "expected"),
    [
        ("Asia/Seoul", "21 January 2030, 11:00–11:30 (Asia/Seoul)"),
        ("Asia/Jakarta", "21 January 2030, 09:00–09:30 (Asia/Jakarta)"),
        ("Asia/Yangon", "21 January 2030, 08:30–09:00 (Asia/Yangon)"),
        ("Asia/Manila", "21 January 2030, 10:00–10:30 (Asia/Manila)"),
    ],
)
def test_meeting_times_in_each_participants_zone(edition, slots, time_zone, expected):
    assert local_time(slots[0], time_zone) == expected


def test_a_korean_participant_reads_the_meeting_times_in_korean_in_their_zone(
    edition, slots, mailoutbox, run_on_commit
):
    kim = participant(edition, "Kim", language="ko")
    aung = participant(edition, "Aung", "Asia/Yangon", language="ko")
    with run_on_commit():
        booked(edition, slots[0], kim, aung)
    emails = {
        m.to[0]: m for m in mailoutbox if "meeting.ics" in [a.filename for a in m.attachments]
    }
    body = emails["aung@example.org"].body
    assert "일시: 2030년 1월 21일 08:30–09:00 (Asia/Yangon)" in body
    assert "2030년 1월 21일 11:00–11:30 (Asia/Seoul)" in body  # the forum's time beside it
    assert "January" not in body


def test_the_booking_email_shows_both_local_times(edition, slots, mailoutbox, run_on_commit):
    kim = participant(edition, "Kim")
    aung = participant(edition, "Aung", "Asia/Yangon")
    with run_on_commit():
        booked(edition, slots[0], kim, aung)
    emails = {m.to[0]: m for m in mailoutbox if "booked" in m.subject}
    assert "When: 21 January 2030, 11:00–11:30 (Asia/Seoul)\n" in emails["kim@example.org"].body
    assert (
        "When: 21 January 2030, 08:30–09:00 (Asia/Yangon); forum time 21 January 2030, "
        "11:00–11:30 (Asia/Seoul)" in emails["aung@example.org"].body
    )
    invitation = emails["aung@example.org"].attachments[0]
    assert invitation.filename == "meeting.ics"
    _calendar, (event,) = events(invitation.content.encode())
    assert str(event["uid"]) == Meeting.objects.get().uid
    assert both_times(slots[0], kim, edition) == "21 January 2030, 11:00–11:30 (Asia/Seoul)"
