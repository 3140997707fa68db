"""The organiser-run scheduler: problem from the database, runs, review, publish all or nothing."""

import datetime as dt
import threading
import time
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.admin.schedule import reason_text
from meetings.choices import (
    MeetingPriority,
    MeetingStatus,
    ProfileSide,
    RequestStatus,
    ScheduleRunStatus,
    UnavailableReason,
)
from meetings.errors import MeetingError
from meetings.models import (
    Meeting,
    MeetingRequest,
    MeetingSeat,
    ScheduleRun,
    SlotUnavailability,
)
from meetings.selectors.schedule import draft_review
from meetings.services.booking import book_meeting, move_meeting
from meetings.services.requests import accept_request, request_meeting
from meetings.services.schedule_problem import build_problem
from meetings.services.schedule_publish import publish_schedule
from meetings.services.schedule_runs import execute_schedule_run, start_schedule_run
from registrations.choices import BookingStatus
from registrations.models import SessionBooking
from tests.factories import (
    BusinessProfileFactory,
    MeetingSettingsFactory,
    MeetingSlotFactory,
    SectorFactory,
    SessionFactory,
)

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
pytestmark = pytest.mark.django_db


@pytest.fixture
def slots(edition):
    MeetingSettingsFactory(edition=edition)
    return [
        MeetingSlotFactory(
            edition=edition,
            starts_at=dt.datetime(2030, 1, 21, 10, 0, tzinfo=SEOUL) + dt.timedelta(minutes=30 * n),
            rooms=2,
        )
        for n in range(3)
    ]


def participant(edition, name, **profile):
    return BusinessProfileFactory(
        registration__edition=edition,
        registration__name=name,
        registration__organisation=f"{name} Ltd",
        **profile,
    ).registration


@pytest.fixture
def people(edition, slots):
    return [participant(edition, name) for name in ("Kim", "Nguyen", "Santos", "Lee")]


def accepted(sender, receiver, priority=MeetingPriority.MUST):
    request = request_meeting(sender=sender, receiver=receiver, priority=priority, message="Hello")
    return accept_request(request=request, by=receiver)


def run_now(edition, **options) -> ScheduleRun:
    run = start_schedule_run(edition=edition, time_limit=5, in_background=False, **options)
    run.refresh_from_db()
    return run


def test_the_problem_holds_accepted_requests_availability_sessions_and_rooms(
    edition, slots, people
):
    kim, nguyen, santos, lee = people
    request = accepted(kim, nguyen)
    accepted(santos, lee, MeetingPriority.WOULD_LIKE)
    SlotUnavailability.objects.create(
        registration=nguyen, slot=slots[0], reason=UnavailableReason.MARKED
    )
    session = SessionFactory(
        edition=edition, starts_at=slots[1].starts_at, ends_at=slots[1].ends_at, capacity=None
    )
    SessionBooking.objects.create(registration=santos, session=session, status=BookingStatus.BOOKED)
    slots[2].rooms = 1
    slots[2].save()

    problem = build_problem(edition=edition)

    data = problem.data
    assert [slot["id"] for slot in data["slots"]] == [slot.pk for slot in slots]
    assert data["rooms"] == 2
    unavailable = {p["id"]: p["unavailable"] for p in data["participants"]}
    assert unavailable[nguyen.pk] == [slots[0].pk]
    assert unavailable[santos.pk] == [slots[1].pk]
    assert unavailable[kim.pk] == []
    real = [m for m in data["meetings"] if m["id"] in problem.request_of]
    assert [(m["a"], m["b"], m["priority"]) for m in real] == [
        (kim.pk, nguyen.pk, 3),
        (santos.pk, lee.pk, 1),
    ]
    assert problem.request_of[real[0]["id"]] == request.pk
    blockers = [m for m in data["meetings"] if m["id"] in problem.blocker_ids]
    assert [m["fixed_slot"] for m in blockers] == [slots[2].pk]  # slot 3 has one room, not two


