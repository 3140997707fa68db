"""Business meetings: profiles, slots, availability, requests, booking, moving, cancelling.

Locks are always taken in one order: registrations by primary key, then meeting slots by primary
key, each once per transaction. The guarantee itself sits in the database: one active seat row per
person and slot, and room numbers unique per slot (see models/meetings.py).
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.choices import AuditActor
from common.db import lock_rows
from common.errors import ForumError
from common.services.audit import log_action, register_actions
from common.services.outbox import queue_email
from forum.models import Edition
from meetings.choices import (
    MEETING_LANGUAGES,
    OPEN_REQUEST_STATUSES,
    BookingMode,
    MeetingOutcome,
    MeetingPriority,
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
    MeetingSettings,
    MeetingSlot,
    SlotUnavailability,
    new_calendar_secret,
)
from meetings.selectors.meetings import booking_opens_after, free_slots, mutual_matches
from registrations.choices import ConsentKind, RegistrationStatus
from registrations.models import ConsentText, Registration

# Seat rows + numbered rooms (with the row locks of common.db) are what keep people and
# rooms from being double-booked. Only the race tests' negative control turns this and
# common.db.ROW_LOCKS off (count-then-insert, no lock, no seat row, no room number), to show
# that the tests catch double booking without them.
MEETING_GUARD = True
# Seconds to wait between the check and the write; only the negative control widens it.
RACE_WINDOW = 0.0

# Slots outside these hours in a participant's own time zone start unavailable.
DEFAULT_DAY_START = dt.time(8, 0)
DEFAULT_DAY_END = dt.time(19, 0)

PROFILE_FIELDS = ("side", "description", "offer", "seek", "website", "listed")


# Locks ------------------------------------------------------------------------------------------


def _lock(model, ids: Iterable[int]) -> dict:
    """`common.db.lock_rows`, with its "please try again" as a `MeetingError`."""
    try:
        return lock_rows(model, ids)
    except ForumError as error:
        raise MeetingError(error.message, code=error.code) from error


def _lock_registrations(ids: Iterable[int]) -> dict[int, Registration]:
    return _lock(Registration, ids)


def _lock_slots(ids: Iterable[int]) -> dict[int, MeetingSlot]:
    slots = _lock(MeetingSlot, ids)
    editions = {
        e.pk: e for e in Edition.objects.filter(pk__in={s.edition_id for s in slots.values()})
    }
    for slot in slots.values():
        slot.edition = editions[slot.edition_id]
    return slots


# Audit and notifications ------------------------------------------------------------------------


# The audit trail's codes for meetings: "<kind of object>.<action>", labels shown in the admin.
AUDIT_ACTIONS = {
    "profile.created": _("Business profile created"),
    "profile.changed": _("Business profile changed"),
    "profile.calendar_link_renewed": _("Calendar feed address renewed"),
    "profile.unlisted": _("Business profile unlisted"),
    "meeting_settings.slots_generated": _("Meeting slots generated"),
    "availability.changed": _("Availability changed"),
    "meeting_request.requested": _("Meeting request sent"),
    "meeting_request.suggested": _("Meeting suggested by the organisers"),
    "meeting_request.agreed": _("Suggested meeting agreed to by one side"),
    "meeting_request.reviewed": _("Meeting request reviewed by staff"),
    "meeting_request.accepted": _("Meeting request accepted"),
    "meeting_request.declined": _("Meeting request declined"),
    "meeting_request.withdrawn": _("Meeting request withdrawn"),
    "meeting_request.cancelled": _("Meeting request cancelled"),
    "meeting.booked": _("Meeting booked"),
    "meeting.moved": _("Meeting moved"),
    "meeting.cancelled": _("Meeting cancelled"),
    "meeting.video_link_changed": _("Meeting video link changed"),
    "meeting.reminded": _("Meeting reminder sent"),
    "meeting.outcome_recorded": _("Meeting outcome recorded"),
}
register_actions(AUDIT_ACTIONS)
_PREFIX = {
    "businessprofile": "profile",
    "meetingsettings": "meeting_settings",
    "registration": "availability",
    "meetingrequest": "meeting_request",
    "meeting": "meeting",
}


def _log(
    action: str,
    obj,
    *,
    by: Registration | None = None,
    user=None,
    fields: Iterable[str] = (),
    **details: Any,
) -> None:
    """Records the change in the audit trail: codes and ids only, never personal values."""
    if user is not None:
        actor = user
    elif by is not None:
        actor = AuditActor.ATTENDEE
    else:
        actor = AuditActor.SYSTEM
    edition_id = getattr(obj, "edition_id", None)
    if edition_id is None and hasattr(obj, "registration"):
        edition_id = obj.registration.edition_id
    log_action(
        actor=actor,
        obj=obj,
        action=f"{_PREFIX[obj._meta.model_name]}.{action}",
        fields=list(fields),
        details={**details, **({"by": by.pk} if by is not None else {})},
        edition=Edition(pk=edition_id) if edition_id else None,
    )


def _notify(kind: str, *, registration_ids: Iterable[int], **params: Any) -> None:
    """One email per recipient through the outbox, stored in the caller's transaction."""
    for registration in Registration.objects.filter(pk__in=list(registration_ids)).order_by("pk"):
        queue_email(registration, kind, **params)


