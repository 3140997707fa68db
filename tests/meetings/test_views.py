"""The participants' business-meeting area: what each page shows, what it stores, who may see it."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from meetings.choices import (
    BookingMode,
    MeetingOutcome,
    MeetingStatus,
    ProfileSide,
    RequestStatus,
    UnavailableReason,
)
from meetings.models import (
    BusinessProfile,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    SlotUnavailability,
)
from meetings.services.requests import accept_request, request_meeting
from meetings.services.slots import set_availability
from registrations.choices import RegistrationStatus
from registrations.tokens import MANAGE, make_token
from tests.factories import (
    BusinessProfileFactory,
    MeetingSlotFactory,
    ParticipantFactory,
    ProjectFactory,
    consent_texts_for,
)

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def text(response) -> str:
    """The page with white space collapsed and without the <bdi> that isolates typed text."""
    return re.sub(r"\s+", " ", re.sub(r"</?bdi>", "", response.content.decode()))


def queries_and_count(client, path: str, marker: str) -> tuple[int, int]:
    """The queries a page needs, and how many items (`marker`s) it shows, in a process that
    has shown the page before (what a process keeps, such as the footer's contacts, the project
    lists or the candidates for recommendations, is read on its first view or after a change)."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), text(response).count(marker)


def enter(client, registration) -> None:
    """Opens the emailed link in this client, as the participant would."""
    response = client.get(f"/meetings/enter/{make_token(registration, purpose=MANAGE)}/")
    assert response.status_code == 302


def request_from(sender, receiver, **kwargs) -> MeetingRequest:
    return request_meeting(sender=sender, receiver=receiver, **kwargs)


def booked_meeting(sender, receiver, slot) -> Meeting:
    request = request_from(sender, receiver)
    accept_request(request=request, by=receiver, slot=slot)
    return Meeting.objects.get(request=request)


# Entering ---------------------------------------------------------------------------------------


def test_the_emailed_link_opens_the_area_and_leaves_the_address_bar(client, company):
    token = make_token(company, purpose=MANAGE)
    response = client.get(f"/meetings/enter/{token}/")
    assert response.headers["Location"] == "/meetings/"
    page = text(client.get("/meetings/"))
    assert '<h1 class="mb-0">Business meetings</h1>' in page
    assert "Kim Min-jun · Hanbit Engineering" in page


def test_without_the_link_the_area_asks_for_it(client, company):
    response = client.get("/meetings/")
    assert response.headers["Location"] == "/register/link/"


def test_a_broken_link_is_refused(client, company):
    response = client.get("/meetings/enter/garbage/", follow=True)
    assert response.redirect_chain == [("/register/link/problem/", 302)]  # no token on the page
    assert response.status_code == 400
    assert "The link is not valid." in text(response)


def test_the_manage_link_also_opens_the_area_and_the_manage_page_points_to_it(client, company):
    client.get(f"/register/manage/{make_token(company, purpose=MANAGE)}/")
    assert 'href="/meetings/"' in text(client.get("/register/manage/"))
    assert client.get("/meetings/").status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"wants_meetings": False},
            "You have not chosen to take part in 1:1 business meetings.",
        ),
        (
            {"status": RegistrationStatus.AWAITING_APPROVAL},
            "Business meetings are open to confirmed registrations only.",
        ),
    ],
)
def test_who_has_not_opted_in_or_is_not_confirmed_is_told_why(client, company, change, message):
    enter(client, company)
    for name, value in change.items():
        setattr(company, name, value)
    company.save()
    response = client.get("/meetings/directory/")
    assert response.status_code == 403
    assert message in text(response)


def test_without_the_sharing_consent_the_area_stays_closed(client, company, edition):
    consent_texts_for(edition)  # the edition now asks for the sharing consent; none given
    enter(client, company)
    response = client.get("/meetings/")
    assert response.status_code == 403
    assert "first agree to share your profile" in text(response)


# Profile ----------------------------------------------------------------------------------------


