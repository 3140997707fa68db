"""The MaxSAT race: RC2 in child processes beside CP-SAT, watched by threads.

Each child prints what it learns as it goes (see `maxsat.main`): better schedules, lower bounds,
then the optimum or `none`. A proof stops CP-SAT at once.
"""

from __future__ import annotations

import contextlib
import json
import pickle
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .maxsat import MaxSatOptions
from .measures import breaks_by_person, rank
from .problem import Problem

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The child runs this module of our own package, wherever the package lives.
MAXSAT_MODULE = f"{__package__}.maxsat"


class Race:
    """MaxSAT processes racing beside the annealer and CP-SAT (docs/scheduler.md), one per lane
    in `lanes`. Each lower bound one of them proves is passed on to the others that listen (the
    budget searches), so that they ask the next question at once. Presents the lanes to the
    CP-SAT phases as one: done when any proves, the highest lower bound."""

    def __init__(
        self,
        problem: Problem,
        deadline: float,
        lanes: list[MaxSatOptions],
        *,
        heard: Callable[[], None] | None = None,
    ) -> None:
        self.lanes = [
            MaxSatLane(problem, deadline, options, heard=self._heard) for options in lanes
        ]
        self._heard_outside = heard

    def _heard(self) -> None:
        """A lane has news: pass its lower bound on to the lanes that listen for one."""
        bound = self.lower_bound
        for lane in self.lanes:
            lane.tell_bound(bound)
        if self._heard_outside is not None:
            self._heard_outside()

    def start(self) -> None:
        for lane in self.lanes:
            lane.start()

    def stop(self) -> None:
        for lane in self.lanes:
            lane.stop()

    def watch(self, solver) -> None:
        for lane in self.lanes:
            lane.watch(solver)

    def tell_schedule(self, schedule: dict[int, int]) -> None:
        """The annealer's better schedule, for the lane that searches at the lower bound."""
        for lane in self.lanes:
            lane.tell_schedule(schedule)

    def tell_go(self) -> bool:
        told = [lane.tell_go() for lane in self.lanes]  # every lane, not up to the first False
        return all(told)

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
    def incumbent(self) -> dict[int, int] | None:
        """The best schedule any lane has printed so far (fair, everything placed)."""
        found = [lane.incumbent for lane in self.lanes if lane.incumbent is not None]
        if not found:
            return None
        return max(found, key=lambda schedule: rank(self.lanes[0].problem, schedule))