# Profiles ---------------------------------------------------------------------------------------


def has_sharing_consent(registration: Registration) -> bool:
    """True if the registration shares its profile, or the edition asks for no such consent."""
    needs = ConsentText.objects.filter(
        edition_id=registration.edition_id, kind=ConsentKind.SHARING
    ).exists()
    if not needs:
        return True
    return registration.consents.filter(kind=ConsentKind.SHARING, withdrawn_at=None).exists()


def _check_participant(registration: Registration) -> None:
    if registration.status != RegistrationStatus.CONFIRMED:
        raise MeetingError(
            _("Business meetings are open to confirmed registrations only."), code="not_confirmed"
        )
    if not registration.wants_meetings:
        raise MeetingError(
            _("First choose to take part in business meetings in your registration."),
            code="not_opted_in",
        )
    if not has_sharing_consent(registration):
        raise MeetingError(
            _("To take part in business meetings, first agree to share your profile."),
            code="consent_required",
        )


def save_business_profile(
    *, registration: Registration, data: dict[str, Any], user=None
) -> BusinessProfile:
    """Creates or updates the registration's business profile.

    `data` holds side, description, offer, seek, website, listed, languages (codes),
    countries_of_interest (codes), sectors, projects_presented, projects_of_interest
    (model instances or ids); keys left out keep their value.
    """
    if user is None:
        _check_participant(registration)
    if "side" in data and data["side"] not in ProfileSide.values:
        raise MeetingError(_("Choose a side."), code="invalid_side")
    known_languages = {code for code, _name in MEETING_LANGUAGES}
    if any(str(code) not in known_languages for code in data.get("languages") or []):
        raise MeetingError(_("Choose languages from the list."), code="invalid_language")
    if any(str(code).upper() not in countries for code in data.get("countries_of_interest") or []):
        raise MeetingError(_("Choose countries from the list."), code="invalid_country")
    edition_id = registration.edition_id
    for name in ("projects_presented", "projects_of_interest"):
        for project in data.get(name, []) or []:
            if getattr(project, "edition_id", edition_id) != edition_id:
                raise MeetingError(_("Choose projects of this forum only."), code="wrong_project")
    with transaction.atomic():
        profile = BusinessProfile.objects.filter(registration=registration).first()
        created = profile is None
        if created:
            profile = BusinessProfile(registration=registration, side=data.get("side", ""))
        changed = []
        for name in PROFILE_FIELDS:
            if name in data and getattr(profile, name) != data[name]:
                setattr(profile, name, data[name])
                changed.append(name)
        if "languages" in data:
            languages = sorted({str(code) for code in data["languages"] or []})
            if languages != list(profile.languages or []):
                profile.languages = languages
                changed.append("languages")
        if "countries_of_interest" in data:
            codes = sorted({str(code).upper() for code in data["countries_of_interest"] or []})
            if codes != sorted(str(c) for c in profile.countries_of_interest):
                profile.countries_of_interest = codes
                changed.append("countries_of_interest")
        profile.save()
        for name in ("sectors", "projects_presented", "projects_of_interest"):
            if name in data:
                wanted = {getattr(item, "pk", item) for item in data[name] or []}
                manager = getattr(profile, name)
                if created or wanted != set(manager.values_list("pk", flat=True)):
                    manager.set(wanted)
                    changed.append(name)
        if created or profile.availability_saved_at is None:
            _apply_default_hours(
                profile.registration,
                MeetingSlot.objects.filter(edition_id=edition_id),
                replace=not created,
            )
        if not profile.listed:
            _close_pending_to(registration)
        if created or changed:
            _log(
                "created" if created else "changed",
                profile,
                by=None if user else registration,
                user=user,
                fields=changed,
            )
    return profile


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