def test_a_participant_without_a_profile_fills_it_in_first(
    client, edition, meeting_settings, smart_cities
):
    registration = ParticipantFactory(edition=edition, time_zone="Asia/Jakarta")
    project = ProjectFactory(edition=edition, title="Ho Chi Minh City metro line 2")
    early = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2030, 1, 21, 9, 0, tzinfo=SEOUL)
    )
    enter(client, registration)

    assert client.get("/meetings/directory/").headers["Location"] == "/meetings/profile/"
    response = client.post(
        "/meetings/profile/",
        {
            "side": ProfileSide.COMPANY,
            "description": "Metro signalling",
            "sectors": [smart_cities.pk],
            "countries_of_interest": ["VN", "ID"],
            "projects_of_interest": [project.pk],
            "offer": "Signalling systems",
            "seek": "Rail projects",
            "languages": ["en", "id"],
            "website": "https://example.co.kr",
            "listed": "on",
        },
    )

    assert response.headers["Location"] == "/meetings/availability/"
    profile = BusinessProfile.objects.get(registration=registration)
    assert (profile.side, profile.offer, profile.listed) == ("company", "Signalling systems", True)
    assert sorted(str(c) for c in profile.countries_of_interest) == ["ID", "VN"]
    assert list(profile.projects_of_interest.all()) == [project]
    assert profile.languages == ["en", "id"]
    # 09:00 in Seoul is 07:00 in Jakarta: outside her hours, so it starts unavailable.
    assert list(
        SlotUnavailability.objects.filter(registration=registration).values_list("slot", "reason")
    ) == [(early.pk, UnavailableReason.OUTSIDE_HOURS)]


def test_a_bad_profile_keeps_what_was_typed_and_says_what_is_wrong(client, company):
    enter(client, company)
    response = client.post(
        "/meetings/profile/",
        {"side": "pirate", "offer": "Tunnels and bridges", "website": "not a site"},
    )
    page = text(response)
    assert response.status_code == 200
    assert "Select a valid choice. pirate is not one of the available choices." in page
    assert "Enter a valid URL." in page
    assert "Tunnels and bridges</textarea>" in page
    assert BusinessProfile.objects.get(registration=company).offer == ""


# Availability -----------------------------------------------------------------------------------


def test_the_availability_grid_shows_days_and_saves_what_is_unticked(client, company, slots):
    enter(client, company)
    page = text(client.get("/meetings/availability/"))
    assert "Monday 21 January" in page
    assert page.count('name="available"') == 4
    assert page.count("checked") == 4

    keep = [slots[0].pk, slots[2].pk]
    response = client.post("/meetings/availability/", {"available": keep})

    assert response.headers["Location"] == "/meetings/availability/"
    assert set(
        SlotUnavailability.objects.filter(registration=company).values_list("slot", flat=True)
    ) == {slots[1].pk, slots[3].pk}


def test_a_whole_day_can_be_taken_out(client, company, slots):
    enter(client, company)
    client.post(
        "/meetings/availability/",
        {"available": [slot.pk for slot in slots], "unavailable_days": ["2030-01-21"]},
    )
    assert SlotUnavailability.objects.filter(registration=company).count() == 4


def test_a_slot_with_a_meeting_stays_ticked_and_cannot_be_unticked(client, company, owner, slots):
    booked_meeting(company, owner, slots[1])
    enter(client, company)
    page = text(client.get("/meetings/availability/"))
    assert re.search(rf'value="{slots[1].pk}" id="slot-{slots[1].pk}" checked disabled', page)
    client.post("/meetings/availability/", {"available": []})
    assert set(
        SlotUnavailability.objects.filter(registration=company).values_list("slot", flat=True)
    ) == {slots[0].pk, slots[2].pk, slots[3].pk}


def test_a_bad_availability_post_is_refused_with_a_message(client, company, slots):
    enter(client, company)
    response = client.post("/meetings/availability/", {"available": ["999999", "x"]})
    assert response.status_code == 200
    assert "is not a valid value." in text(response)
    assert SlotUnavailability.objects.filter(registration=company).count() == 0


# Directory and recommendations ------------------------------------------------------------------


def test_the_directory_lists_only_listed_profiles_of_confirmed_registrations(
    client, edition, company, owner
):
    hidden = BusinessProfileFactory(
        registration__edition=edition, registration__organisation="Unlisted Co", listed=False
    )
    unconfirmed = BusinessProfileFactory(
        registration__edition=edition,
        registration__organisation="Pending Co",
        registration__status=RegistrationStatus.AWAITING_APPROVAL,
    )
    enter(client, company)
    page = text(client.get("/meetings/directory/"))
    assert "Ministry of Transport of Viet Nam" in page
    assert "1 participant" in page
    assert "Hanbit Engineering</h3>" not in page  # not oneself
    assert "Unlisted Co" not in page and "Pending Co" not in page
    for profile in (hidden, unconfirmed):
        assert client.get(f"/meetings/directory/{profile.pk}/").status_code == 404


