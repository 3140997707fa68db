"""Reading and checking a `meeting-schedule-problem/1` file into plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROBLEM_FORMAT = "meeting-schedule-problem/1"
SOLUTION_FORMAT = "meeting-schedule-solution/1"


class ProblemError(ValueError):
    """A problem file that is malformed or contradicts itself; the message says where."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Slot:
    id: int
    index: int
    session: str | None
    day: str | None


@dataclass(frozen=True, slots=True)
class Participant:
    id: int
    unavailable: frozenset[int]  # slot indexes, not ids


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    a: int
    b: int
    priority: int
    session: str | None
    fixed_slot: int | None  # slot index
    after: tuple[int, ...]  # meeting ids
    allowed: tuple[int, ...]  # slot indexes the hard rules leave open, in time order


@dataclass(frozen=True, slots=True)
class Problem:
    name: str
    slots: tuple[Slot, ...]
    rooms: int
    fairness: int | None
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    meetings_by_participant: dict[int, tuple[int, ...]] = field(repr=False)
    day_of_slot: tuple[int, ...] = field(repr=False)  # slot index -> day number

    @property
    def days(self) -> list[list[int]]:
        """Slot indexes grouped by day, each group in time order."""
        groups: dict[int, list[int]] = {}
        for index, day in enumerate(self.day_of_slot):
            groups.setdefault(day, []).append(index)
        return [groups[day] for day in sorted(groups)]

    @property
    def meeting_by_id(self) -> dict[int, Meeting]:
        return {meeting.id: meeting for meeting in self.meetings}


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ProblemError(message)


def _int(value: Any, where: str, *, minimum: int | None = None) -> int:
    # bool is an int subclass, but `true` as an id is a mistake in the file.
    _require(isinstance(value, int) and not isinstance(value, bool), f"{where} must be an integer.")
    if minimum is not None:
        _require(value >= minimum, f"{where} must be at least {minimum}.")
    return value


def _optional_str(value: Any, where: str) -> str | None:
    _require(value is None or isinstance(value, str), f"{where} must be a string.")
    return value


def _list(value: Any, where: str) -> list:
    _require(isinstance(value, list), f"{where} must be a list.")
    return value


def _slot_ref(slot_index: dict[int, int], value: Any, where: str) -> int:
    """A slot named by its id, as its position."""
    slot_id = _int(value, where)
    _require(slot_id in slot_index, f"{where} names slot {slot_id}, which does not exist.")
    return slot_index[slot_id]


def _parse_slots(data: dict) -> tuple[list[Slot], dict[int, int]]:
    """The slots in order, and each slot id's position."""
    slots: list[Slot] = []
    slot_index: dict[int, int] = {}
    for position, raw in enumerate(_list(data.get("slots"), "slots")):
        _require(isinstance(raw, dict), f"slots[{position}] must be an object.")
        slot_id = _int(raw.get("id"), f"slots[{position}].id")
        _require(slot_id not in slot_index, f"Slot id {slot_id} appears twice.")
        slot_index[slot_id] = position
        slots.append(
            Slot(
                id=slot_id,
                index=position,
                session=_optional_str(raw.get("session"), f"slots[{position}].session"),
                day=_optional_str(raw.get("day"), f"slots[{position}].day"),
            )
        )
    return slots, slot_index


def _parse_participants(data: dict, slot_index: dict[int, int]) -> dict[int, Participant]:
    participants: dict[int, Participant] = {}
    for position, raw in enumerate(_list(data.get("participants"), "participants")):
        _require(isinstance(raw, dict), f"participants[{position}] must be an object.")
        participant_id = _int(raw.get("id"), f"participants[{position}].id")
        _require(
            participant_id not in participants, f"Participant id {participant_id} appears twice."
        )
        unavailable = frozenset(
            _slot_ref(slot_index, value, f"participant {participant_id}'s unavailable slot")
            for value in _list(
                raw.get("unavailable", []), f"participant {participant_id}'s unavailable"
            )
        )
        participants[participant_id] = Participant(id=participant_id, unavailable=unavailable)
    return participants


def _meeting_ids(raw_meetings: list) -> set[int]:
    """Every meeting's id, each once (a meeting may come after one listed later)."""
    meeting_ids: set[int] = set()
    for position, raw in enumerate(raw_meetings):
        _require(isinstance(raw, dict), f"meetings[{position}] must be an object.")
        meeting_id = _int(raw.get("id"), f"meetings[{position}].id")
        _require(meeting_id not in meeting_ids, f"Meeting id {meeting_id} appears twice.")
        meeting_ids.add(meeting_id)
    return meeting_ids


@dataclass(frozen=True)
class _Context:
    """What a meeting is checked against: the slots, the participants, the other meetings."""

    slots: list[Slot]
    slot_index: dict[int, int]
    sessions: set[str]
    participants: dict[int, Participant]
    meeting_ids: set[int]