@dataclass(eq=False)
class MaxSatLane:
    """RC2 in a child process, watched by a thread; a proof stops the CP-SAT search at once.

    A plain `python -m` child rather than multiprocessing: forking a process that may hold
    threads and database connections is unsafe, and spawn would re-import the caller's main
    module (OR-Tools and pandas: seconds lost from a 30-second race); the MaxSAT code alone
    imports in a fraction of a second.
    """

    problem: Problem
    deadline: float
    options: MaxSatOptions = field(default_factory=MaxSatOptions)
    heard: Callable[[], None] | None = None
    schedule: dict[int, int] | None = None
    proven: bool = False
    # Proven: no schedule that places every meeting has fewer breaks.
    lower_bound: int = 0
    # The best fair schedule placing every meeting printed so far, breaks as they fall.
    incumbent: dict[int, int] | None = None
    _done: threading.Event = field(default_factory=threading.Event)
    _cancelled: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _solver: object | None = None
    _process: subprocess.Popen | None = None
    _told: int = 0
    # Set once the problem is written: a line sent before it would corrupt the pickle.
    _fed: threading.Event = field(default_factory=threading.Event)

    @property
    def listens(self) -> bool:
        return self.options.search in ("budget", "lns")

    def tell_go(self) -> bool:
        """The annealer's share is over: a neighbourhood search lane starts now. False if the
        child could not be told yet (its problem not written): ask again."""
        return self.options.search != "lns" or self._tell("go")

    def tell_schedule(self, schedule: dict[int, int]) -> None:
        """A good schedule found elsewhere: a listening child tries its placements first."""
        if self.listens and self.options.take_phases:
            self._tell("phases " + json.dumps(schedule))

    def _tell(self, line: str) -> bool:
        with self._lock:
            process = self._process
            if process is None or not self._fed.is_set() or process.stdin.closed:
                return False
            try:
                process.stdin.write(line + "\n")
                process.stdin.flush()
            except (BrokenPipeError, ValueError, OSError):
                return False  # the child has ended
        return True

    def tell_bound(self, bound: int) -> None:
        """A lower bound proven elsewhere, for a child that listens (the budget search)."""
        if not self.listens or bound <= max(self._told, self.lower_bound):
            return
        if self._tell(f"bound {bound}"):
            self._told = bound

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def watch(self, solver) -> None:
        """The CP-SAT solver about to run; stopped if the MaxSAT lane proves the optimum."""
        with self._lock:
            self._solver = solver
        if self.done or self._cancelled.is_set():
            solver.parameters.max_time_in_seconds = 0.01

    def stop(self) -> None:
        """Kill the child, stop the CP-SAT search it watches (the race is over: a CP-SAT call
        still running or yet to start ends at once), and wait for the watcher."""
        self._cancelled.set()
        with self._lock:
            if self._process is not None:
                self._process.kill()
            if self._solver is not None:
                self._solver.stop_search()
        self._thread.join()

    def _run(self) -> None:
        with self._lock:
            if self._cancelled.is_set():
                return
            process = subprocess.Popen(  # noqa: S603 - our own module, our own interpreter
                [sys.executable, "-m", MAXSAT_MODULE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=PROJECT_ROOT,
                text=True,
            )
            self._process = process
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(
            target=_read_lines,
            args=(
                process,
                pickle.dumps((self.problem, self.options)),
                lines,
                self.listens,
                self._lock,
                self._fed,
            ),
        )
        reader.start()
        final = self._follow(lines)
        with self._lock:
            process.kill()
            self._process = None
        reader.join()
        process.wait()
        for pipe in (process.stdin, process.stdout):
            # a listening child's stdin may still hold a bound or phases for a child now dead
            with contextlib.suppress(OSError):
                pipe.close()
        if final is not None and final.startswith("optimal "):
            self._finish(_read_schedule(final.removeprefix("optimal ")))
        # "none": no fair schedule places every meeting — CP-SAT's to decide

    def _follow(self, lines: queue.Queue) -> str | None:
        """Take in the child's reports until its last word, the deadline or a stop."""
        while not self._cancelled.is_set():
            try:
                line = lines.get(timeout=min(0.1, max(0.001, self.deadline - time.monotonic())))
            except queue.Empty:
                if time.monotonic() >= self.deadline:
                    return None
                continue
            if line.startswith("bound "):
                self._raise_lower_bound(int(line.split()[1]))
            elif line.startswith("schedule "):
                self.incumbent = _read_schedule(line.removeprefix("schedule "))
            else:
                return line
            if self.heard is not None:
                self.heard()
        return None

    def _raise_lower_bound(self, cost: int) -> None:
        # RC2's cost bounds the schedules with at most `fairness` breaks each; any other fair
        # schedule has a break for every participant with meetings (see _finish).
        people = sum(1 for ids in self.problem.meetings_by_participant.values() if ids)
        bound = cost if self.problem.fairness is None else min(cost, people)
        self.lower_bound = max(self.lower_bound, bound)

    def _finish(self, schedule: dict[int, int]) -> None:
        breaks = breaks_by_person(self.problem, schedule)
        # The encoding asks for at most `fairness` breaks each (fair, since someone has none).
        # Schedules where everyone has a break have at least one break per participant, so
        # they cannot beat a schedule with fewer breaks in all.
        people = sum(1 for ids in self.problem.meetings_by_participant.values() if ids)
        self.schedule = schedule
        self.proven = self.problem.fairness is None or sum(breaks.values()) <= people
        if not self.proven:
            return
        self._done.set()
        if self.heard is not None:
            self.heard()
        # A stop that lands between two CP-SAT calls, before `solve` starts, is lost: keep
        # stopping whichever solver runs until the caller ends the race.
        while not self._cancelled.wait(0.05):
            with self._lock:
                if self._solver is not None:
                    self._solver.stop_search()


def _read_schedule(text: str) -> dict[int, int]:
    return {int(meeting): slot for meeting, slot in json.loads(text).items()}


def _read_lines(
    process: subprocess.Popen, data: bytes, lines: queue.Queue, listens: bool, lock, fed
) -> None:
    """Feed the MaxSAT process its problem, then pass on each line it prints. A child that
    listens keeps its stdin open for the bounds `tell_bound` writes."""
    try:
        with lock:
            process.stdin.buffer.write(data)
            process.stdin.flush()
            fed.set()
            if not listens:
                process.stdin.close()
        for line in process.stdout:
            lines.put(line.strip())
    except (BrokenPipeError, ValueError, OSError):
        pass  # killed at the deadline or when CP-SAT won
