"""Business-meeting services: profiles, slots, availability, requests, booking, cancelling.

The participants and slots are the meetings tests' own (tests/meetings/conftest.py)."""

import datetime as dt
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from meetings.choices import (
    BookingMode,
    MeetingOutcome,
    MeetingStatus,
    ProfileSide,
    RequestStatus,
    UnavailableReason,
)
from meetings.errors import MeetingError
from meetings.models import (
    BusinessProfile,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    MeetingSlot,
    SlotUnavailability,
)
from meetings.services.booking import book_meeting, cancel_meeting, move_meeting, record_outcome
from meetings.services.participation import end_meeting_participation
from meetings.services.profiles import save_business_profile
from meetings.services.reminders import send_meeting_reminders
from meetings.services.requests import (
    accept_request,
    decline_request,
    request_meeting,
    review_request,
    withdraw_request,
)
from meetings.services.slots import generate_slots, set_availability, set_slot_rooms
from tests.factories import (
    BusinessProfileFactory,
    MeetingSlotFactory,
    ParticipantFactory,
    ProjectFactory,
    SectorFactory,
)

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def accepted(sender, receiver):
    request = request_meeting(sender=sender, receiver=receiver, message="Hello")
    return accept_request(request=request, by=receiver)


# Profiles and availability ----------------------------------------------------------------------


def test_saving_a_profile_marks_slots_outside_the_participants_hours(edition, meeting_settings):
    early = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2030, 1, 21, 9, 0, tzinfo=SEOUL)
    )
    noon = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2030, 1, 21, 12, 0, tzinfo=SEOUL)
    )
    # 09:00 in Seoul is 06:30 in Yangon: too early there, fine in Seoul.
    yangon = ParticipantFactory(edition=edition, time_zone="Asia/Yangon")
    seoul = ParticipantFactory(edition=edition, time_zone="Asia/Seoul")
    sector = SectorFactory(slug="smart-cities")
    project = ProjectFactory(edition=edition)

    profile = save_business_profile(
        registration=yangon,
        data={
            "side": ProfileSide.PROJECT_OWNER,
            "description": "Ministry of Construction",
            "sectors": [sector],
            "countries_of_interest": ["KR"],
            "projects_presented": [project],
            "languages": ["my", "en"],
            "listed": True,
        },
    )
    save_business_profile(registration=seoul, data={"side": ProfileSide.COMPANY})

    profile.refresh_from_db()
    assert [s.slug for s in profile.sectors.all()] == ["smart-cities"]
    assert [str(c) for c in profile.countries_of_interest] == ["KR"]
    assert profile.languages == ["en", "my"]
    assert list(profile.projects_presented.all()) == [project]
    assert list(
        SlotUnavailability.objects.filter(registration=yangon).values_list("slot", "reason")
    ) == [(early.pk, UnavailableReason.OUTSIDE_HOURS)]
    assert SlotUnavailability.objects.filter(registration=seoul).count() == 0
    assert noon.pk not in set_availability(registration=seoul, unavailable_slots=[noon]) - {noon.pk}


def test_a_profile_needs_a_confirmed_registration_that_opted_in(edition):
    registration = ParticipantFactory(edition=edition, wants_meetings=False)
    with pytest.raises(MeetingError) as error:
        save_business_profile(registration=registration, data={"side": "company"})
    assert error.value.code == "not_opted_in"
    assert BusinessProfile.objects.count() == 0


def test_availability_by_slot_and_by_day(company, slots):
    marked = set_availability(registration=company, unavailable_slots=[slots[0]])
    assert marked == {slots[0].pk}
    marked = set_availability(registration=company, unavailable_days=[dt.date(2030, 1, 21)])
    assert marked == {slot.pk for slot in slots}
    assert set(
        SlotUnavailability.objects.filter(registration=company).values_list("reason", flat=True)
    ) == {UnavailableReason.MARKED}
    set_availability(registration=company, unavailable_slots=[])
    assert SlotUnavailability.objects.filter(registration=company).count() == 0


def test_marking_a_time_with_a_meeting_names_it_in_the_participants_language_and_zone(
    company, owner, slots
):
    """Issue 16, defect 6: the Korean message carried an English "21 Jan 10:00"."""
    book_meeting(request=accepted(company, owner), slot=slots[1], by=owner)
    with translation.override("ko"), pytest.raises(MeetingError) as error:
        set_availability(registration=owner, unavailable_slots=[slots[1]])
    assert error.value.code == "has_meeting"
    # 10:30 in Seoul is 08:30 in Ho Chi Minh City, the owner's zone.
    assert "1월 21일 (월) 08:30" in error.value.message
    assert "Jan" not in error.value.message
    with translation.override("en"), pytest.raises(MeetingError) as error:
        set_availability(registration=owner, unavailable_slots=[slots[1]])
    assert "Mon 21 Jan, 08:30" in error.value.message