def rotate_calendar_secret(*, registration: Registration) -> BusinessProfile:
    """A new calendar feed address; the old one stops working at once."""
    profile = BusinessProfile.objects.get(registration=registration)
    profile.calendar_secret = new_calendar_secret()
    profile.save(update_fields=["calendar_secret", "updated_at"])
    _log("calendar_link_renewed", profile, by=registration)
    return profile


# Settings and slots -----------------------------------------------------------------------------


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


def generate_slots(*, edition: Edition, user=None) -> SlotChanges:
    """Makes the edition's slots match its meeting settings.

    Slots in the new grid are created or updated; slots no longer in it are removed, except
    those that have (or had) a meeting, which stay as they are.
    """
    meeting_settings = get_meeting_settings(edition=edition)
    grid = dict(slot_grid(meeting_settings))
    created = updated = removed = kept = 0
    with transaction.atomic():
        ids = MeetingSlot.objects.filter(edition=edition).values_list("pk", flat=True)
        existing = {slot.starts_at: slot for slot in _lock(MeetingSlot, ids).values()}
        used = set(Meeting.objects.filter(slot__edition=edition).values_list("slot_id", flat=True))
        highest_room: dict[int, int] = {}
        for slot_id, room in Meeting.objects.filter(
            slot__edition=edition, status=MeetingStatus.SCHEDULED, room__isnull=False
        ).values_list("slot_id", "room"):
            highest_room[slot_id] = max(room, highest_room.get(slot_id, 0))
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


# Availability -----------------------------------------------------------------------------------


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
    with transaction.atomic():
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
        before = set(
            SlotUnavailability.objects.filter(registration=registration).values_list(
                "slot_id", flat=True
            )
        )
        SlotUnavailability.objects.filter(registration=registration).exclude(
            slot_id__in=chosen
        ).delete()
        SlotUnavailability.objects.filter(registration=registration, slot_id__in=chosen).update(
            reason=UnavailableReason.MARKED
        )
        SlotUnavailability.objects.bulk_create(
            [
                SlotUnavailability(
                    registration=registration, slot_id=pk, reason=UnavailableReason.MARKED
                )
                for pk in sorted(chosen - before)
            ]
        )
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
    return f"{slot.starts_at.astimezone(zoneinfo.ZoneInfo(time_zone)):%d %b %H:%M}"


# Requests ---------------------------------------------------------------------------------------


