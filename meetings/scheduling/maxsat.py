"""The schedule as weighted MaxSAT (Bofill et al., JAIR 2022), solved by python-sat's RC2.

Every meeting placed is a hard rule here, and one soft clause per possible break is the objective,
so the encoding serves problems where everything fits (the solver checks that first). RC2's
core-guided search proves the optimum of the published B2B instances that CP-SAT's propagation
misses; docs/scheduler.md has the measurements behind each part of the encoding.
"""

from __future__ import annotations

import json
import pickle
import random
import sys
import threading
from dataclasses import dataclass, field

from pysat.card import CardEnc, EncType
from pysat.examples.rc2 import RC2
from pysat.formula import WCNF, IDPool
from pysat.solvers import Solver

from .local_search import improve_breaks
from .problem import Problem
from .windows import add_windows, window_pairs


class NotEncodable(Exception):
    """The problem lies outside what this encoding states exactly (the message says why)."""


@dataclass(frozen=True, slots=True)
class MaxSatOptions:
    # Implied: per slot at most 2 x rooms participants are busy. It gives RC2 the counting argument
    # behind the lower bounds (tic-13crafc: 0.1 s instead of over a minute) but slows the search for
    # some low-break schedules (forum-13crafc), so the solver runs a short stage without it first.
    slot_level: bool = True
    # Implied: each participant is busy in exactly as many slots as they have meetings.
    busy_count: bool = True
    # A known schedule's break count; adds "total breaks <= this" as a hard rule.
    upper_bound: int | None = None
    sat_solver: str = "g3"
    # Before RC2, one plain SAT call for any fair schedule that places everything (under a
    # second on every published instance): the race's safety net when CP-SAT finds none in time.
    first_schedule: bool = False
    rc2_flags: tuple[str, ...] = ()  # of RC2's adapt, exhaust, minz
    amo: str = "seqcounter"
    # Implied: a participant with no break that day has its meetings in one window of consecutive
    # slots; one "the window starts at t" literal per possible start lets a single decision fix
    # all of that participant's busy slots.
    windows: bool = True
    # With `windows`: the window literals stated exactly ("no break" holds exactly when one start
    # does, a start rules out every slot outside its window, "no break" and busy in t need a
    # start whose window holds t, and "no break" clears the participant's break literals), so
    # that a decision on one participant's window propagates through busy slots and meetings.
    exact_windows: bool = False
    # With `windows`: two partners without a break cannot take windows that leave their meeting
    # no slot in common (one binary clause per such pair of starts).
    window_pairs: bool = False
    # Budget search with phases: the schedule's window starts and "no break" literals are
    # tried first too, not only its placements.
    window_phases: bool = False
    session_counts: bool = True
    # Time reversal maps a schedule to one with the same breaks when every meeting may take every
    # slot of a single day; then one meeting is kept in the first half.
    symmetry: bool = True
    card: str = "seqcounter"
    # Not 0: the hard clauses in a seeded random order, so that runs with different seeds show
    # how much of a time is the solver's luck with one clause order.
    seed: int = 0
    # Local-search moves on the first schedule before RC2 starts (see local_search.py).
    polish_moves: int = 0
    # "rc2": core-guided search; "budget": one incremental SAT solver asked for at most B breaks,
    # B = 0, 1, 2 … (budget.py).
    search: str = "rc2"
    # A schedule whose placements the budget search tries first (meeting id -> slot index).
    phases: dict[int, int] | None = None
    # Whether the race passes the annealer's better schedules on as phases (budget search).
    take_phases: bool = True


@dataclass(slots=True)
class MaxSatEncoding:
    wcnf: WCNF
    x: dict[tuple[int, int], int]  # (meeting id, slot index) -> variable
    breaks: list[int] = field(default_factory=list)  # one variable per possible break
    # With `windows` (one day): participant -> "no break", and participant -> first slot -> "the
    # window starts there"
    no_break: dict[int, int] = field(default_factory=dict)
    starts: dict[int, dict[int, int]] = field(default_factory=dict)


def _atmost(lits, bound, pool, formula, options) -> None:
    if len(lits) <= bound:
        return
    if bound == 1 and (len(lits) <= 6 or options.amo == "pairwise"):
        encoding = EncType.pairwise
    else:
        encoding = getattr(EncType, options.amo if bound == 1 else options.card)
    formula.extend(CardEnc.atmost(lits, bound, vpool=pool, encoding=encoding).clauses)