# Slots --------------------------------------------------------------------------------------------


def test_generating_slots_follows_the_settings_and_keeps_slots_with_meetings(
    edition, meeting_settings, company, owner
):
    changed = {
        "window_start": dt.date(2030, 1, 25),  # Friday
        "window_end": dt.date(2030, 1, 28),  # Monday
        "weekdays": [0, 4],
        "day_start": dt.time(10, 0),
        "day_end": dt.time(11, 30),
        "slot_minutes": 30,
        "pause_minutes": 10,
        "rooms": 3,
    }
    for name, value in changed.items():
        setattr(meeting_settings, name, value)
    meeting_settings.save()
    changes = generate_slots(edition=edition)
    starts = [s.starts_at.astimezone(SEOUL) for s in MeetingSlot.objects.filter(edition=edition)]
    assert [f"{s:%a %H:%M}" for s in starts] == [
        "Fri 10:00",
        "Fri 10:40",
        "Mon 10:00",
        "Mon 10:40",
    ]
    assert changes.created == 4
    assert set(MeetingSlot.objects.values_list("rooms", flat=True)) == {3}

    first = MeetingSlot.objects.order_by("starts_at").first()
    meeting = book_meeting(request=accepted(company, owner), slot=first, by=owner)
    meeting_settings.day_start = dt.time(13, 0)
    meeting_settings.day_end = dt.time(14, 10)
    meeting_settings.save()
    changes = generate_slots(edition=edition)

    remaining = MeetingSlot.objects.filter(edition=edition).order_by("starts_at")
    assert [f"{s.starts_at.astimezone(SEOUL):%a %H:%M}" for s in remaining] == [
        "Fri 10:00",
        "Fri 13:00",
        "Fri 13:40",
        "Mon 13:00",
        "Mon 13:40",
    ]
    assert (changes.created, changes.removed, changes.kept_with_meetings) == (4, 3, 1)
    meeting.refresh_from_db()
    assert meeting.slot == first


# Requests -----------------------------------------------------------------------------------------


def test_request_rules(edition, meeting_settings, company, owner, mailoutbox, run_on_commit):
    with pytest.raises(MeetingError) as error:
        request_meeting(sender=company, receiver=company)
    assert error.value.code == "oneself"

    with run_on_commit():
        request = request_meeting(sender=company, receiver=owner, message=" Hi ")
    assert (request.status, request.message) == (RequestStatus.PENDING, "Hi")
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert mailoutbox[0].subject.startswith("Meeting request from Kim")

    for sender, receiver in [(company, owner), (owner, company)]:
        with pytest.raises(MeetingError) as error:
            request_meeting(sender=sender, receiver=receiver)
        assert error.value.code == "already_requested"
    assert MeetingRequest.objects.count() == 1


