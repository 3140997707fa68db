"""The solver's settings and the CP-SAT solver they make."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .maxsat import MaxSatOptions


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
    # Local-search moves on the first fair SAT schedule in its MaxSAT process, and on the
    # schedule kept when no engine proves the optimum (local_search.py).
    polish_moves: int = 20_000
    # The SAT solver inside RC2 in the race's process with the slot-level constraint (python-sat
    # names: "g3" glucose 3, "cd19" CaDiCaL 1.9.5); docs/scheduler.md compares them.
    slot_level_solver: str = "g3"
    # The race's processes when the annealer runs (`race_lanes`): "search:solver:constraint:phases"
    # each — search "budget" (budget.py) or "rc2"; a python-sat solver name; "slot" with the
    # slot-level implied constraint or "free" without it; "phases" to try the annealer's best
    # schedule first (budget only) or "no"; optionally a fifth part, encoding extras joined by "+"
    # (LANE_EXTRAS, see lane_options). The default pairs a budget search without the
    # slot-level constraint (the 1-break schedules, the schedule at the optimum) with RC2 on
    # CaDiCaL with it (the lower bounds): measured in docs/scheduler.md. The budget search states
    # the window literals exactly and takes the annealer's window starts as phases ("exact+starts":
    # 20/20 proven in each of three runs against 18–19 without), and so does RC2 ("exact": its
    # satisfiable calls find forum-13crafb's optimum sooner; 9 of 12 proofs on the two hardest
    # against 6). Search "lns" is the
    # neighbourhood search of reseat.py in its own process, started when the annealer's share
    # ends, on the best schedule known.
    race_lanes: tuple[str, ...] = (
        "budget:cd19:free:phases:exact+starts",
        "rc2:cd19:slot:no:exact",
        "lns:cd19:free:phases",
    )
    # Called with the best-so-far figures (measures.progress_figures) whenever an engine finds a
    # better schedule or a higher bound; from solver threads, so it must be quick and thread-safe.
    progress: Callable[[dict], None] | None = None


# The optional fifth part of a lane: encoding extras joined by "+" (budget and RC2 alike).
LANE_EXTRAS = ("exact", "pairs", "starts")
LANE_FORMAT = "search:solver:slot|free:phases|no[:extra+extra…]"


def lane_options(spec: str, seed: int) -> MaxSatOptions:
    """One `race_lanes` entry as the options of its MaxSAT process. The extras: "exact" states
    the window literals exactly, "pairs" rules out partners' windows without a common slot,
    "starts" passes the phases' window starts on too (maxsat.MaxSatOptions)."""
    parts = spec.split(":")
    extras = parts.pop(4).split("+") if len(parts) == 5 else []
    try:
        search, solver, constraint, phases = parts
    except ValueError:
        raise ValueError(f"race lane {spec!r}: expected {LANE_FORMAT}") from None
    if (
        search not in ("budget", "rc2", "lns")
        or constraint not in ("slot", "free")
        or not set(extras) <= set(LANE_EXTRAS)
    ):
        raise ValueError(f"race lane {spec!r}: expected {LANE_FORMAT}")
    return MaxSatOptions(
        slot_level=constraint == "slot",
        seed=seed,
        sat_solver=solver,
        search=search,
        take_phases=phases == "phases",
        exact_windows="exact" in extras,
        window_pairs="pairs" in extras,
        window_phases="starts" in extras,
    )


# CP-SAT's deterministic time runs at roughly 0.6 of wall-clock seconds on the 2-core benchmark
# machine; half leaves room for slower machines before the wall-clock backstop cuts in.
DETERMINISTIC_SHARE = 0.5


def new_solver(
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