def test_the_directory_filters_and_searches(client, edition, company, owner, smart_cities):
    financier = BusinessProfileFactory(
        registration__edition=edition,
        registration__organisation="Export-Import Bank",
        side=ProfileSide.FINANCIER,
        offer="Loans for rail",
    )
    enter(client, company)

    def listed(query: str) -> list[str]:
        page = text(client.get(f"/meetings/directory/?{query}"))
        return re.findall(r'<h3 class="h5 mb-1">([^<]+)</h3>', page)

    assert listed("") == ["Export-Import Bank", "Ministry of Transport of Viet Nam"]
    assert listed("side=financier") == ["Export-Import Bank"]
    assert listed("sector=smart-cities") == ["Ministry of Transport of Viet Nam"]
    assert listed("country=VN") == ["Ministry of Transport of Viet Nam"]
    assert listed("q=rail") == ["Export-Import Bank"]
    assert listed("q=nothing+like+this") == []
    # Nonsense in the query string is ignored, never a 500.
    assert listed("side=pirate&page=banana") == [
        "Export-Import Bank",
        "Ministry of Transport of Viet Nam",
    ]
    assert financier.pk


def test_the_directory_pages_by_twenty(client, edition, company):
    for n in range(25):
        BusinessProfileFactory(
            registration__edition=edition, registration__organisation=f"Co {n:02}"
        )
    enter(client, company)
    first = text(client.get("/meetings/directory/"))
    second = text(client.get("/meetings/directory/?page=2"))
    assert first.count("directory-entry") == 20
    assert second.count("directory-entry") == 5
    assert "Page 2 of 2" in second


def test_the_directory_needs_the_same_queries_for_one_profile_and_for_many(
    client, edition, company, smart_cities
):
    project = ProjectFactory(edition=edition)

    def profile():
        made = BusinessProfileFactory(registration__edition=edition)
        made.sectors.set([smart_cities])
        made.projects_presented.set([project])

    profile()
    enter(client, company)
    one = queries_and_count(client, "/meetings/directory/", "directory-entry")
    for _ in range(15):
        profile()
    many = queries_and_count(client, "/meetings/directory/", "directory-entry")
    assert (one[1], many[1]) == (1, 16)
    assert many[0] == one[0]


def test_recommendations_give_the_reasons_in_words(client, edition, company, owner):
    project = ProjectFactory(edition=edition, title="Da Nang smart city", country="VN")
    owner.business_profile.projects_presented.set([project])
    company.business_profile.projects_of_interest.set([project])
    enter(client, company)
    page = text(client.get("/meetings/recommended/"))
    assert "Ministry of Transport of Viet Nam" in page
    assert (
        "interested in Vietnam&#x27;s project Da Nang smart city; both in Smart cities; "
        "has projects in Vietnam; a project owner; speaks English"
    ) in page


def test_recommendations_are_in_korean_on_korean_pages(client, edition, company, owner):
    enter(client, company)
    page = text(client.get("/ko/meetings/recommended/"))
    assert "스마트시티" in page


def test_the_recommendations_need_the_same_queries_for_one_and_for_many(
    client, edition, company, smart_cities
):
    def profile():
        BusinessProfileFactory(registration__edition=edition).sectors.set([smart_cities])

    profile()
    enter(client, company)
    one = queries_and_count(client, "/meetings/recommended/", 'mb-2 recommendation"')
    for _ in range(8):
        profile()
    many = queries_and_count(client, "/meetings/recommended/", 'mb-2 recommendation"')
    assert (one[1], many[1]) == (1, 9)
    assert many[0] == one[0]


# Requests ---------------------------------------------------------------------------------------


