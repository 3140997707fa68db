"""A fast greedy schedule: the solver's first hint, and the whole answer for very large forums."""

from __future__ import annotations

from bisect import bisect_left, insort

from .problem import Meeting, Problem


class Board:
    """Who is busy when, and how many rooms each slot has left, kept as a schedule is built."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.rooms_left = [problem.rooms] * len(problem.slots)
        self.busy: dict[int, list[int]] = {p.id: [] for p in problem.participants}
        self.slot_of: dict[int, int] = {}

    def is_open(self, meeting: Meeting, slot: int) -> bool:
        return (
            self.rooms_left[slot] > 0
            and not _contains(self.busy[meeting.a], slot)
            and not _contains(self.busy[meeting.b], slot)
        )

    def earliest_allowed(self, meeting: Meeting) -> int:
        """Slots before this index would break the meeting's `after` rule."""
        return max((self.slot_of[earlier] + 1 for earlier in meeting.after), default=0)

    def place(self, meeting: Meeting, slot: int) -> None:
        self.slot_of[meeting.id] = slot
        self.rooms_left[slot] -= 1
        insort(self.busy[meeting.a], slot)
        insort(self.busy[meeting.b], slot)

    def remove(self, meeting: Meeting) -> None:
        slot = self.slot_of.pop(meeting.id)
        self.rooms_left[slot] += 1
        self.busy[meeting.a].remove(slot)
        self.busy[meeting.b].remove(slot)

    def added_breaks(self, participant: int, slot: int) -> tuple[int, int]:
        """(breaks added, minus the busy neighbours touched) if `participant` also met in `slot`."""
        seats = self.busy[participant]
        day = self.problem.day_of_slot
        at = bisect_left(seats, slot)
        before = seats[at - 1] if at > 0 and day[seats[at - 1]] == day[slot] else None
        after = seats[at] if at < len(seats) and day[seats[at]] == day[slot] else None
        old = 1 if before is not None and after is not None and after - before > 1 else 0
        new = (before is not None and slot - before > 1) + (after is not None and after - slot > 1)
        touching = (before == slot - 1) + (after == slot + 1)
        return new - old, -touching


def _contains(seats: list[int], slot: int) -> bool:
    at = bisect_left(seats, slot)
    return at < len(seats) and seats[at] == slot


def placement_order(problem: Problem) -> list[Meeting]:
    """Highest priority first; among equals, the meeting with the fewest open slots first."""
    return sorted(problem.meetings, key=lambda m: (-m.priority, len(m.allowed), m.id))


def greedy_schedule(problem: Problem, *, compact: bool = True) -> dict[int, int]:
    """Place meetings one by one; returns meeting id -> slot index for those that fit.

    With `compact`, each meeting goes where it adds the fewest breaks for its two participants
    (then next to their other meetings, then earliest); without it, simply in the earliest free
    slot — the plain baseline the benchmarks compare against.
    """
    board = Board(problem)
    decided: set[int] = set()
    pending = placement_order(problem)
    while pending:
        waiting = []
        for meeting in pending:
            if any(earlier not in decided for earlier in meeting.after):
                waiting.append(meeting)
                continue
            decided.add(meeting.id)
            if any(earlier not in board.slot_of for earlier in meeting.after):
                continue
            slot = _best_slot(board, meeting, compact=compact)
            if slot is not None:
                board.place(meeting, slot)
        if len(waiting) == len(pending):
            break  # cannot happen once problem.py has ruled out cycles; kept as a guard
        pending = waiting
    return board.slot_of


def _best_slot(board: Board, meeting: Meeting, *, compact: bool) -> int | None:
    earliest = board.earliest_allowed(meeting)
    best_key = None
    best_slot = None
    for slot in meeting.allowed:
        if slot < earliest or not board.is_open(meeting, slot):
            continue
        if not compact:
            return slot
        added_a, touch_a = board.added_breaks(meeting.a, slot)
        added_b, touch_b = board.added_breaks(meeting.b, slot)
        key = (added_a + added_b, touch_a + touch_b, slot)
        if best_key is None or key < best_key:
            best_key, best_slot = key, slot
    return best_slot
