"""Ending a participant's business meetings when their registration or consent ends."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from common.db import atomic
from meetings.choices import (
    MeetingStatus,
    RequestStatus,
)
from meetings.models import (
    BusinessProfile,
    Meeting,
    MeetingRequest,
)
from meetings.selectors.meetings import booking_opens_after
from meetings.services.booking import _cancel
from meetings.services.support import _lock_registrations, _log, _notify
from registrations.models import Registration


def end_meeting_participation(*, registration: Registration, reason: str = "") -> int:
    """For a registration that withdrew its sharing consent or was cancelled.

    Unlists the profile, closes its open requests and cancels its future meetings, each
    counterpart being told. Returns how many meetings were cancelled. The registration services
    reach it through the `meeting_participation_ended` signal, never by importing it.
    """
    now = timezone.now()
    with atomic():
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
        future = Meeting.objects.filter(
            Q(sender=registration) | Q(receiver=registration),
            status=MeetingStatus.SCHEDULED,
            slot__starts_at__gt=booking_opens_after(registration.edition, now),
        )
        people = future.values_list("sender_id", "receiver_id")
        _lock_registrations({person for pair in people for person in pair})
        # Read once the people are locked: what is cancelled is what is there now.
        meetings = list(future.select_related("sender", "receiver").order_by("pk"))
        for meeting in meetings:
            _cancel(meeting, reason=reason, now=now)
            _log("cancelled", meeting, by=registration, reason="participation_ended")
            _notify(
                "meeting_cancelled",
                registration_ids=[meeting.other(registration).pk],
                meeting_id=meeting.pk,
            )
    return len(meetings)


def end_participation_of(sender, *, registration: Registration, **kwargs) -> None:
    """Receiver of `registrations.signals.meeting_participation_ended`."""
    end_meeting_participation(registration=registration)
