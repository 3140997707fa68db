"""Re-seating the meetings of a few participants at once: a large neighbourhood search on complete
fair schedules, for the race's `lns` lane (its own process, started when the annealer's round ends).

The annealer moves one meeting or one Kempe chain at a time; a participant with meetings bound to
both sessions has no break only if their run sits exactly across the lunch boundary, which no such
move reaches. Here all meetings of a few participants (one with a break, then partners of those
chosen) or all meetings in a few slots in a row are lifted at once, everything else held, and one
incremental SAT solver holding the whole MaxSAT encoding is asked for a schedule with fewer breaks
than now (every held meeting assumed in its slot, the current schedule as the solver's phases,
a budget of conflicts). The number of meetings lifted grows while the answers come back "no" in
time and shrinks when they run out. docs/scheduler.md has the measurements.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable

from pysat.card import ITotalizer
from pysat.solvers import Solver

from .maxsat import MaxSatOptions, encode, read_model
from .measures import breaks_by_person, is_fair

# Conflicts per neighbourhood (a few hundredths of a second on the published instances).
CONFLICTS = 5000
# Meetings lifted per neighbourhood at first, at least, and at most (and at most this share of
# all meetings: more is the budget search's whole question again).
FIRST_SIZE = 40
LEAST_SIZE = 8
MOST_SHARE = 0.6
# Share of neighbourhoods chosen by participants (the rest: a few slots in a row).
PEOPLE_SHARE = 0.75
# The lane's process runs this much nicer than the SAT processes beside it (0: as they do).
CHILD_NICE = 0


class Reseater:
    """The search's state: the encoding in one incremental solver, a seeded random source and
    the adaptive neighbourhood size."""

    def __init__(self, problem, seed: int = 0, solver: str = "cd19") -> None:
        self.problem = problem
        self.rng = random.Random(seed)
        self.by_id = problem.meeting_by_id
        self.mine = {p: list(ids) for p, ids in problem.meetings_by_participant.items() if ids}
        self.most = max(LEAST_SIZE, MOST_SHARE * len(problem.meetings))
        self.size = min(float(FIRST_SIZE), self.most)
        self.steps = 0
        self.encoding = encode(problem, MaxSatOptions(slot_level=False, seed=seed))
        self.totalizer = ITotalizer(
            lits=self.encoding.breaks,
            ubound=min(len(self.encoding.breaks), 64),
            top_id=self.encoding.wcnf.nv,
        )
        self.oracle = Solver(name=solver, bootstrap_with=self.encoding.wcnf.hard)
        self.oracle.append_formula(self.totalizer.cnf.clauses)

    def close(self) -> None:
        self.oracle.delete()

    # -- the neighbourhoods ------------------------------------------------------------------

    def _by_people(self, breaks) -> set[int]:
        """All meetings of a participant with a break, then of partners of those chosen, until
        about `size` meetings are free."""
        broken = [p for p, b in breaks.items() if b > 0 and p in self.mine]
        first = self.rng.choice(broken or list(self.mine))
        chosen = {first}
        free: set[int] = set(self.mine[first])
        while len(free) < self.size:
            partners = [
                other
                for meeting_id in free
                for other in (self.by_id[meeting_id].a, self.by_id[meeting_id].b)
                if other not in chosen
            ] or [p for p in self.mine if p not in chosen]
            if not partners:
                break
            person = self.rng.choice(partners)
            chosen.add(person)
            free.update(self.mine[person])
        return free

    def _by_window(self, slot_of) -> set[int]:
        """All meetings in a few slots in a row (about `size` meetings)."""
        day = self.rng.choice(self.problem.days)
        per_slot = max(1, len(slot_of) // max(1, len(self.problem.slots)))
        width = max(2, min(len(day), round(self.size / per_slot)))
        first = self.rng.randrange(day[0], day[-1] - width + 2)
        return {m for m, s in slot_of.items() if first <= s < first + width}

    def neighbourhood(self, slot_of, breaks) -> set[int]:
        if self.rng.random() < PEOPLE_SHARE:
            return self._by_people(breaks)
        return self._by_window(slot_of)

    # -- one step --------------------------------------------------------------------------

    def step(self, slot_of: dict[int, int], total: int):
        """Lift a neighbourhood of `slot_of` (with `total` breaks) and ask for fewer breaks.
        (a better schedule or None, whether the answer is known: a "no" or a schedule)."""
        self.steps += 1
        if total == 0 or total - 1 >= len(self.totalizer.rhs):
            return None, True
        free = self.neighbourhood(slot_of, breaks_by_person(self.problem, slot_of))
        x = self.encoding.x
        assumptions = [x[m, s] for m, s in slot_of.items() if m not in free]
        assumptions.append(-self.totalizer.rhs[total - 1])  # at most total - 1 breaks
        self.oracle.set_phases([v if slot_of.get(m) == s else -v for (m, s), v in x.items()])
        self.oracle.conf_budget(CONFLICTS)
        answer = self.oracle.solve_limited(assumptions=assumptions)
        if not answer:
            return None, answer is not None
        return read_model(self.encoding, self.oracle.get_model()), True

    # -- the loop --------------------------------------------------------------------------

    def run(
        self,
        start: dict[int, int],
        until: float,
        *,
        floor: Callable[[], int] = lambda: 0,
        news: Callable[[], dict[int, int] | None] | None = None,
        found: Callable[[dict[int, int]], None] | None = None,
    ) -> dict[int, int]:
        """Improve `start` until `until` or the lower bound `floor()`. `news()` may bring a
        better schedule found elsewhere; `found` hears each better one found here."""
        problem = self.problem
        best = dict(start)
        best_breaks = sum(breaks_by_person(problem, best).values())
        while best_breaks > floor() and time.monotonic() < until:
            other = news() if news is not None else None
            if other is not None and is_fair(problem, other):
                other_breaks = sum(breaks_by_person(problem, other).values())
                if other_breaks < best_breaks:
                    best, best_breaks = dict(other), other_breaks
            result, known = self.step(best, best_breaks)
            if not known:
                self.size = max(LEAST_SIZE, self.size * 0.9)
                continue
            if result is None:
                self.size = min(self.most, self.size * 1.08)
                continue
            breaks = sum(breaks_by_person(problem, result).values())
            if breaks < best_breaks and is_fair(problem, result):
                best, best_breaks = result, breaks
                if found is not None:
                    found(best)
        return best


def search_in_child(problem, options, heard, found) -> None:
    """The `lns` lane (maxsat.main): wait for "go" and a schedule from the parent, then improve
    the best schedule known until killed, printing each better one through `found`."""
    reseater = Reseater(problem, options.seed, options.sat_solver)
    if CHILD_NICE:
        os.nice(CHILD_NICE)
    start = None
    while start is None or not heard.go.is_set():
        start = heard.phases() or start
        if start is None or not heard.go.is_set():
            time.sleep(0.02)
    reseater.run(start, float("inf"), floor=heard.best, news=heard.phases, found=found)
