"""The whole forum in one CP-SAT model: phase 1 places the most priority, phase 2 holds that
and minimises breaks under fairness (docs/scheduler.md)."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from .lns import improve_by_lns
from .measures import is_fair, priority_of, total_breaks
from .model import ModelOptions, ScheduleModel
from .settings import new_solver

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


def solve_whole(
    problem, slot_of, settings, deadline, lane=None, progress=None
) -> tuple[dict[int, int], int, bool]:
    """(schedule, priority bound, proven optimal)."""
    best, bound, priority_proven = _place_priority(problem, slot_of, settings, deadline, lane)
    if progress is not None:
        progress.offer(best)
    schedule = _break_model(problem, best, settings)
    # Racing workers are good at finding a fair schedule and proving easy optima; the seeded
    # LNS is better at pushing breaks down from there (docs/scheduler.md). Repeatable runs only
    # look for a fair start, with one worker.
    fair_start = 0.3 if not is_fair(problem, best) else 0.0
    share = fair_start if settings.repeatable else settings.racing_share
    left = deadline - time.monotonic()
    solver = new_solver(settings, left * max(share, 0.01), lane, backstop=left)
    if settings.repeatable:
        solver.parameters.stop_after_first_solution = True  # a fair start for the LNS
    everything = len(best) == len(problem.meetings)
    callback = _Incumbents(schedule, lane if everything else None, progress)
    status = solver.solve(schedule.model, callback)
    if lane is not None and lane.done:  # the MaxSAT process proved the optimum first
        return (schedule.read(solver) if status in FOUND else best), bound, False
    if status == cp_model.OPTIMAL:
        return schedule.read(solver), bound, priority_proven
    if status == cp_model.FEASIBLE:
        best = improve_by_lns(problem, schedule, schedule.read(solver), settings, deadline)
        return best, bound, priority_proven and total_breaks(problem, best) == 0
    return _no_fair_schedule_yet(problem, best, bound, schedule, status, settings, deadline, lane)


def _place_priority(problem, best, settings, deadline, lane):
    """Phase 1, only when the greedy left priority out: maximise priority without break
    variables or fairness (it proves the priority bound in well under a second on the published
    instances; with them it may take minutes)."""
    everything = sum(m.priority for m in problem.meetings if m.allowed)
    if priority_of(problem, best) == everything:
        return best, everything, True
    placing = ScheduleModel(
        problem, problem.meetings, range(len(problem.slots)), ModelOptions(breaks=False)
    )
    if settings.hint:
        placing.hint(best)
    placing.model.maximize(placing.priority)
    solver = new_solver(settings, (deadline - time.monotonic()) * 0.3, lane)
    status = solver.solve(placing.model)
    if status not in FOUND:
        return best, everything, False
    found = placing.read(solver)
    if priority_of(problem, found) >= priority_of(problem, best):
        best = found
    return best, int(solver.best_objective_bound), status == cp_model.OPTIMAL


def _break_model(problem, best, settings) -> ScheduleModel:
    all_placed = settings.slot_numbers and len(best) == len(problem.meetings)
    schedule = ScheduleModel(
        problem,
        problem.meetings,
        range(len(problem.slots)),
        ModelOptions(span_bounds=settings.span_bounds, all_placed=all_placed),
    )
    schedule.model.add(schedule.priority >= priority_of(problem, best))
    schedule.model.minimize(schedule.total_breaks)
    if settings.hint:
        schedule.hint(best)
    return schedule


def _no_fair_schedule_yet(problem, best, bound, schedule, status, settings, deadline, lane):
    if not settings.repeatable and status == cp_model.UNKNOWN:
        # no fair schedule yet: give the racing workers the rest of the time
        solver = new_solver(settings, deadline - time.monotonic(), lane)
        status = solver.solve(schedule.model)
        if status in FOUND:
            return schedule.read(solver), bound, False
    if settings.repeatable and is_fair(problem, best):
        best = improve_by_lns(problem, schedule, best, settings, deadline)
        return best, bound, False
    if status == cp_model.INFEASIBLE and problem.fairness is not None:
        # Fairness costs meetings here: trade priority for it, priority still first.
        relaxed = ScheduleModel(
            problem,
            problem.meetings,
            range(len(problem.slots)),
            ModelOptions(span_bounds=settings.span_bounds),
        )
        relaxed.model.maximize(relaxed.priority * (relaxed.most_breaks + 1) - relaxed.total_breaks)
        solver = new_solver(settings, deadline - time.monotonic(), lane)
        status = solver.solve(relaxed.model)
        if status in FOUND:
            return relaxed.read(solver), bound, False
    # Out of time before any fair schedule: the placement stands, breaks as they fall.
    return best, bound, False


class _Incumbents(cp_model.CpSolverSolutionCallback):
    """Each better CP-SAT schedule goes to the progress report; CP-SAT stops once its schedule
    has no more breaks than RC2 has proven necessary (`lane`, when every meeting is placed)."""

    def __init__(self, schedule: ScheduleModel, lane, progress) -> None:
        super().__init__()
        self.schedule = schedule
        self.lane = lane
        self.progress = progress

    def on_solution_callback(self) -> None:
        if self.progress is not None:
            x = self.schedule.x
            self.progress.offer({m: s for (m, s), var in x.items() if self.boolean_value(var)})
        if self.lane is not None and self.objective_value <= self.lane.lower_bound:
            self.stop_search()
