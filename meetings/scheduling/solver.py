"""Place meetings into slots: most priority first, then fewest breaks, with CP-SAT and MaxSAT."""

from __future__ import annotations

import threading
import time

from .bounds import slot_bound
from .by_day import solve_by_day
from .greedy import greedy_schedule, rematch_schedule, repair_schedule
from .local_search import improve_breaks
from .measures import (
    build_solution,
    is_fair,
    progress_figures,
    rank,
    total_breaks,
)
from .problem import Problem
from .race import Race
from .settings import SolverSettings
from .whole import solve_whole

__all__ = ["SolverSettings", "build_solution", "solve_problem"]

# Above this many (meeting, slot) pairs one CP-SAT model is too slow to help within a minute;
# such forums are solved by day instead (see by_day.py).
FULL_MODEL_LIMIT = 40_000
# Share of the time kept for the local search on the kept schedule when no engine proves it.
POLISH_SHARE = 0.1


class Progress:
    """The best schedule so far from any engine, and the bounds; tells `settings.progress`."""

    def __init__(self, problem: Problem, settings: SolverSettings, slot_of: dict[int, int]):
        self.problem = problem
        self.report = settings.progress
        self.best = slot_of
        self.bound = sum(m.priority for m in problem.meetings if m.allowed)
        self.breaks_bound: int | None = None
        self._lock = threading.Lock()
        self._tell()

    def offer(self, slot_of: dict[int, int] | None) -> None:
        if slot_of is None or self.report is None:
            return  # nobody listens: no need to weigh every schedule
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

    def _tell(self) -> None:
        if self.report is not None:
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
        slot_of, priority_bound, optimal, method, breaks_bound = _race_whole(
            problem, slot_of, settings, deadline, progress
        )
    # Milliseconds even for thousands of meetings, and often far below the sum of priorities.
    priority_bound = min(priority_bound, slot_bound(problem))
    progress.bounds(bound=priority_bound)
    progress.offer(slot_of)
    return build_solution(
        problem,
        slot_of,
        bound=priority_bound,
        optimal=optimal,
        seconds=time.monotonic() - started,
        method=method,
        breaks_bound=breaks_bound,
    )


def _race_whole(problem, slot_of, settings, deadline, progress):
    """The whole forum in one model, MaxSAT racing beside CP-SAT where it applies; then the
    best schedule any engine found, polished by local search when nothing proved it."""
    race = None
    polish = 0.0 if settings.repeatable else POLISH_SHARE * settings.time_limit
    if settings.maxsat and not settings.repeatable and all(m.allowed for m in problem.meetings):
        race = Race(
            problem,
            deadline,
            seed=settings.seed,
            polish_moves=settings.polish_moves,
            slot_level_solver=settings.slot_level_solver,
            heard=lambda: progress.hear_race(race),
        )
        race.start()
    try:
        slot_of, priority_bound, optimal = solve_whole(
            problem, slot_of, settings, deadline - polish, race, progress
        )
        method = "cp-sat"
        if race is not None and not race.done and time.monotonic() < deadline - polish:
            _wait(race, deadline - polish)
    finally:
        if race is not None:
            race.stop()
    breaks_bound = None
    if race is not None:
        slot_of, optimal, method = _pick(problem, race, slot_of, optimal, method)
        if race.schedule is not None:
            priority_bound = sum(m.priority for m in problem.meetings)
        if len(slot_of) == len(problem.meetings):
            # Everything placed: RC2's lower bound holds for this schedule's breaks, and meeting
            # it proves CP-SAT's schedule optimal even when neither engine proved it alone.
            breaks_bound = race.lower_bound
    if not optimal and (breaks_bound is None or total_breaks(problem, slot_of) > breaks_bound):
        slot_of, method = _polish(problem, slot_of, settings, deadline, breaks_bound, method)
    if breaks_bound is not None and total_breaks(problem, slot_of) <= breaks_bound:
        optimal = True
        if method.startswith("cp-sat") and breaks_bound > 0:
            method = "cp-sat, maxsat bound"
    return slot_of, priority_bound, optimal, method, breaks_bound


def _wait(race: Race, until: float) -> None:
    """CP-SAT proved its part early; the race may still prove the breaks."""
    while not race.done and time.monotonic() < until:
        time.sleep(0.05)


def _pick(problem, race, slot_of, optimal, method):
    """The better of CP-SAT's schedule and the race's (its proof, or its best so far)."""
    found = race.schedule
    if (
        found is not None
        and len(found) >= len(slot_of)
        and (not optimal or total_breaks(problem, found) < total_breaks(problem, slot_of))
    ):
        return found, race.proven, "maxsat"
    incumbent = race.incumbent
    if (
        incumbent is not None
        and not race.proven
        and rank(problem, incumbent) > rank(problem, slot_of)
    ):
        # CP-SAT may run out of time before any fair schedule (a loaded machine): the SAT
        # schedule, polished, places everything and is fair.
        return incumbent, False, "maxsat (best so far)"
    return slot_of, optimal, method


def _polish(problem, slot_of, settings, deadline, floor, method):
    if not is_fair(problem, slot_of) or settings.repeatable:
        return slot_of, method
    before = total_breaks(problem, slot_of)
    polished = improve_breaks(
        problem,
        slot_of,
        seed=settings.seed,
        moves=10 * settings.polish_moves,
        deadline=deadline,
        floor=floor or 0,
    )
    if total_breaks(problem, polished) < before:
        return polished, method + ", local search"
    return slot_of, method