def test_a_request_is_sent_with_priority_project_and_message(client, edition, company, owner):
    project = ProjectFactory(edition=edition)
    enter(client, company)
    response = client.post(
        f"/meetings/directory/{owner.business_profile.pk}/",
        {"priority": "would_like", "project": project.pk, "message": "Let us talk about rails."},
    )
    request = MeetingRequest.objects.get()
    assert response.headers["Location"] == f"/meetings/requests/{request.pk}/"
    assert (request.sender, request.receiver, request.priority, request.project) == (
        company,
        owner,
        "would_like",
        project,
    )
    assert request.message == "Let us talk about rails."
    page = text(client.get(response.headers["Location"]))
    assert "Your request is sent to Nguyen Thi Lan." in page
    assert "Awaiting an answer" in page
    # The profile page now points to the open request instead of offering a second one.
    assert "You two already have an open request" in text(
        client.get(f"/meetings/directory/{owner.business_profile.pk}/")
    )


def test_a_bad_request_keeps_the_message_and_says_what_is_wrong(client, company, owner):
    enter(client, company)
    response = client.post(
        f"/meetings/directory/{owner.business_profile.pk}/",
        {"priority": "urgent", "message": "Please meet us"},
    )
    page = text(response)
    assert "Select a valid choice. urgent is not one of the available choices." in page
    assert "Please meet us</textarea>" in page
    assert MeetingRequest.objects.count() == 0


def test_a_refused_request_shows_the_services_reason(client, company, owner, meeting_settings):
    meeting_settings.request_limit = 0
    meeting_settings.save()
    enter(client, company)
    response = client.post(
        f"/meetings/directory/{owner.business_profile.pk}/",
        {"priority": "must", "message": "Hello there"},
    )
    page = text(response)
    assert "You have sent the 0 requests this forum allows." in page
    assert "Hello there</textarea>" in page


def test_requests_sent_and_received_are_listed(client, edition, company, owner):
    financier = BusinessProfileFactory(registration__edition=edition, registration__name="Lee")
    request_from(company, owner)
    request_from(financier.registration, company)
    enter(client, company)
    page = text(client.get("/meetings/requests/"))
    received = page.split('id="received-requests"')[1].split('id="sent-requests"')[0]
    sent = page.split('id="sent-requests"')[1]
    assert "From Lee" in received and "Nguyen" not in received
    assert "To Nguyen Thi Lan" in sent and "Lee" not in sent


def test_the_requests_page_needs_the_same_queries_for_one_and_for_many(client, edition, company):
    def incoming():
        request_from(BusinessProfileFactory(registration__edition=edition).registration, company)

    incoming()
    enter(client, company)
    one = queries_and_count(client, "/meetings/requests/", "request-item")
    for _ in range(6):
        incoming()
    many = queries_and_count(client, "/meetings/requests/", "request-item")
    assert (one[1], many[1]) == (1, 7)
    assert many[0] == one[0]


def test_the_receiver_accepts_and_picks_a_slot_both_are_free(client, company, owner, slots):
    request = request_from(company, owner)
    set_availability(registration=company, unavailable_slots=[slots[0]])
    enter(client, owner)
    page = text(client.get(f"/meetings/requests/{request.pk}/"))
    offered = re.findall(r'name="slot" value="(\d+)"', page)
    assert offered == [str(s.pk) for s in slots[1:]]
    # Both sides' times: 10:30 in Seoul is 08:30 in Ho Chi Minh City.
    assert "Monday 21 January 2030" in page and "08:30–09:00 (10:30 their time)" in page

    response = client.post(f"/meetings/requests/{request.pk}/accept/", {"slot": slots[1].pk})

    assert response.headers["Location"] == f"/meetings/requests/{request.pk}/"
    meeting = Meeting.objects.get()
    assert (meeting.slot, meeting.status) == (slots[1], MeetingStatus.SCHEDULED)
    assert MeetingSeat.objects.filter(meeting=meeting, released_at=None).count() == 2
    page = text(client.get(response.headers["Location"]))
    assert "The meeting is booked. You both get an invitation." in page
    assert "Booked" in page


def test_a_lost_race_says_the_slot_was_taken_and_offers_what_is_left(
    client, edition, company, owner, slots
):
    request = request_from(company, owner)
    enter(client, owner)
    client.get(f"/meetings/requests/{request.pk}/")
    # Meanwhile someone else takes the company's 10:00 slot.
    rival = BusinessProfileFactory(registration__edition=edition).registration
    booked_meeting(rival, company, slots[0])

    response = client.post(f"/meetings/requests/{request.pk}/accept/", {"slot": slots[0].pk})

    page = text(response)
    assert response.status_code == 409
    assert "That slot was just taken. Please choose another one." in page
    assert re.findall(r'name="slot" value="(\d+)"', page) == [str(s.pk) for s in slots[1:]]
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert Meeting.objects.filter(request=request).count() == 0


