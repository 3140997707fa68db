"""Simulated annealing in C (anneal.c) for the schedule kept when no proof comes.

The C search moves meetings among their allowed slots with every other hard rule as a penalty,
so it starts from any draft (the greedy's, even one that leaves meetings out) and returns only
schedules that place every meeting and keep every rule. It runs through ctypes, which lets go of
the GIL, in a thread beside the race (docs/scheduler.md). The library is compiled once per
source version into a cache folder; without a C compiler `available()` is False and the solver
keeps to the pure-Python local search.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import numpy as np

from .problem import Problem

SOURCE = Path(__file__).with_name("anneal.c")
# Penalty per broken rule against one break (it grows while the search stays among broken rules),
# per idle slot inside a participant's day (a gradient towards closing a break), and the
# temperatures: one cooling from HOT to COLD over each round (CYCLE_MOVES 0), or cycles of that
# many moves. Measured on the published instances (docs/scheduler.md).
WEIGHT = 1.0
GAP_WEIGHT = 0.4
HOT, COLD = 1.0, 0.1
CYCLE_MOVES = 0
# Independent rounds of this many seconds, each from the draft again (0: one round).
ROUND_SECONDS = 3.0
# Share of the moves, once nobody is double-booked, that swap two slots along a Kempe chain.
KEMPE_SHARE = 1.0

_lock = threading.Lock()
_library: ctypes.CDLL | None | bool = False  # False: not tried yet


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "forum-scheduler"


def _build() -> ctypes.CDLL | None:
    source = SOURCE.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:16]
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    for folder in (_cache_dir(), Path(tempfile.gettempdir()) / "forum-scheduler"):
        target = folder / f"anneal-{digest}.so"
        if not target.exists():
            if compiler is None:
                return None
            try:
                folder.mkdir(parents=True, exist_ok=True)
                partial = folder / f"anneal-{digest}.{os.getpid()}.tmp"
                subprocess.run(  # noqa: S603 - the system's C compiler on our own source
                    [compiler, "-O2", "-shared", "-fPIC", "-o", str(partial), str(SOURCE), "-lm"],
                    check=True,
                    capture_output=True,
                    timeout=60,
                )
                partial.replace(target)  # atomic: another process may build the same
            except (OSError, subprocess.SubprocessError):
                continue
        try:
            library = ctypes.CDLL(str(target))
        except OSError:
            continue
        library.anneal.restype = ctypes.c_int
        return library
    return None


def library() -> ctypes.CDLL | None:
    global _library
    with _lock:
        if _library is False:
            _library = _build()
        return _library


def available() -> bool:
    return library() is not None


def _int32(values) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.int32)


class _Arrays:
    """The problem as flat arrays for the C search (meetings and participants by position)."""

    def __init__(self, problem: Problem) -> None:
        meetings = problem.meetings
        self.ids = [m.id for m in meetings]
        position = {m.id: i for i, m in enumerate(meetings)}
        people = sorted({p for m in meetings for p in (m.a, m.b)})
        person = {p: i for i, p in enumerate(people)}
        self.n_people = len(people)
        self.a = _int32([person[m.a] for m in meetings])
        self.b = _int32([person[m.b] for m in meetings])
        self.allowed_count = _int32([len(m.allowed) for m in meetings])
        self.allowed_start = _int32(np.concatenate([[0], np.cumsum(self.allowed_count)[:-1]]))
        self.allowed = _int32([s for m in meetings for s in m.allowed])
        self.allowed_bits = np.array(
            [sum(1 << s for s in m.allowed) for m in meetings], dtype=np.uint64
        )
        # one spare bit between days, so that a run of busy bits never crosses a day
        self.slot_bit = np.array(
            [1 << (s + day) for s, day in enumerate(problem.day_of_slot)], dtype=np.uint64
        )
        self.day_mask = np.array(
            [sum(1 << (s + problem.day_of_slot[s]) for s in day) for day in problem.days],
            dtype=np.uint64,
        )
        preds = [[position[k] for k in m.after] for m in meetings]
        succs: list[list[int]] = [[] for _ in meetings]
        for i, before in enumerate(preds):
            for k in before:
                succs[k].append(i)
        self.pred_count, self.pred_start, self.preds = _lists(preds)
        self.succ_count, self.succ_start, self.succs = _lists(succs)
        mine: list[list[int]] = [[] for _ in people]
        for i, m in enumerate(meetings):
            mine[person[m.a]].append(i)
            mine[person[m.b]].append(i)
        self.person_count, self.person_start, self.person_meetings = _lists(mine)
        self.movable = _int32([i for i, m in enumerate(meetings) if len(m.allowed) > 1])


def _lists(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    counts = _int32([len(x) for x in lists])
    starts = _int32(np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else [])
    flat = _int32([v for x in lists for v in x] or [0])
    return counts, starts, flat


def _pointer(array: np.ndarray):
    return array.ctypes.data_as(ctypes.c_void_p)


def fits(problem: Problem) -> bool:
    """The C search states these rules exactly: a bitmask of slots per participant."""
    return (
        bool(problem.meetings)
        and all(m.allowed for m in problem.meetings)
        and len(problem.slots) + len(problem.days) <= 64
    )


class Annealer:
    """The C search in a thread; `best()` reads its best schedule so far at any moment."""

    def __init__(
        self,
        problem: Problem,
        start: dict[int, int],
        *,
        seed: int,
        seconds: float,
        moves: int = 2**62,
    ) -> None:
        self.problem = problem
        self.moves = moves
        self.arrays = _Arrays(problem)
        self.seed = seed
        self.seconds = seconds
        self.control = (ctypes.c_int32 * 4)(0, 0, -1, 0)
        rng = np.random.default_rng(seed)
        slots = []
        for meeting in problem.meetings:
            slot = start.get(meeting.id)
            if slot not in meeting.allowed:
                slot = meeting.allowed[rng.integers(len(meeting.allowed))]
            slots.append(slot)
        self.slot = _int32(slots)
        self.best_out = _int32(slots)
        self.result: int | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Annealer:
        self._thread.start()
        return self

    def _run(self) -> None:
        lib, arr = library(), self.arrays
        self.result = lib.anneal(
            len(self.problem.meetings),
            arr.n_people,
            len(self.problem.slots),
            self.problem.rooms,
            -1 if self.problem.fairness is None else self.problem.fairness,
            len(self.problem.days),
            *(
                _pointer(x)
                for x in (
                    arr.a,
                    arr.b,
                    arr.allowed_start,
                    arr.allowed_count,
                    arr.allowed,
                    arr.allowed_bits,
                    arr.slot_bit,
                    arr.day_mask,
                    arr.pred_start,
                    arr.pred_count,
                    arr.preds,
                    arr.succ_start,
                    arr.succ_count,
                    arr.succs,
                    arr.person_start,
                    arr.person_count,
                    arr.person_meetings,
                    arr.movable,
                )
            ),
            len(arr.movable),
            _pointer(self.slot),
            _pointer(self.best_out),
            ctypes.c_uint64(self.seed),
            ctypes.c_double(self.seconds),
            ctypes.c_int64(self.moves),
            ctypes.c_int64(CYCLE_MOVES),
            ctypes.c_double(WEIGHT),
            ctypes.c_double(GAP_WEIGHT),
            ctypes.c_double(HOT),
            ctypes.c_double(COLD),
            ctypes.c_double(KEMPE_SHARE),
            ctypes.c_double(ROUND_SECONDS),
            self.control,
        )

    def set_floor(self, breaks: int) -> None:
        """A proven lower bound on the breaks: the search stops when it gets there."""
        self.control[1] = max(self.control[1], breaks)

    def stop(self) -> None:
        self.control[0] = 1
        self._thread.join()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def best_breaks(self) -> int | None:
        breaks = self.control[2]
        return None if breaks < 0 else breaks

    def best(self) -> dict[int, int] | None:
        """The best schedule keeping every rule so far (a consistent copy), or None."""
        while True:
            before = self.control[3]
            if self.control[2] < 0:
                return None
            copy = self.best_out.copy()
            if before % 2 == 0 and self.control[3] == before:
                return dict(zip(self.arrays.ids, copy.tolist(), strict=True))