def test_a_run_places_every_request_where_both_are_free(edition, slots, people):
    kim, nguyen, santos, lee = people
    accepted(kim, nguyen)
    accepted(kim, santos)
    accepted(kim, lee)
    for slot in slots[:2]:
        SlotUnavailability.objects.create(
            registration=lee, slot=slot, reason=UnavailableReason.MARKED
        )

    run = run_now(edition)

    assert run.status == ScheduleRunStatus.DONE
    assert (run.requested, run.placed, run.priority_placed, run.priority_bound) == (3, 3, 9, 9)
    assert run.breaks == 0
    slot_of = {a["request"]: a["slot"] for a in run.draft["assignments"]}
    assert len(set(slot_of.values())) == 3  # Kim is in all three: three different slots
    lee_request = kim.sent_meeting_requests.get(receiver=lee)
    assert slot_of[lee_request.pk] == slots[2].pk
    assert Meeting.objects.count() == 0  # a draft books nothing


def test_unplaced_requests_get_a_reason_in_the_viewers_language(edition, slots, people):
    kim, nguyen, santos, lee = people
    accepted(kim, nguyen)
    for slot in slots:
        SlotUnavailability.objects.create(
            registration=nguyen, slot=slot, reason=UnavailableReason.MARKED
        )

    run = run_now(edition)
    review = draft_review(run=run)

    assert run.placed == 0 and run.requested == 1
    [row] = review.unplaced
    assert (row.sender, row.receiver, row.reason) == (kim, nguyen, "no_common_slot")
    assert reason_text(row.reason, row.params) == "Kim and Nguyen have no free slot in common."
    with translation.override("ko"):
        assert (
            reason_text(row.reason, row.params)
            == "Kim 님과 Nguyen 님은 함께 비는 시간대가 없습니다."
        )


def test_a_run_started_in_korean_names_the_overbooked_participant(edition, slots, people):
    """The scheduler returns codes and ids; the run used to read the person out of translated
    text, and in Korean it named the other participant (issue 16)."""
    kim, nguyen, santos, lee = people
    # Lee can make one slot and is asked for three meetings: Lee is the overbooked one.
    for slot in slots[1:]:
        SlotUnavailability.objects.create(
            registration=lee, slot=slot, reason=UnavailableReason.MARKED
        )
    for sender in (kim, nguyen, santos):
        accepted(sender, lee)

    with translation.override("ko"):
        run = run_now(edition)
    reasons = {
        (row.sender, row.reason, row.params.get("person")) for row in draft_review(run=run).unplaced
    }

    assert run.placed == 1
    assert {person for _sender, reason, person in reasons} == {lee}
    assert {reason for _sender, reason, _person in reasons} == {"participant_overbooked"}


def test_one_run_at_a_time_per_edition(edition, slots, people):
    ScheduleRun.objects.create(edition=edition, status=ScheduleRunStatus.RUNNING)

    with pytest.raises(MeetingError) as error:
        start_schedule_run(edition=edition, in_background=False)

    assert error.value.code == "run_active"
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduleRun.objects.create(edition=edition, status=ScheduleRunStatus.QUEUED)


def test_a_run_started_in_the_background_finishes_after_commit(
    edition, slots, people, django_capture_on_commit_callbacks
):
    accepted(people[0], people[1])

    with django_capture_on_commit_callbacks(execute=True):
        run = start_schedule_run(edition=edition, time_limit=5)

    run.refresh_from_db()
    assert (run.status, run.phase, run.placed) == (ScheduleRunStatus.DONE, "finished", 1)


def test_publishing_books_every_meeting_and_notifies_both_sides(
    edition, slots, people, mailoutbox, django_capture_on_commit_callbacks
):
    kim, nguyen, santos, lee = people
    accepted(kim, nguyen)
    accepted(santos, lee)
    run = run_now(edition)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = publish_schedule(run=run)

    run.refresh_from_db()
    assert run.status == ScheduleRunStatus.PUBLISHED
    assert result.booked == 2
    drafted = {a["request"]: a["slot"] for a in run.draft["assignments"]}
    booked = {m.request_id: m.slot_id for m in Meeting.objects.filter(status="scheduled")}
    assert booked == drafted
    assert set(kim.sent_meeting_requests.values_list("status", flat=True)) == {RequestStatus.BOOKED}
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        person.email for person in people
    )


