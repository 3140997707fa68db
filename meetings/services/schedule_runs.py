"""The organiser-run scheduler: a problem built from an edition, runs in the background, publish."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import lock_rows
from common.services.audit import log_action, register_actions
from forum.models import Edition
from meetings.choices import (
    MeetingPriority,
    MeetingStatus,
    RequestStatus,
    SchedulePhase,
    ScheduleRunStatus,
)
from meetings.errors import MeetingError
from meetings.models import Meeting, MeetingRequest, MeetingSlot, ScheduleRun, SlotUnavailability
from meetings.scheduling import (
    PROBLEM_FORMAT,
    SolverSettings,
    check_solution,
    greedy_schedule,
    parse_problem,
    solve_problem,
)
from meetings.selectors.meetings import booking_opens_after
from meetings.services.booking import book_meeting, cancel_meeting, move_meeting
from registrations.choices import BookingStatus
from registrations.models import Registration, SessionBooking

logger = logging.getLogger(__name__)

register_actions(
    {
        "schedule_run.started": _("Scheduler started"),
        "schedule_run.discarded": _("Draft schedule discarded"),
        "schedule_run.published": _("Schedule published"),
    }
)

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
    # Future slots only, but every slot of a demo edition whose times are illustrative (as booking).
    opens = booking_opens_after(edition, now)
    slots = list(
        MeetingSlot.objects.filter(edition=edition, starts_at__gt=opens).order_by("starts_at", "pk")
    )
    if not slots:
        raise MeetingError(
            _("This edition has no meeting slots ahead: generate them in the meeting settings."),
            code="no_slots",
        )
    slot_ids = {slot.pk for slot in slots}
    requests = list(
        MeetingRequest.objects.filter(edition=edition, status=RequestStatus.ACCEPTED).order_by("pk")
    )
    meetings = list(
        Meeting.objects.filter(
            edition=edition, status=MeetingStatus.SCHEDULED, slot_id__in=slot_ids
        ).select_related("request")
    )
    people = sorted(
        {r.sender_id for r in requests}
        | {r.receiver_id for r in requests}
        | {m.sender_id for m in meetings}
        | {m.receiver_id for m in meetings}
    )
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

    problem = EditionProblem(data={})
    problem_meetings: list[dict[str, Any]] = []

    def add(a: int, b: int, priority: int, fixed_slot: int | None = None) -> int:
        number = len(problem_meetings) + 1
        entry: dict[str, Any] = {"id": number, "a": a, "b": b, "priority": priority}
        if fixed_slot is not None:
            entry["fixed_slot"] = fixed_slot
        problem_meetings.append(entry)
        return number

    for meeting in meetings:
        weight = PRIORITY_WEIGHT[
            meeting.request.priority if meeting.request else MeetingPriority.MUST
        ]
        number = add(
            meeting.sender_id,
            meeting.receiver_id,
            weight,
            meeting.slot_id if keep_published else None,
        )
        problem.meeting_of[number] = meeting.pk
        if keep_published:
            problem.fixed_ids.add(number)
            # a slot marked unavailable after the meeting was booked still holds the meeting
            unavailable[meeting.sender_id].discard(meeting.slot_id)
            unavailable[meeting.receiver_id].discard(meeting.slot_id)
    for request in requests:
        number = add(request.sender_id, request.receiver_id, PRIORITY_WEIGHT[request.priority])
        problem.request_of[number] = request.pk

    rooms = max(slot.rooms for slot in slots)
    stand_in = (people[-1] if people else 0) + 1
    participants = [{"id": person, "unavailable": sorted(unavailable[person])} for person in people]
    for slot in slots:
        for _room in range(rooms - slot.rooms):
            number = add(stand_in, stand_in + 1, 1, slot.pk)
            problem.blocker_ids.add(number)
            participants += [
                {"id": stand_in, "unavailable": []},
                {"id": stand_in + 1, "unavailable": []},
            ]
            stand_in += 2
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


def _reason(entry: dict[str, Any], problem: EditionProblem, by_id: dict[int, dict]) -> dict:
    """A reason as a code with parameters, in the database's terms (registration ids)."""
    meeting = by_id[entry["meeting"]]
    params: dict[str, Any] = {"a": meeting["a"], "b": meeting["b"]}
    if entry["reason"] == "participant_overbooked":
        # the person with more requests than free slots is named first in the solver's check
        for person in (meeting["a"], meeting["b"]):
            if str(person) in entry["message"].split():
                params["person"] = person
                break
    return {
        "request": problem.request_of.get(entry["meeting"]),
        "meeting": problem.meeting_of.get(entry["meeting"]),
        "reason": entry["reason"],
        "params": params,
    }


