"""What a schedule is worth: breaks, fairness, priority, and the solution dict built from them."""

from __future__ import annotations

from .feasibility import count_breaks
from .problem import SOLUTION_FORMAT, Problem
from .unplaced import explain_unplaced


def breaks_by_person(problem: Problem, slot_of: dict[int, int]) -> dict[int, int]:
    """Breaks of each participant with a placed meeting."""
    seats: dict[int, list[int]] = {}
    by_id = problem.meeting_by_id
    for meeting_id, slot in slot_of.items():
        meeting = by_id[meeting_id]
        seats.setdefault(meeting.a, []).append(slot)
        seats.setdefault(meeting.b, []).append(slot)
    return {person: count_breaks(slots, problem.day_of_slot) for person, slots in seats.items()}


def total_breaks(problem: Problem, slot_of: dict[int, int]) -> int:
    return sum(breaks_by_person(problem, slot_of).values())


def is_fair(problem: Problem, slot_of: dict[int, int]) -> bool:
    """Break counts of the participants with meetings in the problem differ by at most d."""
    if problem.fairness is None:
        return True
    breaks = breaks_by_person(problem, slot_of)
    counts = [breaks.get(p, 0) for p, ids in problem.meetings_by_participant.items() if ids]
    return not counts or max(counts) - min(counts) <= problem.fairness


def priority_of(problem: Problem, slot_of: dict[int, int]) -> int:
    by_id = problem.meeting_by_id
    return sum(by_id[m].priority for m in slot_of)


def rank(problem: Problem, slot_of: dict[int, int]) -> tuple[bool, int, int]:
    """Larger is better: fair first, then the priority placed, then fewer breaks."""
    return is_fair(problem, slot_of), priority_of(problem, slot_of), -total_breaks(problem, slot_of)


def progress_figures(
    problem: Problem, slot_of: dict[int, int], *, bound: int, breaks_bound: int | None
) -> dict:
    """Best-so-far figures for a progress report: plain numbers, no text."""
    breaks = total_breaks(problem, slot_of)
    if len(slot_of) < len(problem.meetings):
        breaks_bound = None  # the bound holds for schedules that place every meeting
    return {
        "placed": len(slot_of),
        "requested": len(problem.meetings),
        "priority_placed": priority_of(problem, slot_of),
        "bound": bound,
        "breaks": breaks,
        "breaks_bound": breaks_bound,
        "gap": None if breaks_bound is None else max(0, breaks - breaks_bound),
    }


def build_solution(
    problem: Problem,
    slot_of: dict[int, int],
    *,
    bound: int,
    optimal: bool,
    seconds: float,
    method: str = "greedy",
    breaks_bound: int | None = None,
) -> dict:
    by_id = problem.meeting_by_id
    breaks = total_breaks(problem, slot_of)
    if optimal:
        breaks_bound = breaks
    return {
        "format": SOLUTION_FORMAT,
        "problem": problem.name,
        "assignments": [
            {"meeting": meeting_id, "slot": problem.slots[slot].id}
            for meeting_id, slot in sorted(slot_of.items())
        ],
        "unplaced": sorted(m.id for m in problem.meetings if m.id not in slot_of),
        "unplaced_reasons": explain_unplaced(problem, slot_of),
        "stats": {
            "placed": len(slot_of),
            "priority_placed": sum(by_id[m].priority for m in slot_of),
            "breaks": breaks,
            "bound": bound,
            "optimal": optimal,
            "breaks_bound": breaks_bound,
            "method": method,
            "seconds": round(seconds, 2),
        },
    }