def test_the_database_refuses_a_second_open_request_either_way_round(edition, company, owner):
    MeetingRequest.objects.create(
        edition=edition, sender=company, receiver=owner, status=RequestStatus.PENDING
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.create(
            edition=edition, sender=owner, receiver=company, status=RequestStatus.PENDING
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.create(
            edition=edition, sender=company, receiver=company, status=RequestStatus.DECLINED
        )
    # A closed request doesn't stand in the way of a new one.
    MeetingRequest.objects.update(status=RequestStatus.DECLINED)
    MeetingRequest.objects.create(
        edition=edition, sender=owner, receiver=company, status=RequestStatus.PENDING
    )
    assert MeetingRequest.objects.count() == 2


def test_the_sent_limit(edition, meeting_settings, company):
    meeting_settings.request_limit = 2
    meeting_settings.save()
    others = [BusinessProfileFactory(registration__edition=edition).registration for _ in range(3)]
    request_meeting(sender=company, receiver=others[0])
    second = request_meeting(sender=company, receiver=others[1])
    with pytest.raises(MeetingError) as error:
        request_meeting(sender=company, receiver=others[2])
    assert error.value.code == "limit_reached"
    withdraw_request(request=second, by=company)
    request_meeting(sender=company, receiver=others[2])
    assert MeetingRequest.objects.filter(sender=company).count() == 3


def test_staff_review_holds_the_request_until_forwarded(
    edition, meeting_settings, company, owner, mailoutbox, run_on_commit
):
    meeting_settings.review_requests = True
    meeting_settings.save()
    with run_on_commit():
        request = request_meeting(sender=company, receiver=owner)
    assert request.status == RequestStatus.PENDING_REVIEW
    assert mailoutbox == []
    with pytest.raises(MeetingError):
        accept_request(request=request, by=owner)
    with run_on_commit():
        review_request(request=request, approve=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert [m.to for m in mailoutbox] == [[owner.email]]


def test_decline_with_a_reason(
    edition, meeting_settings, company, owner, mailoutbox, run_on_commit
):
    request = request_meeting(sender=company, receiver=owner)
    with pytest.raises(MeetingError) as error:
        decline_request(request=request, by=company)
    assert error.value.code == "not_yours"
    with run_on_commit():
        decline_request(request=request, by=owner, reason="Not our sector")
    request.refresh_from_db()
    assert (request.status, request.answer_reason) == (RequestStatus.DECLINED, "Not our sector")
    assert "Reason given: Not our sector" in mailoutbox[-1].body


# Booking ------------------------------------------------------------------------------------------


def test_self_booking_on_accepting(
    edition, meeting_settings, slots, company, owner, mailoutbox, run_on_commit
):
    request = request_meeting(sender=company, receiver=owner)
    with run_on_commit():
        accept_request(request=request, by=owner, slot=slots[1])
    request.refresh_from_db()
    meeting = Meeting.objects.get()
    assert request.status == RequestStatus.BOOKED
    assert (meeting.slot, meeting.room, meeting.status) == (slots[1], 1, MeetingStatus.SCHEDULED)
    assert sorted(MeetingSeat.objects.values_list("registration", "slot")) == sorted(
        [(company.pk, slots[1].pk), (owner.pk, slots[1].pk)]
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([company.email, owner.email])
    assert all(m.attachments[0].mimetype.startswith("text/calendar") for m in mailoutbox)


def test_a_slot_where_either_is_busy_or_unavailable_is_refused_with_the_free_choices(
    edition, meeting_settings, slots, company, owner
):
    third = BusinessProfileFactory(registration__edition=edition).registration
    book_meeting(request=accepted(company, third), slot=slots[0], by=third)
    set_availability(registration=owner, unavailable_slots=[slots[1]])
    request = accepted(company, owner)

    with pytest.raises(MeetingError) as error:
        book_meeting(request=request, slot=slots[0], by=owner)
    assert error.value.code == "slot_taken"
    assert error.value.choices == [slots[2], slots[3]]
    with pytest.raises(MeetingError) as error:
        book_meeting(request=request, slot=slots[1], by=owner)
    assert error.value.code == "unavailable"
    assert Meeting.objects.count() == 1


def test_a_slot_holds_no_more_meetings_than_its_rooms(edition, meeting_settings, slots, company):
    pairs = [
        (
            BusinessProfileFactory(registration__edition=edition).registration,
            BusinessProfileFactory(registration__edition=edition).registration,
        )
        for _ in range(3)
    ]
    for a, b in pairs[:2]:
        book_meeting(request=accepted(a, b), slot=slots[0], by=b)
    a, b = pairs[2]
    with pytest.raises(MeetingError) as error:
        book_meeting(request=accepted(a, b), slot=slots[0], by=b)
    assert error.value.code == "slot_taken"
    assert sorted(Meeting.objects.values_list("room", flat=True)) == [1, 2]


def test_the_database_refuses_double_booking_a_person_or_a_room(edition, slots, company, owner):
    third = BusinessProfileFactory(registration__edition=edition).registration
    meeting = Meeting.objects.create(
        edition=edition, sender=company, receiver=owner, slot=slots[0], room=1
    )
    MeetingSeat.objects.create(meeting=meeting, registration=company, slot=slots[0])
    other = Meeting.objects.create(
        edition=edition, sender=company, receiver=third, slot=slots[0], room=2
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeat.objects.create(meeting=other, registration=company, slot=slots[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(edition=edition, sender=owner, receiver=third, slot=slots[0], room=1)
    # A released seat frees the person again.
    MeetingSeat.objects.update(released_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    MeetingSeat.objects.create(meeting=other, registration=company, slot=slots[0])


def test_organiser_mode_leaves_booking_to_staff(edition, meeting_settings, slots, company, owner):
    meeting_settings.booking_mode = BookingMode.ORGANISER
    meeting_settings.save()
    request = accepted(company, owner)
    with pytest.raises(MeetingError) as error:
        book_meeting(request=request, slot=slots[0], by=owner)
    assert error.value.code == "organiser_mode"
    meeting = book_meeting(request=request, slot=slots[0])
    assert meeting.status == MeetingStatus.SCHEDULED


def test_move_grows_the_sequence_and_cancel_frees_both(
    edition, meeting_settings, slots, company, owner, mailoutbox, run_on_commit
):
    meeting = book_meeting(request=accepted(company, owner), slot=slots[0], by=owner)
    with run_on_commit():
        move_meeting(meeting=meeting, slot=slots[2], by=company)
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.sequence) == (slots[2], 1)
    assert list(
        MeetingSeat.objects.filter(released_at__isnull=True).values_list("slot", flat=True)
    ) == [slots[2].pk, slots[2].pk]
    assert "Before: " in mailoutbox[-1].body

    with run_on_commit():
        cancel_meeting(meeting=meeting, by=owner, reason="Travel")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, meeting.cancel_reason) == (
        MeetingStatus.CANCELLED,
        2,
        "Travel",
    )
    assert MeetingSeat.objects.filter(released_at__isnull=True).count() == 0
    assert MeetingRequest.objects.get().status == RequestStatus.CANCELLED
    assert b"METHOD:CANCEL" in mailoutbox[-1].attachments[0].content.encode()
    # The two can ask again now.
    request_meeting(sender=owner, receiver=company)


def test_outcome_after_the_meeting(edition, meeting_settings, company, owner):
    past = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2020, 1, 21, 10, 0, tzinfo=SEOUL)
    )
    meeting = Meeting.objects.create(
        edition=edition, sender=company, receiver=owner, slot=past, room=1
    )
    record_outcome(meeting=meeting, outcome=MeetingOutcome.MOU, note=" next step ", by=owner)
    meeting.refresh_from_db()
    assert (meeting.outcome, meeting.outcome_note) == (MeetingOutcome.MOU, "next step")
    with pytest.raises(MeetingError):
        record_outcome(meeting=meeting, outcome="great", by=owner)


def test_ending_participation_unlists_and_cancels_future_meetings_with_notice(
    edition, meeting_settings, slots, company, owner, mailoutbox, run_on_commit
):
    third = BusinessProfileFactory(registration__edition=edition).registration
    meeting = book_meeting(request=accepted(company, owner), slot=slots[0], by=owner)
    pending = request_meeting(sender=third, receiver=company)
    mailoutbox.clear()
    with run_on_commit():
        cancelled = end_meeting_participation(registration=company)
    assert cancelled == 1
    meeting.refresh_from_db()
    pending.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert pending.status == RequestStatus.CANCELLED
    assert BusinessProfile.objects.get(registration=company).listed is False
    assert [m.to for m in mailoutbox] == [[owner.email]]


def test_reminders_are_sent_once(
    edition, meeting_settings, company, owner, mailoutbox, run_on_commit
):
    from django.utils import timezone

    soon = MeetingSlotFactory(edition=edition, starts_at=timezone.now() + dt.timedelta(hours=20))
    Meeting.objects.create(edition=edition, sender=company, receiver=owner, slot=soon, room=1)
    with run_on_commit():
        assert send_meeting_reminders() == 1
    with run_on_commit():
        assert send_meeting_reminders() == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted([company.email, owner.email])
    assert all(m.subject.startswith("Reminder: meeting with") for m in mailoutbox)


def test_every_step_is_in_the_audit_trail_and_the_outbox(
    edition, meeting_settings, slots, company, owner, admin_user
):
    from common.models import AuditLog, OutgoingEmail

    request = request_meeting(sender=company, receiver=owner)
    meeting = book_meeting(
        request=accept_request(request=request, by=owner), slot=slots[0], by=owner
    )
    move_meeting(meeting=meeting, slot=slots[1], user=admin_user)
    cancel_meeting(meeting=meeting, by=company, reason="Travel")

    trail = list(
        AuditLog.objects.filter(action__startswith="meeting")
        .order_by("pk")
        .values_list("action", "actor_kind", "actor")
    )
    assert trail == [
        ("meeting_request.requested", "attendee", None),
        ("meeting_request.accepted", "attendee", None),
        ("meeting.booked", "attendee", None),
        ("meeting.moved", "staff", admin_user.pk),
        ("meeting.cancelled", "attendee", None),
    ]
    cancelled = AuditLog.objects.get(action="meeting.cancelled")
    assert (cancelled.fields, cancelled.details) == (
        ["cancel_reason", "status"],
        {"by": company.pk},
    )
    assert list(OutgoingEmail.objects.order_by("pk").values_list("kind", "registration")) == [
        ("request_received", owner.pk),
        ("request_accepted", company.pk),
        ("meeting_booked", company.pk),
        ("meeting_booked", owner.pk),
        ("meeting_moved", company.pk),
        ("meeting_moved", owner.pk),
        ("meeting_cancelled", company.pk),
        ("meeting_cancelled", owner.pk),
    ]


def test_registration_services_end_meetings_with_the_sharing_consent_or_the_registration(
    edition, meeting_settings, slots, mailoutbox, run_on_commit
):
    from registrations.choices import ConsentKind
    from registrations.services.consents import give_consent, withdraw_consent
    from registrations.services.registrations import cancel_registration
    from tests.factories import consent_texts_for

    consent_texts_for(edition)
    people = [BusinessProfileFactory(registration__edition=edition).registration for _ in range(4)]
    for person in people:
        give_consent(registration=person, kind=ConsentKind.SHARING)
    first = book_meeting(request=accepted(people[0], people[1]), slot=slots[0], by=people[1])
    second = book_meeting(request=accepted(people[2], people[3]), slot=slots[0], by=people[3])
    mailoutbox.clear()

    with run_on_commit():
        withdraw_consent(registration=people[0], kind=ConsentKind.SHARING)
    with run_on_commit():
        cancel_registration(registration=people[3])

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (MeetingStatus.CANCELLED, MeetingStatus.CANCELLED)
    assert BusinessProfile.objects.get(registration=people[0]).listed is False
    # Each counterpart is told; the one who withdrew or cancelled is not.
    told = sorted(m.to[0] for m in mailoutbox if m.subject.startswith("Meeting with"))
    assert told == sorted([people[1].email, people[2].email])


def test_the_reminder_command_reminds_once(
    edition, meeting_settings, company, owner, mailoutbox, run_on_commit
):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    soon = MeetingSlotFactory(edition=edition, starts_at=timezone.now() + dt.timedelta(hours=3))
    Meeting.objects.create(edition=edition, sender=company, receiver=owner, slot=soon, room=1)
    outputs = []
    for _ in range(2):
        out = StringIO()
        with run_on_commit():
            call_command("send_meeting_reminders", stdout=out)
        outputs.append(out.getvalue().strip())
    assert outputs == ["1 meeting reminder(s) queued.", "0 meeting reminder(s) queued."]
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"side": "investor"}, "invalid_side"),
        ({"side": "company", "languages": ["en", "xx"]}, "invalid_language"),
        ({"side": "company", "countries_of_interest": ["VN", "ZZ"]}, "invalid_country"),
    ],
)
def test_a_profile_with_unknown_codes_is_refused(edition, data, code):
    registration = ParticipantFactory(edition=edition)
    with pytest.raises(MeetingError) as error:
        save_business_profile(registration=registration, data=data)
    assert error.value.code == code
    assert BusinessProfile.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_ending_participation_reads_the_meetings_once(
    edition, meeting_settings, slots, company, count
):
    """Issue 16, defect 4: no meeting is read again, one by one, to cancel it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(count):
        other = BusinessProfileFactory(registration__edition=edition).registration
        book_meeting(request=accepted(company, other), slot=slots[n], by=other)
    with CaptureQueriesContext(connection) as captured:
        assert end_meeting_participation(registration=company) == count

    reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT")]
    # Who takes part (to lock them first), then the meetings themselves: as many for one as three.
    assert sum('FROM "registrations_meeting" ' in sql for sql in reads) == 2


def test_a_slots_rooms_never_go_below_the_rooms_in_use(edition, slots, company, owner):
    """Issue 16, defect 2, in the service the admin's forms call: under the slot's lock."""
    slot = slots[0]
    slot.rooms = 3
    slot.save()
    book_meeting(request=accepted(company, owner), slot=slot, user=None)
    other = [BusinessProfileFactory(registration__edition=edition).registration for _ in range(2)]
    book_meeting(request=accepted(*other), slot=slot, user=None)

    with pytest.raises(MeetingError) as error:
        set_slot_rooms(slot=slot, rooms=1)

    assert error.value.code == "rooms_in_use"
    slot.refresh_from_db()
    assert slot.rooms == 3
    assert set_slot_rooms(slot=slot, rooms=2).rooms == 2
    assert MeetingSlot.objects.get(pk=slot.pk).rooms == 2


def test_who_answers_is_the_requests_rule_alone():
    """Issue 16, defect 3: `Meeting.needs_answer_from` read fields a meeting doesn't have; who
    answers is decided on the request (meetings/models/requests.py), a meeting has no answers."""
    assert not hasattr(Meeting, "needs_answer_from")
    assert callable(MeetingRequest.needs_answer_from)
