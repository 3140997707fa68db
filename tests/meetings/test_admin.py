"""The meetings back office: slot occupancy, filters, actions through the services, day view."""

import datetime as dt
import zoneinfo

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.choices import MeetingStatus, ProfileSide, RequestStatus
from meetings.models import Meeting, MeetingRequest, MeetingSlot
from meetings.services.booking import book_meeting, move_meeting
from meetings.services.requests import accept_request, request_meeting
from tests.factories import BusinessProfileFactory, MeetingSettingsFactory, MeetingSlotFactory

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@pytest.fixture
def slots(edition, meeting_slots):
    """The first slot on one day, and one on the next day."""
    next_day = meeting_slots[0].starts_at + dt.timedelta(days=1)
    return [meeting_slots[0], MeetingSlotFactory(edition=edition, starts_at=next_day)]


def pair(edition, side=ProfileSide.COMPANY):
    a = BusinessProfileFactory(registration__edition=edition, side=side).registration
    b = BusinessProfileFactory(
        registration__edition=edition, side=ProfileSide.PROJECT_OWNER
    ).registration
    return a, b


def accepted(edition):
    a, b = pair(edition)
    request = request_meeting(sender=a, receiver=b)
    return accept_request(request=request, by=b)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_generate_slots_from_the_settings(admin_client, edition):
    settings_ = MeetingSettingsFactory(
        edition=edition, window_start=dt.date(2030, 1, 21), window_end=dt.date(2030, 1, 21)
    )
    response = admin_client.post(
        "/admin/meetings/meetingsettings/",
        {"action": "generate", "_selected_action": [settings_.pk]},
        follow=True,
    )
    assert MeetingSlot.objects.filter(edition=edition).count() == 16  # 09:00–17:00, 30 min
    assert shown_messages(response) == [
        f"{edition}: 16 slots created, 0 updated, 0 removed, 0 kept because they have meetings."
    ]


def test_slots_show_their_occupancy_in_one_query(admin_client, edition, slots):
    def list_queries():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get("/admin/meetings/meetingslot/")
        assert response.status_code == 200
        return response, len(queries)

    _response, few = list_queries()
    for slot in slots:
        request = accepted(edition)
        book_meeting(request=request, slot=slot)
    for n in range(5):
        MeetingSlotFactory(
            edition=edition,
            starts_at=dt.datetime(2030, 2, 1, 9, tzinfo=SEOUL) + dt.timedelta(hours=n),
        )
    response, many = list_queries()
    assert few == many
    assert "1 / 2" in response.content.decode()


def test_staff_book_move_cancel_and_remind_through_the_actions(
    admin_client, edition, slots, mailoutbox, run_on_commit
):
    request = accepted(edition)
    with run_on_commit():
        response = admin_client.post(
            "/admin/meetings/meetingrequest/",
            {"action": "book", "_selected_action": [request.pk], "slot": ""},
            follow=True,
        )
    assert shown_messages(response) == ["1 meeting booked."]
    meeting = Meeting.objects.get()
    assert meeting.slot == slots[0]
    assert MeetingRequest.objects.get().status == RequestStatus.BOOKED

    with run_on_commit():
        response = admin_client.post(
            "/admin/meetings/meeting/",
            {"action": "move", "_selected_action": [meeting.pk], "slot": slots[1].pk},
            follow=True,
        )
    assert shown_messages(response) == ["1 meeting moved."]
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.sequence) == (slots[1], 1)

    mailoutbox.clear()
    with run_on_commit():
        admin_client.post(
            "/admin/meetings/meeting/",
            {"action": "remind", "_selected_action": [meeting.pk]},
            follow=True,
        )
    assert len(mailoutbox) == 2

    with run_on_commit():
        response = admin_client.post(
            "/admin/meetings/meeting/",
            {"action": "cancel", "_selected_action": [meeting.pk], "reason": "Speaker ill"},
            follow=True,
        )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (MeetingStatus.CANCELLED, "Speaker ill")
    # Cancelling again says why, never fails.
    response = admin_client.post(
        "/admin/meetings/meeting/",
        {"action": "cancel", "_selected_action": [meeting.pk]},
        follow=True,
    )
    # Named with the slot in the forum's time, as the list shows it.
    assert shown_messages(response) == [
        f"{meeting.sender.name} & {meeting.receiver.name}, Tue 22 Jan, 11:00 KST: "
        "This meeting is cancelled."
    ]


