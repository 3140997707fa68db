"""Booking meetings into slots: book, move, cancel, video links, outcomes."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.db import atomic
from forum.models import Edition
from meetings.choices import (
    BookingMode,
    MeetingOutcome,
    MeetingStatus,
    RequestStatus,
)
from meetings.errors import MeetingError
from meetings.models import (
    Meeting,
    MeetingRequest,
    MeetingSeat,
    MeetingSettings,
    MeetingSlot,
    SlotUnavailability,
)
from meetings.selectors.meetings import booking_opens_after, free_slots
from meetings.services.slots import get_meeting_settings
from meetings.services.support import (
    _check_edition_open,
    _lock_registrations,
    _lock_slots,
    _locked_request,
    _log,
    _notify,
)
from registrations.choices import RegistrationStatus
from registrations.models import Registration


def _video_link(meeting: Meeting, meeting_settings: MeetingSettings | None) -> str:
    template = meeting_settings.video_link_template if meeting_settings else ""
    if not template:
        return ""
    room = f"acf{meeting.edition.number}-{meeting.pk}-{secrets.token_hex(4)}"
    return template.replace("{room}", room)


def slot_taken_error(people, edition: Edition, **kwargs) -> MeetingError:
    """ "That slot was just taken", with the slots still free for the people."""
    return MeetingError(
        _("That slot was just taken. Please choose another one."),
        code="slot_taken",
        choices=list(free_slots(edition=edition, people=people, **kwargs)[:50]),
    )


def _check_slot(slot: MeetingSlot, edition_id: int) -> None:
    if slot.edition_id != edition_id:
        raise MeetingError(_("Choose a slot of this forum."), code="wrong_slot")
    if slot.starts_at <= booking_opens_after(slot.edition):
        raise MeetingError(_("That slot has already started."), code="past_slot")


def _free_room(slot: MeetingSlot, *, ignore: Meeting | None = None) -> int | None:
    """The lowest free room of a locked slot, or None when every room is taken."""
    taken = Meeting.objects.filter(slot=slot, status=MeetingStatus.SCHEDULED)
    if ignore is not None:
        taken = taken.exclude(pk=ignore.pk)
    # a meeting without a room is being moved by `move_meetings`: it has given its room back
    rooms = set(taken.values_list("room", flat=True)) - {None}
    if len(rooms) >= slot.rooms:
        return None
    return next((room for room in range(1, slot.rooms + 1) if room not in rooms), None)


def _require_free(
    people: list[Registration], slot: MeetingSlot, *, ignore: Meeting | None, staff: bool
) -> None:
    """Raises unless the people are free in the slot (staff may book over marked unavailability)."""
    ids = [p.pk for p in people]
    seats = MeetingSeat.objects.filter(slot=slot, registration_id__in=ids, released_at__isnull=True)
    if ignore is not None:
        seats = seats.exclude(meeting=ignore)
    if seats.exists():
        raise slot_taken_error(people, slot.edition, exclude_meeting=ignore)
    if not staff and SlotUnavailability.objects.filter(slot=slot, registration_id__in=ids).exists():
        raise MeetingError(
            _("One of you can't make that time. Please choose another one."),
            code="unavailable",
            choices=list(
                free_slots(edition=slot.edition, people=people, exclude_meeting=ignore)[:50]
            ),
        )


def _claim(meeting: Meeting, slot: MeetingSlot, *, ignore: Meeting | None = None) -> None:
    """Takes a free room and a seat for both people in the locked slot, or raises.

    The slot's row lock makes this check-then-write safe; the constraints on room numbers and
    seats (meetings/models/bookings.py) refuse a double booking even without it.
    """
    people = [meeting.sender, meeting.receiver]
    room = _free_room(slot, ignore=ignore)
    if room is None:
        raise slot_taken_error(people, slot.edition, exclude_meeting=ignore)
    meeting.slot = slot
    meeting.room = room
    meeting.save()
    MeetingSeat.objects.bulk_create(
        [MeetingSeat(meeting=meeting, registration=p, slot=slot) for p in people]
    )


def _book(
    request: MeetingRequest, slot: MeetingSlot, *, by: Registration | None, user, video_link: str
) -> Meeting:
    """Books the request's meeting; the registrations must already be locked."""
    if request.status != RequestStatus.ACCEPTED:
        raise MeetingError(_("Only accepted requests can be booked."), code="not_accepted")
    _check_edition_open(request.edition)
    _check_slot(slot, request.edition_id)
    people = [request.sender, request.receiver]
    if any(person.status != RegistrationStatus.CONFIRMED for person in people):
        raise MeetingError(
            _("One of you is no longer registered for the forum."), code="not_confirmed"
        )
    slot = _lock_slots([slot.pk]).get(slot.pk)
    if slot is None:  # removed by a regeneration of the slots meanwhile
        raise slot_taken_error(people, request.edition)
    _require_free(people, slot, ignore=None, staff=user is not None)
    meeting = Meeting(
        edition=request.edition,
        request=request,
        sender=request.sender,
        receiver=request.receiver,
        slot=slot,
        video_link=video_link,
    )
    try:
        with atomic():
            _claim(meeting, slot)
            if not meeting.video_link:
                meeting.video_link = _video_link(
                    meeting, MeetingSettings.objects.filter(edition=request.edition).first()
                )
                meeting.save(update_fields=["video_link"])
    except IntegrityError as error:
        raise slot_taken_error(people, request.edition) from error
    request.status = RequestStatus.BOOKED
    request.save(update_fields=["status"])
    _log("booked", meeting, by=by, user=user, slot=slot.pk, room=meeting.room)
    _notify(
        "meeting_booked",
        registration_ids=[request.sender_id, request.receiver_id],
        meeting_id=meeting.pk,
    )
    return meeting