def _save_progress(run: ScheduleRun, **fields: Any) -> None:
    # Its own small write, visible at once to the admin page that shows the run's progress.
    ScheduleRun.objects.filter(pk=run.pk).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)


def execute_schedule_run(*, run: ScheduleRun) -> ScheduleRun:
    """Builds the problem, solves it and stores the draft; a failure is recorded on the run."""
    started = time.monotonic()
    _save_progress(
        run,
        status=ScheduleRunStatus.RUNNING,
        phase=SchedulePhase.LOADING,
        started_at=timezone.now(),
    )
    try:
        problem = build_problem(edition=run.edition, keep_published=run.keep_published)
        parsed = parse_problem(problem.data)
        by_id = {m["id"]: m for m in problem.data["meetings"]}
        movable = [i for i in by_id if i not in problem.fixed_ids | problem.blocker_ids]
        first = greedy_schedule(parsed)
        _save_progress(
            run,
            phase=SchedulePhase.FIRST_DRAFT,
            requested=len(movable),
            placed=sum(1 for i in movable if i in first),
            priority_placed=sum(by_id[i]["priority"] for i in movable if i in first),
        )
        _save_progress(run, phase=SchedulePhase.OPTIMISING)
        solution = solve_problem(parsed, SolverSettings(time_limit=run.time_limit))
        check = check_solution(problem.data, solution)
        if not check.feasible:  # never publishable: say so instead of storing it
            raise RuntimeError("; ".join(check.errors[:3]))
        _save_progress(run, phase=SchedulePhase.SAVING)
        slot_of = {entry["meeting"]: entry["slot"] for entry in solution["assignments"]}
        draft = {
            "assignments": [
                {"request": problem.request_of[i], "slot": slot_of[i]}
                for i in sorted(problem.request_of)
                if i in slot_of
            ],
            "meetings": [
                {"meeting": problem.meeting_of[i], "slot": slot_of.get(i)}
                for i in sorted(problem.meeting_of)
            ],
            "unplaced": [
                _reason(entry, problem, by_id)
                for entry in solution["unplaced_reasons"]
                if entry["meeting"] not in problem.blocker_ids
            ],
        }
        stats = solution["stats"]
        _save_progress(
            run,
            status=ScheduleRunStatus.DONE,
            phase=SchedulePhase.FINISHED,
            draft=draft,
            placed=sum(1 for i in movable if i in slot_of),
            priority_placed=sum(by_id[i]["priority"] for i in movable if i in slot_of),
            priority_bound=max(stats["bound"] - problem.fixed_priority, 0),
            breaks=stats["breaks"],
            optimal=bool(stats["optimal"]),
            seconds=round(time.monotonic() - started, 2),
            finished_at=timezone.now(),
        )
    except MeetingError as error:
        _fail(run, str(error.message), started)
    except Exception as error:  # noqa: BLE001 - any crash must end as a visible failed run
        logger.exception("Schedule run %s failed", run.pk)
        _fail(run, f"{type(error).__name__}: {error}", started)
    return run


def _fail(run: ScheduleRun, message: str, started: float) -> None:
    _save_progress(
        run,
        status=ScheduleRunStatus.FAILED,
        phase=SchedulePhase.FINISHED,
        error=message,
        seconds=round(time.monotonic() - started, 2),
        finished_at=timezone.now(),
    )


@task
def run_schedule(run_id: int) -> None:
    """The background task behind a run started from the admin."""
    run = ScheduleRun.objects.select_related("edition").filter(pk=run_id).first()
    if run is None or run.status != ScheduleRunStatus.QUEUED:
        return  # discarded before a worker took it, or taken twice
    execute_schedule_run(run=run)


