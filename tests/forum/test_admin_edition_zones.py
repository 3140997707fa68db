"""Every time in the back office is in the edition's zone, and the zone is named (issue 17)."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.contrib.auth import get_user_model

from meetings.models import Meeting, MeetingRequest
from registrations.models import Registration
from tests.factories import (
    BusinessProfileFactory,
    EditionFactory,
    MeetingSettingsFactory,
    MeetingSlotFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# 02:30 UTC: 11:30 in Seoul, 09:30 in Jakarta.
CREATED = dt.datetime(2029, 11, 20, 2, 30, tzinfo=UTC)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("staff", "staff@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def jakarta():
    return EditionFactory(number=30, title="Jakarta forum", time_zone="Asia/Jakarta")


def test_the_registration_list_has_an_edition_column_and_each_time_in_its_edition_zone(
    staff, jakarta
):
    seoul = EditionFactory(number=31, title="Seoul forum", is_current=False)
    for edition in (jakarta, seoul):
        registration = RegistrationFactory(edition=edition)
        Registration.objects.filter(pk=registration.pk).update(created_at=CREATED)
    page = text(staff.get("/admin/registrations/registration/"))
    assert "Registered (edition&#x27;s time zone)" in page
    assert '<td class="field-edition nowrap">Jakarta forum</td>' in page
    assert '<td class="field-edition nowrap">Seoul forum</td>' in page
    assert "20 November 2029, 09:30 WIB" in page
    assert "20 November 2029, 11:30 KST" in page
    assert "02:30" not in page


def test_a_registration_page_shows_its_times_in_the_edition_zone_and_names_it(staff, jakarta):
    registration = RegistrationFactory(edition=jakarta)
    Registration.objects.filter(pk=registration.pk).update(created_at=CREATED, confirmed_at=CREATED)
    page = text(staff.get(f"/admin/registrations/registration/{registration.pk}/change/"))
    assert "Times in Asia/Jakarta, the edition's time zone." in page
    assert "20 November 2029, 09:30" in page
    assert "02:30" not in page


def test_meeting_lists_show_times_in_the_edition_zone_named(staff, jakarta):
    MeetingSettingsFactory(edition=jakarta)
    sender = BusinessProfileFactory(registration__edition=jakarta).registration
    receiver = BusinessProfileFactory(registration__edition=jakarta).registration
    request = MeetingRequest.objects.create(
        edition=jakarta, sender=sender, receiver=receiver, status="booked"
    )
    MeetingRequest.objects.filter(pk=request.pk).update(created_at=CREATED)
    slot = MeetingSlotFactory(edition=jakarta, starts_at=CREATED)
    Meeting.objects.create(
        edition=jakarta, request=request, sender=sender, receiver=receiver, slot=slot, room=1
    )
    requests = text(staff.get("/admin/meetings/meetingrequest/"))
    assert "Sent (edition&#x27;s time zone)" in requests
    assert "20 November 2029, 09:30 WIB" in requests
    meetings = text(staff.get("/admin/meetings/meeting/"))
    assert "Slot (edition&#x27;s time zone)" in meetings
    assert "Tue 20 Nov 2029, 09:30 WIB" in meetings
    slots = text(staff.get("/admin/meetings/meetingslot/"))
    assert "Tue 20 Nov 2029, 09:30 WIB" in slots


def test_the_meeting_settings_form_names_one_zone_the_editions(staff):
    yangon = EditionFactory(number=32, time_zone="Asia/Yangon")
    settings = MeetingSettingsFactory(edition=yangon)
    page = text(staff.get(f"/admin/meetings/meetingsettings/{settings.pk}/change/"))
    assert "Dates and times are in Asia/Yangon, the edition's time zone." in page
    # Django's own note under the time inputs compares the browser with this zone, not UTC.
    assert 'data-admin-server-timezone="Asia/Yangon"' in page
    assert 'data-admin-utc-offset="23400"' in page
    assert "forum's time zone" not in page


def test_a_zone_with_only_an_offset_is_named_by_its_name(staff):
    yangon = EditionFactory(number=33, title="Yangon forum", time_zone="Asia/Yangon")
    registration = RegistrationFactory(edition=yangon)
    Registration.objects.filter(pk=registration.pk).update(created_at=CREATED)
    assert "20 November 2029, 09:00 Asia/Yangon" in text(
        staff.get("/admin/registrations/registration/")
    )


def test_the_zone_note_is_the_zone_for_any_zone():
    from forum.admin_zones import zone_name

    local = CREATED.astimezone(zoneinfo.ZoneInfo("Asia/Seoul"))
    assert zone_name(local) == "KST"