def request_meeting(
    *,
    sender: Registration,
    receiver: Registration,
    priority: str = MeetingPriority.MUST,
    message: str = "",
    project=None,
) -> MeetingRequest:
    """Sends a meeting request to a listed profile; staff see it first when the edition says so."""
    if sender.pk == receiver.pk:
        raise MeetingError(_("You can't request a meeting with yourself."), code="oneself")
    if sender.edition_id != receiver.edition_id:
        raise MeetingError(_("Choose a participant of this forum."), code="wrong_edition")
    if priority not in MeetingPriority.values:
        raise MeetingError(_("Choose a priority."), code="invalid_priority")
    _check_participant(sender)
    if not BusinessProfile.objects.filter(registration=sender).exists():
        raise MeetingError(
            _("Fill in your business profile before sending requests."), code="no_profile"
        )
    if (
        receiver.status != RegistrationStatus.CONFIRMED
        or not BusinessProfile.objects.filter(registration=receiver, listed=True).exists()
    ):
        raise MeetingError(_("This participant is not taking meeting requests."), code="not_listed")
    if project is not None and project.edition_id != sender.edition_id:
        raise MeetingError(_("Choose a project of this forum."), code="wrong_project")
    edition = sender.edition
    meeting_settings = get_meeting_settings(edition=edition)
    with transaction.atomic():
        # The sender's row is the lock under which their requests are counted; what is decided
        # on is read again from the locked row.
        sender = _lock_registrations([sender.pk])[sender.pk]
        _check_participant(sender)
        _check_no_open_request(sender, receiver)
        limit = meeting_settings.request_limit
        if limit is not None:
            sent = (
                MeetingRequest.objects.filter(edition=edition, sender=sender)
                .exclude(status=RequestStatus.WITHDRAWN)
                .count()
            )
            if sent >= limit:
                raise MeetingError(
                    _("You have sent the %(limit)s requests this forum allows.") % {"limit": limit},
                    code="limit_reached",
                )
        status = (
            RequestStatus.PENDING_REVIEW
            if meeting_settings.review_requests
            else RequestStatus.PENDING
        )
        try:
            with transaction.atomic():
                request = MeetingRequest.objects.create(
                    edition=edition,
                    sender=sender,
                    receiver=receiver,
                    project=project,
                    priority=priority,
                    message=message.strip(),
                    status=status,
                )
        except IntegrityError as error:
            raise _open_request_error() from error
        _log("requested", request, by=sender, status=status, priority=priority)
        if status == RequestStatus.PENDING:
            _notify("request_received", registration_ids=[receiver.pk], request_id=request.pk)
    return request


def _open_request_error() -> MeetingError:
    return MeetingError(
        _("There is already an open meeting request between you two."), code="already_requested"
    )


def _check_no_open_request(first: Registration, second: Registration) -> None:
    if MeetingRequest.objects.filter(
        Q(sender=first, receiver=second) | Q(sender=second, receiver=first),
        status__in=OPEN_REQUEST_STATUSES,
    ).exists():
        raise _open_request_error()


def _locked_request(request: MeetingRequest) -> MeetingRequest:
    _lock_registrations([request.sender_id, request.receiver_id])
    return MeetingRequest.objects.select_related("sender", "receiver", "edition").get(pk=request.pk)


def review_request(
    *, request: MeetingRequest, approve: bool, user=None, reason: str = ""
) -> MeetingRequest:
    """Staff forward a request to its receiver, or turn it down (the sender is told)."""
    with transaction.atomic():
        request = _locked_request(request)
        if request.status != RequestStatus.PENDING_REVIEW:
            raise MeetingError(_("This request is not waiting for review."), code="not_in_review")
        now = timezone.now()
        request.reviewed_at = now
        if approve:
            request.status = RequestStatus.PENDING
            request.save(update_fields=["status", "reviewed_at"])
            _notify(
                "request_received", registration_ids=[request.receiver_id], request_id=request.pk
            )
        else:
            request.status = RequestStatus.REJECTED
            request.answer_reason = reason.strip()
            request.closed_at = now
            request.save(update_fields=["status", "reviewed_at", "answer_reason", "closed_at"])
            _notify("request_rejected", registration_ids=[request.sender_id], request_id=request.pk)
        _log("reviewed", request, user=user, approved=approve, status=request.status)
    return request


