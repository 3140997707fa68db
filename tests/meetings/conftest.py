"""The participants of the meetings area's tests: a company in Seoul and a project owner in Ho
Chi Minh City, both listed in smart cities, and four slots in self-booking mode."""

import datetime as dt
import zoneinfo

import pytest

from meetings.choices import BookingMode, ProfileSide
from tests.factories import (
    BusinessProfileFactory,
    MeetingSettingsFactory,
    MeetingSlotFactory,
    SectorFactory,
)

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@pytest.fixture
def meeting_settings(edition):
    return MeetingSettingsFactory(edition=edition, booking_mode=BookingMode.SELF_BOOKING)


@pytest.fixture
def slots(edition, meeting_settings):
    return [
        MeetingSlotFactory(
            edition=edition,
            starts_at=dt.datetime(2030, 1, 21, 10, 0, tzinfo=SEOUL) + dt.timedelta(minutes=30 * n),
        )
        for n in range(4)
    ]


@pytest.fixture
def smart_cities(db):
    return SectorFactory(slug="smart-cities", name="Smart cities", name_ko="스마트시티")


@pytest.fixture
def company(edition, smart_cities, meeting_settings):
    profile = BusinessProfileFactory(
        registration__edition=edition,
        registration__name="Kim Min-jun",
        registration__organisation="Hanbit Engineering",
        registration__time_zone="Asia/Seoul",
        side=ProfileSide.COMPANY,
        countries_of_interest=["VN"],
    )
    profile.sectors.set([smart_cities])
    return profile.registration


@pytest.fixture
def owner(edition, smart_cities, meeting_settings):
    profile = BusinessProfileFactory(
        registration__edition=edition,
        registration__name="Nguyen Thi Lan",
        registration__organisation="Ministry of Transport of Viet Nam",
        registration__country="VN",
        registration__time_zone="Asia/Ho_Chi_Minh",
        side=ProfileSide.PROJECT_OWNER,
    )
    profile.sectors.set([smart_cities])
    return profile.registration
