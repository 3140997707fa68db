"""Fewer breaks for a schedule without touching what is placed: simulated annealing over moves
that keep every hard rule (a meeting to a free slot, or two meetings trading slots).

Pure Python and seeded: the same schedule, seed and move budget give the same result. It polishes
the incumbent the engines hand over (docs/scheduler.md: the schedule kept when no proof comes).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from .problem import Problem

# Moves per temperature check; the budget is counted in moves so the result doesn't depend on the
# machine, and the deadline is only a backstop.
_BATCH = 1000


class _Board:
    """Each participant's busy slots as a bitmask, one spare bit between days, so that the
    blocks of consecutive busy bits are the participant's runs of meetings."""

    def __init__(self, problem: Problem, slot_of: dict[int, int]) -> None:
        self.problem = problem
        self.bit = [1 << (slot + day) for slot, day in enumerate(problem.day_of_slot)]
        self.day_masks = [sum(self.bit[s] for s in slots) for slots in problem.days]
        self.slot_of = dict(slot_of)
        self.busy = dict.fromkeys(problem.meetings_by_participant, 0)
        self.at: dict[tuple[int, int], int] = {}
        self.load = [0] * len(problem.slots)
        by_id = problem.meeting_by_id
        for meeting_id, slot in slot_of.items():
            meeting = by_id[meeting_id]
            for person in (meeting.a, meeting.b):
                self.busy[person] |= self.bit[slot]
                self.at[person, slot] = meeting_id
            self.load[slot] += 1
        self.breaks = {person: self.count(mask) for person, mask in self.busy.items()}
        # how many participants (with meetings) have each break count: fairness in O(1)
        self.histogram: dict[int, int] = {}
        for person, ids in problem.meetings_by_participant.items():
            if ids:
                count = self.breaks[person]
                self.histogram[count] = self.histogram.get(count, 0) + 1
        self.total = sum(self.breaks.values())

    def count(self, mask: int) -> int:
        if not mask:
            return 0
        blocks = (mask & ~(mask << 1)).bit_count()
        return blocks - sum(1 for day in self.day_masks if mask & day)

    def fair_after(self, changed: dict[int, int]) -> bool:
        """Would fairness still hold with these participants' new break counts?"""
        fairness = self.problem.fairness
        if fairness is None:
            return True
        histogram = dict(self.histogram)
        for person, count in changed.items():
            old = self.breaks[person]
            histogram[old] -= 1
            histogram[count] = histogram.get(count, 0) + 1
        present = [count for count, people in histogram.items() if people]
        return max(present) - min(present) <= fairness

    def apply(self, moves: list[tuple[int, int]], masks: dict[int, int]) -> None:
        by_id = self.problem.meeting_by_id
        for meeting_id, _ in moves:
            meeting = by_id[meeting_id]
            old = self.slot_of[meeting_id]
            for person in (meeting.a, meeting.b):
                del self.at[person, old]
            self.load[old] -= 1
        for meeting_id, slot in moves:
            meeting = by_id[meeting_id]
            for person in (meeting.a, meeting.b):
                self.at[person, slot] = meeting_id
            self.load[slot] += 1
            self.slot_of[meeting_id] = slot
        for person, mask in masks.items():
            count = self.count(mask)
            self.histogram[self.breaks[person]] -= 1
            self.histogram[count] = self.histogram.get(count, 0) + 1
            self.total += count - self.breaks[person]
            self.breaks[person] = count
            self.busy[person] = mask


def _propose(board: _Board, meeting, target: int) -> list[tuple[int, int]] | None:
    """Moves that put `meeting` in `target`: alone into a free place, or trading slots with the
    one meeting in its way. None when the rules forbid both."""
    here = board.slot_of[meeting.id]
    blocking = {board.at.get((meeting.a, target)), board.at.get((meeting.b, target))} - {None}
    if not blocking:
        return None if board.load[target] >= board.problem.rooms else [(meeting.id, target)]
    if len(blocking) > 1:
        return None
    other = board.problem.meeting_by_id[blocking.pop()]
    if other.after or other.fixed_slot is not None or here not in other.allowed:
        return None
    for person in (other.a, other.b):
        if person not in (meeting.a, meeting.b) and board.busy[person] & board.bit[here]:
            return None
    return [(meeting.id, target), (other.id, here)]


def _masks_after(board: _Board, moves: list[tuple[int, int]]) -> dict[int, int]:
    by_id = board.problem.meeting_by_id
    masks: dict[int, int] = {}
    for meeting_id, _ in moves:
        meeting = by_id[meeting_id]
        for person in (meeting.a, meeting.b):
            masks.setdefault(person, board.busy[person])
            masks[person] &= ~board.bit[board.slot_of[meeting_id]]
    for meeting_id, slot in moves:
        meeting = by_id[meeting_id]
        for person in (meeting.a, meeting.b):
            masks[person] |= board.bit[slot]
    return masks


def improve_breaks(
    problem: Problem,
    slot_of: dict[int, int],
    *,
    seed: int = 0,
    moves: int = 200_000,
    deadline: float | None = None,
    floor: int = 0,
    found: Callable[[dict[int, int]], None] | None = None,
) -> dict[int, int]:
    """A schedule placing the same meetings, as fair, with no more breaks than `slot_of`.

    `floor`: a proven lower bound on the breaks (stop there). `found(schedule)` hears each new
    best schedule. Meetings bound by `after` or a fixed slot stay where they are."""
    board = _Board(problem, slot_of)
    movable = [
        m
        for m in problem.meetings
        if m.id in slot_of and not m.after and m.fixed_slot is None and len(m.allowed) > 1
    ]
    waiting = {e for m in problem.meetings if m.id in slot_of for e in m.after}
    movable = [m for m in movable if m.id not in waiting]
    best, best_total = dict(slot_of), board.total
    rng = random.Random(seed)
    start_temperature = 0.6
    for done in range(0, moves, _BATCH):
        if best_total <= floor or not movable:
            break
        if deadline is not None and time.monotonic() >= deadline:
            break
        temperature = max(0.03, start_temperature * (1 - done / moves))
        for _ in range(_BATCH):
            meeting = movable[rng.randrange(len(movable))]
            target = meeting.allowed[rng.randrange(len(meeting.allowed))]
            if target == board.slot_of[meeting.id]:
                continue
            step = _propose(board, meeting, target)
            if step is None:
                continue
            masks = _masks_after(board, step)
            counts = {person: board.count(mask) for person, mask in masks.items()}
            delta = sum(counts[p] - board.breaks[p] for p in counts)
            if delta > 0 and rng.random() >= math.exp(-delta / temperature):
                continue
            if not board.fair_after(counts):
                continue
            board.apply(step, masks)
            if board.total < best_total:
                best, best_total = dict(board.slot_of), board.total
                if found is not None:
                    found(best)
    return best
