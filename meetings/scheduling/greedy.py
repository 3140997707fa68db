"""A fast greedy schedule: the solver's first hint, and the whole answer for very large forums."""

from __future__ import annotations

import time
from bisect import bisect_left, insort

from ortools.graph.python import min_cost_flow

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


class _Repair:
    """The board of `repair_schedule`, with who holds each participant's slot and what each
    slot holds, kept in step as meetings move."""

    def __init__(self, problem: Problem, slot_of: dict[int, int]) -> None:
        self.board = board = Board(problem)
        self.by_id = by_id = problem.meeting_by_id
        for meeting_id, slot in slot_of.items():
            board.place(by_id[meeting_id], slot)
        self.chained = {m.id for m in problem.meetings if m.after}
        self.chained |= {earlier for m in problem.meetings for earlier in m.after}
        self.holder: dict[tuple[int, int], int] = {}  # (participant, slot) -> meeting id
        for meeting_id, slot in board.slot_of.items():
            meeting = by_id[meeting_id]
            self.holder[meeting.a, slot] = meeting_id
            self.holder[meeting.b, slot] = meeting_id
        self.in_slot: dict[int, set[int]] = {}
        for meeting_id, slot in board.slot_of.items():
            self.in_slot.setdefault(slot, set()).add(meeting_id)

    def place(self, meeting: Meeting, slot: int) -> None:
        self.board.place(meeting, slot)
        self.holder[meeting.a, slot] = meeting.id
        self.holder[meeting.b, slot] = meeting.id
        self.in_slot.setdefault(slot, set()).add(meeting.id)

    def remove(self, meeting: Meeting) -> int:
        slot = self.board.slot_of[meeting.id]
        self.board.remove(meeting)
        del self.holder[meeting.a, slot]
        del self.holder[meeting.b, slot]
        self.in_slot[slot].discard(meeting.id)
        return slot

    def relocate(self, meeting: Meeting, avoid: int) -> bool:
        home = self.remove(meeting)
        self.board.rooms_left[avoid] -= 1  # keep `avoid` out of reach while choosing
        slot = _best_slot(self.board, meeting, compact=True)
        self.board.rooms_left[avoid] += 1
        self.place(meeting, home if slot is None else slot)
        return slot is not None

    def fit(self, meeting: Meeting) -> bool:
        """Places a left-out meeting, moving or evicting what is in the way; whether it did."""
        board, by_id = self.board, self.by_id
        slot = _best_slot(board, meeting, compact=True)
        if slot is not None:
            self.place(meeting, slot)
            return True
        for slot in meeting.allowed:
            blockers = {self.holder.get((p, slot)) for p in (meeting.a, meeting.b)} - {None}
            if any(b in self.chained for b in blockers):
                continue
            if board.rooms_left[slot] == 0 and not blockers:
                # Both are free but every room is taken: move some other meeting out.
                for other_id in sorted(self.in_slot.get(slot, set())):
                    if other_id not in self.chained and self.relocate(by_id[other_id], slot):
                        break
                if board.rooms_left[slot] == 0:
                    continue
            moved = all(self.relocate(by_id[b], slot) for b in sorted(blockers))
            if not moved and sum(by_id[b].priority for b in blockers) < meeting.priority:
                for b in blockers:
                    if b in board.slot_of and board.slot_of[b] == slot:
                        self.remove(by_id[b])
                moved = True
            if moved and board.is_open(meeting, slot):
                self.place(meeting, slot)
                return True
        return False


def repair_schedule(
    problem: Problem, slot_of: dict[int, int], *, rounds: int = 3
) -> dict[int, int]:
    """Fit in left-out meetings by moving or evicting what blocks them (short ejection chains).

    For each unplaced meeting, highest priority first: a slot where both sides are free; else a
    slot where the meetings in the way can move elsewhere; else, if the meetings in the way are
    worth less in total, evict them (they get their own turn later). Total priority only grows,
    so the loop ends. Meetings with precedence rules are never moved, to keep them simple.
    """
    repair = _Repair(problem, slot_of)
    for _ in range(rounds):
        improved = False
        for meeting in placement_order(problem):
            if meeting.id in repair.board.slot_of or meeting.id in repair.chained:
                continue
            if repair.fit(meeting):
                improved = True
        if not improved:
            break
    return dict(repair.board.slot_of)


