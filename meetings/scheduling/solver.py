"""Place meetings into slots: most priority first, then fewest breaks, with CP-SAT and MaxSAT."""

from __future__ import annotations

import threading
import time

from .bounds import slot_bound
from .by_day import solve_by_day
from .greedy import greedy_schedule, rematch_schedule, repair_schedule
from .measures import build_solution, progress_figures, rank
from .problem import Problem
from .race import Race
from .racing import race_whole
from .settings import SolverSettings

__all__ = ["SolverSettings", "build_solution", "solve_problem"]

# Above this many (meeting, slot) pairs one CP-SAT model is too slow to help within a minute;
# such forums are solved by day instead (see by_day.py).
FULL_MODEL_LIMIT = 40_000


class Progress:
    """The best schedule so far from any engine, and the bounds; tells `settings.progress`."""

    def __init__(self, problem: Problem, settings: SolverSettings, slot_of: dict[int, int]):
        self.problem = problem
        self.report = settings.progress
        self.best = slot_of
        self.bound = sum(m.priority for m in problem.meetings if m.allowed)
        self.breaks_bound: int | None = None
        self.closed = False
        self._lock = threading.Lock()
        self._tell()

    def offer(self, slot_of: dict[int, int] | None) -> None:
        """Keep `slot_of` if it is the best so far (what a run stopped at its deadline keeps)."""
        if slot_of is None:
            return
        with self._lock:
            if rank(self.problem, slot_of) <= rank(self.problem, self.best):
                return
            self.best = slot_of
        self._tell()

    def bounds(self, *, bound: int | None = None, breaks_bound: int | None = None) -> None:
        with self._lock:
            changed = False
            if bound is not None and bound < self.bound:
                self.bound, changed = bound, True
            if breaks_bound is not None and breaks_bound != self.breaks_bound:
                self.breaks_bound, changed = breaks_bound, True
        if changed:
            self._tell()

    def hear_race(self, race: Race) -> None:
        self.offer(race.schedule if race.proven else race.incumbent)
        if race.lower_bound or race.proven:
            self.bounds(breaks_bound=race.lower_bound)

    def close(self) -> None:
        """The run has returned: engines abandoned at the deadline report to no one."""
        self.closed = True

    def _tell(self) -> None:
        if self.report is not None and not self.closed:
            figures = progress_figures(
                self.problem, self.best, bound=self.bound, breaks_bound=self.breaks_bound
            )
            self.report(figures)


def solve_problem(problem: Problem, settings: SolverSettings | None = None) -> dict:
    """Return a `meeting-schedule-solution/1` dict for `problem`."""
    settings = settings or SolverSettings()
    started = time.monotonic()
    deadline = started + settings.time_limit
    slot_of = repair_schedule(problem, greedy_schedule(problem))
    progress = Progress(problem, settings, slot_of)
    breaks_bound = None
    size = sum(len(m.allowed) for m in problem.meetings)
    by_day = settings.by_day if settings.by_day is not None else size > FULL_MODEL_LIMIT
    if by_day:
        # exact per-participant re-seating of the overbooked: a little more priority
        slot_of = rematch_schedule(problem, slot_of, deadline=started + 0.15 * settings.time_limit)
        # leave time to write the answer: big forums take a moment to turn into JSON
        margin = 0.02 * settings.time_limit
        slot_of, priority_bound, optimal = solve_by_day(
            problem, slot_of, settings, deadline - margin
        )
        method = "cp-sat by day"
    else:
        slot_of, priority_bound, optimal, method, breaks_bound = race_whole(
            problem, slot_of, settings, deadline, progress
        )
    # Milliseconds even for thousands of meetings, and often far below the sum of priorities.
    priority_bound = min(priority_bound, slot_bound(problem))
    progress.bounds(bound=priority_bound, breaks_bound=breaks_bound)
    progress.offer(slot_of)
    progress.close()
    return build_solution(
        problem,
        slot_of,
        bound=priority_bound,
        optimal=optimal,
        seconds=time.monotonic() - started,
        method=method,
        breaks_bound=breaks_bound,
    )
