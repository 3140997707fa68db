"""Forums too big for one CP-SAT model: keep each meeting on its day, improve day by day."""

from __future__ import annotations

import time

from .lns import improve_by_lns
from .measures import breaks_by_person
from .model import ModelOptions, ScheduleModel


def solve_by_day(problem, slot_of, settings, deadline) -> tuple[dict[int, int], int, bool]:
    """Keep each meeting on the day the greedy gave it and re-solve the slots day by day.

    Breaks are counted within a day and rooms within a slot, so days are independent once the
    meetings' days are fixed; fairness is kept by capping each participant's breaks at the
    fairness bound (the least-broken participant has zero, so that is what the bound allows).
    """
    by_id = problem.meeting_by_id
    everything = sum(m.priority for m in problem.meetings if m.allowed)
    days = problem.days
    meetings_by_day: dict[int, list] = {}
    for meeting_id, slot in slot_of.items():
        meetings_by_day.setdefault(problem.day_of_slot[slot], []).append(by_id[meeting_id])
    breaks_now = breaks_by_person(problem, slot_of)
    result = dict(slot_of)
    for day_number, day_slots in enumerate(days):
        day = problem.day_of_slot[day_slots[0]]
        day_meetings = meetings_by_day.get(day, [])
        if not day_meetings:
            continue
        # Time in proportion to the day's meetings: the busiest days have the most to gain.
        still_to_do = sum(len(meetings_by_day.get(d, [])) for d in range(day_number, len(days)))
        seconds = (deadline - time.monotonic()) * len(day_meetings) / still_to_do
        if seconds <= 0.05:
            break
        current = {m.id: slot_of[m.id] for m in day_meetings}
        day_breaks = breaks_by_person(problem, current)
        current_total = sum(day_breaks.values())
        if current_total == 0:
            continue
        caps = None
        if problem.fairness is not None:
            caps = {
                person: problem.fairness - (breaks_now[person] - day_breaks[person])
                for person in day_breaks
            }
        schedule = ScheduleModel(
            problem,
            day_meetings,
            day_slots,
            ModelOptions(
                span_bounds=settings.span_bounds,
                break_caps=caps,
                fairness=False,
                all_placed=settings.slot_numbers,
            ),
        )
        model = schedule.model
        for meeting in day_meetings:
            model.add(schedule.placed[meeting.id] == 1)
        # Precedence with meetings on other days already holds: days run in time order.
        model.minimize(schedule.total_breaks)
        # A whole busy day is too big for CP-SAT to even complete the hint in a few seconds;
        # re-placing a few dozen meetings at a time from the greedy day always makes progress.
        improved = improve_by_lns(problem, schedule, current, settings, time.monotonic() + seconds)
        if improved is not current:
            result.update(improved)
            new_breaks = breaks_by_person(problem, improved)
            for person in day_breaks:
                breaks_now[person] += new_breaks[person] - day_breaks[person]
    return result, everything, False