def test_a_publish_that_no_longer_fits_changes_nothing(edition, slots, people):
    kim, nguyen, santos, lee = people
    first = accepted(kim, nguyen)
    second = accepted(santos, lee)
    run = run_now(edition)
    # staff book the second request by hand after the run: the draft's booking of it must fail
    book_meeting(request=second, slot=slots[2], user=None)

    with pytest.raises(MeetingError) as error:
        publish_schedule(run=run)

    assert error.value.code == "stale"
    assert "Nothing was published" in error.value.message
    first.refresh_from_db()
    run.refresh_from_db()
    assert first.status == RequestStatus.ACCEPTED  # booked inside the failed publish, rolled back
    assert list(Meeting.objects.values_list("request_id", flat=True)) == [second.pk]
    assert run.status == ScheduleRunStatus.DONE


def test_rerunning_keeps_published_meetings_where_they_are(edition, slots, people):
    kim, nguyen, santos, lee = people
    first = accepted(kim, nguyen)
    meeting = book_meeting(request=first, slot=slots[1], user=None)
    accepted(kim, santos)

    run = run_now(edition)
    review = draft_review(run=run)

    assert run.draft["meetings"] == [{"meeting": meeting.pk, "slot": slots[1].pk}]
    assert (review.added, review.kept, review.moved, review.dropped) == (1, 1, 0, 0)
    [added] = [row for row in review.rows if row.change == "added"]
    assert added.slot.pk != slots[1].pk  # Kim is already busy then


def test_the_command_saves_a_draft_run(edition, slots, people, capsys):
    accepted(people[0], people[1])

    call_command("schedule_meetings", "--edition", edition.slug, "--time-limit", "5")

    run = ScheduleRun.objects.get()
    assert (run.status, run.placed, run.requested) == (ScheduleRunStatus.DONE, 1, 1)
    assert f"/admin/meetings/schedulerun/{run.pk}/change/" in capsys.readouterr().out


def test_the_command_says_which_edition_is_unknown(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No edition with the slug “nope”"):
        call_command("schedule_meetings", "--edition", "nope")


# The admin --------------------------------------------------------------------------------------


def test_staff_run_review_and_publish_from_the_admin(
    admin_client, edition, slots, people, django_capture_on_commit_callbacks
):
    kim, nguyen, santos, lee = people
    accepted(kim, nguyen)
    accepted(santos, lee, MeetingPriority.WOULD_LIKE)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/meetings/schedulerun/add/",
            {"edition": edition.pk, "time_limit": 5, "keep_published": "on"},
        )
    run = ScheduleRun.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/meetings/schedulerun/{run.pk}/change/"

    page = admin_client.get(response.url).content.decode()
    assert "2 of 2 requests" in page
    assert "2 new meetings, 0 moved, 0 dropped, 0 kept where they are." in page
    assert "Kim — Kim Ltd" in page and "Santos — Santos Ltd" in page
    assert "would like to meet" in page

    confirm = admin_client.get(f"/admin/meetings/schedulerun/{run.pk}/publish/")
    assert "Publishing books 2 new meetings, moves 0 and cancels 0" in confirm.content.decode()
    assert Meeting.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/meetings/schedulerun/{run.pk}/publish/")
    assert Meeting.objects.filter(status=MeetingStatus.SCHEDULED).count() == 2


