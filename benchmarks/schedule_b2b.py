"""Benchmark: the scheduler on the twenty published B2B instances against their proven optima."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from _common import B2B_DATA, configure_django, machine, print_table, require_instances

configure_django()

from meetings.scheduling import (  # noqa: E402
    SolverSettings,
    check_solution,
    greedy_schedule,
    parse_problem,
    solve_problem,
)
from meetings.scheduling.solver import build_solution  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=B2B_DATA)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
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
    args = parser.parse_args()
    settings = SolverSettings(
        time_limit=args.time_limit,
        seed=args.seed,
        workers=args.workers,
        span_bounds=not args.no_span_bounds,
        hint=not args.no_hint,
        slot_numbers=not args.no_slot_numbers,
        racing_share=args.racing_share,
        repeatable=args.repeatable,
        subsolvers=tuple(name for name in args.subsolvers.split(",") if name),
        maxsat=not args.no_maxsat,
        racing_workers=args.racing_workers,
    )
    unknown = sorted(set(args.only or ()) - set(PUBLISHED_OPTIMUM))
    if unknown:
        parser.error(f"unknown instance {', '.join(unknown)}")
    paths = require_instances(args.data, sorted(args.only or PUBLISHED_OPTIMUM))
    print(
        f"# {machine()}; time limit {args.time_limit} s, seed {args.seed}, workers {args.workers},"
        f" subsolvers {args.subsolvers or 'default'},"
        f" maxsat {'off' if args.no_maxsat else 'racing'}, racing workers {args.racing_workers}"
    )
    rows = []
    at_optimum = within_two = all_placed = 0
    for path in paths:
        name = path.stem
        raw = json.loads(path.read_text())
        problem = parse_problem(raw)
        greedy_started = time.monotonic()
        greedy = build_solution(
            problem,
            greedy_schedule(problem),
            bound=0,
            optimal=False,
            seconds=time.monotonic() - greedy_started,
        )
        greedy_check = check_solution(raw, greedy)
        solution = solve_problem(problem, settings)
        check = check_solution(raw, solution)
        optimum = PUBLISHED_OPTIMUM.get(name)
        placed_all = check.placed == len(raw["meetings"])
        all_placed += placed_all and check.feasible
        at_optimum += (
            optimum is not None and check.breaks == optimum and placed_all and check.feasible
        )
        within_two += (
            optimum is not None and check.breaks <= optimum + 2 and placed_all and check.feasible
        )
        rows.append(
            [
                name,
                f"{check.placed}/{len(raw['meetings'])}",
                "yes" if check.feasible else "NO: " + "; ".join(check.errors[:2]),
                check.breaks,
                optimum,
                "yes" if solution["stats"]["optimal"] else "",
                solution["stats"]["method"],
                solution["stats"]["seconds"],
                f"{greedy_check.placed}/{len(raw['meetings'])}",
                greedy_check.breaks,
                "" if greedy_check.feasible else "unfair",
            ]
        )
    print_table(
        [
            "instance",
            "placed",
            "feasible",
            "breaks",
            "published",
            "proven",
            "by",
            "seconds",
            "greedy placed",
            "greedy breaks",
            "greedy note",
        ],
        rows,
    )
    print(
        f"\n{len(rows)} instances: all placed and feasible on {all_placed}, "
        f"at the published optimum on {at_optimum}, within 2 breaks on {within_two}; "
        f"breaks {sum(r[3] for r in rows)} vs greedy {sum(r[9] for r in rows)} "
        f"(ratio {sum(r[3] for r in rows) / max(1, sum(r[9] for r in rows)):.2f})"
    )


if __name__ == "__main__":
    main()
