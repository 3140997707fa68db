"""Meeting slots and availability: the grid of slots and the times a participant can't make."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.db import atomic
from common.times import shown
from forum.models import Edition
from meetings.choices import (
    MeetingStatus,
    UnavailableReason,
)
from meetings.errors import MeetingError
from meetings.models import (
    BusinessProfile,
    Meeting,
    MeetingSeat,
    MeetingSettings,
    MeetingSlot,
    SlotUnavailability,
)
from meetings.services.support import _lock, _lock_registrations, _log
from registrations.models import Registration

# Slots outside these hours in a participant's own time zone start unavailable.
DEFAULT_DAY_START = dt.time(8, 0)


DEFAULT_DAY_END = dt.time(19, 0)


def outside_hours(slot: MeetingSlot, time_zone: str) -> bool:
    """True if the slot starts before 08:00 or ends after 19:00 in that time zone."""
    zone = zoneinfo.ZoneInfo(time_zone)
    start = slot.starts_at.astimezone(zone)
    end = slot.ends_at.astimezone(zone)
    day_end = dt.datetime.combine(start.date(), DEFAULT_DAY_END, tzinfo=zone)
    return start.time() < DEFAULT_DAY_START or end > day_end


def _apply_default_hours(registration: Registration, slots, *, replace: bool = False) -> None:
    """Marks the slots outside the participant's own working hours unavailable."""
    if replace:
        SlotUnavailability.objects.filter(
            registration=registration, reason=UnavailableReason.OUTSIDE_HOURS
        ).delete()
    taken = set(
        SlotUnavailability.objects.filter(registration=registration).values_list(
            "slot_id", flat=True
        )
    )
    SlotUnavailability.objects.bulk_create(
        [
            SlotUnavailability(
                registration=registration, slot=slot, reason=UnavailableReason.OUTSIDE_HOURS
            )
            for slot in slots
            if slot.pk not in taken and outside_hours(slot, registration.time_zone)
        ],
        ignore_conflicts=True,
    )


def get_meeting_settings(*, edition: Edition) -> MeetingSettings:
    """The edition's meeting settings, created from the edition's meeting dates when missing."""
    existing = MeetingSettings.objects.filter(edition=edition).first()
    if existing is not None:
        return existing
    start = edition.meetings_start or edition.end_date
    end = edition.meetings_end or start
    meeting_settings, _created = MeetingSettings.objects.get_or_create(
        edition=edition, defaults={"window_start": start, "window_end": max(start, end)}
    )
    return meeting_settings


def slot_grid(meeting_settings: MeetingSettings) -> list[tuple[dt.datetime, dt.datetime]]:
    """The (start, end) of every slot the settings describe, in UTC, in order."""
    zone = meeting_settings.edition.tzinfo
    length = dt.timedelta(minutes=meeting_settings.slot_minutes)
    step = length + dt.timedelta(minutes=meeting_settings.pause_minutes)
    weekdays = {int(day) for day in meeting_settings.weekdays or []}
    grid = []
    day = meeting_settings.window_start
    while day <= meeting_settings.window_end:
        if day.weekday() in weekdays:
            start = dt.datetime.combine(day, meeting_settings.day_start, tzinfo=zone)
            day_end = dt.datetime.combine(day, meeting_settings.day_end, tzinfo=zone)
            while start + length <= day_end:
                grid.append((start.astimezone(dt.UTC), (start + length).astimezone(dt.UTC)))
                start += step
        day += dt.timedelta(days=1)
    return grid


@dataclass(frozen=True)
class SlotChanges:
    created: int
    updated: int
    removed: int
    kept_with_meetings: int


def _highest_rooms(edition: Edition) -> dict[int, int]:
    """Per slot, the highest room a scheduled meeting holds: a slot never shrinks below it."""
    highest: dict[int, int] = {}
    for slot_id, room in Meeting.objects.filter(
        slot__edition=edition, status=MeetingStatus.SCHEDULED, room__isnull=False
    ).values_list("slot_id", "room"):
        highest[slot_id] = max(room, highest.get(slot_id, 0))
    return highest


