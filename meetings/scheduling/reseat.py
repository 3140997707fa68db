"""Re-seating whole days of a few participants at once: a large neighbourhood search on complete
fair schedules, each neighbourhood solved exactly by a small CP-SAT model.

The annealer moves one meeting or one Kempe chain at a time; a participant with meetings bound to
both sessions has no break only if their run sits exactly across the lunch boundary, which no such
move reaches. Here all meetings of a few participants (one with a break, then partners and
participants busy beside them) are lifted at once, and CP-SAT places them again, everything else
held, with the fewest breaks among the participants they touch — so a whole block can cross the
boundary together with its partners. docs/scheduler.md has the measurements.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from .measures import breaks_by_person, is_fair

# Seconds for one neighbourhood (one CP-SAT worker); most are proven well within it.
STEP_SECONDS = 0.5
# Meetings freed per neighbourhood at first; grows while neighbourhoods are proven without
# gain, shrinks when one runs out of time.
FIRST_SIZE = 40
LEAST_SIZE = 8
MOST_SIZE = 200
# ... and at most this share of all meetings (more is the budget search's whole question again).
MOST_SHARE = 0.6
CORE = True
CONFLICTS = 5000
PEOPLE_SHARE = 0.75


class Reseater:
    """The search's state: the problem's shape, a seeded random source and the adaptive size."""

    def __init__(self, problem, seed: int = 0) -> None:
        self.problem = problem
        self.rng = random.Random(seed)
        self.by_id = problem.meeting_by_id
        self.mine = {p: list(ids) for p, ids in problem.meetings_by_participant.items() if ids}
        self.most = min(MOST_SIZE, MOST_SHARE * len(problem.meetings))
        self.size = min(float(FIRST_SIZE), self.most)
        self.day_slots = problem.days
        self.steps = 0
        self.improved = 0
        self.wins: dict[str, int] = {}
        self.kind = ""
        self.later: dict[int, list[int]] = {}  # meeting id -> meetings that must come after it
        for meeting in problem.meetings:
            for earlier in meeting.after:
                self.later.setdefault(earlier, []).append(meeting.id)

    # -- the neighbourhoods ------------------------------------------------------------------

    def _by_people(self, slot_of, breaks) -> set[int]:
        """All meetings of a participant with a break, then of their partners and of those busy
        in the slots around, until about `size` meetings are free."""
        broken = [p for p, b in breaks.items() if b > 0]
        seed = self.rng.choice(broken) if broken else self.rng.choice(list(self.mine))
        chosen = {seed}
        free: set[int] = set(self.mine[seed])
        frontier = [seed]
        while len(free) < self.size:
            pool = []
            for person in frontier:
                for meeting_id in self.mine[person]:
                    meeting = self.by_id[meeting_id]
                    other = meeting.b if meeting.a == person else meeting.a
                    if other not in chosen:
                        pool.append(other)
            if not pool:
                pool = [p for p in self.mine if p not in chosen]
                if not pool:
                    break
            person = self.rng.choice(pool)
            chosen.add(person)
            frontier.append(person)
            free.update(self.mine[person])
        return free

    def _by_window(self, slot_of) -> set[int]:
        """All meetings in a few slots in a row (about `size` meetings)."""
        day = self.rng.choice(self.day_slots)
        per_slot = max(1, len(slot_of) // max(1, len(self.problem.slots)))
        width = max(2, min(len(day), round(self.size / per_slot)))
        first = self.rng.randrange(day[0], day[-1] - width + 2)
        window = set(range(first, first + width))
        return {m for m, s in slot_of.items() if s in window}

    def neighbourhood(self, slot_of, breaks) -> set[int]:
        if self.rng.random() < PEOPLE_SHARE:
            self.kind = "people"
            return self._by_people(slot_of, breaks)
        self.kind = "window"
        return self._by_window(slot_of)

    # -- one step --------------------------------------------------------------------------

    def step(self, slot_of: dict[int, int], seconds: float = STEP_SECONDS):
        """Free a neighbourhood of `slot_of` and re-seat it with the fewest breaks among the
        participants it touches. (new schedule or None, proven: the neighbourhood's optimum)."""
        self.steps += 1
        breaks = breaks_by_person(self.problem, slot_of)
        free = self.neighbourhood(slot_of, breaks)
        result = self.solve(slot_of, free, breaks, seconds)
        return result

    def solve(self, slot_of, free: set[int], breaks: dict[int, int], seconds: float):
        problem, by_id = self.problem, self.by_id
        fixed_seats: dict[int, set[int]] = {}
        room_left = [problem.rooms] * len(problem.slots)
        for meeting_id, slot in slot_of.items():
            if meeting_id in free:
                continue
            meeting = by_id[meeting_id]
            fixed_seats.setdefault(meeting.a, set()).add(slot)
            fixed_seats.setdefault(meeting.b, set()).add(slot)
            room_left[slot] -= 1
        model = cp_model.CpModel()
        x: dict[tuple[int, int], cp_model.IntVar] = {}
        seats: dict[int, dict[int, list]] = {}
        by_slot: dict[int, list] = {}
        for meeting_id in free:
            meeting = by_id[meeting_id]
            taken = fixed_seats.get(meeting.a, set()) | fixed_seats.get(meeting.b, set())
            options = []
            for slot in meeting.allowed:
                if slot in taken or room_left[slot] <= 0:
                    continue
                if not self._after_allows(meeting, slot, slot_of, free):
                    continue
                var = model.new_bool_var("")
                x[meeting_id, slot] = var
                options.append(var)
                for person in (meeting.a, meeting.b):
                    seats.setdefault(person, {}).setdefault(slot, []).append(var)
                by_slot.setdefault(slot, []).append(var)
            if not options:
                return None, True
            model.add_exactly_one(options)
            if slot_of[meeting_id] in meeting.allowed and (meeting_id, slot_of[meeting_id]) in x:
                model.add_hint(x[meeting_id, slot_of[meeting_id]], 1)
        for slot, lits in by_slot.items():
            if len(lits) > room_left[slot]:
                model.add(sum(lits) <= room_left[slot])
        for meeting_id in free:
            meeting = by_id[meeting_id]
            for earlier in meeting.after:
                if earlier in free:
                    for (m, s), var in x.items():
                        if m == meeting_id:
                            before = [v for (k, t), v in x.items() if k == earlier and t < s]
                            model.add_bool_or([var.negated(), *before])
        touched = set(seats)
        total = []
        counts = {}
        for person in touched:
            count = self._breaks_expr(model, seats[person], fixed_seats.get(person, set()))
            counts[person] = count
            total.append(count)
        if problem.fairness is not None:
            others = [b for p, b in breaks.items() if p not in touched and p in self.mine]
            high = (min(others) if others else 0) + problem.fairness
            low = (max(others) if others else 0) - problem.fairness
            for count in counts.values():
                model.add(count <= high)
                if low > 0:
                    model.add(count >= low)
        before = sum(breaks.get(p, 0) for p in touched)
        model.add(sum(total) <= before)
        model.minimize(sum(total))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.optimize_with_core = CORE
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.random_seed = self.rng.randrange(1 << 30)
        status = solver.solve(model)
        proven = status == cp_model.OPTIMAL
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, proven
        found = dict(slot_of)
        for (meeting_id, slot), var in x.items():
            if solver.boolean_value(var):
                found[meeting_id] = slot
        return found, proven

    def _after_allows(self, meeting, slot, slot_of, free) -> bool:
        """`after` with the earlier meeting held: it must be in an earlier slot; and meetings
        held after this one must stay later."""
        for earlier in meeting.after:
            if earlier not in free and slot_of[earlier] >= slot:
                return False
        for later in self.later.get(meeting.id, ()):
            if later not in free and slot_of[later] <= slot:
                return False
        return True

    def _breaks_expr(self, model, free_seats: dict[int, list], fixed: set[int]):
        """The participant's breaks as a linear expression: run starts minus days used."""
        parts = []
        for day in self.day_slots:
            busy = {}
            for slot in day:
                if slot in fixed:
                    busy[slot] = 1
                elif slot in free_seats:
                    lits = free_seats[slot]
                    if len(lits) == 1:
                        busy[slot] = lits[0]
                    else:
                        var = model.new_bool_var("")
                        model.add(sum(lits) == var)
                        busy[slot] = var
                else:
                    busy[slot] = 0
            if all(isinstance(b, int) and b == 0 for b in busy.values()):
                continue
            previous = 0
            starts = []
            for slot in day:
                here = busy[slot]
                starts.append(_start(model, here, previous))
                previous = here
            if any(isinstance(b, int) and b == 1 for b in busy.values()):
                used = 1
            else:
                used = model.new_bool_var("")
                lits = [b for b in busy.values() if not isinstance(b, int)]
                model.add_max_equality(used, lits)
            parts.append(sum(s for s in starts if not (isinstance(s, int) and s == 0)) - used)
        return sum(parts)

    # -- the loop --------------------------------------------------------------------------

    def run(
        self,
        start: dict[int, int],
        until: float,
        *,
        floor: Callable[[], int] = lambda: 0,
        news: Callable[[], dict[int, int] | None] | None = None,
        found: Callable[[dict[int, int]], None] | None = None,
        stopped: Callable[[], bool] = lambda: False,
    ) -> dict[int, int]:
        """Improve `start` until `until`, a stop, or the lower bound `floor()`. `news()` may
        bring a better schedule found elsewhere; `found` hears each better one found here."""
        best = dict(start)
        best_breaks = sum(breaks_by_person(self.problem, best).values())
        current = dict(best)
        while not stopped() and best_breaks > floor():
            left = until - time.monotonic()
            if left <= 0.05:
                break
            other = news() if news is not None else None
            if other is not None:
                other_breaks = sum(breaks_by_person(self.problem, other).values())
                if other_breaks < best_breaks and is_fair(self.problem, other):
                    best, best_breaks, current = dict(other), other_breaks, dict(other)
            started = time.monotonic()
            seconds = min(STEP_SECONDS, left)
            result, proven = self.step(current, seconds)
            took = time.monotonic() - started
            if result is None:
                if not proven:
                    self.size = max(LEAST_SIZE, self.size * 0.9)
                elif took < seconds / 2:
                    self.size = min(self.most, self.size * 1.08)
                continue
            breaks = sum(breaks_by_person(self.problem, result).values())
            if not is_fair(self.problem, result):
                continue
            current_breaks = sum(breaks_by_person(self.problem, current).values())
            if breaks < current_breaks:
                self.size = max(LEAST_SIZE, self.size * 0.95)
            elif proven and took < seconds / 2:
                self.size = min(self.most, self.size * 1.08)
            elif not proven:
                self.size = max(LEAST_SIZE, self.size * 0.9)
            current = result
            if breaks < best_breaks:
                best, best_breaks = dict(result), breaks
                self.improved += 1
                self.wins[self.kind] = self.wins.get(self.kind, 0) + 1
                if found is not None:
                    found(best)
        return best


def _start(model, here, previous):
    """1 when busy here and not in the slot before (a run of meetings starts)."""
    if isinstance(here, int):
        if here == 0:
            return 0
        if isinstance(previous, int):
            return 1 - previous
        return previous.negated()
    if isinstance(previous, int):
        return here if previous == 0 else 0
    var = model.new_bool_var("")
    model.add_bool_and([here, previous.negated()]).only_enforce_if(var)
    model.add_bool_or([here.negated(), previous]).only_enforce_if(var.negated())
    return var


class SatReseater(Reseater):
    """The same neighbourhoods, asked of one incremental SAT solver holding the whole MaxSAT
    encoding: every held meeting assumed in its slot, and "fewer breaks than now"."""

    def __init__(self, problem, seed: int = 0, solver: str = "cd19", conflicts: int | None = None):
        super().__init__(problem, seed)
        from pysat.card import ITotalizer
        from pysat.solvers import Solver

        from .maxsat import MaxSatOptions, encode

        self.encoding = encode(problem, MaxSatOptions(slot_level=False, seed=seed))
        self.totalizer = ITotalizer(
            lits=self.encoding.breaks,
            ubound=min(len(self.encoding.breaks), 64),
            top_id=self.encoding.wcnf.nv,
        )
        self.oracle = Solver(name=solver, bootstrap_with=self.encoding.wcnf.hard)
        self.oracle.append_formula(self.totalizer.cnf.clauses)
        self.conflicts = conflicts or CONFLICTS

    def solve(self, slot_of, free, breaks, seconds):
        from .maxsat import read_model

        total = sum(breaks.values())
        if total == 0 or total - 1 >= len(self.totalizer.rhs):
            return None, True
        x = self.encoding.x
        assumptions = [x[m, s] for m, s in slot_of.items() if m not in free]
        assumptions.append(-self.totalizer.rhs[total - 1])
        self.oracle.set_phases([v if slot_of.get(m) == s else -v for (m, s), v in x.items()])
        self.oracle.conf_budget(self.conflicts)
        answer = self.oracle.solve_limited(assumptions=assumptions)
        if answer is None:
            return None, False
        if not answer:
            return None, True
        return read_model(self.encoding, self.oracle.get_model()), True


# The neighbourhood search's process runs this much nicer than the SAT processes beside it, so
# that it takes the annealer's place without slowing their proofs much.
CHILD_NICE = 0


def search_in_child(problem, options, heard, found) -> None:
    """The `lns` lane (maxsat.main): wait for "go" and a schedule from the parent, then improve
    the best schedule known until killed, printing each better one through `found`."""
    import os

    reseater = SatReseater(problem, options.seed or 0, options.sat_solver)
    if CHILD_NICE:
        os.nice(CHILD_NICE)
    start = None
    while start is None or not heard.go.is_set():
        start = heard.phases() or start
        if start is None or not heard.go.is_set():
            time.sleep(0.02)
    reseater.run(start, float("inf"), floor=heard.best, news=heard.phases, found=found)
