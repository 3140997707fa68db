"""The meeting scheduler: plain problem data in, a schedule out, no database."""

from .feasibility import check_solution
from .greedy import greedy_schedule
from .problem import PROBLEM_FORMAT, SOLUTION_FORMAT, Problem, ProblemError, parse_problem
from .solver import SolverSettings, solve_problem

__all__ = [
    "PROBLEM_FORMAT",
    "SOLUTION_FORMAT",
    "Problem",
    "ProblemError",
    "SolverSettings",
    "check_solution",
    "greedy_schedule",
    "parse_problem",
    "solve_problem",
]
