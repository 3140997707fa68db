"""An edition's meetings as a scheduling problem: accepted requests, slots, availability, rooms."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import Edition
from meetings.choices import (
    MeetingPriority,
    MeetingStatus,
    RequestStatus,
)
from meetings.errors import MeetingError
from meetings.models import Meeting, MeetingRequest, MeetingSlot, SlotUnavailability
from meetings.scheduling import (
    PROBLEM_FORMAT,
)
from meetings.selectors.meetings import booking_opens_after
from registrations.choices import BookingStatus
from registrations.models import SessionBooking

# "Must meet" outweighs three "would like to meet": the scheduler places every must-meet request it
# can before it trades one for would-like ones (docs/scheduler.md).
PRIORITY_WEIGHT = {MeetingPriority.MUST: 3, MeetingPriority.WOULD_LIKE: 1}


DEFAULT_TIME_LIMIT = 30


@dataclass
class EditionProblem:
    """A `meeting-schedule-problem/1` of an edition and what its ids stand for."""

    data: dict[str, Any]
    request_of: dict[int, int] = field(default_factory=dict)  # problem meeting -> request pk
    meeting_of: dict[int, int] = field(default_factory=dict)  # problem meeting -> Meeting pk
    fixed_ids: set[int] = field(default_factory=set)  # problem meetings that can't move
    blocker_ids: set[int] = field(default_factory=set)  # fill rooms a slot doesn't have

    @property
    def fixed_priority(self) -> int:
        by_id = {m["id"]: m for m in self.data["meetings"]}
        return sum(by_id[i]["priority"] for i in self.fixed_ids | self.blocker_ids)


def _overlapping_slots(slots: list[MeetingSlot], starts: dt.datetime, ends: dt.datetime):
    return [slot.pk for slot in slots if slot.starts_at < ends and starts < slot.ends_at]


def _future_slots(edition: Edition, now: dt.datetime | None) -> list[MeetingSlot]:
    """The slots still bookable (a past slot never is), or the error that there are none."""
    opens = booking_opens_after(edition, now)
    slots = list(
        MeetingSlot.objects.filter(edition=edition, starts_at__gt=opens).order_by("starts_at", "pk")
    )
    if not slots:
        raise MeetingError(
            _("This edition has no meeting slots ahead: generate them in the meeting settings."),
            code="no_slots",
        )
    return slots


def _unavailable_slots(people: list[int], slots: list[MeetingSlot]) -> dict[int, set[int]]:
    """Each person's slots they marked, and those overlapping a session they have a seat in."""
    slot_ids = {slot.pk for slot in slots}
    unavailable: dict[int, set[int]] = defaultdict(set)
    for registration_id, slot_id in SlotUnavailability.objects.filter(
        registration_id__in=people, slot_id__in=slot_ids
    ).values_list("registration_id", "slot_id"):
        unavailable[registration_id].add(slot_id)
    bookings = SessionBooking.objects.filter(
        registration_id__in=people,
        status=BookingStatus.BOOKED,
        session__starts_at__lt=slots[-1].ends_at,
        session__ends_at__gt=slots[0].starts_at,
    ).values_list("registration_id", "session__starts_at", "session__ends_at")
    for registration_id, starts, ends in bookings:
        unavailable[registration_id].update(_overlapping_slots(slots, starts, ends))
    return unavailable


def _add(meetings: list[dict[str, Any]], a: int, b: int, priority: int, fixed_slot=None) -> int:
    """Appends a meeting of the problem; its number."""
    number = len(meetings) + 1
    entry: dict[str, Any] = {"id": number, "a": a, "b": b, "priority": priority}
    if fixed_slot is not None:
        entry["fixed_slot"] = fixed_slot
    meetings.append(entry)
    return number


def _add_blockers(
    problem: EditionProblem, meetings: list[dict[str, Any]], slots, *, rooms: int, stand_in: int
) -> list[dict[str, Any]]:
    """Fills each slot's missing rooms with fixed meetings of stand-ins; the stand-ins."""
    participants = []
    for slot in slots:
        for _room in range(rooms - slot.rooms):
            problem.blocker_ids.add(_add(meetings, stand_in, stand_in + 1, 1, slot.pk))
            participants += [
                {"id": stand_in, "unavailable": []},
                {"id": stand_in + 1, "unavailable": []},
            ]
            stand_in += 2
    return participants


def build_problem(
    *, edition: Edition, keep_published: bool = True, now: dt.datetime | None = None
) -> EditionProblem:
    """The edition's accepted requests, future slots, availability and meetings, as plain data.

    Participants are registrations (ids are their keys). A person is unavailable in the slots
    they marked, in slots that overlap a programme session they booked a seat in, and — for
    meetings kept where they are — nowhere else: published meetings become fixed meetings.
    Slots with fewer rooms than the largest slot get fixed "blocker" meetings between
    stand-in participants, since the format has one room count for all slots.
    """
    slots = _future_slots(edition, now)
    requests = list(
        MeetingRequest.objects.filter(edition=edition, status=RequestStatus.ACCEPTED).order_by("pk")
    )
    meetings = list(
        Meeting.objects.filter(
            edition=edition, status=MeetingStatus.SCHEDULED, slot_id__in=[s.pk for s in slots]
        ).select_related("request")
    )
    people = sorted(
        {p for pair in [*requests, *meetings] for p in (pair.sender_id, pair.receiver_id)}
    )
    unavailable = _unavailable_slots(people, slots)
    problem = EditionProblem(data={})
    problem_meetings: list[dict[str, Any]] = []
    for meeting in meetings:
        weight = PRIORITY_WEIGHT[
            meeting.request.priority if meeting.request else MeetingPriority.MUST
        ]
        fixed = meeting.slot_id if keep_published else None
        number = _add(problem_meetings, meeting.sender_id, meeting.receiver_id, weight, fixed)
        problem.meeting_of[number] = meeting.pk
        if keep_published:
            problem.fixed_ids.add(number)
            # a slot marked unavailable after the meeting was booked still holds the meeting
            unavailable[meeting.sender_id].discard(meeting.slot_id)
            unavailable[meeting.receiver_id].discard(meeting.slot_id)
    for request in requests:
        weight = PRIORITY_WEIGHT[request.priority]
        number = _add(problem_meetings, request.sender_id, request.receiver_id, weight)
        problem.request_of[number] = request.pk
    rooms = max(slot.rooms for slot in slots)
    participants = [{"id": person, "unavailable": sorted(unavailable[person])} for person in people]
    participants += _add_blockers(
        problem, problem_meetings, slots, rooms=rooms, stand_in=(people[-1] if people else 0) + 1
    )
    tz = edition.tzinfo
    problem.data = {
        "format": PROBLEM_FORMAT,
        "name": edition.slug,
        "slots": [
            {"id": slot.pk, "day": timezone.localtime(slot.starts_at, tz).date().isoformat()}
            for slot in slots
        ],
        "rooms": rooms,
        "participants": participants,
        "meetings": problem_meetings,
    }
    return problem
