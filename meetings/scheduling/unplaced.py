"""Why a meeting was left out of the schedule: a code and its parameters, never words.

Pages turn them into a sentence in their viewer's language (meetings/admin/schedule.py), whoever
ran the scheduler and in whatever language.
"""

from __future__ import annotations

from .problem import Meeting, Problem

NO_COMMON_SLOT = "no_common_slot"
OVERBOOKED = "participant_overbooked"
ROOMS_EXHAUSTED = "rooms_exhausted"
DISPLACED = "displaced"
PREDECESSOR_UNPLACED = "predecessor_unplaced"


def explain_unplaced(problem: Problem, slot_of: dict[int, int]) -> list[dict]:
    """One {meeting, reason, params} per unplaced meeting, checking the causes in this order.

    `params` hold participant ids and counts, for the page that shows the reason."""
    by_id = problem.meeting_by_id
    unavailable = {p.id: p.unavailable for p in problem.participants}
    free_slots = {p.id: len(problem.slots) - len(p.unavailable) for p in problem.participants}
    busy: dict[int, set[int]] = {p.id: set() for p in problem.participants}
    rooms_used = [0] * len(problem.slots)
    for meeting_id, slot in slot_of.items():
        meeting = by_id[meeting_id]
        busy[meeting.a].add(slot)
        busy[meeting.b].add(slot)
        rooms_used[slot] += 1
    requests = {person: len(ids) for person, ids in problem.meetings_by_participant.items()}

    explanations = []
    for meeting in problem.meetings:
        if meeting.id in slot_of:
            continue
        missing = [earlier for earlier in meeting.after if earlier not in slot_of]
        if missing and meeting.allowed:
            explanations.append(
                {
                    "meeting": meeting.id,
                    "reason": PREDECESSOR_UNPLACED,
                    "params": {"earlier": missing[0]},
                }
            )
            continue
        reason, params = _reason(
            meeting, problem, unavailable, free_slots, requests, busy, rooms_used
        )
        explanations.append({"meeting": meeting.id, "reason": reason, "params": params})
    return explanations


def _reason(
    meeting: Meeting, problem, unavailable, free_slots, requests, busy, rooms_used
) -> tuple[str, dict]:
    pair = {"a": meeting.a, "b": meeting.b}
    if not meeting.allowed:
        return NO_COMMON_SLOT, pair
    for person in (meeting.a, meeting.b):
        if requests[person] > free_slots[person]:
            return OVERBOOKED, {
                **pair,
                "person": person,
                "requests": requests[person],
                "free": free_slots[person],
            }
    both_free = [
        slot
        for slot in meeting.allowed
        if slot not in busy[meeting.a] and slot not in busy[meeting.b]
    ]
    if both_free and all(rooms_used[slot] >= problem.rooms for slot in both_free):
        return ROOMS_EXHAUSTED, {**pair, "rooms": problem.rooms}
    return DISPLACED, pair
