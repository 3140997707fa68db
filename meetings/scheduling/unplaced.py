"""Why a meeting was left out of the schedule, in words staff can act on."""

from __future__ import annotations

from django.utils.translation import gettext

from .problem import Meeting, Problem

NO_COMMON_SLOT = "no_common_slot"
OVERBOOKED = "participant_overbooked"
ROOMS_EXHAUSTED = "rooms_exhausted"
DISPLACED = "displaced"
PREDECESSOR_UNPLACED = "predecessor_unplaced"


def explain_unplaced(problem: Problem, slot_of: dict[int, int]) -> list[dict]:
    """One {meeting, reason, message} per unplaced meeting, checking the causes in this order."""
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
                    "message": gettext(
                        "It must come after meeting %(earlier)s, which could not be placed."
                    )
                    % {"earlier": missing[0]},
                }
            )
            continue
        reason, message = _reason(
            meeting, problem, unavailable, free_slots, requests, busy, rooms_used
        )
        explanations.append({"meeting": meeting.id, "reason": reason, "message": message})
    return explanations


def _reason(
    meeting: Meeting, problem, unavailable, free_slots, requests, busy, rooms_used
) -> tuple[str, str]:
    if not meeting.allowed:
        return NO_COMMON_SLOT, gettext(
            "Participants %(a)s and %(b)s share no free slot that the meeting's rules allow."
        ) % {"a": meeting.a, "b": meeting.b}
    for person in (meeting.a, meeting.b):
        if requests[person] > free_slots[person]:
            return OVERBOOKED, gettext(
                "Participant %(person)s has %(requests)s meeting requests for %(free)s free slots."
            ) % {"person": person, "requests": requests[person], "free": free_slots[person]}
    both_free = [
        slot
        for slot in meeting.allowed
        if slot not in busy[meeting.a] and slot not in busy[meeting.b]
    ]
    if both_free and all(rooms_used[slot] >= problem.rooms for slot in both_free):
        return ROOMS_EXHAUSTED, gettext(
            "Every slot where both participants are free already uses all %(rooms)s rooms."
        ) % {"rooms": problem.rooms}
    return DISPLACED, gettext(
        "Higher-priority meetings of participants %(a)s and %(b)s took the slots they share."
    ) % {"a": meeting.a, "b": meeting.b}