def _check_fixed(index: int, where: str, context: _Context, *, a: int, b: int, session) -> None:
    """A meeting fixed in a slot: the slot is in its session, both of its people available."""
    fixed_slot = context.slots[index]
    _require(
        session is None or fixed_slot.session == session,
        f"{where} is fixed in slot {fixed_slot.id}, which is not in session {session!r}.",
    )
    for side in (a, b):
        _require(
            index not in context.participants[side].unavailable,
            f"{where} is fixed in slot {fixed_slot.id}, when participant {side} is unavailable.",
        )


def _parse_meeting(raw: dict, context: _Context) -> Meeting:
    meeting_id = raw["id"]
    where = f"Meeting {meeting_id}"
    a = _int(raw.get("a"), f"{where}'s a")
    b = _int(raw.get("b"), f"{where}'s b")
    for side in (a, b):
        _require(
            side in context.participants, f"{where} names participant {side}, who does not exist."
        )
    _require(a != b, f"{where} pairs participant {a} with themselves.")
    priority = _int(raw.get("priority", 1), f"{where}'s priority", minimum=1)
    session = _optional_str(raw.get("session"), f"{where}'s session")
    _require(
        session is None or session in context.sessions,
        f"{where} asks for session {session!r}, which no slot has.",
    )
    fixed = raw.get("fixed_slot")
    fixed_index = (
        None if fixed is None else _slot_ref(context.slot_index, fixed, f"{where}'s fixed_slot")
    )
    after = tuple(
        _int(value, f"{where}'s after") for value in _list(raw.get("after", []), f"{where}'s after")
    )
    for earlier in after:
        _require(
            earlier in context.meeting_ids,
            f"{where} comes after meeting {earlier}, which does not exist.",
        )
        _require(earlier != meeting_id, f"{where} cannot come after itself.")
    if fixed_index is not None:
        _check_fixed(fixed_index, where, context, a=a, b=b, session=session)
    blocked = context.participants[a].unavailable | context.participants[b].unavailable
    allowed = tuple(
        slot.index
        for slot in context.slots
        if slot.index not in blocked and (session is None or slot.session == session)
    )
    return Meeting(
        id=meeting_id,
        a=a,
        b=b,
        priority=priority,
        session=session,
        fixed_slot=fixed_index,
        after=after,
        allowed=allowed if fixed_index is None else (fixed_index,),
    )


def parse_problem(data: Any) -> Problem:
    """Turn a decoded problem file into a `Problem`, or raise `ProblemError` saying what's wrong."""
    _require(isinstance(data, dict), "The problem must be a JSON object.")
    _require(
        data.get("format") == PROBLEM_FORMAT,
        f"The problem's format must be {PROBLEM_FORMAT!r}, not {data.get('format')!r}.",
    )
    name = data.get("name", "")
    _require(isinstance(name, str), "name must be a string.")
    rooms = _int(data.get("rooms"), "rooms", minimum=0)
    fairness = data.get("fairness")
    if fairness is not None:
        fairness = _int(fairness, "fairness", minimum=0)
    slots, slot_index = _parse_slots(data)
    day_numbers: dict[str | None, int] = {}
    for slot in slots:
        day_numbers.setdefault(slot.day, len(day_numbers))
    participants = _parse_participants(data, slot_index)
    raw_meetings = _list(data.get("meetings"), "meetings")
    context = _Context(
        slots=slots,
        slot_index=slot_index,
        sessions={slot.session for slot in slots if slot.session is not None},
        participants=participants,
        meeting_ids=_meeting_ids(raw_meetings),
    )
    meetings = [_parse_meeting(raw, context) for raw in raw_meetings]
    by_participant: dict[int, list[int]] = {participant_id: [] for participant_id in participants}
    for meeting in meetings:
        by_participant[meeting.a].append(meeting.id)
        by_participant[meeting.b].append(meeting.id)
    _check_no_precedence_cycle(meetings)
    return Problem(
        name=name,
        slots=tuple(slots),
        rooms=rooms,
        fairness=fairness,
        participants=tuple(participants.values()),
        meetings=tuple(meetings),
        meetings_by_participant={key: tuple(value) for key, value in by_participant.items()},
        day_of_slot=tuple(day_numbers[slot.day] for slot in slots),
    )


def _check_no_precedence_cycle(meetings: list[Meeting]) -> None:
    after = {meeting.id: meeting.after for meeting in meetings}
    state: dict[int, int] = {}  # 1 = on the current path, 2 = done
    for start in after:
        if start in state:
            continue
        stack = [(start, iter(after[start]))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                raise ProblemError(
                    f"Meeting {node} comes after meeting {child}, which itself comes after "
                    f"meeting {node}: the after lists form a cycle."
                )
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(after[child])))
