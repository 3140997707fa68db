"""Place meetings into slots: most priority first, then fewest breaks, with CP-SAT."""

from __future__ import annotations

import json
import pickle
import queue
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ortools.sat.python import cp_model

from .bounds import slot_bound
from .feasibility import count_breaks
from .greedy import greedy_schedule, rematch_schedule, repair_schedule
from .maxsat import MaxSatOptions
from .model import ModelOptions, ScheduleModel
from .problem import SOLUTION_FORMAT, Problem
from .unplaced import explain_unplaced

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Above this many (meeting, slot) pairs one CP-SAT model is too slow to help within a minute;
# such forums are solved by day instead (see solve_by_day).
FULL_MODEL_LIMIT = 40_000


@dataclass(frozen=True, slots=True)
class SolverSettings:
    time_limit: float = 30.0
    seed: int = 0
    # CP-SAT's parallel portfolio (its LNS workers find the good schedules here). Threads race,
    # so two runs with one seed can differ unless `repeatable` (docs/scheduler.md).
    workers: int = 2
    # One worker, limits in deterministic time and a seeded LNS: the same seed gives the same
    # schedule on any machine fast enough not to hit the wall-clock backstop.
    repeatable: bool = False
    span_bounds: bool = True
    slot_numbers: bool = True
    hint: bool = True
    by_day: bool | None = None  # None: decide by size
    # Share of the break phase for the racing workers before the seeded LNS takes over. At 0.4
    # more instances reached the optimum, but one lost its fair schedule (docs/scheduler.md).
    racing_share: float = 1.0
    # Which CP-SAT workers race. A core-guided worker (MaxSAT-style: it relaxes the break literals
    # core by core) beside the default LP worker doubled the published optima reached, 6 → 12 of
    # 20 (docs/scheduler.md); empty leaves CP-SAT's own choice for `workers`.
    subsolvers: tuple[str, ...] = ("core", "default_lp")
    # Race two MaxSAT processes (RC2) against CP-SAT: the first proof of optimality wins, the best
    # schedule stands otherwise.
    maxsat: bool = True
    # CP-SAT workers while the two MaxSAT processes race (three busy threads on two cores).
    racing_workers: int = 1


# CP-SAT's deterministic time runs at roughly 0.6 of wall-clock seconds on the 2-core benchmark
# machine; half leaves room for slower machines before the wall-clock backstop cuts in.
DETERMINISTIC_SHARE = 0.5


def solve_problem(problem: Problem, settings: SolverSettings | None = None) -> dict:
    """Return a `meeting-schedule-solution/1` dict for `problem`."""
    settings = settings or SolverSettings()
    started = time.monotonic()
    deadline = started + settings.time_limit
    slot_of = repair_schedule(problem, greedy_schedule(problem))
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
        lane = None
        if settings.maxsat and not settings.repeatable and all(m.allowed for m in problem.meetings):
            lane = Race(problem, settings, deadline)
            lane.start()
        try:
            slot_of, priority_bound, optimal = _solve_whole(
                problem, slot_of, settings, deadline, lane
            )
        finally:
            if lane is not None:
                lane.stop()
        method = "cp-sat"
        if lane is not None and lane.schedule is not None:
            found = lane.schedule
            if len(found) >= len(slot_of) and (
                not optimal or _total_breaks(problem, found) < _total_breaks(problem, slot_of)
            ):
                slot_of, optimal, method = found, lane.proven, "maxsat"
            priority_bound = sum(m.priority for m in problem.meetings)
        if lane is not None and lane.first_schedule is not None and not lane.proven:
            # CP-SAT may run out of time before any fair schedule (a loaded machine): the SAT
            # call's schedule places everything and is fair, so it wins unless CP-SAT's is better.
            mine, theirs = slot_of, lane.first_schedule
            if (_fair(problem, theirs), len(theirs), -_total_breaks(problem, theirs)) > (
                _fair(problem, mine),
                len(mine),
                -_total_breaks(problem, mine),
            ):
                slot_of, optimal, method = theirs, False, "maxsat (first fair schedule)"
        if lane is not None and len(slot_of) == len(problem.meetings):
            # Everything placed: RC2's lower bound holds for this schedule's breaks, and meeting
            # it proves CP-SAT's schedule optimal even when neither engine proved it alone.
            breaks_bound = lane.lower_bound
            if _total_breaks(problem, slot_of) <= breaks_bound:
                optimal = True
                if method == "cp-sat" and breaks_bound > 0:
                    method = "cp-sat, maxsat bound"
    # Milliseconds even for thousands of meetings, and often far below the sum of priorities.
    priority_bound = min(priority_bound, slot_bound(problem))
    return build_solution(
        problem,
        slot_of,
        bound=priority_bound,
        optimal=optimal,
        seconds=time.monotonic() - started,
        method=method,
        breaks_bound=breaks_bound,
    )


