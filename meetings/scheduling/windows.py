"""Window literals of the MaxSAT encoding (maxsat.py), for problems of a single day: a
participant without a break has their n meetings in n consecutive slots, one "window" starting
at one slot. The budget search's extras (`exact`, `pairs`, `starts`; docs/scheduler.md, "Issue
21, fifth session") state them exactly, rule out partners' windows without a common slot, and
pass a schedule's window starts on as phases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .problem import Problem

if TYPE_CHECKING:
    from .maxsat import MaxSatEncoding


def add_windows(problem, person, by_slot, busy, break_lits, pool, hard, exact=False):
    """Only for a single day: no break means n meetings in n consecutive slots. The participant's
    "no break" literal and window starts."""
    count = len(problem.meetings_by_participant[person])
    open_slots = sorted(by_slot)
    needs: dict[str, int] = {}
    for meeting_id in problem.meetings_by_participant[person]:
        session = problem.meeting_by_id[meeting_id].session
        if session is not None:
            needs[session] = needs.get(session, 0) + 1
    no_break = pool.id(("nobreak", person))
    hard.append([*break_lits, no_break])
    starts = []
    start_at: dict[int, int] = {}
    for first in open_slots:
        window = range(first, first + count)
        if any((person, slot) not in busy for slot in window):
            continue
        if any(
            sum(problem.slots[slot].session == session for slot in window) < needed
            for session, needed in needs.items()
        ):
            continue  # too few slots of a session that some of the meetings must be in
        start = pool.id(("window", person, first))
        starts.append(start)
        start_at[first] = start
        hard.extend([-start, busy[person, slot]] for slot in window)
        if exact:
            hard.extend([-start, -busy[person, slot]] for slot in open_slots if slot not in window)
            hard.append([-start, no_break])
    hard.append([-no_break, *starts])
    if exact:
        hard.extend([-no_break, -lit] for lit in break_lits)
        for slot in open_slots:
            covering = [start_at[s] for s in range(slot - count + 1, slot + 1) if s in start_at]
            hard.append([-no_break, -busy[person, slot], *covering])
        for i, one in enumerate(starts):
            hard.extend([-one, -other] for other in starts[i + 1 :])
    return no_break, start_at


def window_pairs(problem, start_of, hard) -> None:
    """A meeting's two participants cannot both start windows that share none of its slots."""
    for meeting in problem.meetings:
        if meeting.a not in start_of or meeting.b not in start_of:
            continue
        allowed = set(meeting.allowed)
        count_a = len(problem.meetings_by_participant[meeting.a])
        count_b = len(problem.meetings_by_participant[meeting.b])
        for first_a, start_a in start_of[meeting.a].items():
            room = allowed.intersection(range(first_a, first_a + count_a))
            for first_b, start_b in start_of[meeting.b].items():
                if not room.intersection(range(first_b, first_b + count_b)):
                    hard.append([-start_a, -start_b])


def phases_of(
    encoding: MaxSatEncoding, problem: Problem, schedule: dict[int, int], windows: bool = False
) -> list[int]:
    """The literals of a schedule, to try first: its placements, and with `windows` the window
    start of each participant it leaves without a break ("no break" true), "no break" false for
    the others."""
    lits = [var if schedule.get(m) == s else -var for (m, s), var in encoding.x.items()]
    if not windows:
        return lits
    for person, no_break in encoding.no_break.items():
        slots = sorted(
            schedule[m] for m in problem.meetings_by_participant[person] if m in schedule
        )
        unbroken = bool(slots) and slots[-1] - slots[0] == len(slots) - 1
        lits.append(no_break if unbroken else -no_break)
        for first, start in encoding.starts[person].items():
            lits.append(start if unbroken and first == slots[0] else -start)
    return lits