def accept_request(
    *, request: MeetingRequest, by: Registration, slot: MeetingSlot | None = None
) -> MeetingRequest:
    """The receiver accepts; with a slot (self-booking) the meeting is booked at once.

    A meeting the organisers suggested needs both sides: the first one's yes is recorded and the
    other is told; the second one's makes it accepted (and booked, with a slot).
    If booking fails (the slot was just taken), nothing changes and the error lists the slots
    still free for both.
    """
    with transaction.atomic():
        request = _locked_request(request)
        if request.status == RequestStatus.PROPOSED:
            if by.pk not in (request.sender_id, request.receiver_id):
                raise MeetingError(_("This is not your request."), code="not_yours")
            if not request.needs_answer_from(by):
                raise MeetingError(_("You have already agreed to this meeting."), code="answered")
            now = timezone.now()
            if by.pk == request.sender_id:
                request.sender_agreed_at = now
            else:
                request.answered_at = now
            if request.sender_agreed_at is None or request.answered_at is None:
                request.save(update_fields=["sender_agreed_at", "answered_at"])
                _log("agreed", request, by=by)
                _notify(
                    "meeting_suggestion_agreed",
                    registration_ids=[request.other(by).pk],
                    request_id=request.pk,
                )
                return request
        elif request.receiver_id != by.pk:
            raise MeetingError(_("Only the receiver can answer this request."), code="not_yours")
        elif request.status != RequestStatus.PENDING:
            raise MeetingError(_("This request has already been answered."), code="answered")
        request.status = RequestStatus.ACCEPTED
        request.answered_at = request.answered_at or timezone.now()
        request.save(update_fields=["status", "answered_at", "sender_agreed_at"])
        _log("accepted", request, by=by)
        if slot is not None:
            mode = get_meeting_settings(edition=request.edition).booking_mode
            if mode != BookingMode.SELF_BOOKING:
                raise MeetingError(
                    _("The organisers schedule the meetings of this forum."), code="organiser_mode"
                )
        if slot is None:
            _notify(
                "request_accepted", registration_ids=[request.other(by).pk], request_id=request.pk
            )
            return request
        _book(request, slot, by=by, user=None, video_link="")
    request.refresh_from_db()
    return request


def decline_request(
    *, request: MeetingRequest, by: Registration, reason: str = ""
) -> MeetingRequest:
    with transaction.atomic():
        request = _locked_request(request)
        suggested = request.status == RequestStatus.PROPOSED
        if suggested and by.pk not in (request.sender_id, request.receiver_id):
            raise MeetingError(_("This is not your request."), code="not_yours")
        if not suggested and request.receiver_id != by.pk:
            raise MeetingError(_("Only the receiver can answer this request."), code="not_yours")
        if request.status not in (
            RequestStatus.PROPOSED,
            RequestStatus.PENDING,
            RequestStatus.ACCEPTED,
        ):
            raise MeetingError(_("This request has already been answered."), code="answered")
        now = timezone.now()
        request.status = RequestStatus.DECLINED
        request.answer_reason = reason.strip()
        request.answered_at = request.answered_at or now
        request.closed_at = now
        request.save(update_fields=["status", "answer_reason", "answered_at", "closed_at"])
        _log("declined", request, by=by, fields=["status", "answer_reason"])
        _notify("request_declined", registration_ids=[request.other(by).pk], request_id=request.pk)
    return request