def _encode_placements(problem: Problem, pool, hard: list, options) -> tuple[dict, dict]:
    """Every meeting in exactly one allowed slot, after the meetings it follows; at most
    `rooms` meetings per slot. The x literals, and per participant and slot."""
    x: dict[tuple[int, int], int] = {}
    seats: dict[int, dict[int, list[int]]] = {}  # participant -> slot -> x literals
    for meeting in problem.meetings:
        if not meeting.allowed:
            raise NotEncodable(f"meeting {meeting.id} has no allowed slot")
        lits = []
        for slot in meeting.allowed:
            var = pool.id(("x", meeting.id, slot))
            x[meeting.id, slot] = var
            lits.append(var)
            for person in (meeting.a, meeting.b):
                seats.setdefault(person, {}).setdefault(slot, []).append(var)
        hard.append(lits)
        _atmost(lits, 1, pool, hard, options)
    for meeting in problem.meetings:
        for earlier in meeting.after:
            earlier_meeting = problem.meeting_by_id[earlier]
            for slot in meeting.allowed:
                before = [x[earlier, s] for s in earlier_meeting.allowed if s < slot]
                hard.append([-x[meeting.id, slot], *before])
    by_slot: dict[int, list[int]] = {}
    for (_, slot), var in x.items():
        by_slot.setdefault(slot, []).append(var)
    for lits in by_slot.values():
        _atmost(lits, problem.rooms, pool, hard, options)
    return x, seats


def _encode_busy(problem: Problem, seats: dict, pool, hard: list, options) -> dict:
    """Nobody in two meetings at once; a `busy` literal per participant and slot."""
    busy: dict[tuple[int, int], int] = {}
    busy_in_slot: dict[int, list[int]] = {}
    for person, by_person_slot in seats.items():
        for slot, lits in by_person_slot.items():
            _atmost(lits, 1, pool, hard, options)  # no one is in two meetings at once
            var = pool.id(("busy", person, slot))
            busy[person, slot] = var
            busy_in_slot.setdefault(slot, []).append(var)
            hard.append([-var, *lits])
            hard.extend([[-lit, var] for lit in lits])
        if options.busy_count:
            for lits, meetings in _busy_counts(problem, person, busy, options.session_counts):
                if len(lits) > meetings:
                    encoded = CardEnc.equals(
                        lits, meetings, vpool=pool, encoding=getattr(EncType, options.card)
                    )
                    hard.extend(encoded.clauses)
    if options.slot_level:
        for lits in busy_in_slot.values():
            _atmost(lits, 2 * problem.rooms, pool, hard, options)
    return busy


def _encode_breaks(problem: Problem, seats: dict, busy: dict, pool, hard: list) -> dict:
    """A break starts at slot s when the participant is busy in s, not in s-1, and was busy
    earlier that day; `seen` is "busy at some slot up to here today". The break literals per
    participant."""
    breaks_of: dict[int, list[int]] = {}
    for person in seats:
        for day_slots in problem.days:
            seen = None
            for slot in day_slots:
                here = busy.get((person, slot))
                if here is None:
                    continue
                if seen is not None:
                    previous = busy.get((person, slot - 1)) if slot - 1 in day_slots else None
                    var = pool.id(("break", person, slot))
                    clause = [-here, -seen, var]
                    if previous is not None:
                        clause.insert(1, previous)
                    hard.append(clause)
                    breaks_of.setdefault(person, []).append(var)
                now_seen = pool.id(("seen", person, slot))
                hard.append([-here, now_seen])
                if seen is not None:
                    hard.append([-seen, now_seen])
                seen = now_seen
    return breaks_of


def _break_symmetry(problem: Problem, x: dict, hard: list) -> None:
    """A schedule read backwards is as good: the busiest meeting stays in the first half."""
    meeting = max(
        problem.meetings,
        key=lambda m: (
            len(problem.meetings_by_participant[m.a]) + len(problem.meetings_by_participant[m.b]),
            -m.id,
        ),
    )
    last = len(problem.slots) - 1
    for slot in meeting.allowed:
        if slot > last - slot:
            hard.append([-x[meeting.id, slot]])


def encode(problem: Problem, options: MaxSatOptions | None = None) -> MaxSatEncoding:
    """Hard: every meeting in exactly one allowed slot, the rules, fairness; soft: no break."""
    options = options or MaxSatOptions()
    pool = IDPool()
    hard: list[list[int]] = []
    x, seats = _encode_placements(problem, pool, hard, options)
    busy = _encode_busy(problem, seats, pool, hard, options)
    breaks_of = _encode_breaks(problem, seats, busy, pool, hard)
    # in the order they were made: the breaks by participant, then day and slot
    soft = [var for person in seats for var in breaks_of.get(person, [])]
    no_break: dict[int, int] = {}
    starts: dict[int, dict[int, int]] = {}
    if options.windows and len(problem.days) == 1:
        for person, lits in breaks_of.items():
            no_break[person], starts[person] = add_windows(
                problem, person, seats[person], busy, lits, pool, hard, options.exact_windows
            )
        if options.window_pairs:
            window_pairs(problem, starts, hard)
    if options.symmetry and _reversible(problem):
        _break_symmetry(problem, x, hard)
    if problem.fairness is not None:
        # The break literals are forced true by a break but may be true without one, so only an
        # upper bound per participant is exact. With someone on a single meeting (zero breaks),
        # fairness d is exactly "nobody has more than d".
        for lits in breaks_of.values():
            _atmost(lits, problem.fairness, pool, hard, options)
    if options.upper_bound is not None:
        _atmost(soft, options.upper_bound, pool, hard, options)
    if options.seed:
        random.Random(options.seed).shuffle(hard)
    wcnf = WCNF()
    for clause in hard:
        wcnf.append(clause)
    for var in soft:
        wcnf.append([-var], weight=1)
    return MaxSatEncoding(wcnf=wcnf, x=x, breaks=soft, no_break=no_break, starts=starts)