def book_meeting(
    *,
    request: MeetingRequest,
    slot: MeetingSlot,
    by: Registration | None = None,
    user=None,
    video_link: str = "",
) -> Meeting:
    """Books an accepted request into a slot where both are free and a room is left.

    A participant (`by`, one of the two) may book only in self-booking mode and only slots
    both can make; staff (`user`) may book in either mode and over marked unavailability.
    """
    with atomic():
        request = _locked_request(request)
        if by is not None:
            if by.pk not in (request.sender_id, request.receiver_id):
                raise MeetingError(_("This is not your request."), code="not_yours")
            mode = get_meeting_settings(edition=request.edition).booking_mode
            if mode != BookingMode.SELF_BOOKING:
                raise MeetingError(
                    _("The organisers schedule the meetings of this forum."), code="organiser_mode"
                )
        return _book(request, slot, by=by, user=user, video_link=video_link)


def _locked_meeting(meeting: Meeting) -> Meeting:
    _lock_registrations([meeting.sender_id, meeting.receiver_id])
    return Meeting.objects.select_related("sender", "receiver", "slot", "edition", "request").get(
        pk=meeting.pk
    )


def _check_may_change(meeting: Meeting, by: Registration | None) -> None:
    if by is not None and by.pk not in (meeting.sender_id, meeting.receiver_id):
        raise MeetingError(_("This is not your meeting."), code="not_yours")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise MeetingError(_("This meeting is cancelled."), code="cancelled")


def move_meeting(
    *, meeting: Meeting, slot: MeetingSlot, by: Registration | None = None, user=None
) -> Meeting:
    """Moves a meeting to another slot; both get an updated invitation (SEQUENCE + 1)."""
    with atomic():
        meeting = _locked_meeting(meeting)
        _check_may_change(meeting, by)
        if by is not None:
            mode = get_meeting_settings(edition=meeting.edition).booking_mode
            if mode != BookingMode.SELF_BOOKING:
                raise MeetingError(
                    _("Please ask the organisers to move this meeting."), code="organiser_mode"
                )
        if slot.pk == meeting.slot_id:
            return meeting
        _check_slot(slot, meeting.edition_id)
        old_slot = meeting.slot
        locked = _lock_slots([old_slot.pk, slot.pk])
        people = [meeting.sender, meeting.receiver]
        new_slot = locked.get(slot.pk)
        if new_slot is None:
            raise slot_taken_error(people, meeting.edition, exclude_meeting=meeting)
        _require_free(people, new_slot, ignore=meeting, staff=user is not None)
        try:
            with atomic():
                MeetingSeat.objects.filter(meeting=meeting, released_at__isnull=True).update(
                    released_at=timezone.now()
                )
                meeting.sequence += 1
                _claim(meeting, new_slot, ignore=meeting)
        except IntegrityError as error:
            raise slot_taken_error(people, meeting.edition, exclude_meeting=meeting) from error
        except MeetingError:
            meeting.sequence -= 1
            meeting.slot = old_slot
            raise
        _log("moved", meeting, by=by, user=user, old_slot=old_slot.pk, slot=new_slot.pk)
        _notify(
            "meeting_moved",
            registration_ids=[meeting.sender_id, meeting.receiver_id],
            meeting_id=meeting.pk,
            old_slot_id=old_slot.pk,
        )
    return meeting