def suggest_meetings(
    *, edition: Edition, user, among: Iterable[int] | None = None, top_n: int = 5
) -> int:
    """Turns mutual best matches into suggested meetings both sides must agree to.

    For every pair of listed profiles each among the other's `top_n` recommendations (and, with
    `among`, involving one of those profiles) that has no request yet. The company side (or the
    earlier registration) is the sender. Returns how many were suggested.
    """
    suggested = 0
    for first, second in mutual_matches(edition=edition, top_n=top_n, among=among):
        if second.side == ProfileSide.COMPANY and first.side != ProfileSide.COMPANY:
            first, second = second, first
        try:
            with transaction.atomic():
                request = MeetingRequest.objects.create(
                    edition=edition,
                    sender=first.registration,
                    receiver=second.registration,
                    priority=MeetingPriority.WOULD_LIKE,
                    status=RequestStatus.PROPOSED,
                    suggested=True,
                    suggested_by=user if getattr(user, "is_authenticated", False) else None,
                )
        except IntegrityError:
            continue  # a request between them was opened at the same moment
        _log("suggested", request, user=user)
        _notify(
            "meeting_suggested",
            registration_ids=[request.sender_id, request.receiver_id],
            request_id=request.pk,
        )
        suggested += 1
    return suggested


def withdraw_request(*, request: MeetingRequest, by: Registration) -> MeetingRequest:
    """The sender takes back a request that has no meeting yet."""
    with transaction.atomic():
        request = _locked_request(request)
        if request.sender_id != by.pk:
            raise MeetingError(_("Only the sender can withdraw this request."), code="not_yours")
        if request.status not in (
            RequestStatus.PENDING_REVIEW,
            RequestStatus.PENDING,
            RequestStatus.ACCEPTED,
        ):
            raise MeetingError(_("This request can no longer be withdrawn."), code="closed")
        delivered = request.status != RequestStatus.PENDING_REVIEW
        request.status = RequestStatus.WITHDRAWN
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "closed_at"])
        _log("withdrawn", request, by=by)
        if delivered:
            _notify(
                "request_withdrawn", registration_ids=[request.receiver_id], request_id=request.pk
            )
    return request


# Booking ----------------------------------------------------------------------------------------


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
    rooms = set(taken.values_list("room", flat=True))
    if len(rooms) >= slot.rooms:
        return None
    return next((room for room in range(1, slot.rooms + 1) if room not in rooms), None)


def _require_free(
    people: list[Registration], slot: MeetingSlot, *, ignore: Meeting | None, staff: bool
) -> None:
    """Raises unless the people are free in the slot (staff may book over marked unavailability)."""
    ids = [p.pk for p in people]
    if MEETING_GUARD:
        seats = MeetingSeat.objects.filter(
            slot=slot, registration_id__in=ids, released_at__isnull=True
        )
        if ignore is not None:
            seats = seats.exclude(meeting=ignore)
        busy = seats.exists()
    else:
        meetings = Meeting.objects.filter(slot=slot, status=MeetingStatus.SCHEDULED).filter(
            Q(sender_id__in=ids) | Q(receiver_id__in=ids)
        )
        if ignore is not None:
            meetings = meetings.exclude(pk=ignore.pk)
        busy = meetings.exists()
    if busy:
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
    """Checks a room and both people are free in the locked slot and takes them, or raises."""
    people = [meeting.sender, meeting.receiver]
    if MEETING_GUARD:
        room = _free_room(slot, ignore=ignore)
    else:
        booked = Meeting.objects.filter(slot=slot, status=MeetingStatus.SCHEDULED)
        if ignore is not None:
            booked = booked.exclude(pk=ignore.pk)
        room = None if booked.count() >= slot.rooms else 0
    if room is None:
        raise slot_taken_error(people, slot.edition, exclude_meeting=ignore)
    if RACE_WINDOW:
        time.sleep(RACE_WINDOW)
    meeting.slot = slot
    meeting.room = room or None
    meeting.save()
    if MEETING_GUARD:
        MeetingSeat.objects.bulk_create(
            [MeetingSeat(meeting=meeting, registration=p, slot=slot) for p in people]
        )