class Race:
    """Two MaxSAT processes beside CP-SAT: RC2 with and without the slot-level implied
    constraint, which each decide instances the other does not (docs/scheduler.md). Presents
    the lanes to the CP-SAT phases as one: done when either proves, the higher lower bound."""

    def __init__(self, problem: Problem, settings: SolverSettings, deadline: float) -> None:
        self.lanes = [
            MaxSatLane(
                problem, settings, deadline, MaxSatOptions(slot_level=False, first_schedule=True)
            ),
            MaxSatLane(problem, settings, deadline, MaxSatOptions()),
        ]

    def start(self) -> None:
        for lane in self.lanes:
            lane.start()

    def stop(self) -> None:
        for lane in self.lanes:
            lane.stop()

    def watch(self, solver: cp_model.CpSolver) -> None:
        for lane in self.lanes:
            lane.watch(solver)

    @property
    def done(self) -> bool:
        return any(lane.done for lane in self.lanes)

    @property
    def lower_bound(self) -> int:
        return max(lane.lower_bound for lane in self.lanes)

    @property
    def proven(self) -> bool:
        return any(lane.proven for lane in self.lanes)

    @property
    def schedule(self) -> dict[int, int] | None:
        found = [lane for lane in self.lanes if lane.schedule is not None]
        return min(found, key=lambda lane: not lane.proven).schedule if found else None

    @property
    def first_schedule(self) -> dict[int, int] | None:
        return self.lanes[0].first_schedule


