"""Meeting reminders: one by hand from the admin, and the daily sending."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.db import atomic
from meetings.errors import MeetingError
from meetings.models import (
    Meeting,
)
from meetings.services.support import _log, _notify


def remind_meeting(*, meeting: Meeting, user=None) -> None:
    """Staff send the reminder of one meeting now, whether or not it was sent before."""
    if not meeting.is_scheduled:
        raise MeetingError(_("This meeting is cancelled."), code="cancelled")
    with atomic():
        Meeting.objects.filter(pk=meeting.pk).update(reminded_at=timezone.now())
        _log("reminded", meeting, user=user)
        _notify(
            "meeting_reminder",
            registration_ids=[meeting.sender_id, meeting.receiver_id],
            meeting_id=meeting.pk,
        )


def send_meeting_reminders(*, now: dt.datetime | None = None) -> int:
    """Queues the day-before reminder of every meeting starting within a day; idempotent.

    Each meeting is claimed by one conditional update, so two runs at once remind once.
    """
    from meetings.selectors.meetings import meetings_to_remind

    now = now or timezone.now()
    count = 0
    for meeting in meetings_to_remind(now=now):
        with atomic():
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