def _book(
    request: MeetingRequest, slot: MeetingSlot, *, by: Registration | None, user, video_link: str
) -> Meeting:
    """Books the request's meeting; the registrations must already be locked."""
    if request.status != RequestStatus.ACCEPTED:
        raise MeetingError(_("Only accepted requests can be booked."), code="not_accepted")
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
        with transaction.atomic():
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
    with transaction.atomic():
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
    with transaction.atomic():
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
            with transaction.atomic():
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
    with transaction.atomic():
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
    with transaction.atomic():
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


def remind_meeting(*, meeting: Meeting, user=None) -> None:
    """Staff send the reminder of one meeting now, whether or not it was sent before."""
    if not meeting.is_scheduled:
        raise MeetingError(_("This meeting is cancelled."), code="cancelled")
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(reminded_at=timezone.now())
        _log("reminded", meeting, user=user)
        _notify(
            "meeting_reminder",
            registration_ids=[meeting.sender_id, meeting.receiver_id],
            meeting_id=meeting.pk,
        )


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
    with transaction.atomic():
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


def _close_pending_to(registration: Registration) -> int:
    """Requests still waiting for an answer from an unlisted profile are cancelled."""
    now = timezone.now()
    waiting = MeetingRequest.objects.filter(
        receiver=registration,
        status__in=[RequestStatus.PENDING_REVIEW, RequestStatus.PENDING],
    )
    ids = list(waiting.values_list("pk", flat=True))
    waiting.update(status=RequestStatus.CANCELLED, closed_at=now)
    return len(ids)


def end_meeting_participation(*, registration: Registration, reason: str = "") -> int:
    """For a registration that withdrew its sharing consent or was cancelled.

    Unlists the profile, closes its open requests and cancels its future meetings, each
    counterpart being told. Returns how many meetings were cancelled. Registration services call
    this one function; nothing else of the meetings code.
    """
    now = timezone.now()
    with transaction.atomic():
        profile = BusinessProfile.objects.filter(registration=registration, listed=True).first()
        if profile is not None:
            profile.listed = False
            profile.save(update_fields=["listed", "updated_at"])
            _log("unlisted", profile, by=registration, fields=["listed"])
        requests = MeetingRequest.objects.filter(
            Q(sender=registration) | Q(receiver=registration),
            status__in=[
                RequestStatus.PENDING_REVIEW,
                RequestStatus.PENDING,
                RequestStatus.ACCEPTED,
            ],
        )
        for request in requests.select_related("sender", "receiver"):
            request.status = RequestStatus.CANCELLED
            request.closed_at = now
            request.save(update_fields=["status", "closed_at"])
            _log("cancelled", request, by=registration, reason="participation_ended")
        meetings = list(
            Meeting.objects.filter(
                Q(sender=registration) | Q(receiver=registration),
                status=MeetingStatus.SCHEDULED,
                slot__starts_at__gt=booking_opens_after(registration.edition, now),
            ).order_by("pk")
        )
        if meetings:
            _lock_registrations({m.sender_id for m in meetings} | {m.receiver_id for m in meetings})
        for meeting in meetings:
            meeting = Meeting.objects.select_related("sender", "receiver").get(pk=meeting.pk)
            _cancel(meeting, reason=reason, now=now)
            _log("cancelled", meeting, by=registration, reason="participation_ended")
            _notify(
                "meeting_cancelled",
                registration_ids=[meeting.other(registration).pk],
                meeting_id=meeting.pk,
            )
    return len(meetings)


def send_meeting_reminders(*, now: dt.datetime | None = None) -> int:
    """Queues the day-before reminder of every meeting starting within a day; idempotent.

    Each meeting is claimed by one conditional update, so two runs at once remind once.
    """
    from meetings.selectors.meetings import meetings_to_remind

    now = now or timezone.now()
    count = 0
    for meeting in meetings_to_remind(now=now):
        with transaction.atomic():
            claimed = Meeting.objects.filter(pk=meeting.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            _notify(
                "meeting_reminder",
                registration_ids=[meeting.sender_id, meeting.receiver_id],
                meeting_id=meeting.pk,
            )
            count += 1
    return count
