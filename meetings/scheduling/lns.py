"""A seeded large neighbourhood search with one CP-SAT worker: repeatable, unlike CP-SAT's own
racing portfolio (docs/scheduler.md compares the two)."""

from __future__ import annotations

import random
import time

from ortools.sat.python import cp_model

from .measures import breaks_by_person, total_breaks
from .settings import DETERMINISTIC_SHARE, new_solver


def improve_by_lns(problem, schedule, best, settings, deadline) -> dict[int, int]:
    """Large neighbourhood search: free the meetings of a few participants, or of a few slots
    in a row, keep everything else where it is, and let one CP-SAT worker re-place them.

    One worker with a seeded choice of neighbourhoods is deterministic, unlike CP-SAT's racing
    portfolio; docs/scheduler.md compares the two.
    """
    rng = random.Random(settings.seed)
    by_id = problem.meeting_by_id
    current = dict(best)
    current_breaks = total_breaks(problem, current)
    target = 30
    total = schedule.model.get_int_var_from_proto_index(schedule.total_breaks_var.index)
    iteration = 0
    # Counted in CP-SAT's deterministic time, so the number of rounds doesn't depend on the
    # machine's speed; the wall-clock deadline is only a backstop.
    work_left = (deadline - time.monotonic()) * DETERMINISTIC_SHARE
    while current_breaks > 0 and work_left > 0 and time.monotonic() < deadline - 0.05:
        iteration += 1
        free = neighbourhood(problem, current, rng, target, by_time=iteration % 2 == 0)
        schedule.hint(current)
        sub = schedule.model.clone()
        for meeting_id, slot in current.items():
            if meeting_id not in free:
                literal = sub.get_bool_var_from_proto_index(schedule.x[meeting_id, slot].index)
                sub.add(literal == 1)
        sub.add(sub.get_int_var_from_proto_index(total.index) <= current_breaks)
        solver = new_solver(settings, min(2.0, deadline - time.monotonic()))
        # the deterministic limit below decides; the clock is only the overall deadline
        solver.parameters.max_time_in_seconds = max(0.05, deadline - time.monotonic())
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = min(1.0, work_left)
        solver.parameters.random_seed = settings.seed + iteration
        status = solver.solve(sub)
        work_left -= solver.response_proto.deterministic_time
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = schedule.read(solver)
            found_breaks = total_breaks(problem, found)
            if found_breaks <= current_breaks:
                current, current_breaks = found, found_breaks
        # Grow the neighbourhood while it is solved to the end, shrink it when it is not.
        target = min(len(by_id), target + 3) if status == cp_model.OPTIMAL else max(10, target - 5)
    return current


def neighbourhood(problem, current, rng, target, *, by_time) -> set[int]:
    meetings_of = problem.meetings_by_participant
    by_id = problem.meeting_by_id
    free: set[int] = set()
    if by_time:
        by_slot: dict[int, list[int]] = {}
        for meeting_id, slot in current.items():
            by_slot.setdefault(slot, []).append(meeting_id)
        used = sorted(by_slot)
        start = rng.randrange(len(used))
        for step in range(len(used)):
            if len(free) >= target:
                break
            free.update(by_slot[used[(start + step) % len(used)]])
        return free
    breaks = breaks_by_person(problem, current)
    broken = sorted(p for p, count in breaks.items() if count > 0)
    people = sorted(breaks)
    person = rng.choice(broken or people)
    queue = [person]
    seen = {person}
    while queue and len(free) < target:
        person = queue.pop(0)
        free.update(meetings_of[person])
        partners = sorted(
            {by_id[m].a for m in meetings_of[person]} | {by_id[m].b for m in meetings_of[person]}
        )
        rng.shuffle(partners)
        for partner in partners:
            if partner not in seen:
                seen.add(partner)
                queue.append(partner)
    return free
