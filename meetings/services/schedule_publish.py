"""Publishing a schedule run's draft: every meeting booked, moved or cancelled at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.db import atomic, lock_rows
from meetings.choices import (
    MeetingStatus,
    ScheduleRunStatus,
)
from meetings.errors import MeetingError
from meetings.models import Meeting, MeetingRequest, MeetingSlot, ScheduleRun
from meetings.services.booking import book_meeting, cancel_meeting, move_meetings
from meetings.services.schedule_runs import _log_run
from registrations.models import Registration


@dataclass
class PublishResult:
    booked: int = 0
    moved: int = 0
    cancelled: int = 0


def _lock_people_and_slots(people: set[int], slots: set[int]) -> None:
    # Everything the publication touches, locked up front in the one order (common.db):
    # the meetings services it then calls lock rows this transaction already holds.
    lock_rows(Registration, people)
    lock_rows(MeetingSlot, slots)


def _locked_run(run: ScheduleRun) -> ScheduleRun:
    """The run row, locked: it is no registration, session or slot, so it can come first, and
    it keeps two staff members from publishing the same draft twice."""
    run = ScheduleRun.objects.select_for_update().select_related("edition").get(pk=run.pk)
    if run.status != ScheduleRunStatus.DONE:
        raise MeetingError(_("Only a finished draft can be published."), code="not_ready")
    if ScheduleRun.objects.filter(edition=run.edition, published_at__gt=run.created_at).exists():
        raise MeetingError(
            _("A later schedule was published since this run: run the scheduler again."),
            code="stale",
        )
    return run


def _apply_draft(draft: dict, *, user) -> PublishResult:
    """Cancels, moves (as one batch) and books as the draft says, its rows locked up front."""
    result = PublishResult()
    requests = MeetingRequest.objects.in_bulk([a["request"] for a in draft["assignments"]])
    meetings = Meeting.objects.in_bulk([m["meeting"] for m in draft["meetings"]])
    slots = MeetingSlot.objects.in_bulk(
        [a["slot"] for a in draft["assignments"]]
        + [m["slot"] for m in draft["meetings"] if m["slot"]]
        + [m.slot_id for m in meetings.values()]
    )
    pairs = [*requests.values(), *meetings.values()]
    _lock_people_and_slots(
        {p for pair in pairs for p in (pair.sender_id, pair.receiver_id)}, set(slots)
    )
    moves = []
    for entry in draft["meetings"]:
        meeting = meetings.get(entry["meeting"])
        if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
            raise MeetingError(
                _("A meeting of this draft was cancelled since the run."), code="stale"
            )
        if entry["slot"] is None:
            cancel_meeting(
                meeting=meeting,
                user=user,
                reason=str(_("The organisers could not keep it in the new schedule.")),
            )
            result.cancelled += 1
        elif entry["slot"] != meeting.slot_id:
            moves.append((meeting, slots[entry["slot"]]))
    # one batch: a cycle of moves (A takes B's slot, B A's) needs no spare slot
    result.moved = move_meetings(moves=moves, user=user)
    for entry in draft["assignments"]:
        request = requests.get(entry["request"])
        if request is None:
            raise MeetingError(
                _("A request of this draft was deleted since the run."), code="stale"
            )
        book_meeting(request=request, slot=slots[entry["slot"]], user=user)
        result.booked += 1
    return result


def publish_schedule(*, run: ScheduleRun, user=None) -> PublishResult:
    """Books, moves and cancels meetings as the draft says, all or nothing.

    Every change goes through the meetings services, so the database guarantees hold and both
    sides are notified after the commit. If anything no longer fits (a request was declined, a
    slot was taken by hand since the run), nothing is changed and the error says what.
    """
    with atomic():
        run = _locked_run(run)
        try:
            result = _apply_draft(run.draft, user=user)
        except MeetingError as error:
            raise MeetingError(
                _("Nothing was published: %(reason)s Run the scheduler again.")
                % {"reason": error.message},
                code="stale",
            ) from error
        run.status = ScheduleRunStatus.PUBLISHED
        run.published_at = timezone.now()
        run.published_by = user if getattr(user, "is_authenticated", False) else None
        run.save(update_fields=["status", "published_at", "published_by"])
        ScheduleRun.objects.filter(edition=run.edition, status=ScheduleRunStatus.DONE).exclude(
            pk=run.pk
        ).update(status=ScheduleRunStatus.DISCARDED)
        _log_run(
            run,
            "schedule_run.published",
            user=user,
            booked=result.booked,
            moved=result.moved,
            cancelled=result.cancelled,
        )
    return result
