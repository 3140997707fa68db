"""The whole forum in one model: the MaxSAT race, the C annealer and CP-SAT, within the deadline.

The engines run in a worker thread; the caller waits for it until the deadline and a short grace,
and if it is not back by then (a loaded machine, a solver call whose stop was lost), kills the
race's child processes, stops the annealer and CP-SAT, and keeps the best schedule any engine
had handed over so far. docs/scheduler.md describes the race and the measurements.
"""

from __future__ import annotations

import threading
import time

from . import anneal
from .local_search import improve_breaks
from .maxsat import MaxSatOptions
from .measures import is_fair, rank, total_breaks
from .race import Race
from .settings import lane_options
from .whole import solve_whole

# Share of the time kept for the pure-Python local search on the kept schedule when no engine
# proves it and the C annealer is not there.
POLISH_SHARE = 0.1
# How long past the deadline the engines may take to hand over before they are abandoned.
GRACE = 0.5
# How long the race waits for the annealer's first schedule placing every meeting before it
# asks CP-SAT instead (milliseconds on the published instances).
FIRST_SCHEDULE_WAIT = 1.0
# Share of the time the annealer runs (at least ANNEAL_LEAST seconds): after a few of its rounds
# the core it holds is worth more to the two SAT processes.
ANNEAL_SHARE = 0.35
ANNEAL_LEAST = 4.0
# With a neighbourhood-search lane (`lns` in `race_lanes`) the annealer runs one round, then
# hands its core to that lane, which improves its best schedule further.
ANNEAL_BEFORE_LNS = 3.0


def race_whole(problem, slot_of, settings, deadline, progress):
    """(schedule, priority bound, optimal, method, breaks bound), back by `deadline + GRACE`."""
    run = _WholeRun(problem, slot_of, settings, deadline, progress)
    worker = threading.Thread(target=run.run, daemon=True)
    worker.start()
    worker.join(max(0.0, deadline + GRACE - time.monotonic()))
    if worker.is_alive():
        return run.give_up()
    if run.error is not None:
        raise run.error
    return run.result


