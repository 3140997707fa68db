"""Benchmark: the scheduler on generated large online forums, against priority bounds and greedy."""

from __future__ import annotations

import argparse
import resource
import time

from _common import configure_django, machine, print_table

configure_django()

from generate_forum import generate_forum  # noqa: E402
from ortools.linear_solver import pywraplp  # noqa: E402

from meetings.scheduling import (  # noqa: E402
    SolverSettings,
    check_solution,
    greedy_schedule,
    parse_problem,
    solve_problem,
)
from meetings.scheduling.bounds import slot_bound  # noqa: E402
from meetings.scheduling.solver import build_solution  # noqa: E402

# The two sizes the targets name: (participants, requests, slots, rooms, time limit in seconds).
# Rooms grow with the forum (30 per 1,000 participants), or 15,000 requests could not fit at all.
CASES = {
    "1000": (1000, 5000, 200, 30, 60.0),
    "3000": (3000, 15000, 300, 90, 180.0),
}


def day_bound(problem) -> float:
    """LP relaxation by day: each meeting takes at most one day on which both sides have a
    common free slot; per participant and day no more meetings than free slots; per day no
    more than rooms x slots. Every schedule satisfies it, so its optimum bounds priority."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    free_in_day: dict[tuple[int, int], int] = {}
    unavailable = {p.id: p.unavailable for p in problem.participants}
    for person, blocked in unavailable.items():
        for slot, day in enumerate(problem.day_of_slot):
            if slot not in blocked:
                free_in_day[person, day] = free_in_day.get((person, day), 0) + 1
    per_person_day: dict[tuple[int, int], list] = {}
    per_day: dict[int, list] = {}
    objective = solver.Objective()
    for meeting in problem.meetings:
        days = sorted({problem.day_of_slot[s] for s in meeting.allowed})
        variables = []
        for day in days:
            var = solver.NumVar(0.0, 1.0, "")
            variables.append(var)
            objective.SetCoefficient(var, meeting.priority)
            per_person_day.setdefault((meeting.a, day), []).append(var)
            per_person_day.setdefault((meeting.b, day), []).append(var)
            per_day.setdefault(day, []).append(var)
        if len(variables) > 1:
            solver.Add(sum(variables) <= 1)
    for key, variables in per_person_day.items():
        if len(variables) > free_in_day[key]:
            solver.Add(sum(variables) <= free_in_day[key])
    slots_in_day: dict[int, int] = {}
    for day in problem.day_of_slot:
        slots_in_day[day] = slots_in_day.get(day, 0) + 1
    for day, variables in per_day.items():
        solver.Add(sum(variables) <= problem.rooms * slots_in_day[day])
    objective.SetMaximization()
    solver.Solve()
    return objective.Value()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--time-limit", type=float, help="seconds; default per case (60, 180)")
    parser.add_argument("--fairness", type=int)
    args = parser.parse_args()
    print(f"# {machine()}")
    rows = []
    for case in args.case or ["1000"]:
        participants, requests, slots, rooms, time_limit = CASES[case]
        time_limit = args.time_limit or time_limit
        for seed in args.seeds:
            raw = generate_forum(
                seed=seed,
                participants=participants,
                requests=requests,
                slots=slots,
                rooms=rooms,
                fairness=args.fairness,
            )
            problem = parse_problem(raw)
            started = time.perf_counter()
            by_day = day_bound(problem)
            by_slot = slot_bound(problem)
            bound_seconds = time.perf_counter() - started
            bound = min(by_day, by_slot)
            plain = build_solution(
                problem, greedy_schedule(problem, compact=False), bound=0, optimal=False, seconds=0
            )
            plain_check = check_solution(raw, plain)
            solution = solve_problem(problem, SolverSettings(time_limit=time_limit, seed=seed))
            # ru_maxrss is in KiB on Linux: the whole process, forum and bounds included.
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            check = check_solution(raw, solution)
            rows.append(
                [
                    f"{participants}/{requests}/{slots}",
                    seed,
                    f"{check.placed}/{len(raw['meetings'])}",
                    "yes" if check.feasible else "NO: " + "; ".join(check.errors[:2]),
                    check.priority_placed,
                    f"{by_day:.1f}",
                    by_slot,
                    f"{100 * check.priority_placed / bound:.3f} %",
                    check.breaks,
                    plain_check.priority_placed,
                    plain_check.breaks,
                    f"{100 * check.breaks / max(1, plain_check.breaks):.1f} %",
                    f"{solution['stats']['seconds']} / {time_limit:.0f}",
                    f"{bound_seconds:.1f}",
                    f"{peak:.0f}",
                ]
            )
    print_table(
        [
            "forum",
            "seed",
            "placed",
            "feasible",
            "priority",
            "day LP bound",
            "slot bound",
            "of bound",
            "breaks",
            "greedy priority",
            "greedy breaks",
            "breaks vs greedy",
            "seconds / limit",
            "bounds s",
            "peak MB",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
