"""Reads of the organiser-run scheduler: a run's draft against the published schedule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from meetings.models import Meeting, MeetingRequest, MeetingSlot, ScheduleRun
from registrations.models import Registration


@dataclass
class DraftRow:
    """One meeting of the draft: `change` is added, moved, kept or dropped."""

    change: str
    sender: Registration
    receiver: Registration
    priority: str
    slot: MeetingSlot | None
    old_slot: MeetingSlot | None = None
    request: MeetingRequest | None = None
    meeting: Meeting | None = None


@dataclass
class UnplacedRow:
    sender: Registration
    receiver: Registration
    priority: str
    reason: str
    params: dict
    request: MeetingRequest | None = None


@dataclass
class DraftReview:
    rows: list[DraftRow] = field(default_factory=list)
    unplaced: list[UnplacedRow] = field(default_factory=list)
    days: list[tuple[dt.date, list[tuple[MeetingSlot, list[DraftRow]]]]] = field(
        default_factory=list
    )
    # With a day chosen (`draft_review(day=…)`): that day's grid and rows only, every day of the
    # draft with its number of meetings for the navigation, and the meetings without a slot.
    paged: bool = False
    day: dt.date | None = None
    day_counts: list[tuple[dt.date, int]] = field(default_factory=list)
    day_rows: list[DraftRow] = field(default_factory=list)
    unslotted: list[DraftRow] = field(default_factory=list)

    @property
    def shown_rows(self) -> list[DraftRow]:
        """The rows of the table: the chosen day's (the meetings without a slot come apart,
        in `unslotted`), or the whole draft."""
        return self.day_rows if self.paged else self.rows

    @property
    def previous_day(self) -> dt.date | None:
        days = [day for day, _count in self.day_counts]
        at = days.index(self.day) if self.day in days else 0
        return days[at - 1] if at > 0 else None

    @property
    def next_day(self) -> dt.date | None:
        days = [day for day, _count in self.day_counts]
        at = days.index(self.day) if self.day in days else len(days)
        return days[at + 1] if at + 1 < len(days) else None

    def count(self, change: str) -> int:
        return sum(1 for row in self.rows if row.change == change)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def moved(self) -> int:
        return self.count("moved")

    @property
    def kept(self) -> int:
        return self.count("kept")

    @property
    def dropped(self) -> int:
        return self.count("dropped")


def _meeting_rows(kept: list[dict], meetings: dict, slots: dict) -> list[DraftRow]:
    """The published meetings as the draft leaves them: kept, moved or dropped."""
    rows = []
    for entry in kept:
        meeting = meetings.get(entry["meeting"])
        if meeting is None:
            continue
        new_slot = slots.get(entry["slot"]) if entry["slot"] else None
        if new_slot is None:
            change = "dropped"
        elif new_slot.pk == meeting.slot_id:
            change = "kept"
        else:
            change = "moved"
        rows.append(
            DraftRow(
                change,
                meeting.sender,
                meeting.receiver,
                meeting.request.priority if meeting.request else "",
                new_slot,
                old_slot=meeting.slot if change != "kept" else None,
                meeting=meeting,
            )
        )
    return rows


def _unplaced_rows(unplaced: list[dict], requests: dict, meetings: dict) -> list[UnplacedRow]:
    """What the draft could not place, each reason's people read as registrations."""
    people = Registration.objects.in_bulk(
        {p for u in unplaced for p in u["params"].values() if isinstance(p, int)}
    )
    rows = []
    for entry in unplaced:
        request = requests.get(entry.get("request"))
        meeting = meetings.get(entry.get("meeting"))
        source = request or meeting
        if source is None:
            continue
        params = {
            name: people.get(value, value) if name in ("a", "b", "person") else value
            for name, value in entry["params"].items()
        }
        rows.append(
            UnplacedRow(
                source.sender,
                source.receiver,
                source.priority if request else "",
                entry["reason"],
                params,
                request=request,
            )
        )
    return rows


def _by_day(rows: list[DraftRow], zone) -> list[tuple[dt.date, list]]:
    """The placed rows per day of the edition's zone, per slot, in time order."""
    placed = [row for row in rows if row.slot is not None]
    placed.sort(key=lambda row: (row.slot.starts_at, row.slot.pk, row.sender.name))
    by_day: dict[dt.date, dict[int, tuple[MeetingSlot, list[DraftRow]]]] = {}
    for row in placed:
        date = timezone.localtime(row.slot.starts_at, zone).date()
        by_day.setdefault(date, {}).setdefault(row.slot.pk, (row.slot, []))[1].append(row)
    return [(date, list(cells.values())) for date, cells in sorted(by_day.items())]


_PERSON_FIELDS = [
    f"{side}__{name}"
    for side in ("sender", "receiver")
    for name in ("name", "name_latin", "organisation", "email")
]


def draft_review(*, run: ScheduleRun, day: str | dt.date | None = None) -> DraftReview:
    """The draft as rows, a per-day grid and the unplaced requests, in a handful of queries.

    With `day` (a date or its ISO form; anything else means the first day of the draft), the
    grid and the rows are that day's only — a forum's draft has hundreds of meetings over
    weeks — and `day_counts` lists every day for the navigation; the totals stay the draft's."""
    draft = run.draft or {}
    assignments = draft.get("assignments", [])
    kept = draft.get("meetings", [])
    unplaced = draft.get("unplaced", [])
    request_ids = {a["request"] for a in assignments} | {
        u["request"] for u in unplaced if u.get("request")
    }
    meeting_ids = {m["meeting"] for m in kept} | {
        u["meeting"] for u in unplaced if u.get("meeting")
    }
    # What the review shows of each person (and their `str`), not every column of their
    # registrations: a draft holds hundreds of requests.
    requests = (
        MeetingRequest.objects.select_related("sender", "receiver")
        .only("priority", "sender", "receiver", *_PERSON_FIELDS)
        .in_bulk(request_ids)
    )
    meetings = Meeting.objects.select_related("sender", "receiver", "request", "slot").in_bulk(
        meeting_ids
    )
    slots = MeetingSlot.objects.in_bulk(
        {a["slot"] for a in assignments} | {m["slot"] for m in kept if m["slot"]}
    )
    review = DraftReview()
    for entry in assignments:
        request = requests.get(entry["request"])
        if request is not None:
            review.rows.append(
                DraftRow(
                    "added",
                    request.sender,
                    request.receiver,
                    request.priority,
                    slots.get(entry["slot"]),
                    request=request,
                )
            )
    review.rows += _meeting_rows(kept, meetings, slots)
    review.unplaced = _unplaced_rows(unplaced, requests, meetings)
    zone = run.edition.tzinfo
    review.days = _by_day(review.rows, zone)
    review.rows.sort(
        key=lambda row: (row.slot is None, row.slot.starts_at if row.slot else 0, row.sender.name)
    )
    if day is not None:
        _choose_day(review, day, zone)
    return review


def _choose_day(review: DraftReview, day: str | dt.date, zone) -> None:
    review.paged = True
    review.day_counts = [
        (date, sum(len(rows) for _slot, rows in cells)) for date, cells in review.days
    ]
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            day = None
    dates = [date for date, _count in review.day_counts]
    review.day = day if day in dates else (dates[0] if dates else None)
    review.days = [(date, cells) for date, cells in review.days if date == review.day]
    review.day_rows = [
        row
        for row in review.rows
        if row.slot is not None
        and timezone.localtime(row.slot.starts_at, zone).date() == review.day
    ]
    review.unslotted = [row for row in review.rows if row.slot is None]
