"""Finding how to move or cancel a meeting, picking a time by day, long messages (issue 17,
point 6); counterparts' names in both scripts (point 7)."""

import datetime as dt
import re
import zoneinfo

import pytest

from meetings.choices import BookingMode
from meetings.forms.requests import PickSlotForm
from meetings.invitations import meeting_summary
from meetings.models import MeetingRequest
from meetings.services.requests import accept_request
from tests.factories import MeetingSlotFactory
from tests.meetings.test_views import booked_meeting, enter, request_from, text

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def test_my_meetings_offer_move_and_cancel_beside_each_upcoming_meeting(
    client, company, owner, slots
):
    meeting = booked_meeting(company, owner, slots[0])
    enter(client, company)
    page = text(client.get("/meetings/"))
    actions = page.split('class="mb-0 mt-2 meeting-actions">')[1].split("</p>")[0]
    assert f'href="/meetings/meeting/{meeting.pk}/#move-heading"' in actions
    assert f'href="/meetings/meeting/{meeting.pk}/#cancel-heading"' in actions
    words = " ".join(re.sub(r"<[^>]+>", "", actions).split())
    assert words == "Move the meeting with Nguyen Thi Lan Cancel the meeting with Nguyen Thi Lan"
    # The meeting page says so at the top, before the details of each form.
    page = text(client.get(f"/meetings/meeting/{meeting.pk}/"))
    top = page.split('id="meeting-actions"')[1].split("</p>")[0]
    assert "Move to another time" in top and "Cancel the meeting" in top
    assert 'id="move-heading"' in page and 'id="cancel-heading"' in page


def test_when_the_organisers_schedule_only_cancel_is_offered(
    client, company, owner, slots, meeting_settings
):
    meeting = booked_meeting(company, owner, slots[0])
    meeting_settings.booking_mode = BookingMode.ORGANISER
    meeting_settings.save()
    enter(client, owner)
    page = text(client.get("/meetings/"))
    assert "#cancel-heading" in page and "#move-heading" not in page
    page = text(client.get(f"/meetings/meeting/{meeting.pk}/"))
    assert 'href="#cancel-heading"' in page and 'href="#move-heading"' not in page


@pytest.fixture
def two_days(edition, meeting_settings):
    """Slots at 08:00 and 08:30 on 21 Jan and at 01:00 on 22 Jan 2030 in Seoul: two days there,
    one day (20 Jan late evening and 21 Jan morning) in Ho Chi Minh City, two hours behind."""
    times = [(21, 8, 0), (21, 8, 30), (22, 1, 0)]
    return [
        MeetingSlotFactory(
            edition=edition, starts_at=dt.datetime(2030, 1, day, hour, minute, tzinfo=SEOUL)
        )
        for day, hour, minute in times
    ]


def days_shown(page: str) -> list[tuple[str, list[str]]]:
    """(day, [times]) of each group of the time picker, and whether it starts open."""
    groups = re.findall(r'<details class="slot-day[^"]*"( open)?>(.*?)</details>', page)
    found = []
    for opened, body in groups:
        day = re.search(r'<summary class="fw-semibold">(.*?) <span', body).group(1)
        times = re.findall(r'<label class="form-check-label" for="id_slot_\d+">(.*?)</label>', body)
        found.append((day, bool(opened), times))
    return found


def test_times_to_pick_are_grouped_by_day_in_the_participants_own_zone(
    client, company, owner, two_days
):
    request = request_from(owner, company)
    enter(client, company)  # in Seoul: two days
    page = text(client.get(f"/meetings/requests/{request.pk}/"))
    assert days_shown(page) == [
        (
            "Monday 21 January 2030",
            True,
            ["08:00–08:30 (06:00 their time)", "08:30–09:00 (06:30 their time)"],
        ),
        ("Tuesday 22 January 2030", False, ["01:00–01:30 (Mon 21 Jan, 23:00 their time)"]),
    ]
    assert "(your time, Asia/Seoul)" in page
    # A form shown again opens the day of the time that was chosen.
    form = PickSlotForm({"slot": two_days[2].pk}, slots=two_days, registration=company, other=owner)
    assert [(group["day"].day, group["open"]) for group in form.days()] == [(21, False), (22, True)]
    meeting = accept_request(request=request, by=company, slot=two_days[0]).meetings.get()
    enter(client, owner)  # in Ho Chi Minh City: the other two times fall on two days too
    page = text(client.get(f"/meetings/meeting/{meeting.pk}/"))
    assert days_shown(page) == [
        (
            "Monday 21 January 2030",
            True,
            ["06:30–07:00 (08:30 their time)", "23:00–23:30 (Tue 22 Jan, 01:00 their time)"],
        )
    ]


