"""An independent check of a schedule against its problem, for tests and benchmarks.

It reads the raw JSON dicts and shares no code with the solver, so a bug in the solver's model
or in `problem.py` cannot hide itself here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class Check:
    errors: list[str] = field(default_factory=list)
    placed: int = 0
    priority_placed: int = 0
    breaks: int = 0
    breaks_by_participant: dict[int, int] = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        return not self.errors


def count_breaks(slot_positions: list[int], day_of_position: list[object]) -> int:
    """Idle periods between two meetings on the same day; a run of empty slots is one break."""
    breaks = 0
    ordered = sorted(slot_positions)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later - earlier > 1 and day_of_position[earlier] == day_of_position[later]:
            breaks += 1
    return breaks


def _assignments(solution: dict, meetings: dict, position: dict, errors: list[str]) -> dict:
    """Each placed meeting's slot; every meeting placed or unplaced, once."""
    slot_of: dict[int, int] = {}
    for entry in solution.get("assignments", []):
        meeting_id, slot_id = entry["meeting"], entry["slot"]
        if meeting_id not in meetings:
            errors.append(f"unknown meeting {meeting_id}")
            continue
        if slot_id not in position:
            errors.append(f"meeting {meeting_id} in unknown slot {slot_id}")
            continue
        if meeting_id in slot_of:
            errors.append(f"meeting {meeting_id} assigned twice")
        slot_of[meeting_id] = slot_id
    unplaced = set(solution.get("unplaced", []))
    if unplaced & set(slot_of):
        errors.append(f"meetings both placed and unplaced: {sorted(unplaced & set(slot_of))}")
    forgotten = set(meetings) - unplaced - set(slot_of)
    if forgotten:
        errors.append(f"meetings neither placed nor unplaced: {sorted(forgotten)}")
    return slot_of


def _meeting_errors(
    meeting: dict,
    slot_id: int,
    slot_of: dict,
    *,
    position: dict,
    session_of: dict,
    unavailable: dict,
) -> list[str]:
    """What breaks the rules of one placed meeting: its people, session, fixed slot, order."""
    meeting_id = meeting["id"]
    errors = [
        f"meeting {meeting_id} in slot {slot_id} when {person} is unavailable"
        for person in (meeting["a"], meeting["b"])
        if slot_id in unavailable[person]
    ]
    if meeting.get("session") is not None and session_of[slot_id] != meeting["session"]:
        errors.append(
            f"meeting {meeting_id} in slot {slot_id} outside session {meeting['session']}"
        )
    if meeting.get("fixed_slot") is not None and slot_id != meeting["fixed_slot"]:
        errors.append(f"meeting {meeting_id} in slot {slot_id}, fixed to {meeting['fixed_slot']}")
    for earlier in meeting.get("after", []):
        if earlier not in slot_of:
            errors.append(f"meeting {meeting_id} placed while {earlier}, which comes first, is not")
        elif position[slot_of[earlier]] >= position[slot_id]:
            errors.append(f"meeting {meeting_id} not after meeting {earlier}")
    return errors


def check_solution(problem: dict, solution: dict) -> Check:
    check = Check()
    errors = check.errors
    slot_ids = [slot["id"] for slot in problem["slots"]]
    position = {slot_id: index for index, slot_id in enumerate(slot_ids)}
    session_of = {slot["id"]: slot.get("session") for slot in problem["slots"]}
    day_of_position = [slot.get("day") for slot in problem["slots"]]
    unavailable = {p["id"]: set(p.get("unavailable", [])) for p in problem["participants"]}
    meetings = {m["id"]: m for m in problem["meetings"]}
    slot_of = _assignments(solution, meetings, position, errors)
    for slot_id, count in Counter(slot_of.values()).items():
        if count > problem["rooms"]:
            errors.append(f"slot {slot_id} holds {count} meetings for {problem['rooms']} rooms")
    seats: dict[int, list[int]] = defaultdict(list)
    for meeting_id, slot_id in slot_of.items():
        meeting = meetings[meeting_id]
        for person in (meeting["a"], meeting["b"]):
            seats[person].append(position[slot_id])
        errors += _meeting_errors(
            meeting,
            slot_id,
            slot_of,
            position=position,
            session_of=session_of,
            unavailable=unavailable,
        )
        check.placed += 1
        check.priority_placed += meeting.get("priority", 1)
    for person, positions in seats.items():
        doubled = [p for p, n in Counter(positions).items() if n > 1]
        if doubled:
            errors.append(
                f"participant {person} double-booked in slots {[slot_ids[p] for p in doubled]}"
            )
    for person in unavailable:
        check.breaks_by_participant[person] = count_breaks(seats.get(person, []), day_of_position)
    check.breaks = sum(check.breaks_by_participant.values())
    fairness = problem.get("fairness")
    with_meetings = {m["a"] for m in meetings.values()} | {m["b"] for m in meetings.values()}
    counts = [check.breaks_by_participant[p] for p in with_meetings]
    if fairness is not None and counts and max(counts) - min(counts) > fairness:
        errors.append(
            f"break counts range from {min(counts)} to {max(counts)}, over fairness {fairness}"
        )
    return check
