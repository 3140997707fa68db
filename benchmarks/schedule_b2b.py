"""Benchmark: the scheduler on the twenty published B2B instances against their proven optima.

One run per seed (`--seeds 1 2 3`): each instance is solved once per run, checked by the
independent checker, and the table gives per instance the breaks and proofs of every run and the
min / median / max seconds, so that a lucky clause order does not count.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from _common import B2B_DATA, configure_django, machine, print_table, require_instances

configure_django()

from meetings.scheduling import (  # noqa: E402
    SolverSettings,
    check_solution,
    parse_problem,
    solve_problem,
)

# Bofill et al., JAIR 74 (2022): optimum total breaks, proven by their MaxSAT method.
PUBLISHED_OPTIMUM = {
    "forum-13": 0,
    "forum-13crafb": 6,
    "forum-13crafc": 1,
    "forum-14": 2,
    "forumt-14": 5,
    "forumt-14crafc": 5,
    "forumt-14crafd": 4,
    "forumt-14crafe": 5,
    "tic-12": 0,
    "tic-12crafc": 0,
    "tic-13": 0,
    "tic-13crafb": 0,
    "tic-13crafc": 4,
    "tic-14crafa": 0,
    "tic-14crafc": 0,
    "tic-14crafd": 0,
    "ticf-13crafa": 0,
    "ticf-13crafb": 3,
    "ticf-13crafc": 1,
    "ticf-14crafa": 0,
}
# The paper's slowest proof (seconds, 2012 server CPU): the mark for the slowest instance here.
PAPER_SLOWEST = 23.3


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=B2B_DATA)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3], help="one run each")
    parser.add_argument("--workers", type=int, default=SolverSettings().workers)
    parser.add_argument("--no-span-bounds", action="store_true")
    parser.add_argument("--no-hint", action="store_true")
    parser.add_argument("--no-slot-numbers", action="store_true")
    parser.add_argument("--racing-share", type=float, default=1.0, help="then seeded LNS")
    parser.add_argument("--repeatable", action="store_true", help="one worker, seeded LNS")
    parser.add_argument(
        "--subsolvers",
        default=",".join(SolverSettings().subsolvers),
        help="CP-SAT workers that race, comma-separated; empty for CP-SAT's own portfolio",
    )
    parser.add_argument("--only", action="append", help="instance name; may repeat")
    parser.add_argument("--no-maxsat", action="store_true", help="CP-SAT alone, no MaxSAT race")
    parser.add_argument(
        "--racing-workers",
        type=int,
        default=SolverSettings().racing_workers,
        help="CP-SAT workers beside the two MaxSAT processes",
    )
    parser.add_argument(
        "--polish-moves",
        type=int,
        default=SolverSettings().polish_moves,
        help="local-search moves on the first SAT schedule (0: none)",
    )
    parser.add_argument(
        "--slot-level-solver",
        default=SolverSettings().slot_level_solver,
        help="SAT solver inside RC2 with the slot-level constraint (g3, cd19, …)",
    )
    parser.add_argument(
        "--lanes",
        default=",".join(SolverSettings().race_lanes),
        help="the race's MaxSAT processes, comma-separated "
        "search:solver:slot|free:phases|no[:extra+extra…] (settings.race_lanes, lane_options)",
    )
    args = parser.parse_args()
    unknown = sorted(set(args.only or ()) - set(PUBLISHED_OPTIMUM))
    if unknown:
        parser.error(f"unknown instance {', '.join(unknown)}")
    return args


def _settings(args: argparse.Namespace, seed: int) -> SolverSettings:
    return SolverSettings(
        time_limit=args.time_limit,
        seed=seed,
        workers=args.workers,
        span_bounds=not args.no_span_bounds,
        hint=not args.no_hint,
        slot_numbers=not args.no_slot_numbers,
        racing_share=args.racing_share,
        repeatable=args.repeatable,
        subsolvers=tuple(name for name in args.subsolvers.split(",") if name),
        maxsat=not args.no_maxsat,
        racing_workers=args.racing_workers,
        polish_moves=args.polish_moves,
        slot_level_solver=args.slot_level_solver,
        race_lanes=tuple(args.lanes.split(",")),
    )


def _solve(path: Path, settings: SolverSettings) -> dict:
    raw = json.loads(path.read_text())
    problem = parse_problem(raw)
    started = time.monotonic()
    solution = solve_problem(problem, settings)
    # the caller's wall clock: what a run that overran its limit would show
    wall = time.monotonic() - started
    check = check_solution(raw, solution)
    optimum = PUBLISHED_OPTIMUM[path.stem]
    good = check.feasible and check.placed == len(raw["meetings"])
    return {
        "breaks": check.breaks if good else None,
        "proven": good and solution["stats"]["optimal"] and check.breaks == optimum,
        "within_two": good and check.breaks <= optimum + 2,
        "seconds": round(wall, 2),
        "method": solution["stats"]["method"],
        "note": "" if good else "; ".join(check.errors[:2]) or "not all placed",
    }


def main() -> None:
    args = _arguments()
    paths = require_instances(args.data, sorted(args.only or PUBLISHED_OPTIMUM))
    print(
        f"# {machine()}; time limit {args.time_limit} s, seeds {args.seeds}, "
        f"maxsat {'off' if args.no_maxsat else 'racing'}, racing workers {args.racing_workers}, "
        f"polish moves {args.polish_moves}, lanes {args.lanes}; "
        "load average at start " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    results: dict[str, list[dict]] = {path.stem: [] for path in paths}
    runs = []
    for seed in args.seeds:
        started = time.monotonic()
        for path in paths:
            found = _solve(path, _settings(args, seed))
            results[path.stem].append(found)
            print(
                f"# seed {seed} {path.stem}: {found['breaks']} breaks, proven {found['proven']},"
                f" {found['seconds']} s",
                file=sys.stderr,
                flush=True,
            )
        runs.append((seed, time.monotonic() - started, os.getloadavg()[0]))
    _print_instances(results)
    _print_runs(results, runs)


def _print_instances(results: dict[str, list[dict]]) -> None:
    rows = []
    for name, found in results.items():
        seconds = [r["seconds"] for r in found]
        rows.append(
            [
                name,
                PUBLISHED_OPTIMUM[name],
                " ".join("-" if r["breaks"] is None else str(r["breaks"]) for r in found),
                f"{sum(r['proven'] for r in found)}/{len(found)}",
                min(seconds),
                round(statistics.median(seconds), 2),
                max(seconds),
                " / ".join(sorted({r["method"] for r in found})),
                " ".join(r["note"] for r in found if r["note"]),
            ]
        )
    headers = ["instance", "published", "breaks (each run)", "proven", "min s", "median s"]
    print_table([*headers, "max s", "kept", "note"], rows)


def _print_runs(results: dict[str, list[dict]], runs: list) -> None:
    print()
    rows = []
    for index, (seed, seconds, load) in enumerate(runs):
        found = [rs[index] for rs in results.values()]
        proven = [r for r in found if r["proven"]]
        rows.append(
            [
                seed,
                f"{len(proven)}/{len(found)}",
                max((r["seconds"] for r in proven), default="-"),
                f"{sum(r['within_two'] for r in found)}/{len(found)}",
                sum(r["breaks"] or 0 for r in found),
                round(seconds, 1),
                f"{load:.1f}",
            ]
        )
    headers = ["seed", "optimum, proven", "slowest proof s", "within +2", "breaks in all"]
    print_table([*headers, "run s", "load at end"], rows)
    slowest = max(r["seconds"] for rs in results.values() for r in rs)
    print(
        f"\nslowest instance of all runs: {slowest} s (the paper's slowest: {PAPER_SLOWEST} s); "
        f"optimum proven in every run on "
        f"{sum(all(r['proven'] for r in rs) for rs in results.values())}/{len(results)}"
    )


if __name__ == "__main__":
    main()