def test_the_admin_form_keeps_input_and_says_what_is_wrong(admin_client, edition, slots):
    response = admin_client.post(
        "/admin/meetings/schedulerun/add/", {"edition": edition.pk, "time_limit": 9000}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 600." in page
    assert 'value="9000"' in page
    assert ScheduleRun.objects.count() == 0


def test_each_profile_in_the_admin_shows_its_best_matches_with_reasons(admin_client, edition):
    smart_cities = SectorFactory(name="Smart cities")
    company = BusinessProfileFactory(
        registration__edition=edition, registration__organisation="Hanbit Engineering"
    )
    owner = BusinessProfileFactory(
        registration__edition=edition,
        registration__organisation="Ministry of Transport",
        side=ProfileSide.PROJECT_OWNER,
    )
    company.sectors.add(smart_cities)
    owner.sectors.add(smart_cities)

    page = admin_client.get(
        f"/admin/meetings/businessprofile/{company.pk}/change/"
    ).content.decode()

    assert "Recommended counterparts" in page
    assert "Ministry of Transport — Project owner</a>: both in Smart cities" in page


def test_illustrative_times_never_make_a_past_slot_bookable(edition, people, admin_user):
    """The notice "times are illustrative" is for visitors; it is no booking rule (issue 16)."""
    edition.times_are_illustrative = True
    edition.save()
    past = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2022, 1, 24, 10, 0, tzinfo=SEOUL), rooms=2
    )
    accepted(people[0], people[1])

    slot_ids = [slot["id"] for slot in build_problem(edition=edition).data["slots"]]
    assert past.pk not in slot_ids
    with pytest.raises(MeetingError) as error:
        book_meeting(
            request=MeetingRequest.objects.get(sender=people[0]), slot=past, user=admin_user
        )
    assert error.value.code == "past_slot"


def test_a_cycle_of_moves_publishes_as_one_batch(edition, slots, people, mailoutbox):
    """Kim's two published meetings trade slots: neither move can go first on its own."""
    kim, nguyen, santos, _ = people
    first = book_meeting(request=accepted(kim, nguyen), slot=slots[0], user=None)
    second = book_meeting(request=accepted(kim, santos), slot=slots[1], user=None)
    # one at a time, Kim would be in two meetings at once
    with pytest.raises(MeetingError), transaction.atomic():
        move_meeting(meeting=first, slot=slots[1], user=None)
    run = ScheduleRun.objects.create(
        edition=edition,
        status=ScheduleRunStatus.DONE,
        keep_published=False,
        draft={
            "assignments": [],
            "meetings": [
                {"meeting": first.pk, "slot": slots[1].pk},
                {"meeting": second.pk, "slot": slots[0].pk},
            ],
            "unplaced": [],
        },
    )
    mailoutbox.clear()

    result = publish_schedule(run=run)

    assert result.moved == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.slot_id, second.slot_id) == (slots[1].pk, slots[0].pk)
    assert first.room and second.room
    seats = MeetingSeat.objects.filter(registration=kim, released_at__isnull=True)
    assert sorted(seats.values_list("slot_id", "meeting_id")) == sorted(
        [(slots[1].pk, first.pk), (slots[0].pk, second.pk)]
    )
    assert (first.sequence, second.sequence) == (1, 1)  # both get an updated invitation


def _page_figures(client, run_id) -> tuple[str, str] | None:
    page = client.get(f"/admin/meetings/schedulerun/{run_id}/change/").content.decode()
    if "— optimising" not in page:
        return None
    placed = page.split("Placed</th><td>", 1)[1].split("</td>", 1)[0]
    breaks = page.split('id="run-breaks">', 1)[1].split("</td>", 1)[0]
    return placed, breaks


@pytest.mark.django_db(transaction=True)
def test_the_run_page_shows_the_best_so_far_as_the_solvers_find_it(admin_client, edition):
    """While the run optimises, its page shows each better schedule the engines find."""
    MeetingSettingsFactory(edition=edition)
    for n in range(10):
        MeetingSlotFactory(
            edition=edition,
            starts_at=dt.datetime(2030, 1, 21, 9, 0, tzinfo=SEOUL) + dt.timedelta(minutes=30 * n),
            rooms=4,
        )
    people = [participant(edition, f"P{n}") for n in range(14)]
    pairs = {(a, (a * 5 + k) % 14) for a in range(14) for k in (1, 2, 3)}
    for a, b in sorted(pairs):
        if a < b or (b, a) not in pairs:
            accepted(people[a], people[b])
    run = ScheduleRun.objects.create(edition=edition, time_limit=4)

    def execute() -> None:
        try:
            execute_schedule_run(run=run)
        finally:
            connections.close_all()

    worker = threading.Thread(target=execute)
    worker.start()
    seen = []
    while worker.is_alive():
        figures = _page_figures(admin_client, run.pk)
        if figures is not None and (not seen or seen[-1] != figures):
            seen.append(figures)
        time.sleep(0.02)
    worker.join()

    run.refresh_from_db()
    assert run.status == ScheduleRunStatus.DONE
    assert len(seen) >= 2, seen  # the figures changed while the run optimised
    assert all("(best so far)" in breaks for _, breaks in seen)
    # Breaks alone needn't fall (placing one more meeting may add a break): placements never drop.
    placed = [int(figures[0].split()[0]) for figures in seen]
    assert placed == sorted(placed), seen
    final = admin_client.get(f"/admin/meetings/schedulerun/{run.pk}/change/").content.decode()
    if run.breaks_bound is not None:  # the proven least, and how far above it the schedule is
        assert f"at least {run.breaks_bound} possible, {run.breaks_gap} above it" in final