def test_a_nonsense_slot_is_refused_with_the_choices_left(client, company, owner, slots):
    request = request_from(company, owner)
    enter(client, owner)
    response = client.post(f"/meetings/requests/{request.pk}/accept/", {"slot": "banana"})
    assert response.status_code == 200
    assert "Choose one of the times below." in text(response)
    assert Meeting.objects.count() == 0


def test_in_organiser_mode_accepting_waits_for_the_scheduler(
    client, company, owner, slots, meeting_settings
):
    meeting_settings.booking_mode = BookingMode.ORGANISER
    meeting_settings.save()
    request = request_from(company, owner)
    enter(client, owner)
    page = text(client.get(f"/meetings/requests/{request.pk}/"))
    assert 'name="slot"' not in page
    client.post(f"/meetings/requests/{request.pk}/accept/")
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert Meeting.objects.count() == 0


def test_the_receiver_declines_with_a_reason(client, company, owner):
    request = request_from(company, owner)
    enter(client, owner)
    response = client.post(
        f"/meetings/requests/{request.pk}/decline/", {"reason": "Not our sector"}
    )
    assert response.headers["Location"] == "/meetings/requests/"
    request.refresh_from_db()
    assert (request.status, request.answer_reason) == (RequestStatus.DECLINED, "Not our sector")


def test_the_sender_can_withdraw_but_not_accept(client, company, owner, slots):
    request = request_from(company, owner)
    enter(client, company)
    page = text(client.get(f"/meetings/requests/{request.pk}/"))
    assert 'id="accept-form"' not in page and 'id="withdraw-form"' in page
    response = client.post(f"/meetings/requests/{request.pk}/accept/", {"slot": slots[0].pk})
    assert "Only the receiver can answer this request." in text(
        client.get(response.headers["Location"])
    )
    client.post(f"/meetings/requests/{request.pk}/withdraw/")
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN


# Meetings ---------------------------------------------------------------------------------------


def test_my_meetings_show_both_sides_local_times_and_the_video_link(
    client, company, owner, slots, meeting_settings
):
    meeting_settings.video_link_template = "https://meet.example.org/{room}"
    meeting_settings.save()
    meeting = booked_meeting(company, owner, slots[2])
    enter(client, company)
    page = text(client.get("/meetings/"))
    assert "Monday 21 January 2030 11:00–11:30</time> your time (Asia/Seoul)" in page
    assert "Mon 21 Jan, 09:00–09:30 for Nguyen Thi Lan (Asia/Ho_Chi_Minh)" in page
    meeting.refresh_from_db()
    assert meeting.video_link.startswith("https://meet.example.org/")
    assert f'href="{meeting.video_link}"' in page

    enter(client, owner)
    page = text(client.get(f"/meetings/meeting/{meeting.pk}/"))
    assert "Monday 21 January 2030 09:00–09:30</time> your time (Asia/Ho_Chi_Minh)" in page
    assert "Mon 21 Jan, 11:00–11:30 for Kim Min-jun (Asia/Seoul)" in page


def test_the_home_page_needs_the_same_queries_for_one_meeting_and_for_many(
    client, edition, company, slots
):
    def meet(slot):
        other = BusinessProfileFactory(registration__edition=edition).registration
        booked_meeting(other, company, slot)

    meet(slots[0])
    enter(client, company)
    one = queries_and_count(client, "/meetings/", "meeting-item")
    for slot in slots[1:]:
        meet(slot)
    many = queries_and_count(client, "/meetings/", "meeting-item")
    assert (one[1], many[1]) == (1, 4)
    assert many[0] == one[0]


