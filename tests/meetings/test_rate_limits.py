"""Past the POST limit every page of the meetings area answers 429 in the page's language, and
the limit counts per participant: a company behind one address doesn't exhaust it."""

import datetime as dt
import re
import zoneinfo

import pytest

from meetings.choices import BookingMode, MeetingStatus, RequestStatus
from meetings.models import Meeting, MeetingRequest
from meetings.services.requests import accept_request, request_meeting
from registrations.tokens import MANAGE, make_token
from tests.factories import BusinessProfileFactory, MeetingSettingsFactory, MeetingSlotFactory

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def area(edition):
    """Two participants with a pending request, a booked meeting and a past one."""
    MeetingSettingsFactory(edition=edition, booking_mode=BookingMode.SELF_BOOKING)
    slots = [
        MeetingSlotFactory(
            edition=edition,
            starts_at=dt.datetime(2030, 1, 21, 10, 0, tzinfo=SEOUL) + dt.timedelta(minutes=30 * n),
        )
        for n in range(4)
    ]
    me, other, third = (
        BusinessProfileFactory(registration__edition=edition).registration for _ in range(3)
    )
    pending = request_meeting(sender=other, receiver=me)
    booked = request_meeting(sender=me, receiver=third)
    accept_request(request=booked, by=third, slot=slots[0])
    meeting = Meeting.objects.get(request=booked)
    counterpart = other.business_profile
    return {"me": me, "pending": pending, "meeting": meeting, "counterpart": counterpart}


def limited_posts(area) -> dict[str, dict]:
    pending, meeting = area["pending"].pk, area["meeting"].pk
    return {
        f"/meetings/requests/{pending}/accept/": {},
        f"/meetings/requests/{pending}/decline/": {"reason": ""},
        f"/meetings/requests/{pending}/withdraw/": {},
        f"/meetings/meeting/{meeting}/cancel/": {"reason": "Clash"},
        f"/meetings/meeting/{meeting}/move/": {"slot": ""},
        f"/meetings/meeting/{meeting}/outcome/": {"outcome": "held"},
        f"/meetings/directory/{area['counterpart'].pk}/": {"priority": "1", "message": "Hi"},
        "/meetings/profile/": {},
        "/meetings/availability/": {},
        "/meetings/calendar/renew/": {},
    }


def enter(client, registration) -> None:
    response = client.get(f"/meetings/enter/{make_token(registration, purpose=MANAGE)}/")
    assert response.status_code == 302


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_limited_view_answers_429_in_the_pages_language(client, area, settings, language):
    settings.REGISTRATION_RATE_LIMITS = {"meetings_participant": (0, 3600)}
    enter(client, area["me"])
    prefix = "/ko" if language == "ko" else ""
    expected = {
        "en": "You have made many changes in a short time, so this one was not saved.",
        "ko": "짧은 시간에 변경을 많이 하셔서 이번 변경은 저장되지 않았습니다.",
    }[language]
    answers = {}
    for path, data in limited_posts(area).items():
        response = client.post(prefix + path, data)
        answers[path] = (response.status_code, expected in text(response))
        assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert answers == dict.fromkeys(limited_posts(area), (429, True))
    # Nothing was done.
    assert MeetingRequest.objects.get(pk=area["pending"].pk).status == RequestStatus.PENDING
    assert Meeting.objects.get(pk=area["meeting"].pk).status == MeetingStatus.SCHEDULED
    assert MeetingRequest.objects.count() == 2


def test_a_company_behind_one_address_is_counted_per_participant(client, edition, settings):
    settings.REGISTRATION_RATE_LIMITS = {"meetings_participant": (3, 3600)}
    MeetingSettingsFactory(edition=edition)
    colleagues = [BusinessProfileFactory(registration__edition=edition) for _ in range(30)]
    statuses = []
    for profile in colleagues:
        enter(client, profile.registration)
        for _n in range(3):
            response = client.post("/meetings/calendar/renew/", REMOTE_ADDR="203.0.113.7")
            statuses.append(response.status_code)
    # 90 posts from one address, three per person: none refused.
    assert statuses == [302] * 90
    # The fourth post of one person is.
    refused = client.post("/meetings/calendar/renew/", REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429


def test_the_address_still_bounds_many_participants(client, edition, settings):
    settings.REGISTRATION_RATE_LIMITS = {"meetings_ip": (4, 3600)}
    MeetingSettingsFactory(edition=edition)
    statuses = []
    for _n in range(5):
        profile = BusinessProfileFactory(registration__edition=edition)
        enter(client, profile.registration)
        response = client.post("/meetings/calendar/renew/", REMOTE_ADDR="203.0.113.8")
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 302, 429]