@dataclass(eq=False)
class MaxSatLane:
    """RC2 in a child process, watched by a thread; a proof stops the CP-SAT search at once.

    A plain `python -m` child rather than multiprocessing: forking a process that may hold
    threads and database connections is unsafe, and spawn would re-import the caller's main
    module (OR-Tools and pandas: seconds lost from a 30-second race); the MaxSAT code alone
    imports in a fraction of a second.
    """

    problem: Problem
    settings: SolverSettings
    deadline: float
    options: MaxSatOptions = field(default_factory=MaxSatOptions)
    schedule: dict[int, int] | None = None
    proven: bool = False
    # Proven: no schedule that places every meeting has fewer breaks.
    lower_bound: int = 0
    # Fair and placing every meeting, found in well under a second; breaks as they fall.
    first_schedule: dict[int, int] | None = None
    _done: threading.Event = field(default_factory=threading.Event)
    _cancelled: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _solver: cp_model.CpSolver | None = None
    _process: subprocess.Popen | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def watch(self, solver: cp_model.CpSolver) -> None:
        """The CP-SAT solver about to run; stopped if the MaxSAT lane proves the optimum."""
        with self._lock:
            self._solver = solver
        if self.done:
            solver.parameters.max_time_in_seconds = 0.01

    def stop(self) -> None:
        self._cancelled.set()
        with self._lock:
            if self._process is not None:
                self._process.kill()
        self._thread.join()

    def _run(self) -> None:
        for options, until in [(self.options, self.deadline)]:
            with self._lock:
                if self._cancelled.is_set():
                    return
                process = subprocess.Popen(
                    [sys.executable, "-m", "meetings.scheduling.maxsat"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    cwd=PROJECT_ROOT,
                    text=True,
                )
                self._process = process
            lines: queue.Queue[str] = queue.Queue()
            reader = threading.Thread(
                target=_read_lines, args=(process, pickle.dumps((self.problem, options)), lines)
            )
            reader.start()
            final = None
            while final is None and not self._cancelled.is_set():
                try:
                    line = lines.get(timeout=min(0.1, max(0.001, until - time.monotonic())))
                except queue.Empty:
                    if time.monotonic() >= until:
                        break
                    continue
                if line.startswith("bound "):
                    self._raise_lower_bound(int(line.split()[1]))
                elif line.startswith("schedule "):
                    self.first_schedule = _read_schedule(line.removeprefix("schedule "))
                else:
                    final = line
            with self._lock:
                process.kill()
                self._process = None
            reader.join()
            process.wait()
            for pipe in (process.stdin, process.stdout):
                pipe.close()
            if final is None or final == "none":
                if final == "none":
                    return  # no fair schedule places every meeting — CP-SAT's to decide
                continue  # out of time for this stage, or stopped
            self._finish(_read_schedule(final.removeprefix("optimal ")))
            return

    def _raise_lower_bound(self, cost: int) -> None:
        # RC2's cost bounds the schedules with at most `fairness` breaks each; any other fair
        # schedule has a break for every participant with meetings (see _finish).
        people = sum(1 for ids in self.problem.meetings_by_participant.values() if ids)
        bound = cost if self.problem.fairness is None else min(cost, people)
        self.lower_bound = max(self.lower_bound, bound)

    def _finish(self, schedule: dict[int, int]) -> None:
        breaks = _breaks_by_person(self.problem, schedule)
        # The encoding asks for at most `fairness` breaks each (fair, since someone has none).
        # Schedules where everyone has a break have at least one break per participant, so
        # they cannot beat a schedule with fewer breaks in all.
        people = sum(1 for ids in self.problem.meetings_by_participant.values() if ids)
        self.schedule = schedule
        self.proven = self.problem.fairness is None or sum(breaks.values()) <= people
        if not self.proven:
            return
        self._done.set()
        # A stop that lands between two CP-SAT calls, before `solve` starts, is lost: keep
        # stopping whichever solver runs until the caller ends the race.
        while not self._cancelled.wait(0.05):
            with self._lock:
                if self._solver is not None:
                    self._solver.stop_search()


def _new_solver(
    settings: SolverSettings, seconds: float, lane=None, *, backstop: float | None = None
) -> cp_model.CpSolver:
    """`backstop`: a wall-clock limit above `seconds` for repeatable runs, so that a loaded
    machine still stops on the deterministic limit (the same schedule) rather than the clock."""
    solver = cp_model.CpSolver()
    seconds = max(seconds, 0.05)
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.random_seed = settings.seed
    if settings.repeatable:
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = seconds * DETERMINISTIC_SHARE
        if backstop is not None:
            solver.parameters.max_time_in_seconds = max(seconds, backstop)
    elif lane is not None:
        # Two MaxSAT processes have the cores; a first fair schedule comes from one of them.
        solver.parameters.num_workers = settings.racing_workers
        lane.watch(solver)
    else:
        solver.parameters.num_workers = settings.workers
        for name in settings.subsolvers:
            solver.parameters.subsolvers.append(name)
    return solver


def _solve_whole(
    problem, slot_of, settings, deadline, lane=None
) -> tuple[dict[int, int], int, bool]:
    """Phase 1 places as much priority as it can; phase 2 holds that and minimises breaks."""
    everything = sum(m.priority for m in problem.meetings if m.allowed)
    best = slot_of
    bound = everything
    priority_proven = _priority(problem, best) == everything
    if not priority_proven:
        # Without break variables and fairness, CP-SAT proves the priority optimum in well under
        # a second on the published instances; with them it may take minutes (docs/scheduler.md).
        placing = ScheduleModel(
            problem, problem.meetings, range(len(problem.slots)), ModelOptions(breaks=False)
        )
        if settings.hint:
            placing.hint(best)
        placing.model.maximize(placing.priority)
        solver = _new_solver(settings, (deadline - time.monotonic()) * 0.3, lane)
        status = solver.solve(placing.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = placing.read(solver)
            if _priority(problem, found) >= _priority(problem, best):
                best = found
            bound = int(solver.best_objective_bound)
            priority_proven = status == cp_model.OPTIMAL

    target = _priority(problem, best)
    all_placed = settings.slot_numbers and len(best) == len(problem.meetings)
    schedule = ScheduleModel(
        problem,
        problem.meetings,
        range(len(problem.slots)),
        ModelOptions(span_bounds=settings.span_bounds, all_placed=all_placed),
    )
    model = schedule.model
    model.add(schedule.priority >= target)
    model.minimize(schedule.total_breaks)
    if settings.hint:
        schedule.hint(best)
    # Racing workers are good at finding a fair schedule and proving easy optima; the seeded
    # LNS is better at pushing breaks down from there (docs/scheduler.md). Repeatable runs only
    # look for a fair start, with one worker.
    fair_start = 0.3 if not _fair(problem, best) else 0.0
    share = fair_start if settings.repeatable else settings.racing_share
    left = deadline - time.monotonic()
    solver = _new_solver(settings, left * max(share, 0.01), lane, backstop=left)
    if settings.repeatable:
        solver.parameters.stop_after_first_solution = True  # a fair start for the LNS
    callback = (
        _StopAtLowerBound(lane) if lane is not None and len(best) == len(problem.meetings) else None
    )
    status = solver.solve(model, callback)
    if lane is not None and lane.done:  # the MaxSAT process proved the optimum first
        found = schedule.read(solver) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else best
        return found, bound, False
    if status == cp_model.OPTIMAL:
        return schedule.read(solver), bound, priority_proven
    if status == cp_model.FEASIBLE:
        best = _improve_by_lns(problem, schedule, schedule.read(solver), settings, deadline)
        return best, bound, priority_proven and _total_breaks(problem, best) == 0
    if not settings.repeatable and status == cp_model.UNKNOWN:
        # no fair schedule yet: give the racing workers the rest of the time
        solver = _new_solver(settings, deadline - time.monotonic(), lane)
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return schedule.read(solver), bound, False
    if settings.repeatable and _fair(problem, best):
        best = _improve_by_lns(problem, schedule, best, settings, deadline)
        return best, bound, priority_proven and _total_breaks(problem, best) == 0
    if status == cp_model.INFEASIBLE and problem.fairness is not None:
        # Fairness costs meetings here: trade priority for it, priority still first.
        relaxed = ScheduleModel(
            problem,
            problem.meetings,
            range(len(problem.slots)),
            ModelOptions(span_bounds=settings.span_bounds),
        )
        relaxed.model.maximize(relaxed.priority * (relaxed.most_breaks + 1) - relaxed.total_breaks)
        solver = _new_solver(settings, deadline - time.monotonic(), lane)
        status = solver.solve(relaxed.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return relaxed.read(solver), bound, False
    # Out of time before any fair schedule: the placement stands, breaks as they fall.
    return best, bound, False


def solve_by_day(problem, slot_of, settings, deadline) -> tuple[dict[int, int], int, bool]:
    """Keep each meeting on the day the greedy gave it and re-solve the slots day by day.

    Breaks are counted within a day and rooms within a slot, so days are independent once the
    meetings' days are fixed; fairness is kept by capping each participant's breaks at the
    fairness bound (the least-broken participant has zero, so that is what the bound allows).
    """
    by_id = problem.meeting_by_id
    everything = sum(m.priority for m in problem.meetings if m.allowed)
    days = problem.days
    meetings_by_day: dict[int, list] = {}
    for meeting_id, slot in slot_of.items():
        meetings_by_day.setdefault(problem.day_of_slot[slot], []).append(by_id[meeting_id])
    breaks_now = _breaks_by_person(problem, slot_of)
    result = dict(slot_of)
    for day_number, day_slots in enumerate(days):
        day = problem.day_of_slot[day_slots[0]]
        day_meetings = meetings_by_day.get(day, [])
        if not day_meetings:
            continue
        # Time in proportion to the day's meetings: the busiest days have the most to gain.
        still_to_do = sum(len(meetings_by_day.get(d, [])) for d in range(day_number, len(days)))
        seconds = (deadline - time.monotonic()) * len(day_meetings) / still_to_do
        if seconds <= 0.05:
            break
        current = {m.id: slot_of[m.id] for m in day_meetings}
        day_breaks = _breaks_by_person(problem, current)
        current_total = sum(day_breaks.values())
        if current_total == 0:
            continue
        caps = None
        if problem.fairness is not None:
            caps = {
                person: problem.fairness - (breaks_now[person] - day_breaks[person])
                for person in day_breaks
            }
        schedule = ScheduleModel(
            problem,
            day_meetings,
            day_slots,
            ModelOptions(
                span_bounds=settings.span_bounds,
                break_caps=caps,
                fairness=False,
                all_placed=settings.slot_numbers,
            ),
        )
        model = schedule.model
        for meeting in day_meetings:
            model.add(schedule.placed[meeting.id] == 1)
        # Precedence with meetings on other days already holds: days run in time order.
        model.minimize(schedule.total_breaks)
        # A whole busy day is too big for CP-SAT to even complete the hint in a few seconds;
        # re-placing a few dozen meetings at a time from the greedy day always makes progress.
        improved = _improve_by_lns(problem, schedule, current, settings, time.monotonic() + seconds)
        if improved is not current:
            result.update(improved)
            new_breaks = _breaks_by_person(problem, improved)
            for person in day_breaks:
                breaks_now[person] += new_breaks[person] - day_breaks[person]
    return result, everything, False


class _StopAtLowerBound(cp_model.CpSolverSolutionCallback):
    """Stop CP-SAT once its schedule has no more breaks than RC2 has proven necessary."""

    def __init__(self, lane: Race) -> None:
        super().__init__()
        self.lane = lane

    def on_solution_callback(self) -> None:
        if self.objective_value <= self.lane.lower_bound:
            self.stop_search()


def _read_schedule(text: str) -> dict[int, int]:
    return {int(meeting): slot for meeting, slot in json.loads(text).items()}


def _read_lines(process: subprocess.Popen, data: bytes, lines: queue.Queue) -> None:
    """Feed the MaxSAT process its problem, then pass on each line it prints."""
    try:
        process.stdin.buffer.write(data)
        process.stdin.close()
        for line in process.stdout:
            lines.put(line.strip())
    except (BrokenPipeError, ValueError, OSError):
        pass  # killed at the deadline or when CP-SAT won


def _fair(problem: Problem, slot_of: dict[int, int]) -> bool:
    if problem.fairness is None:
        return True
    breaks = _breaks_by_person(problem, slot_of)
    counts = [breaks.get(p, 0) for p, ids in problem.meetings_by_participant.items() if ids]
    return not counts or max(counts) - min(counts) <= problem.fairness


def _total_breaks(problem: Problem, slot_of: dict[int, int]) -> int:
    return sum(_breaks_by_person(problem, slot_of).values())


def _improve_by_lns(problem, schedule, best, settings, deadline) -> dict[int, int]:
    """Large neighbourhood search: free the meetings of a few participants, or of a few slots
    in a row, keep everything else where it is, and let one CP-SAT worker re-place them.

    One worker with a seeded choice of neighbourhoods is deterministic, unlike CP-SAT's racing
    portfolio; docs/scheduler.md compares the two.
    """
    rng = random.Random(settings.seed)
    by_id = problem.meeting_by_id
    current = dict(best)
    current_breaks = _total_breaks(problem, current)
    target = 30
    total = schedule.model.get_int_var_from_proto_index(schedule.total_breaks_var.index)
    iteration = 0
    # Counted in CP-SAT's deterministic time, so the number of rounds doesn't depend on the
    # machine's speed; the wall-clock deadline is only a backstop.
    work_left = (deadline - time.monotonic()) * DETERMINISTIC_SHARE
    while current_breaks > 0 and work_left > 0 and time.monotonic() < deadline - 0.05:
        iteration += 1
        free = _neighbourhood(problem, current, rng, target, by_time=iteration % 2 == 0)
        schedule.hint(current)
        sub = schedule.model.clone()
        for meeting_id, slot in current.items():
            if meeting_id not in free:
                literal = sub.get_bool_var_from_proto_index(schedule.x[meeting_id, slot].index)
                sub.add(literal == 1)
        sub.add(sub.get_int_var_from_proto_index(total.index) <= current_breaks)
        solver = _new_solver(settings, min(2.0, deadline - time.monotonic()))
        # the deterministic limit below decides; the clock is only the overall deadline
        solver.parameters.max_time_in_seconds = max(0.05, deadline - time.monotonic())
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = min(1.0, work_left)
        solver.parameters.random_seed = settings.seed + iteration
        status = solver.solve(sub)
        work_left -= solver.response_proto.deterministic_time
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = schedule.read(solver)
            found_breaks = _total_breaks(problem, found)
            if found_breaks <= current_breaks:
                current, current_breaks = found, found_breaks
        # Grow the neighbourhood while it is solved to the end, shrink it when it is not.
        target = min(len(by_id), target + 3) if status == cp_model.OPTIMAL else max(10, target - 5)
    return current


def _neighbourhood(problem, current, rng, target, *, by_time) -> set[int]:
    meetings_of = problem.meetings_by_participant
    by_id = problem.meeting_by_id
    free: set[int] = set()
    if by_time:
        by_slot: dict[int, list[int]] = {}
        for meeting_id, slot in current.items():
            by_slot.setdefault(slot, []).append(meeting_id)
        used = sorted(by_slot)
        start = rng.randrange(len(used))
        for step in range(len(used)):
            if len(free) >= target:
                break
            free.update(by_slot[used[(start + step) % len(used)]])
        return free
    breaks = _breaks_by_person(problem, current)
    broken = sorted(p for p, count in breaks.items() if count > 0)
    people = sorted(breaks)
    person = rng.choice(broken or people)
    queue = [person]
    seen = {person}
    while queue and len(free) < target:
        person = queue.pop(0)
        free.update(meetings_of[person])
        partners = sorted(
            {by_id[m].a for m in meetings_of[person]} | {by_id[m].b for m in meetings_of[person]}
        )
        rng.shuffle(partners)
        for partner in partners:
            if partner not in seen:
                seen.add(partner)
                queue.append(partner)
    return free


def _priority(problem: Problem, slot_of: dict[int, int]) -> int:
    by_id = problem.meeting_by_id
    return sum(by_id[m].priority for m in slot_of)


def _breaks_by_person(problem: Problem, slot_of: dict[int, int]) -> dict[int, int]:
    seats: dict[int, list[int]] = {}
    by_id = problem.meeting_by_id
    for meeting_id, slot in slot_of.items():
        meeting = by_id[meeting_id]
        seats.setdefault(meeting.a, []).append(slot)
        seats.setdefault(meeting.b, []).append(slot)
    return {person: count_breaks(slots, problem.day_of_slot) for person, slots in seats.items()}


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
    breaks = sum(_breaks_by_person(problem, slot_of).values())
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
