"""Many people book at once: no one is ever in two meetings and no slot over its rooms.

Sixteen threads with their own connections accept-and-book at the same moment — for one person's
last free slot, and for a slot's last room. Exactly one wins, the others get "that slot was just
taken". The negative control runs the same code with only the guard (row locks, seat rows, room
numbers) off and the check-to-write window widened: it double-books, so the test can tell.
"""

import datetime as dt
import threading
import zoneinfo
from pathlib import Path

import pytest
from django.db import connection, connections

from registrations import db
from registrations.choices import MeetingStatus
from registrations.errors import MeetingError
from registrations.models import Meeting
from registrations.services import meetings as services
from tests.factories import BusinessProfileFactory, MeetingSettingsFactory, MeetingSlotFactory

CLIENTS = 16
ROOT = Path(__file__).resolve().parents[2]
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="gunicorn workers share the test database only on PostgreSQL",
)


def participant(edition):
    return BusinessProfileFactory(registration__edition=edition).registration


def last_free_slot_of_one_person(edition):
    """One person sent 16 requests; their only free slot has rooms for everyone."""
    MeetingSettingsFactory(edition=edition, request_limit=None)
    busy = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2030, 1, 21, 10, 0, tzinfo=SEOUL), rooms=CLIENTS
    )
    last = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2030, 1, 21, 11, 0, tzinfo=SEOUL), rooms=CLIENTS
    )
    person = participant(edition)
    services.set_availability(registration=person, unavailable_slots=[busy])
    requests = [
        services.request_meeting(sender=person, receiver=participant(edition))
        for _ in range(CLIENTS)
    ]
    return last, requests


def last_room_of_one_slot(edition):
    """Sixteen different pairs; the slot has one room left."""
    MeetingSettingsFactory(edition=edition, request_limit=None)
    slot = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2030, 1, 21, 11, 0, tzinfo=SEOUL), rooms=3
    )
    for _ in range(2):
        a, b = participant(edition), participant(edition)
        request = services.request_meeting(sender=a, receiver=b)
        services.accept_request(request=request, by=b, slot=slot)
    requests = [
        services.request_meeting(sender=participant(edition), receiver=participant(edition))
        for _ in range(CLIENTS)
    ]
    return slot, requests


SCENARIOS = {"person": last_free_slot_of_one_person, "room": last_room_of_one_slot}


def double_bookings(slot) -> tuple[int, int]:
    """(people in more than one meeting in the slot, meetings beyond the slot's rooms)."""
    meetings = Meeting.objects.filter(slot=slot, status=MeetingStatus.SCHEDULED)
    seen: dict[int, int] = {}
    for sender, receiver in meetings.values_list("sender_id", "receiver_id"):
        for person in (sender, receiver):
            seen[person] = seen.get(person, 0) + 1
    doubled = sum(count > 1 for count in seen.values())
    return doubled, max(0, meetings.count() - slot.rooms)


# Threads on the services, on every database -----------------------------------------------


def book_at_once(requests, slot) -> list[str]:
    barrier = threading.Barrier(len(requests))
    codes: list[str] = []

    def accept(request):
        try:
            barrier.wait()
            services.accept_request(request=request, by=request.receiver, slot=slot)
            codes.append("booked")
        except MeetingError as error:
            codes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return codes


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.django_db(transaction=True)
def test_threads_exactly_one_of_16_gets_the_slot(edition, scenario):
    slot, requests = SCENARIOS[scenario](edition)

    codes = book_at_once(requests, slot)

    assert sorted(codes) == ["booked"] + ["slot_taken"] * (CLIENTS - 1)
    assert double_bookings(slot) == (0, 0)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_negative_control_threads_without_the_guard_double_book(edition, monkeypatch):
    monkeypatch.setattr(db, "ROW_LOCKS", False)
    monkeypatch.setattr(services, "MEETING_GUARD", False)
    monkeypatch.setattr(services, "RACE_WINDOW", 0.3)
    slot, requests = last_free_slot_of_one_person(edition)

    book_at_once(requests, slot)

    doubled, _over = double_bookings(slot)
    assert doubled == 1, "without the guard the person should have been double-booked"
