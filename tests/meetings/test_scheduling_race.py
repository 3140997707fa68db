"""The race's parts on their own: the budget search, its child process, the Kempe-chain annealer."""

import itertools
import json
import pickle
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from meetings.scheduling import ProblemError, check_solution, greedy_schedule, parse_problem
from meetings.scheduling.budget import solve_by_budget
from meetings.scheduling.maxsat import MaxSatOptions
from meetings.scheduling.race import MAXSAT_MODULE, PROJECT_ROOT
from meetings.scheduling.settings import lane_options
from meetings.scheduling.solver import build_solution

from .test_scheduling import b2b_instance, brute_force, problem, tiny_problems

BUDGET = MaxSatOptions(search="budget", sat_solver="cd19", slot_level=False)


def checked(data, parsed, schedule):
    return check_solution(data, build_solution(parsed, schedule, bound=0, optimal=True, seconds=0))


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.filter_too_much])
@given(tiny_problems())
def test_the_budget_search_finds_the_fewest_breaks_with_every_meeting_placed(data):
    try:
        parsed = parse_problem(data)
    except ProblemError:
        assume(False)
    best_priority, best_breaks = brute_force(data)
    assume(best_priority == sum(m["priority"] for m in data["meetings"]))
    proven = []

    schedule = solve_by_budget(parsed, BUDGET, report=proven.append)

    if schedule is None:
        assert data["fairness"] is not None  # as RC2: everyone with a break is out of reach
        return
    check = checked(data, parsed, schedule)
    assert check.errors == []
    assert (check.priority_placed, check.breaks) == (best_priority, best_breaks)
    assert proven == list(range(1, best_breaks + 1))  # each "no" proved the next bound


def test_the_budget_search_proves_a_published_optimum_bound_by_bound():
    data = b2b_instance("forumt-14crafd")  # published optimum 4
    parsed = parse_problem(data)
    proven = []

    schedule = solve_by_budget(parsed, BUDGET, report=proven.append)

    check = checked(data, parsed, schedule)
    assert check.errors == []
    assert check.placed == 236
    assert check.breaks == 4
    assert proven == [1, 2, 3, 4]


def test_a_bound_proven_elsewhere_moves_the_budget_search_on_at_once():
    data = b2b_instance("forumt-14crafd")
    parsed = parse_problem(data)
    proven = []

    schedule = solve_by_budget(parsed, BUDGET, report=proven.append, bounds=lambda: 4)

    assert checked(data, parsed, schedule).breaks == 4
    assert proven == []  # it asked "at most 4?" first, and nothing below


def test_the_budget_process_hears_bounds_and_phases_on_its_stdin():
    data = b2b_instance("forumt-14crafd")
    parsed = parse_problem(data)
    options = lane_options("budget:cd19:slot:phases", seed=1)
    child = subprocess.run(  # noqa: S603 - our own module, our own interpreter
        [sys.executable, "-m", MAXSAT_MODULE],
        input=pickle.dumps((parsed, options)) + b"phases {}\nphases not json\nbound x\nbound 4\n",
        capture_output=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        check=True,
    )

    lines = child.stdout.decode().splitlines()
    assert lines[-1].startswith("optimal ")
    schedule = {int(m): s for m, s in json.loads(lines[-1].removeprefix("optimal ")).items()}
    assert checked(data, parsed, schedule).breaks == 4
    assert not [line for line in lines if line.startswith("bound ")]  # it started at 4


@pytest.mark.parametrize(
    "spec", ["budget:cd19", "sat:cd19:slot:no", "budget:cd19:both:no", "budget:cd19:free:no:wide"]
)
def test_a_race_lane_that_is_not_understood_says_what_is_expected(spec):
    with pytest.raises(ValueError, match="expected search:solver:slot|free:phases|no"):
        lane_options(spec, seed=0)


@pytest.mark.parametrize("name", ["forum-14", "tic-13crafc"])
def test_the_annealer_s_kempe_chains_keep_every_rule(name):
    # forum-14: sessions and unavailable slots (chains must not carry a meeting where it may not
    # go); tic-13crafc: rooms nearly full. The independent checker recounts everything.
    from meetings.scheduling import anneal

    if not anneal.available():
        pytest.skip("no C compiler: the solver keeps to the Python local search")
    data = b2b_instance(name)
    parsed = parse_problem(data)
    annealer = anneal.Annealer(parsed, greedy_schedule(parsed), seed=2, seconds=2)

    annealer.start().join()

    check = check_solution(
        data, build_solution(parsed, annealer.best(), bound=0, optimal=False, seconds=0)
    )
    assert check.errors == []
    assert check.placed == len(data["meetings"])
    assert check.breaks == annealer.best_breaks


def test_the_budget_search_grows_its_count_of_breaks_as_it_needs(monkeypatch):
    # The totalizer states "at most B" only up to its size; past it, it must grow, not stop.
    from meetings.scheduling import budget

    monkeypatch.setattr(budget, "TOTALIZER_START", 1)
    data = b2b_instance("forumt-14crafd")
    parsed = parse_problem(data)
    proven = []

    schedule = solve_by_budget(parsed, BUDGET, report=proven.append)

    assert checked(data, parsed, schedule).breaks == 4
    assert proven == [1, 2, 3, 4]


def test_bounds_told_from_the_first_moment_never_reach_the_child_before_its_problem():
    # A lower bound passed on while the problem is still being written used to land in front of
    # the pickle: the child died ("unpickling stack underflow") and the lane was lost.
    import threading
    import time

    from meetings.scheduling.race import MaxSatLane

    parsed = parse_problem(b2b_instance("forumt-14crafd"))
    lane = MaxSatLane(parsed, time.monotonic() + 120, lane_options("budget:cd19:slot:no", seed=0))
    stop = threading.Event()

    def tell():
        bound = 0
        while not stop.is_set():
            lane.tell_bound(bound := min(bound + 1, 4))

    teller = threading.Thread(target=tell)
    lane.start()
    teller.start()
    try:
        lane._thread.join(120)
    finally:
        stop.set()
        teller.join()
        lane.stop()

    assert lane.proven
    assert checked(b2b_instance("forumt-14crafd"), parsed, lane.schedule).breaks == 4


