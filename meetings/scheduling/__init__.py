"""The meeting scheduler: plain problem data in, a schedule out, no database."""

from importlib import import_module

# Loaded on first use: the MaxSAT worker process imports only `maxsat` and `problem`, and OR-Tools
# (which pulls in pandas) takes seconds to import — seconds that process would lose from its race.
_EXPORTS = {
    "PROBLEM_FORMAT": "problem",
    "SOLUTION_FORMAT": "problem",
    "Problem": "problem",
    "ProblemError": "problem",
    "parse_problem": "problem",
    "check_solution": "feasibility",
    "greedy_schedule": "greedy",
    "SolverSettings": "solver",
    "solve_problem": "solver",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