def test_the_review_reads_a_draft_in_the_same_queries_however_many_people_it_holds(
    admin_client, django_assert_max_num_queries, edition, slots
):
    """Issue 20: the review loads what it shows of each person with their request, so a draft
    of hundreds of meetings costs no query per person (no field read later, one by one)."""
    people = [participant(edition, f"Person {n}") for n in range(12)]

    def draft_of(pairs):
        requests = [accepted(people[a], people[b]) for a, b in pairs]
        return ScheduleRun.objects.create(
            edition=edition,
            status=ScheduleRunStatus.DONE,
            placed=len(requests),
            requested=len(requests),
            draft={
                "assignments": [
                    {"request": request.pk, "slot": slots[n % 3].pk}
                    for n, request in enumerate(requests)
                ],
                "meetings": [],
                "unplaced": [],
            },
        )

    small = draft_of([(0, 1)])
    large = draft_of([(2, 3), (4, 5), (6, 7), (8, 9), (10, 11), (1, 2)])
    url = "/admin/meetings/schedulerun/{}/change/"
    admin_client.get(url.format(small.pk))
    with CaptureQueriesContext(connection) as few:
        small_page = admin_client.get(url.format(small.pk)).content.decode()

    with django_assert_max_num_queries(len(few)):
        large_page = admin_client.get(url.format(large.pk)).content.decode()

    assert "Person 0 — Person 0 Ltd" in small_page
    for n in range(1, 12):
        assert f"Person {n} — Person {n} Ltd" in large_page


def test_the_review_shows_one_day_of_a_long_draft_at_a_time(admin_client, edition, slots, people):
    """Issue 20: a forum's draft has hundreds of meetings over weeks; the page shows one day's
    grid and meetings, with the days to go to, and keeps the draft's totals."""
    kim, nguyen, santos, lee = people
    later = MeetingSlotFactory(
        edition=edition, starts_at=dt.datetime(2030, 1, 22, 10, 0, tzinfo=SEOUL), rooms=2
    )
    monday = accepted(kim, nguyen)
    tuesday = accepted(santos, lee)
    run = ScheduleRun.objects.create(
        edition=edition,
        status=ScheduleRunStatus.DONE,
        placed=2,
        requested=2,
        draft={
            "assignments": [
                {"request": monday.pk, "slot": slots[0].pk},
                {"request": tuesday.pk, "slot": later.pk},
            ],
            "meetings": [],
            "unplaced": [],
        },
    )
    url = f"/admin/meetings/schedulerun/{run.pk}/change/"

    first = admin_client.get(url).content.decode()
    second = admin_client.get(f"{url}?day=2030-01-22").content.decode()
    nonsense = admin_client.get(f"{url}?day=next-week")

    assert "2 new meetings, 0 moved, 0 dropped, 0 kept where they are." in first
    assert "Kim — Kim Ltd" in first and "Santos — Santos Ltd" not in first
    assert 'href="?day=2030-01-22" rel="next"' in first
    assert "Santos — Santos Ltd" in second and "Kim — Kim Ltd" not in second
    assert 'href="?day=2030-01-21" rel="prev"' in second
    assert nonsense.status_code == 200
    assert "Kim — Kim Ltd" in nonsense.content.decode()  # the first day
