"""What every meeting service shares: row locks, the audit trail's meeting codes, emails,
and who may take part at all.

Locks are always taken in one order: registrations by primary key, then meeting slots by primary
key, each once per transaction. The guarantee itself sits in the database: one active seat row per
person and slot, and room numbers unique per slot (see meetings/models/bookings.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import lock_rows
from common.errors import ForumError
from common.services.audit import log_action
from common.services.outbox import queue_email
from forum.models import Edition
from meetings.choices import (
    RequestStatus,
)
from meetings.errors import MeetingError
from meetings.models import (
    MeetingRequest,
    MeetingSlot,
)
from meetings.selectors.meetings import sharing_consent_condition
from registrations.choices import RegistrationStatus
from registrations.models import Registration

PROFILE_FIELDS = ("side", "description", "offer", "seek", "website", "listed")


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


_PREFIX = {
    "businessprofile": "profile",
    "meetingsettings": "meeting_settings",
    "meetingslot": "meeting_slot",
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
        edition_id=edition_id,
    )


def _notify(kind: str, *, registration_ids: Iterable[int], **params: Any) -> None:
    """One email per recipient through the outbox, stored in the caller's transaction."""
    for registration in Registration.objects.filter(pk__in=list(registration_ids)).order_by("pk"):
        queue_email(registration, kind, **params)


def has_sharing_consent(registration: Registration) -> bool:
    """True if the registration shares its profile, or the edition asks for no such consent.

    One query; the pages of the meetings area read it with the profile instead
    (`selectors.profile_and_settings`)."""
    return (
        Registration.objects.filter(pk=registration.pk).filter(sharing_consent_condition()).exists()
    )


def _check_edition_open(edition) -> None:
    """A past edition is closed: no new requests, answers or bookings."""
    if edition.has_ended():
        raise MeetingError(
            _("This forum has taken place: meeting requests and bookings are closed."),
            code="edition_ended",
        )


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


def listing_problem(registration: Registration) -> str:
    """Why staff may not list this registration's profile in the directory, or "" if they may."""
    try:
        _check_participant(registration)
    except MeetingError as error:
        reasons = {
            "not_confirmed": _("This registration is not confirmed: its profile can't be listed."),
            "not_opted_in": _(
                "This person has not chosen to take part in business meetings: "
                "their profile can't be listed."
            ),
            "consent_required": _(
                "This person has not agreed (or no longer agrees) to share their profile: "
                "it can't be listed."
            ),
        }
        return str(reasons[error.code])
    return ""


def _locked_request(request: MeetingRequest) -> MeetingRequest:
    _lock_registrations([request.sender_id, request.receiver_id])
    return MeetingRequest.objects.select_related("sender", "receiver", "edition").get(pk=request.pk)


def _close_pending_to(registration: Registration, *, user=None) -> int:
    """Requests still waiting for an answer from an unlisted profile are cancelled; each is in
    the audit trail and its sender is told (`request_closed`)."""
    now = timezone.now()
    waiting = list(
        MeetingRequest.objects.filter(
            receiver=registration,
            status__in=[RequestStatus.PENDING_REVIEW, RequestStatus.PENDING],
        ).order_by("pk")
    )
    for request in waiting:
        request.status = RequestStatus.CANCELLED
        request.closed_at = now
        request.save(update_fields=["status", "closed_at"])
        _log(
            "cancelled",
            request,
            by=None if user else registration,
            user=user,
            fields=["status"],
            reason="receiver_unlisted",
        )
        _notify("request_closed", registration_ids=[request.sender_id], request_id=request.pk)
    return len(waiting)
