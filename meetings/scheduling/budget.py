"""Linear search on the break budget: "a schedule with at most B breaks?" for B = 0, 1, 2 …

One incremental SAT solver (CaDiCaL) holds the MaxSAT encoding's hard clauses and a totalizer
over the break literals; each question is the same formula under one assumption ("at most B").
A "no" proves B + 1 a lower bound, and the first "yes" at a proven lower bound is the optimum.
Learned clauses carry over from one question to the next, so the "no" answers that RC2 reaches
core by core come here from a single solver (docs/scheduler.md has the measurements).

The solver runs in slices of conflicts so that a lower bound proven elsewhere (the RC2 process
beside it, read from `bounds`) moves the question on at once instead of after a long "no".
"""

from __future__ import annotations

from collections.abc import Callable

from pysat.card import ITotalizer
from pysat.solvers import Solver

from .maxsat import MaxSatOptions, encode, read_model
from .problem import Problem
from .windows import phases_of

# Conflicts per slice of a SAT call (a few tenths of a second on the published instances).
SLICE = 20_000
TOTALIZER_START = 32


def solve_by_budget(
    problem: Problem,
    options: MaxSatOptions,
    report: Callable[[int], None] | None = None,
    bounds: Callable[[], int] | None = None,
    phases: dict[int, int] | None = None,
    news: Callable[[], dict[int, int] | None] | None = None,
) -> dict[int, int] | None:
    """The schedule with the fewest breaks, or None if no fair one places everything.

    `report(B)` hears each lower bound this search proves; `bounds()` gives the best lower
    bound proven elsewhere; `phases` a schedule whose placements the solver tries first, and
    `news()` a better one found elsewhere since it was last asked (or None).
    """
    encoding = encode(problem, options)
    most = len(encoding.breaks)
    # The totalizer counts up to TOTALIZER_START breaks at first and grows when the search
    # gets there (its size grows with the count it can state).
    totalizer = ITotalizer(
        lits=encoding.breaks, ubound=min(most, TOTALIZER_START), top_id=encoding.wcnf.nv
    )
    with Solver(name=options.sat_solver, bootstrap_with=encoding.wcnf.hard) as oracle:
        oracle.append_formula(totalizer.cnf.clauses)
        budget = 0
        while budget < most:
            phases = news() if news is not None else phases
            if phases:
                oracle.set_phases(phases_of(encoding, problem, phases, options.window_phases))
                phases = None
            if bounds is not None and bounds() > budget:
                budget = min(bounds(), most)
                continue
            if budget >= totalizer.ubound:
                totalizer.increase(ubound=min(most, 2 * totalizer.ubound))
                oracle.append_formula(totalizer.cnf.clauses[-totalizer.nof_new :])
            oracle.conf_budget(SLICE)
            answer = oracle.solve_limited(assumptions=[-totalizer.rhs[budget]])
            if answer is None:
                continue  # the slice ran out: look for news, then go on
            if answer:
                return read_model(encoding, oracle.get_model())
            budget += 1
            if report is not None:
                report(budget)
        # as many breaks as there are break literals: any fair schedule is the best there is
        if oracle.solve():
            return read_model(encoding, oracle.get_model())
    return None
