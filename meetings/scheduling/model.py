"""The CP-SAT model of the meeting schedule: placement, hard rules, breaks and fairness."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .problem import Meeting, Problem


@dataclass(frozen=True, slots=True)
class ModelOptions:
    # Each of these was measured on the published instances; docs/scheduler.md has the figures.
    span_bounds: bool = True  # implied first/last-slot variables per participant and day
    break_caps: dict[int, int] | None = None  # participant -> most breaks allowed (by-day solving)
    fairness: bool = True
    breaks: bool = True  # False for the placement-only first phase
    # Every meeting is placed: adds slot-number variables, AllDifferent per participant and the
    # exact first/last meeting, which propagate far better than the booleans alone.
    all_placed: bool = False


class ScheduleModel:
    """x[meeting, slot] booleans over a subset of the meetings and slots, with objective terms.

    A break is an idle period — one or more empty slots in a row — between two meetings of the
    same participant on the same day. Per participant and day it equals the number of blocks of
    consecutive busy slots minus one (when the day has any meeting), which the model counts with
    one "a block starts here" boolean per busy slot.
    """

    def __init__(
        self,
        problem: Problem,
        meetings: Iterable[Meeting],
        slots: Iterable[int],
        options: ModelOptions | None = None,
        candidates: dict[int, list[int]] | None = None,
    ) -> None:
        options = options or ModelOptions()
        self.problem = problem
        self.model = model = cp_model.CpModel()
        self.meetings = list(meetings)
        self.slots = sorted(set(slots))
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.placed: dict[int, cp_model.IntVar] = {}
        self.options_of: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
        by_slot, by_person = self._add_placements(candidates)
        self._add_precedence()
        for literals in by_slot.values():
            if len(literals) > problem.rooms:
                model.add(sum(literals) <= problem.rooms)
        for seats in by_person.values():
            for literals in seats.values():
                if len(literals) > 1:
                    model.add_at_most_one(literals)  # no one is in two meetings at once
        days: dict[int, list[int]] = {}
        for slot in self.slots:
            days.setdefault(problem.day_of_slot[slot], []).append(slot)
        self.breaks: dict[int, cp_model.LinearExpr] = {}
        for person, seats in by_person.items() if options.breaks else ():
            self._add_breaks(person, seats, days, options)
        if options.all_placed:
            self._add_slot_numbers(by_person, days)
        self.fairness_terms = []
        if options.fairness and problem.fairness is not None and self.breaks:
            self._add_fairness()
        self.priority = sum(m.priority * self.placed[m.id] for m in self.meetings)
        self.total_breaks = sum(self.breaks.values())
        self.total_breaks_var = model.new_int_var(0, len(self.slots) * len(by_person), "breaks")
        model.add(self.total_breaks_var == self.total_breaks)
        self.most_breaks = sum(len(self.slots) // 2 for _ in self.breaks)

    def _add_placements(self, candidates: dict[int, list[int]] | None) -> tuple[dict, dict]:
        """One boolean per meeting and slot it may take, and whether it is placed at all; the
        booleans by slot and by person and slot."""
        model, slot_set = self.model, set(self.slots)
        by_slot: dict[int, list] = {s: [] for s in self.slots}
        by_person: dict[int, dict[int, list]] = {}
        for meeting in self.meetings:
            literals = []
            for slot in meeting.allowed if candidates is None else candidates[meeting.id]:
                if slot in slot_set:
                    var = model.new_bool_var(f"x{meeting.id}_{slot}")
                    self.x[meeting.id, slot] = var
                    self.options_of.setdefault(meeting.id, []).append((slot, var))
                    literals.append(var)
                    by_slot[slot].append(var)
                    for person in (meeting.a, meeting.b):
                        by_person.setdefault(person, {}).setdefault(slot, []).append(var)
            placed = model.new_bool_var(f"placed{meeting.id}")
            model.add(sum(literals) == placed)
            self.placed[meeting.id] = placed
        return by_slot, by_person

    def _add_precedence(self) -> None:
        """A meeting that comes after another is placed only with it, in a later slot."""
        ids = set(self.placed)
        for meeting in self.meetings:
            for earlier in meeting.after:
                if earlier not in ids:
                    continue
                self.model.add_implication(self.placed[meeting.id], self.placed[earlier])
                for slot in meeting.allowed:
                    if (meeting.id, slot) in self.x:
                        before = [v for s, v in self.options_of.get(earlier, []) if s < slot]
                        self.model.add_bool_or(before).only_enforce_if(self.x[meeting.id, slot])

    def _add_breaks(self, person: int, seats: dict, days: dict, options: ModelOptions) -> None:
        """The person's breaks, day by day: blocks of busy slots that start, minus one."""
        model = self.model
        busy: dict[int, cp_model.IntVar] = {}
        for slot, literals in seats.items():
            if len(literals) == 1:
                busy[slot] = literals[0]
            else:
                var = model.new_bool_var(f"busy{person}_{slot}")
                model.add(sum(literals) == var)
                busy[slot] = var
        person_breaks = []
        for day_slots in days.values():
            open_slots = [s for s in day_slots if s in busy]
            if len(open_slots) < 2:
                continue
            starts = []
            for slot in open_slots:
                previous = busy.get(slot - 1) if slot - 1 in day_slots else None
                if previous is None:
                    starts.append(busy[slot])
                    continue
                start = model.new_bool_var(f"start{person}_{slot}")
                # exact both ways: fairness must not be met by over-counting someone's breaks
                model.add_bool_and([busy[slot], previous.Not()]).only_enforce_if(start)
                model.add_bool_or([busy[slot].Not(), previous]).only_enforce_if(start.Not())
                starts.append(start)
            used = model.new_bool_var(f"used{person}_{day_slots[0]}")
            model.add_max_equality(used, [busy[s] for s in open_slots])
            day_breaks = model.new_int_var(
                0, len(open_slots) // 2, f"breaks{person}_{day_slots[0]}"
            )
            model.add(day_breaks == sum(starts) - used)
            if options.span_bounds:
                self._add_span_bounds(person, open_slots, busy, used, day_breaks)
            person_breaks.append(day_breaks)
        total = sum(person_breaks) if person_breaks else 0
        self.breaks[person] = total
        if options.break_caps is not None and person in options.break_caps and person_breaks:
            model.add(total <= options.break_caps[person])

    def _add_fairness(self) -> None:
        """Nobody has more than `fairness` breaks more than anyone else."""
        model, problem = self.model, self.problem
        people = sorted(self.breaks)
        counts = []
        # Someone whose meetings can't be placed at all has no breaks, and still counts.
        in_model = {m.a for m in self.meetings} | {m.b for m in self.meetings}
        if in_model - set(self.breaks):
            counts.append(model.new_constant(0))
        # Implied: someone with a single meeting never has a break, so nobody may have more
        # than `fairness` breaks. Stated per participant, it prunes long before the max does.
        meeting_count: dict[int, int] = {}
        for meeting in self.meetings:
            meeting_count[meeting.a] = meeting_count.get(meeting.a, 0) + 1
            meeting_count[meeting.b] = meeting_count.get(meeting.b, 0) + 1
        zero_somewhere = 1 in meeting_count.values() or in_model - set(self.breaks)
        ceiling = problem.fairness if zero_somewhere else len(self.slots)
        for person in people:
            var = model.new_int_var(0, ceiling, f"b{person}")
            model.add(var == self.breaks[person])
            counts.append(var)
        most = model.new_int_var(0, len(self.slots), "most_breaks")
        least = model.new_int_var(0, len(self.slots), "least_breaks")
        model.add_max_equality(most, counts)
        model.add_min_equality(least, counts)
        model.add(most - least <= problem.fairness)

    def _add_slot_numbers(self, by_person, days) -> None:
        model = self.model
        slot_number = {}
        for meeting in self.meetings:
            model.add(self.placed[meeting.id] == 1)
            choices = self.options_of.get(meeting.id, [])
            number = model.new_int_var_from_domain(
                cp_model.Domain.from_values([s for s, _ in choices]), f"t{meeting.id}"
            )
            model.add(number == sum(s * v for s, v in choices))
            slot_number[meeting.id] = number
        single_day = len(days) == 1
        for person in by_person:
            ids = [m for m in self.problem.meetings_by_participant[person] if m in slot_number]
            if len(ids) < 2:
                continue
            numbers = [slot_number[m] for m in ids]
            model.add_all_different(numbers)
            if not single_day:
                continue  # a day's share of the meetings is not known in advance
            first = model.new_int_var(0, len(self.problem.slots) - 1, f"first{person}")
            last = model.new_int_var(0, len(self.problem.slots) - 1, f"last{person}")
            model.add_min_equality(first, numbers)
            model.add_max_equality(last, numbers)
            breaks = self.breaks[person]
            model.add(last - first + 1 - len(ids) >= breaks)
            no_break = model.new_bool_var(f"packed{person}")
            model.add(breaks == 0).only_enforce_if(no_break)
            model.add(breaks >= 1).only_enforce_if(no_break.Not())
            model.add(last - first + 1 == len(ids)).only_enforce_if(no_break)

    def _add_span_bounds(self, person, open_slots, busy, used, day_breaks) -> None:
        """first/last busy slot of the day: with no break, the meetings fill [first, last] exactly.

        Redundant for correctness but it lets the solver see that a participant with zero breaks
        has all of the day's meetings inside one window of the right length.
        """
        model = self.model
        low, high = open_slots[0], open_slots[-1]
        first = model.new_int_var(low, high, f"first{person}_{low}")
        last = model.new_int_var(low, high, f"last{person}_{low}")
        for slot in open_slots:
            model.add(first <= slot).only_enforce_if(busy[slot])
            model.add(last >= slot).only_enforce_if(busy[slot])
        count = sum(busy[s] for s in open_slots)
        idle = last - first + 1 - count
        model.add(idle >= day_breaks).only_enforce_if(used)
        no_break = model.new_bool_var(f"nobreak{person}_{low}")
        model.add(day_breaks == 0).only_enforce_if(no_break)
        model.add(day_breaks >= 1).only_enforce_if(no_break.Not())
        model.add(idle == 0).only_enforce_if([no_break, used])

    def hint(self, slot_of: dict[int, int]) -> None:
        self.model.clear_hints()
        for (meeting_id, slot), var in self.x.items():
            self.model.add_hint(var, slot_of.get(meeting_id) == slot)
        for meeting_id, var in self.placed.items():
            self.model.add_hint(var, meeting_id in slot_of)

    def read(self, solver: cp_model.CpSolver) -> dict[int, int]:
        return {m: s for (m, s), var in self.x.items() if solver.boolean_value(var)}