def start_schedule_run(
    *,
    edition: Edition,
    user=None,
    time_limit: int = DEFAULT_TIME_LIMIT,
    keep_published: bool = True,
    in_background: bool = True,
) -> ScheduleRun:
    """Queues a run (the database allows one queued or running run per edition)."""
    if not 1 <= time_limit <= 600:
        raise MeetingError(_("The time limit must be 1 to 600 seconds."), code="time_limit")
    try:
        with transaction.atomic():
            run = ScheduleRun.objects.create(
                edition=edition,
                started_by=user if getattr(user, "is_authenticated", False) else None,
                time_limit=time_limit,
                keep_published=keep_published,
            )
    except IntegrityError as error:
        raise MeetingError(
            _("The scheduler is already running for this edition; wait for it to finish."),
            code="run_active",
        ) from error
    _log_run(run, "schedule_run.started", user=user, time_limit=time_limit)
    if in_background:
        run_id = run.pk
        transaction.on_commit(lambda: run_schedule.enqueue(run_id))
    else:
        execute_schedule_run(run=run)
    return run


def discard_schedule_run(*, run: ScheduleRun, user=None) -> ScheduleRun:
    with transaction.atomic():
        run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
        if run.status in (ScheduleRunStatus.PUBLISHED, ScheduleRunStatus.DISCARDED):
            raise MeetingError(_("This run can no longer be discarded."), code="run_closed")
        run.status = ScheduleRunStatus.DISCARDED
        run.save(update_fields=["status"])
        _log_run(run, "schedule_run.discarded", user=user)
    return run


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


def publish_schedule(*, run: ScheduleRun, user=None) -> PublishResult:
    """Books, moves and cancels meetings as the draft says, all or nothing.

    Every change goes through the meetings services, so the database guarantees hold and both
    sides are notified after the commit. If anything no longer fits (a request was declined, a
    slot was taken by hand since the run), nothing is changed and the error says what.
    """
    result = PublishResult()
    with transaction.atomic():
        # The run row is no registration, session or slot: it can be locked first, and it keeps
        # two staff members from publishing the same draft twice.
        run = ScheduleRun.objects.select_for_update().select_related("edition").get(pk=run.pk)
        if run.status != ScheduleRunStatus.DONE:
            raise MeetingError(_("Only a finished draft can be published."), code="not_ready")
        newer = ScheduleRun.objects.filter(
            edition=run.edition, published_at__gt=run.created_at
        ).exists()
        if newer:
            raise MeetingError(
                _("A later schedule was published since this run: run the scheduler again."),
                code="stale",
            )
        draft = run.draft
        requests = MeetingRequest.objects.in_bulk([a["request"] for a in draft["assignments"]])
        meetings = Meeting.objects.in_bulk([m["meeting"] for m in draft["meetings"]])
        slots = MeetingSlot.objects.in_bulk(
            [a["slot"] for a in draft["assignments"]]
            + [m["slot"] for m in draft["meetings"] if m["slot"]]
            + [m.slot_id for m in meetings.values()]
        )
        people = {r.sender_id for r in requests.values()} | {
            r.receiver_id for r in requests.values()
        }
        people |= {m.sender_id for m in meetings.values()} | {
            m.receiver_id for m in meetings.values()
        }
        _lock_people_and_slots(people, set(slots))
        try:
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
            result.moved = _move_all(moves, user)
            for entry in draft["assignments"]:
                request = requests.get(entry["request"])
                if request is None:
                    raise MeetingError(
                        _("A request of this draft was deleted since the run."), code="stale"
                    )
                book_meeting(request=request, slot=slots[entry["slot"]], user=user)
                result.booked += 1
        except MeetingError as error:
            raise MeetingError(
                _("Nothing was published: %(reason)s Run the scheduler again.")
                % {"reason": error.message},
                code="stale",
            ) from error
        now = timezone.now()
        run.status = ScheduleRunStatus.PUBLISHED
        run.published_at = now
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


def _move_all(moves: list[tuple[Meeting, MeetingSlot]], user) -> int:
    """Moves meetings whose new slot is free first, so a chain of moves needs no spare slot."""
    pending = list(moves)
    moved = 0
    while pending:
        left = []
        for meeting, slot in pending:
            try:
                with transaction.atomic():
                    move_meeting(meeting=meeting, slot=slot, user=user)
                moved += 1
            except MeetingError:
                left.append((meeting, slot))
        if len(left) == len(pending):
            # a cycle (A takes B's slot while B takes A's): the draft can't be applied as moves
            move_meeting(meeting=left[0][0], slot=left[0][1], user=user)
        pending = left
    return moved


def _log_run(run: ScheduleRun, action: str, *, user=None, **details: Any) -> None:
    actor = user if getattr(user, "is_authenticated", False) else AuditActor.SYSTEM
    log_action(actor=actor, obj=run, action=action, details=details)