def _reversible(problem: Problem) -> bool:
    everything = tuple(range(len(problem.slots)))
    return len(problem.days) == 1 and all(
        m.allowed == everything and not m.after for m in problem.meetings
    )


def _busy_counts(problem, person, busy, by_session):
    """(busy literals, how many are true): all of the participant's slots, and when every one of
    their meetings has a session, the slots of each session on their own."""
    ids = problem.meetings_by_participant[person]
    mine = sorted(slot for (who, slot) in busy if who == person)
    yield [busy[person, slot] for slot in mine], len(ids)
    sessions = [problem.meeting_by_id[m].session for m in ids]
    if not by_session or None in sessions or len(set(sessions)) < 2:
        return
    for session in sorted(set(sessions)):
        lits = [busy[person, s] for s in mine if problem.slots[s].session == session]
        yield lits, sessions.count(session)


class _ReportingRC2(RC2):
    """RC2 that reports each new lower bound: every core it relaxes raises the cost by one."""

    def __init__(self, *args, report=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._report = report

    def process_core(self) -> None:
        super().process_core()
        if self._report is not None:
            self._report(self.cost)


def solve_maxsat(
    problem: Problem, options: MaxSatOptions | None = None, report=None, found=None
) -> dict[int, int] | None:
    """An optimal schedule (meeting id -> slot index), or None if no fair one places everything.

    RC2 returns only proven optima; it runs until it has one, so callers bound it from outside
    (a separate process, see race.py). `report(cost)` hears each proven lower bound on the
    breaks as RC2 raises it; `found(schedule)` hears the first fair schedule when
    `options.first_schedule` asks for one, then each better one the local search finds.
    """
    options = options or MaxSatOptions()
    encoding = encode(problem, options)
    if options.first_schedule:
        with Solver(name=options.sat_solver, bootstrap_with=encoding.wcnf.hard) as oracle:
            if not oracle.solve():
                return None
            first = read_model(encoding, oracle.get_model())
        if found is not None:
            found(first)
            if options.polish_moves:
                improve_breaks(
                    problem, first, seed=options.seed, moves=options.polish_moves, found=found
                )
    flags = dict.fromkeys(options.rc2_flags, True)
    with _ReportingRC2(encoding.wcnf, solver=options.sat_solver, report=report, **flags) as rc2:
        model = rc2.compute()
    if model is None:
        return None
    return read_model(encoding, model)


def read_model(encoding: MaxSatEncoding, model: list[int]) -> dict[int, int]:
    true = {lit for lit in model if lit > 0}
    return {m: s for (m, s), var in encoding.x.items() if var in true}


def main() -> None:
    """`python -m <this package>.maxsat`: a pickled (problem, options) on stdin; on stdout
    `schedule {meeting: slot}` for a first fair schedule when asked and for each better one, one
    line `bound N` per lower bound proven, then `optimal {meeting: slot}` (JSON) or `none`. The
    solver's race runs this in a child process it can kill at the deadline. After the pickle,
    stdin may bring `bound N` lines: lower bounds proven elsewhere, which the budget search
    jumps to."""
    problem, options = pickle.load(sys.stdin.buffer)  # noqa: S301 - from our parent process

    def report(cost: int) -> None:
        print(f"bound {cost}", flush=True)

    def found(schedule: dict[int, int]) -> None:
        print("schedule " + json.dumps(schedule), flush=True)

    try:
        if options.search == "lns":
            from .reseat import search_in_child

            search_in_child(problem, options, _BoundsHeard(), found)
            return
        if options.search == "budget":
            from .budget import solve_by_budget

            heard = _BoundsHeard()
            schedule = solve_by_budget(
                problem, options, report, heard.best, options.phases, heard.phases
            )
        else:
            schedule = solve_maxsat(problem, options, report, found)
    except NotEncodable:
        schedule = None
    if schedule is None:
        print("none", flush=True)
    else:
        print("optimal " + json.dumps(schedule), flush=True)


class _BoundsHeard:
    """What the parent passes on while the search runs, read by a thread so that the search
    never waits for it: `bound N` lines (lower bounds proven elsewhere) and `phases {…}` lines
    (the best schedule found elsewhere, which the search tries first from then on)."""

    def __init__(self) -> None:
        self.bound = 0
        self.schedule: dict[int, int] | None = None
        self.go = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def best(self) -> int:
        return self.bound

    def phases(self) -> dict[int, int] | None:
        schedule, self.schedule = self.schedule, None
        return schedule

    def _read(self) -> None:
        for line in sys.stdin.buffer:
            word, _, rest = line.partition(b" ")
            if word.strip() == b"go":
                self.go.set()
            elif word == b"bound" and rest.strip().isdigit():
                self.bound = max(self.bound, int(rest))
            elif word == b"phases":
                try:
                    found = json.loads(rest)
                    self.schedule = {int(m): int(s) for m, s in found.items()}
                except (ValueError, AttributeError):
                    continue


if __name__ == "__main__":
    main()