def test_the_message_states_its_limit_and_the_browser_does_not_cut_it(client, company, owner):
    enter(client, company)
    page = text(client.get(f"/meetings/directory/{owner.business_profile.pk}/"))
    box = re.search(r'<textarea name="message"[^>]*>', page).group(0)
    assert 'data-limit="2000"' in box and "maxlength" not in box
    assert "Say who you are and what you would like to discuss. Up to 2,000 characters." in page


def test_a_too_long_message_is_refused_by_how_much_and_kept(client, company, owner):
    enter(client, company)
    message = (
        "Rail links between Hanoi and Ho Chi Minh City. " * 45
    )  # 2,114 characters once trimmed
    response = client.post(
        f"/meetings/directory/{owner.business_profile.pk}/",
        {"priority": "must", "message": message},
    )
    page = text(response)
    assert response.status_code == 200
    assert (
        "This text has 2,114 characters; at most 2,000 fit. "
        "Please shorten it by 114 characters." in page
    )
    assert f"{message}</textarea>" in page  # every character, as typed
    assert MeetingRequest.objects.count() == 0


def test_new_lines_count_as_one_character_as_the_browser_counts_them(client, company, owner):
    enter(client, company)
    message = "a\r\n" * 1000  # 2,000 characters on the page, 3,000 bytes on the wire
    client.post(
        f"/meetings/directory/{owner.business_profile.pk}/",
        {"priority": "must", "message": message},
    )
    assert MeetingRequest.objects.get().message == ("a\n" * 1000).strip()


def test_the_limit_message_is_korean_on_korean_pages(client, company, owner):
    enter(client, company)
    response = client.post(
        f"/ko/meetings/directory/{owner.business_profile.pk}/",
        {"priority": "must", "message": "가" * 2001},
    )
    assert "2,001자" in text(response)


# Names across scripts (point 7) -------------------------------------------------------------


@pytest.fixture
def korean_company(company):
    company.name, company.name_latin = "김민준", "Kim Min-jun"
    company.organisation, company.organisation_en = "한빛엔지니어링", "Hanbit Engineering"
    company.save()
    return company


def test_counterparts_see_a_korean_name_and_organisation_in_latin_letters_too(
    client, korean_company, owner, slots
):
    meeting = booked_meeting(owner, korean_company, slots[0])
    enter(client, owner)
    directory = text(client.get("/meetings/directory/"))
    assert "한빛엔지니어링 (Hanbit Engineering)" in directory
    assert "김민준 (Kim Min-jun)" in directory
    profile = text(client.get(f"/meetings/directory/{korean_company.business_profile.pk}/"))
    assert "김민준 (Kim Min-jun), Manager" in profile
    home = text(client.get("/meetings/"))
    assert "With 김민준 (Kim Min-jun), 한빛엔지니어링 (Hanbit Engineering)" in home
    page = text(client.get(f"/meetings/meeting/{meeting.pk}/"))
    assert "Meeting with 김민준 (Kim Min-jun), 한빛엔지니어링 (Hanbit Engineering)" in page
    requests = text(client.get("/meetings/requests/"))
    assert "To 김민준 (Kim Min-jun), 한빛엔지니어링 (Hanbit Engineering)" in requests


def test_the_directory_finds_a_korean_organisation_by_its_english_name(
    client, korean_company, owner
):
    enter(client, owner)
    page = text(client.get("/meetings/directory/?q=hanbit"))
    assert "1 participant" in page and "한빛엔지니어링 (Hanbit Engineering)" in page
    page = text(client.get("/meetings/directory/?q=Min-jun"))
    assert "1 participant" in page


def test_the_calendar_invitation_names_both(client, korean_company, owner, slots):
    meeting = booked_meeting(owner, korean_company, slots[0])
    assert meeting_summary(meeting, owner) == (
        "Business meeting with 김민준 (Kim Min-jun), 한빛엔지니어링 (Hanbit Engineering)"
    )


def test_the_emails_name_a_korean_counterpart_in_both_scripts(
    korean_company, owner, mailoutbox, run_on_commit
):
    with run_on_commit():
        request_from(korean_company, owner)
    (message,) = mailoutbox
    who = "김민준 / Kim Min-jun (한빛엔지니어링 / Hanbit Engineering)"
    assert message.subject.startswith(f"Meeting request from {who} — ")
    assert f"{who} would like to meet you" in message.body