def test_an_outcome_is_recorded_after_the_meeting(client, company, owner, slots):
    meeting = booked_meeting(company, owner, slots[0])
    enter(client, owner)
    assert 'id="outcome-form"' not in text(client.get(f"/meetings/meeting/{meeting.pk}/"))
    # The meeting is now over.
    past = timezone.now() - dt.timedelta(hours=2)
    type(slots[0]).objects.filter(pk=slots[0].pk).update(
        starts_at=past, ends_at=past + dt.timedelta(minutes=30)
    )
    response = client.post(
        f"/meetings/meeting/{meeting.pk}/outcome/",
        {"outcome": MeetingOutcome.PROPOSAL, "note": "Sending a proposal in March"},
    )
    assert response.headers["Location"] == f"/meetings/meeting/{meeting.pk}/"
    meeting.refresh_from_db()
    assert (meeting.outcome, meeting.outcome_note) == ("proposal", "Sending a proposal in March")
    page = text(client.get(f"/meetings/meeting/{meeting.pk}/"))
    assert "Proposal to send — Sending a proposal in March" in page


def test_a_bad_outcome_keeps_the_note(client, company, owner, slots):
    meeting = booked_meeting(company, owner, slots[0])
    past = timezone.now() - dt.timedelta(hours=2)
    type(slots[0]).objects.filter(pk=slots[0].pk).update(
        starts_at=past, ends_at=past + dt.timedelta(minutes=30)
    )
    enter(client, company)
    response = client.post(
        f"/meetings/meeting/{meeting.pk}/outcome/", {"outcome": "great", "note": "Good talk"}
    )
    assert "Select a valid choice. great is not one of the available choices." in text(response)
    assert "Good talk</textarea>" in text(response)


def test_either_side_can_cancel_a_future_meeting(client, company, owner, slots):
    meeting = booked_meeting(company, owner, slots[0])
    enter(client, company)
    client.post(f"/meetings/meeting/{meeting.pk}/cancel/", {"reason": "Travel"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED  # not confirmed: nothing happens
    response = client.post(
        f"/meetings/meeting/{meeting.pk}/cancel/", {"reason": "Travel", "confirm": "on"}
    )
    assert response.headers["Location"] == "/meetings/"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (MeetingStatus.CANCELLED, "Travel")


def test_the_calendar_feed_lists_exactly_my_meetings(client, edition, company, owner, slots):
    mine = booked_meeting(company, owner, slots[0])
    others = BusinessProfileFactory(registration__edition=edition).registration
    booked_meeting(others, owner, slots[1])
    enter(client, company)
    page = text(client.get("/meetings/"))
    secret = company.business_profile.calendar_secret
    assert f"/meetings/calendar/{secret}.ics" in page

    client.logout()
    response = client.get(f"/meetings/calendar/{secret}.ics")
    calendar = Calendar.from_ical(response.content)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert [str(event["UID"]) for event in calendar.walk("VEVENT")] == [mine.uid]
    assert client.get("/meetings/calendar/not-a-secret.ics").status_code == 404


def test_a_new_calendar_address_revokes_the_old_one(client, company):
    old = company.business_profile.calendar_secret
    enter(client, company)
    client.post("/meetings/calendar/renew/")
    assert client.get(f"/meetings/calendar/{old}.ics").status_code == 404
    new = BusinessProfile.objects.get(registration=company).calendar_secret
    assert client.get(f"/meetings/calendar/{new}.ics").status_code == 200


# Access: a participant sees only their own requests and meetings --------------------------------


@pytest.fixture
def strangers(edition, slots, company, owner):
    """A request and a meeting between two other participants."""
    first, second, third = (
        BusinessProfileFactory(registration__edition=edition).registration for _ in range(3)
    )
    open_request = request_from(first, second)
    meeting = booked_meeting(third, first, slots[3])
    return {"request": open_request.pk, "meeting": meeting.pk}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/meetings/requests/{request}/"),
        ("post", "/meetings/requests/{request}/accept/"),
        ("post", "/meetings/requests/{request}/decline/"),
        ("post", "/meetings/requests/{request}/withdraw/"),
        ("get", "/meetings/meeting/{meeting}/"),
        ("post", "/meetings/meeting/{meeting}/outcome/"),
        ("post", "/meetings/meeting/{meeting}/move/"),
        ("post", "/meetings/meeting/{meeting}/cancel/"),
    ],
)
def test_another_participants_request_or_meeting_is_not_found(
    client, company, strangers, method, path
):
    enter(client, company)
    response = getattr(client, method)(path.format(**strangers))
    assert response.status_code == 404
    assert MeetingRequest.objects.get(pk=strangers["request"]).status == RequestStatus.PENDING
    assert Meeting.objects.get(pk=strangers["meeting"]).status == MeetingStatus.SCHEDULED