class _WholeRun:
    def __init__(self, problem, slot_of, settings, deadline, progress) -> None:
        self.problem = problem
        self.draft = slot_of
        self.settings = settings
        self.deadline = deadline
        self.progress = progress
        self.race: Race | None = None
        self.annealer: anneal.Annealer | None = None
        self.result = None
        self.error: BaseException | None = None
        self._lock = threading.Lock()
        self._abandoned = False

    def run(self) -> None:
        try:
            self.result = self._run()
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            self.error = error
        finally:
            self._stop_engines()

    def _run(self):
        problem, settings, deadline = self.problem, self.settings, self.deadline
        racing = (
            settings.maxsat and not settings.repeatable and all(m.allowed for m in problem.meetings)
        )
        annealing = racing and anneal.fits(problem) and anneal.available()
        polish = 0.0 if settings.repeatable or annealing else POLISH_SHARE * settings.time_limit
        with self._lock:
            if self._abandoned:
                return None
            if annealing:
                self.annealer = anneal.Annealer(
                    problem,
                    self.draft,
                    seed=settings.seed,
                    seconds=min(
                        _anneal_seconds(settings),
                        deadline - time.monotonic(),
                    ),
                ).start()
            if racing:
                self.race = Race(
                    problem,
                    deadline,
                    _lanes(settings, annealing),
                    heard=lambda: self.progress.hear_race(self.race),
                )
                self.race.start()
        race, annealer = self.race, self.annealer
        slot_of, priority_bound, optimal, method = self.draft, None, False, "cp-sat"
        if annealer is not None:
            full = self._first_full_schedule(min(deadline, time.monotonic() + FIRST_SCHEDULE_WAIT))
            if full is not None:
                # Every meeting placed, every rule kept: the priority is the most there is, and
                # only the breaks are left, which the race and the annealer decide.
                slot_of, method = full, "annealing"
                priority_bound = sum(m.priority for m in problem.meetings)
        if priority_bound is None:
            slot_of, priority_bound, optimal = solve_whole(
                problem, slot_of, settings, deadline - polish, race, self.progress
            )
        if race is not None and not race.done:
            self._wait(deadline - polish)
        self._stop_engines()
        breaks_bound = None
        if race is not None:
            slot_of, optimal, method = _pick(problem, race, slot_of, optimal, method)
            if race.schedule is not None:
                priority_bound = sum(m.priority for m in problem.meetings)
        slot_of, method = self._take_annealed(slot_of, method)
        if race is not None and len(slot_of) == len(problem.meetings):
            # Everything placed: RC2's lower bound holds for this schedule's breaks, and meeting
            # it proves the schedule optimal even when no engine proved it alone.
            breaks_bound = race.lower_bound
        if not optimal and (breaks_bound is None or total_breaks(problem, slot_of) > breaks_bound):
            slot_of, method = _polish(problem, slot_of, settings, deadline, breaks_bound, method)
        if breaks_bound is not None and total_breaks(problem, slot_of) <= breaks_bound:
            optimal = True
            if not method.startswith("maxsat") and breaks_bound > 0:
                method += ", maxsat bound"
        return slot_of, priority_bound, optimal, method, breaks_bound

    def _first_full_schedule(self, until: float) -> dict[int, int] | None:
        while self.annealer.best_breaks is None and time.monotonic() < until:
            if not self.annealer.running:
                break
            time.sleep(0.01)
        best = self.annealer.best()
        if best is None or not is_fair(self.problem, best):
            return None
        self.progress.offer(best)
        return best

    def _wait(self, until: float) -> None:
        """Until a proof, the deadline, or the annealer at RC2's lower bound."""
        race, annealer = self.race, self.annealer
        heard = None
        went = False
        found = None  # the breaks of the best schedule a lane has printed, passed on
        while not race.done and time.monotonic() < until:
            if not went and (annealer is None or not annealer.running):
                # the annealer's core, to the neighbourhood search if it runs
                went = race.tell_go()
            incumbent = race.incumbent
            if incumbent is not None:
                breaks = total_breaks(self.problem, incumbent)
                if found is None or breaks < found:
                    found = breaks
                    self.progress.offer(incumbent)
                    race.tell_schedule(incumbent)
                if breaks <= race.lower_bound and is_fair(self.problem, incumbent):
                    return  # a lane's schedule meets the proven bound: optimal
            if annealer is not None:
                annealer.set_floor(race.lower_bound)
                breaks = annealer.best_breaks
                if breaks is not None and breaks != heard:
                    heard = breaks
                    best = annealer.best()
                    self.progress.offer(best)
                    if best is not None:
                        race.tell_schedule(best)
                if breaks is not None and breaks <= race.lower_bound:
                    return  # the annealer's schedule meets the proven bound: optimal
            time.sleep(0.05)

    def _take_annealed(self, slot_of, method):
        if self.annealer is None:
            return slot_of, method
        annealed = self.annealer.best()
        if annealed is not None and rank(self.problem, annealed) > rank(self.problem, slot_of):
            return annealed, "annealing"
        return slot_of, method

    def _stop_engines(self) -> None:
        if self.race is not None:
            self.race.stop()
        if self.annealer is not None:
            self.annealer.stop()

    def give_up(self):
        """The deadline has passed with the engines still at work: stop them all and keep the
        best schedule any of them had handed over."""
        with self._lock:
            self._abandoned = True
        self._stop_engines()
        race, problem = self.race, self.problem
        candidates = [self.draft, self.progress.best]
        if self.annealer is not None and self.annealer.best() is not None:
            candidates.append(self.annealer.best())
        if race is not None:
            candidates += [race.incumbent, race.schedule]
        best = max((c for c in candidates if c is not None), key=lambda c: rank(problem, c))
        placed_all = len(best) == len(problem.meetings)
        breaks_bound = race.lower_bound if race is not None and placed_all else None
        optimal = breaks_bound is not None and total_breaks(problem, best) <= breaks_bound
        priority_bound = sum(m.priority for m in problem.meetings if m.allowed)
        return best, priority_bound, optimal, "best so far at the deadline", breaks_bound


def _anneal_seconds(settings) -> float:
    if any(spec.startswith("lns:") for spec in settings.race_lanes):
        return ANNEAL_BEFORE_LNS
    return max(ANNEAL_LEAST, ANNEAL_SHARE * settings.time_limit)


def _lanes(settings, annealing: bool) -> list[MaxSatOptions]:
    """With the annealer: the configured lanes (budget searches that find the schedule at the
    lower bound, the annealer's best as their phases). Without it: RC2 with and without the
    slot-level constraint, the second first finding a fair schedule by one SAT call and
    polishing it — the race's safety net when CP-SAT finds none in time."""
    if annealing:
        return [lane_options(spec, settings.seed) for spec in settings.race_lanes]
    return [
        MaxSatOptions(seed=settings.seed, sat_solver=settings.slot_level_solver),
        MaxSatOptions(
            slot_level=False,
            first_schedule=True,
            seed=settings.seed,
            polish_moves=settings.polish_moves,
        ),
    ]


def _pick(problem, race, slot_of, optimal, method):
    """The better of the schedule in hand and the race's (its proof, or its best so far)."""
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