def rematch_schedule(
    problem: Problem, slot_of: dict[int, int], *, deadline: float
) -> dict[int, int]:
    """Re-seat the meetings of one overbooked participant at a time by an exact matching.

    Lift all of the participant's meetings, then choose, by maximum-weight bipartite matching
    (min-cost flow), which of them take which of the slots where the partner is free and a room
    is left: the best choice for that participant with everyone else kept. Total priority never
    goes down; among equal choices the current slots are kept. The most overbooked participants
    come first; up to three passes, while anything moves and time is left. On the generated
    forum (docs/scheduler.md) it finds a little that the ejection chains leave.
    """
    by_id = problem.meeting_by_id
    slot_of = dict(slot_of)
    seat: dict[int, dict[int, int]] = {p.id: {} for p in problem.participants}
    rooms_left = [problem.rooms] * len(problem.slots)
    for meeting_id, slot in slot_of.items():
        meeting = by_id[meeting_id]
        seat[meeting.a][slot] = seat[meeting.b][slot] = meeting_id
        rooms_left[slot] -= 1
    chained = {m.id for m in problem.meetings if m.after}
    chained |= {earlier for m in problem.meetings for earlier in m.after}
    free = {p.id: len(problem.slots) - len(p.unavailable) for p in problem.participants}
    people = sorted(
        problem.meetings_by_participant,
        key=lambda p: (-len(problem.meetings_by_participant[p]) / max(1, free[p]), p),
    )
    # A pass that gains nothing may still re-seat meetings among equals, which the next pass can
    # use (measured: seed 3 of the generated forum gains only in its second pass); three at most.
    changed = True
    for _ in range(3):
        if not changed or time.monotonic() >= deadline:
            break
        changed = False
        for person in people:
            if time.monotonic() >= deadline:
                break
            ids = [m for m in problem.meetings_by_participant[person] if m not in chained]
            if all(m in slot_of for m in ids):
                continue
            meetings = [by_id[m] for m in ids]
            before = sum(m.priority for m in meetings if m.id in slot_of)
            previous = {m.id: slot_of[m.id] for m in meetings if m.id in slot_of}
            for meeting in meetings:
                if meeting.id in slot_of:
                    slot = slot_of.pop(meeting.id)
                    del seat[meeting.a][slot], seat[meeting.b][slot]
                    rooms_left[slot] += 1
            chosen = _best_seating(person, meetings, seat, rooms_left, previous)
            for meeting, slot in chosen:
                slot_of[meeting.id] = slot
                seat[meeting.a][slot] = seat[meeting.b][slot] = meeting.id
                rooms_left[slot] -= 1
            if sum(m.priority for m, _ in chosen) > before or any(
                previous.get(m.id) != slot for m, slot in chosen
            ):
                changed = True
    return slot_of


def _best_seating(person, meetings, seat, rooms_left, previous):
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    slot_node: dict[int, int] = {}
    arcs = []
    for number, meeting in enumerate(meetings, start=2):
        flow.add_arc_with_capacity_and_unit_cost(source, number, 1, 0)
        flow.add_arc_with_capacity_and_unit_cost(number, sink, 1, 0)  # left out
        partner = meeting.b if meeting.a == person else meeting.a
        for slot in meeting.allowed:
            if slot in seat[partner] or slot in seat[person] or rooms_left[slot] <= 0:
                continue
            node = slot_node.setdefault(slot, 2 + len(meetings) + len(slot_node))
            # priority first (scaled past any count of moves), then the current slots kept:
            # re-seating among equals freely found one more priority point on seed 3 of the
            # generated forum but tripled its breaks (docs/scheduler.md)
            cost = -meeting.priority * 10_000 + (previous.get(meeting.id) != slot)
            arcs.append(
                (flow.add_arc_with_capacity_and_unit_cost(number, node, 1, cost), meeting, slot)
            )
    for node in slot_node.values():
        flow.add_arc_with_capacity_and_unit_cost(node, sink, 1, 0)
    flow.set_node_supply(source, len(meetings))
    flow.set_node_supply(sink, -len(meetings))
    if flow.solve() != flow.OPTIMAL:  # always feasible: every meeting may be left out
        raise RuntimeError("the rematch flow network did not solve")
    return [(meeting, slot) for arc, meeting, slot in arcs if flow.flow(arc)]