@st.composite
def one_day_problems(draw):
    """Small single-day problems with a lunch boundary, where the window literals apply."""
    slot_count = draw(st.integers(4, 6))
    lunch = draw(st.integers(1, slot_count - 1))
    slots = [{"id": s, "session": "am" if s <= lunch else "pm"} for s in range(1, slot_count + 1)]
    pairs = list(itertools.combinations(range(1, draw(st.integers(2, 4)) + 1), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=2, max_size=4))
    meetings = []
    for number, (a, b) in enumerate(chosen, start=1):
        meeting = {"id": number, "a": a, "b": b}
        if draw(st.integers(0, 2)) == 0:
            meeting["session"] = draw(st.sampled_from(["am", "pm"]))
        meetings.append(meeting)
    unavailable = {
        p: draw(st.lists(st.integers(1, slot_count), max_size=2, unique=True))
        for p in range(1, 5)
        if any(p in pair for pair in chosen)
    }
    return problem(
        meetings,
        slots=slots,
        rooms=draw(st.integers(1, 2)),
        unavailable=unavailable,
        fairness=draw(st.one_of(st.none(), st.integers(0, 2))),
    )


EXACT_WINDOWS = lane_options("budget:cd19:free:no:exact+pairs", seed=0)


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.filter_too_much])
@given(one_day_problems())
def test_the_exact_window_literals_keep_the_fewest_breaks(data):
    try:
        parsed = parse_problem(data)
    except ProblemError:
        assume(False)
    best_priority, best_breaks = brute_force(data)
    assume(best_priority == len(data["meetings"]))  # every meeting placed: the encoding's case

    schedule = solve_by_budget(parsed, EXACT_WINDOWS)

    if schedule is None:
        assert data["fairness"] is not None  # as without the extras: everyone with a break
        return
    check = checked(data, parsed, schedule)
    assert check.errors == []
    assert check.breaks == best_breaks


def test_the_exact_window_literals_find_a_published_optimum():
    data = b2b_instance("ticf-13crafc")  # one day, am/pm-bound meetings; published optimum 1
    parsed = parse_problem(data)
    options = lane_options("budget:cd19:free:no:exact+pairs", seed=1)
    assert options.exact_windows and options.window_pairs

    schedule = solve_by_budget(parsed, options, bounds=lambda: 1)

    check = checked(data, parsed, schedule)
    assert check.errors == []
    assert check.placed == len(data["meetings"])
    assert check.breaks == 1


def bad_schedule_problem():
    """Five participants over one day of 8 slots (4 morning, 4 afternoon); participant 1 meets
    everyone, two meetings are bound to a session."""
    slots = [{"id": s, "session": "am" if s <= 4 else "pm"} for s in range(1, 9)]
    meetings = [
        {"id": 1, "a": 1, "b": 2, "session": "am"},
        {"id": 2, "a": 1, "b": 3},
        {"id": 3, "a": 1, "b": 4},
        {"id": 4, "a": 1, "b": 5, "session": "pm"},
        {"id": 5, "a": 2, "b": 3},
        {"id": 6, "a": 4, "b": 5},
    ]
    return problem(meetings, slots=slots, rooms=2, fairness=3)


def test_the_neighbourhood_search_mends_a_deliberately_bad_schedule_and_keeps_it_valid():
    from meetings.scheduling.reseat import Reseater

    data = bad_schedule_problem()
    parsed = parse_problem(data)
    # meeting id -> slot index: participant 1 in slots 0, 2, 4, 6 (three breaks), 2 and 3 apart
    bad = {1: 0, 2: 2, 3: 4, 4: 6, 5: 7, 6: 1}
    before = checked(data, parsed, bad)
    assert before.errors == [] and before.breaks == 7
    best = solve_by_budget(parsed, BUDGET)
    optimum = checked(data, parsed, best).breaks
    heard = []

    mended = Reseater(parsed, seed=1).run(
        bad, time.monotonic() + 20, floor=lambda: optimum, found=heard.append
    )

    check = checked(data, parsed, mended)
    assert check.errors == []  # every rule and fairness, recounted by the independent checker
    assert check.placed == 6
    assert check.breaks == optimum < before.breaks
    assert heard and heard[-1] == mended  # each better schedule was told as it was found


def test_the_neighbourhood_search_lane_starts_on_go_and_prints_better_schedules():
    data = bad_schedule_problem()
    parsed = parse_problem(data)
    bad = {1: 0, 2: 2, 3: 4, 4: 6, 5: 7, 6: 1}
    child = subprocess.Popen(  # noqa: S603 - our own module, our own interpreter
        [sys.executable, "-m", MAXSAT_MODULE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=PROJECT_ROOT,
    )
    try:
        child.stdin.write(pickle.dumps((parsed, lane_options("lns:cd19:free:phases", seed=1))))
        child.stdin.write(b"phases " + json.dumps(bad).encode() + b"\ngo\n")
        child.stdin.flush()
        line = child.stdout.readline().decode()
    finally:
        child.kill()
        child.wait()
        child.stdin.close()
        child.stdout.close()

    assert line.startswith("schedule ")
    schedule = {int(m): s for m, s in json.loads(line.removeprefix("schedule ")).items()}
    check = checked(data, parsed, schedule)
    assert check.errors == []
    assert check.breaks < checked(data, parsed, bad).breaks