def test_a_request_awaiting_staff_review_is_not_shown_to_its_receiver(
    client, company, owner, meeting_settings
):
    meeting_settings.review_requests = True
    meeting_settings.save()
    request = request_from(company, owner)
    enter(client, owner)
    assert client.get(f"/meetings/requests/{request.pk}/").status_code == 404
    assert "Hanbit" not in text(client.get("/meetings/requests/"))


# Language and page hygiene ----------------------------------------------------------------------


def test_the_area_is_in_korean_under_ko(client, company, owner, slots):
    booked_meeting(company, owner, slots[2])
    enter(client, company)
    page = text(client.get("/ko/meetings/"))
    assert '<h1 class="mb-0">비즈니스 미팅</h1>' in page
    assert "2030년 1월 21일 (월) 11:00–11:30</time> 내 시간(Asia/Seoul)" in page
    assert "1월 21일 (월) 09:00–09:30 Nguyen Thi Lan님 시간(Asia/Ho_Chi_Minh)" in page


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/",
        "/meetings/profile/",
        "/meetings/availability/",
        "/meetings/directory/",
        "/meetings/recommended/",
        "/meetings/requests/",
        "/ko/meetings/",
    ],
)
def test_the_pages_need_no_inline_script_or_style(client, company, owner, slots, path):
    request_from(owner, company)
    enter(client, company)
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 200
    assert "style=" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []


def test_the_availability_grid_needs_the_same_queries_for_one_slot_and_for_many(
    client, edition, company, meeting_settings
):
    start = dt.datetime(2030, 1, 21, 9, 0, tzinfo=SEOUL)
    MeetingSlotFactory(edition=edition, starts_at=start)
    enter(client, company)
    one = queries_and_count(client, "/meetings/availability/", 'name="available"')
    for n in range(1, 20):
        MeetingSlotFactory(edition=edition, starts_at=start + dt.timedelta(hours=n))
    many = queries_and_count(client, "/meetings/availability/", 'name="available"')
    assert (one[1], many[1]) == (1, 20)
    assert many[0] == one[0]


def test_in_self_booking_either_side_moves_the_meeting(client, edition, company, owner, slots):
    meeting = booked_meeting(company, owner, slots[0])
    enter(client, company)
    page = text(client.get(f"/meetings/meeting/{meeting.pk}/"))
    assert re.findall(r'name="slot" value="(\d+)"', page) == [str(s.pk) for s in slots[1:]]

    response = client.post(f"/meetings/meeting/{meeting.pk}/move/", {"slot": slots[2].pk})

    assert response.headers["Location"] == f"/meetings/meeting/{meeting.pk}/"
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.sequence) == (slots[2], 1)
    # Someone takes the owner's 10:30 meanwhile: the move is refused with the times left.
    rival = BusinessProfileFactory(registration__edition=edition).registration
    booked_meeting(rival, owner, slots[1])
    response = client.post(f"/meetings/meeting/{meeting.pk}/move/", {"slot": slots[1].pk})
    assert response.status_code == 409
    assert "That slot was just taken. Please choose another one." in text(response)
    assert re.findall(r'name="slot" value="(\d+)"', text(response)) == [
        str(slots[0].pk),
        str(slots[3].pk),
    ]
    meeting.refresh_from_db()
    assert meeting.slot == slots[2]


def test_past_times_are_not_offered_and_the_page_says_when_meetings_are_over(
    client, edition, company, meeting_settings
):
    past = timezone.now() - dt.timedelta(days=2)
    MeetingSlotFactory(edition=edition, starts_at=past, ends_at=past + dt.timedelta(minutes=30))
    enter(client, company)
    page = text(client.get("/meetings/availability/"))
    assert 'name="available"' not in page
    assert "The business-meeting days of this forum are over." in page


def test_the_request_email_opens_the_meetings_area(
    client, company, owner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_from(company, owner, message="Hello")
    (email,) = [m for m in mailoutbox if m.to == [owner.email]]
    path = re.search(r"http://localhost:8000(/meetings/enter/\S+/)", email.body).group(1)
    assert client.get(path).headers["Location"] == "/meetings/"
    assert "From Kim Min-jun, Hanbit Engineering" in text(client.get("/meetings/requests/"))