def move_meetings(*, moves: list[tuple[Meeting, MeetingSlot]], user=None) -> int:
    """Staff move several meetings as one, all or nothing; returns how many moved.

    Every meeting first leaves its slot (its seats and its room), then each takes its new one, so
    a cycle — A takes B's slot while B takes A's — needs no spare slot. Each side of each moved
    meeting gets an updated invitation, as with `move_meeting`.
    """
    moves = [(meeting, slot) for meeting, slot in moves if slot.pk != meeting.slot_id]
    if not moves:
        return 0
    with atomic():
        _lock_registrations({p for m, _ in moves for p in (m.sender_id, m.receiver_id)})
        meetings = Meeting.objects.select_related("sender", "receiver", "slot", "edition").in_bulk(
            [meeting.pk for meeting, _ in moves]
        )
        locked = _lock_slots({s.pk for _, s in moves} | {m.slot_id for m in meetings.values()})
        for meeting in meetings.values():
            _check_may_change(meeting, None)
        MeetingSeat.objects.filter(meeting_id__in=meetings, released_at__isnull=True).update(
            released_at=timezone.now()
        )
        Meeting.objects.filter(pk__in=meetings).update(room=None)  # given back until re-seated
        for wanted, slot in moves:
            meeting = meetings[wanted.pk]
            _check_slot(slot, meeting.edition_id)
            old_slot, people = meeting.slot, [meeting.sender, meeting.receiver]
            new_slot = locked.get(slot.pk)
            if new_slot is None:
                raise slot_taken_error(people, meeting.edition, exclude_meeting=meeting)
            _require_free(people, new_slot, ignore=meeting, staff=True)
            meeting.sequence += 1
            try:
                with atomic():
                    _claim(meeting, new_slot, ignore=meeting)
            except IntegrityError as error:
                raise slot_taken_error(people, meeting.edition, exclude_meeting=meeting) from error
            _log("moved", meeting, user=user, old_slot=old_slot.pk, slot=new_slot.pk, batch=True)
            _notify(
                "meeting_moved",
                registration_ids=[meeting.sender_id, meeting.receiver_id],
                meeting_id=meeting.pk,
                old_slot_id=old_slot.pk,
            )
    return len(moves)


def _cancel(meeting: Meeting, *, reason: str, now: dt.datetime) -> None:
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = now
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    meeting.save(
        update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"]
    )
    MeetingSeat.objects.filter(meeting=meeting, released_at__isnull=True).update(released_at=now)
    if meeting.request_id:
        MeetingRequest.objects.filter(pk=meeting.request_id, status=RequestStatus.BOOKED).update(
            status=RequestStatus.CANCELLED, closed_at=now
        )


def cancel_meeting(
    *, meeting: Meeting, by: Registration | None = None, user=None, reason: str = ""
) -> Meeting:
    """Cancels a meeting; both sides get a cancellation (METHOD:CANCEL) for their calendars."""
    with atomic():
        meeting = _locked_meeting(meeting)
        _check_may_change(meeting, by)
        _cancel(meeting, reason=reason, now=timezone.now())
        _log("cancelled", meeting, by=by, user=user, fields=["status", "cancel_reason"])
        _notify(
            "meeting_cancelled",
            registration_ids=[meeting.sender_id, meeting.receiver_id],
            meeting_id=meeting.pk,
        )
    return meeting


def set_video_link(*, meeting: Meeting, video_link: str, user=None) -> Meeting:
    """Staff enter a meeting's video link by hand; both get the updated invitation."""
    with atomic():
        meeting = _locked_meeting(meeting)
        _check_may_change(meeting, None)
        video_link = video_link.strip()
        if video_link == meeting.video_link:
            return meeting
        meeting.video_link = video_link
        meeting.sequence += 1
        meeting.save(update_fields=["video_link", "sequence", "updated_at"])
        _log("video_link_changed", meeting, user=user, fields=["video_link"])
        _notify(
            "meeting_updated",
            registration_ids=[meeting.sender_id, meeting.receiver_id],
            meeting_id=meeting.pk,
        )
    return meeting


def record_outcome(
    *,
    meeting: Meeting,
    outcome: str,
    note: str = "",
    by: Registration | None = None,
    user=None,
) -> Meeting:
    """Either side or staff record how the meeting went, for the organisers' reporting."""
    if outcome not in MeetingOutcome.values:
        raise MeetingError(_("Choose an outcome."), code="invalid_outcome")
    with atomic():
        meeting = _locked_meeting(meeting)
        if by is not None and by.pk not in (meeting.sender_id, meeting.receiver_id):
            raise MeetingError(_("This is not your meeting."), code="not_yours")
        if meeting.status != MeetingStatus.SCHEDULED:
            raise MeetingError(_("This meeting is cancelled."), code="cancelled")
        if meeting.slot.starts_at > timezone.now():
            raise MeetingError(
                _("The outcome can be recorded once the meeting has started."), code="too_early"
            )
        meeting.outcome = outcome
        meeting.outcome_note = note.strip()
        meeting.outcome_recorded_at = timezone.now()
        meeting.save(update_fields=["outcome", "outcome_note", "outcome_recorded_at", "updated_at"])
        _log("outcome_recorded", meeting, by=by, user=user, outcome=outcome)
    return meeting