def test_the_filters_and_the_day_view(admin_client, edition, slots):
    first = book_meeting(request=accepted(edition), slot=slots[0])
    second = book_meeting(request=accepted(edition), slot=slots[1])
    first_day = slots[0].starts_at.astimezone(SEOUL).date().isoformat()

    response = admin_client.get(f"/admin/meetings/meeting/?day={first_day}")
    assert list(response.context["cl"].result_list) == [first]
    response = admin_client.get("/admin/meetings/meeting/?side=financier")
    assert list(response.context["cl"].result_list) == []
    response = admin_client.get("/admin/meetings/meeting/?side=project_owner&status=scheduled")
    assert sorted(m.pk for m in response.context["cl"].result_list) == [first.pk, second.pk]
    response = admin_client.get("/admin/meetings/meetingrequest/?status=booked")
    assert len(response.context["cl"].result_list) == 2

    response = admin_client.get(
        f"/admin/meetings/meeting/day/?edition={edition.pk}&day={first_day}"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert [m for row in response.context["rows"] for m in row["meetings"]] == [first]
    assert first.sender.name in page and second.sender.name not in page
    assert "11:00–11:30 (1 / 2)" in page


def test_the_day_view_is_for_staff_only(client, edition, slots):
    response = client.get("/admin/meetings/meeting/day/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_meeting_shows_its_history(admin_client, edition, slots):
    meeting = book_meeting(request=accepted(edition), slot=slots[0])
    move_meeting(meeting=meeting, slot=slots[1])

    response = admin_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Meeting booked" in page and "Meeting moved" in page


@pytest.mark.parametrize("path", ["meeting", "meetingrequest", "businessprofile"])
def test_the_lists_take_as_many_queries_for_one_row_as_for_many(
    admin_client, edition, meeting_slots, path
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(f"/admin/meetings/{path}/")
        assert response.status_code == 200
        return len(captured)

    book_meeting(request=accepted(edition), slot=meeting_slots[0])
    one = queries()
    for slot in meeting_slots[1:]:
        book_meeting(request=accepted(edition), slot=slot)
    assert queries() == one


def test_a_choice_of_slots_takes_one_query_however_many_slots(edition, meeting_slots):
    """Issue 16, defect 4: a slot's name loaded its edition, one query per slot in a select."""

    def rendered_queries() -> tuple[str, int]:
        field = forms.ModelChoiceField(MeetingSlot.objects.filter(edition=edition))
        with CaptureQueriesContext(connection) as captured:
            html = forms.Select(choices=field.choices).render("slot", None)
        return html, len(captured)

    _html, few = rendered_queries()
    first = meeting_slots[-1].starts_at
    for n in range(1, 21):
        MeetingSlotFactory(edition=edition, starts_at=first + dt.timedelta(days=1, minutes=30 * n))
    html, many = rendered_queries()
    assert MeetingSlot.objects.filter(edition=edition).count() > 20
    assert many == few == 1
    with timezone.override(SEOUL):
        label = str(MeetingSlot.objects.filter(edition=edition).first())
    assert label == "Mon 21 Jan, 11:00 KST"  # the zone is named whatever the active zone
    assert ">Mon 21 Jan, 02:00 UTC<" in html


def test_staff_cannot_set_a_slots_rooms_below_the_rooms_in_use(admin_client, edition, slots):
    """On the slot's page and in the list's editable column (issue 16, defect 2)."""
    slot = slots[0]
    slot.rooms = 3
    slot.save()
    for _ in range(2):
        book_meeting(request=accepted(edition), slot=slot, user=None)
    assert sorted(slot.meetings.values_list("room", flat=True)) == [1, 2]

    page = admin_client.post(f"/admin/meetings/meetingslot/{slot.pk}/change/", {"rooms": 1})
    assert page.status_code == 200
    assert "Room 2 of this slot holds a meeting: keep at least 2 rooms." in page.content.decode()
    listing = admin_client.post(
        f"/admin/meetings/meetingslot/?edition__id__exact={edition.pk}",
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": slots[0].pk,
            "form-0-rooms": "1",
            "form-1-id": slots[1].pk,
            "form-1-rooms": "4",
            "_save": "Save",
        },
    )
    assert "keep at least 2 rooms" in listing.content.decode()
    slot.refresh_from_db()
    assert slot.rooms == 3

    admin_client.post(f"/admin/meetings/meetingslot/{slot.pk}/change/", {"rooms": 2})
    slot.refresh_from_db()
    assert slot.rooms == 2


def test_the_request_list_shows_and_finds_a_korean_named_participant_by_latin_name(
    admin_client, edition, meeting_slots
):
    korean = BusinessProfileFactory(
        registration__edition=edition,
        registration__name="김민준",
        registration__name_latin="Kim Min-jun",
        registration__email="kim@hanbit.example",
    ).registration
    assert str(korean) == "김민준 (Kim Min-jun) <kim@hanbit.example>"
    other, third = pair(edition)
    request = request_meeting(sender=korean, receiver=other)
    request_meeting(sender=third, receiver=other)

    found = admin_client.get("/admin/meetings/meetingrequest/", {"q": "min-jun"})
    assert list(found.context["cl"].result_list) == [request]
    assert "김민준 (Kim Min-jun) &lt;kim@hanbit.example&gt;" in found.content.decode()