def generate_slots(*, edition: Edition, user=None) -> SlotChanges:
    """Makes the edition's slots match its meeting settings.

    Slots in the new grid are created or updated; slots no longer in it are removed, except
    those that have (or had) a meeting, which stay as they are.
    """
    meeting_settings = get_meeting_settings(edition=edition)
    grid = dict(slot_grid(meeting_settings))
    created = updated = removed = kept = 0
    with atomic():
        ids = MeetingSlot.objects.filter(edition=edition).values_list("pk", flat=True)
        existing = {slot.starts_at: slot for slot in _lock(MeetingSlot, ids).values()}
        used = set(Meeting.objects.filter(slot__edition=edition).values_list("slot_id", flat=True))
        highest_room = _highest_rooms(edition)
        new_slots = []
        for start, end in grid.items():
            slot = existing.get(start)
            if slot is None:
                new_slots.append(
                    MeetingSlot(
                        edition=edition, starts_at=start, ends_at=end, rooms=meeting_settings.rooms
                    )
                )
                continue
            rooms = max(meeting_settings.rooms, highest_room.get(slot.pk, 0))
            if slot.pk in used and slot.ends_at != end:
                kept += 1
                continue
            if (slot.ends_at, slot.rooms) != (end, rooms):
                slot.ends_at, slot.rooms = end, rooms
                slot.save(update_fields=["ends_at", "rooms"])
                updated += 1
        stale = [slot for start, slot in existing.items() if start not in grid]
        kept += sum(slot.pk in used for slot in stale)
        to_remove = [slot.pk for slot in stale if slot.pk not in used]
        removed = len(to_remove)
        MeetingSlot.objects.filter(pk__in=to_remove).delete()
        MeetingSlot.objects.bulk_create(new_slots)
        created = len(new_slots)
        fresh = list(
            MeetingSlot.objects.filter(
                edition=edition, starts_at__in=[s.starts_at for s in new_slots]
            )
        )
        for registration in Registration.objects.filter(
            edition=edition, business_profile__isnull=False
        ):
            _apply_default_hours(registration, fresh)
        changes = SlotChanges(created, updated, removed, kept)
        _log(
            "slots_generated",
            meeting_settings,
            user=user,
            created=created,
            updated=updated,
            removed=removed,
            kept_with_meetings=kept,
        )
    return changes


def rooms_in_use(slot: MeetingSlot) -> int:
    """The highest room number a scheduled meeting of the slot holds (0 when none)."""
    highest = slot.meetings.filter(status=MeetingStatus.SCHEDULED).aggregate(Max("room"))[
        "room__max"
    ]
    return highest or 0


def set_slot_rooms(*, slot: MeetingSlot, rooms: int, user=None) -> MeetingSlot:
    """Changes how many meetings a slot holds at once, never below the rooms in use.

    The slot is locked first, as booking does, so no meeting takes a room the change removes.
    """
    with atomic():
        locked = _lock(MeetingSlot, [slot.pk])[slot.pk]
        in_use = rooms_in_use(locked)
        if rooms < max(in_use, 1):
            raise MeetingError(
                _("Room %(room)d of this slot holds a meeting: keep at least %(room)d rooms.")
                % {"room": in_use},
                code="rooms_in_use",
            )
        if rooms != locked.rooms:
            old, locked.rooms = locked.rooms, rooms
            locked.save(update_fields=["rooms"])
            _log("rooms_changed", locked, user=user, fields=["rooms"], old=old, rooms=rooms)
    return locked


def _replace_unavailability(registration: Registration, chosen: set[int]) -> set[int]:
    """Marks exactly the chosen slots as the participant's own choice; the slots marked before."""
    marked = SlotUnavailability.objects.filter(registration=registration)
    before = set(marked.values_list("slot_id", flat=True))
    marked.exclude(slot_id__in=chosen).delete()
    marked.filter(slot_id__in=chosen).update(reason=UnavailableReason.MARKED)
    SlotUnavailability.objects.bulk_create(
        [
            SlotUnavailability(
                registration=registration, slot_id=pk, reason=UnavailableReason.MARKED
            )
            for pk in sorted(chosen - before)
        ]
    )
    return before


def set_availability(
    *,
    registration: Registration,
    unavailable_slots: Iterable[MeetingSlot | int] = (),
    unavailable_days: Iterable[dt.date] = (),
) -> set[int]:
    """Replaces the slots the participant can't make; whole days are days in the forum's zone.

    Returns the ids of the slots now unavailable. A slot where the participant already has a
    meeting can't be marked: move or cancel the meeting first.
    """
    edition = registration.edition
    slots = {slot.pk: slot for slot in MeetingSlot.objects.filter(edition=edition)}
    chosen = {getattr(slot, "pk", slot) for slot in unavailable_slots}
    if chosen - set(slots):
        raise MeetingError(_("Choose slots of this forum only."), code="wrong_slot")
    days = set(unavailable_days)
    if days:
        zone = edition.tzinfo
        chosen |= {
            pk for pk, slot in slots.items() if slot.starts_at.astimezone(zone).date() in days
        }
    with atomic():
        _lock_registrations([registration.pk])
        busy = set(
            MeetingSeat.objects.filter(
                registration=registration, slot_id__in=chosen, released_at__isnull=True
            ).values_list("slot_id", flat=True)
        )
        if busy:
            raise MeetingError(
                _("You have a meeting at %(time)s: move or cancel it before marking that time.")
                % {"time": _local(slots[min(busy)], registration.time_zone)},
                code="has_meeting",
            )
        before = _replace_unavailability(registration, chosen)
        BusinessProfile.objects.filter(registration=registration).update(
            availability_saved_at=timezone.now()
        )
        _log(
            "changed",
            registration,
            by=registration,
            unavailable=len(chosen),
            added=len(chosen - before),
            removed=len(before - chosen),
        )
    return chosen


def _local(slot: MeetingSlot, time_zone: str) -> str:
    """The slot's start in the participant's zone, in the page's language (issue 16, defect 6)."""
    return shown(slot.starts_at, "SESSION_DATETIME_FORMAT", zone=time_zone)
