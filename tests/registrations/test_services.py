"""The services: seats and waiting lists, confirmation, approval, cancellation, consents, expiry."""

import datetime as dt

import pytest
from django.utils import timezone

from common.choices import AuditActor
from registrations.choices import ConsentKind, RegistrationStatus
from registrations.errors import RegistrationError
from registrations.models import Consent, Registration, SessionBooking
from registrations.services.bookings import book_session, change_sessions, drop_session
from registrations.services.consents import give_consent, withdraw_consent
from registrations.services.details import update_registration
from registrations.services.registrations import (
    approve_registration,
    cancel_registration,
    confirm_registration,
    expire_registrations,
    register_attendee,
    reject_registration,
)
from registrations.services.waitinglist import change_capacity, promote_booking
from tests.factories import SessionFactory
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


def places(session):
    return list(
        SessionBooking.objects.filter(session=session)
        .order_by("status", "seat", "position")
        .values_list("registration__email", "status", "seat", "position")
    )


def test_registering_takes_seats_at_once_and_records_consents(
    open_edition, small_session, big_session, mailoutbox, run_on_commit
):
    with run_on_commit():
        registration = register_attendee(
            edition=open_edition, data=service_data(sessions=[small_session, big_session])
        )

    assert registration.status == RegistrationStatus.AWAITING_CONFIRMATION
    assert places(small_session) == [("jiwon.park@example.co.kr", "booked", 1, None)]
    assert places(big_session) == [("jiwon.park@example.co.kr", "booked", 1, None)]
    assert sorted(Consent.objects.values_list("kind", "version", "withdrawn_at")) == [
        ("collection", "1", None),
        ("transfer", "1", None),
    ]
    assert [m.to for m in mailoutbox] == [["jiwon.park@example.co.kr"]]
    assert mailoutbox[0].subject == f"Please confirm your email address — {open_edition.title}"


def test_a_full_session_puts_the_next_people_on_its_waiting_list_in_order(
    open_edition, small_session
):
    for n in range(3):
        register_attendee(
            edition=open_edition,
            data=service_data(email=f"p{n}@example.org", sessions=[small_session]),
        )

    assert places(small_session) == [
        ("p0@example.org", "booked", 1, None),
        ("p1@example.org", "waiting", None, 1),
        ("p2@example.org", "waiting", None, 2),
    ]


def test_cancelling_promotes_the_first_in_line_and_emails_them(
    open_edition, small_session, mailoutbox, run_on_commit
):
    first, second, third = [
        register_attendee(
            edition=open_edition,
            data=service_data(email=f"p{n}@example.org", sessions=[small_session]),
        )
        for n in range(3)
    ]
    with run_on_commit():
        cancel_registration(registration=first)

    assert places(small_session) == [
        ("p1@example.org", "booked", 1, None),
        ("p2@example.org", "waiting", None, 2),
    ]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["p1@example.org"], f"A seat became free for you — {open_edition.title}"),
        (["p0@example.org"], f"Your registration is cancelled — {open_edition.title}"),
    ]
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert first.cancelled_at is not None


def test_an_existing_email_changes_nothing_and_its_owner_gets_their_link(
    open_edition, mailoutbox, run_on_commit
):
    register_attendee(edition=open_edition, data=service_data())
    with run_on_commit():
        result = register_attendee(
            edition=open_edition,
            data=service_data(email="JIWON.PARK@example.co.kr", name="Somebody Else"),
        )

    assert result is None
    assert list(Registration.objects.values_list("name", "email")) == [
        ("Park Ji-won", "jiwon.park@example.co.kr")
    ]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["jiwon.park@example.co.kr"], f"You are already registered — {open_edition.title}")
    ]
    assert "/register/manage/" in mailoutbox[0].body


def test_confirming_confirms_or_waits_for_approval(open_edition, mailoutbox, run_on_commit):
    settings = open_edition.registration_settings
    settings.approval_categories = ["media"]
    settings.save()
    company = register_attendee(edition=open_edition, data=service_data())
    journalist = register_attendee(
        edition=open_edition, data=service_data(email="press@example.org", category="media")
    )
    with run_on_commit():
        company = confirm_registration(registration=company)
        journalist = confirm_registration(registration=journalist)

    assert (company.status, journalist.status) == ("confirmed", "awaiting_approval")
    assert company.email_confirmed_at is not None and company.confirmed_at is not None
    assert journalist.confirmed_at is None
    assert [m.subject for m in mailoutbox] == [
        f"Your registration is confirmed — {open_edition.title}",
        f"We received your registration — {open_edition.title}",
    ]

    with run_on_commit():
        approved = approve_registration(registration=journalist, actor=AuditActor.SYSTEM)
    assert approved.status == RegistrationStatus.CONFIRMED
    assert mailoutbox[-1].subject == f"Your registration is approved — {open_edition.title}"


def test_rejecting_releases_seats_and_emails_the_decision(
    open_edition, small_session, mailoutbox, run_on_commit
):
    registration = register_attendee(
        edition=open_edition, data=service_data(category="media", sessions=[small_session])
    )
    with run_on_commit():
        reject_registration(registration=registration, actor=AuditActor.SYSTEM)

    assert places(small_session) == []
    assert Registration.objects.get().status == RegistrationStatus.REJECTED
    assert mailoutbox[-1].subject == f"About your registration — {open_edition.title}"


def test_approving_a_confirmed_registration_is_refused(open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    confirm_registration(registration=registration)

    with pytest.raises(RegistrationError) as error:
        approve_registration(registration=registration, actor=AuditActor.SYSTEM)
    assert error.value.code == "not_awaiting"


def test_required_consents_are_checked_by_the_service_too(open_edition):
    with pytest.raises(RegistrationError) as error:
        register_attendee(edition=open_edition, data=service_data(consents=["collection"]))
    assert error.value.code == "consent_required"

    with pytest.raises(RegistrationError):
        register_attendee(
            edition=open_edition,
            data=service_data(wants_meetings=True, consents=["collection", "transfer"]),
        )
    assert Registration.objects.count() == 0


def test_registration_outside_the_window_is_refused(open_edition):
    open_edition.registration_closes = timezone.now() - dt.timedelta(minutes=1)
    open_edition.registration_opens = timezone.now() - dt.timedelta(days=2)
    open_edition.save()

    with pytest.raises(RegistrationError) as error:
        register_attendee(edition=open_edition, data=service_data())
    assert error.value.code == "closed"


def test_sessions_of_another_edition_are_refused(open_edition):
    elsewhere = SessionFactory(edition__is_current=False)
    with pytest.raises(RegistrationError) as error:
        register_attendee(edition=open_edition, data=service_data(sessions=[elsewhere]))
    assert error.value.code == "wrong_session"


def test_changing_sessions_books_new_ones_and_frees_dropped_ones(
    open_edition, small_session, big_session
):
    first = register_attendee(
        edition=open_edition, data=service_data(email="a@example.org", sessions=[small_session])
    )
    register_attendee(
        edition=open_edition, data=service_data(email="b@example.org", sessions=[small_session])
    )

    change_sessions(registration=first, sessions=[big_session])

    assert places(small_session) == [("b@example.org", "booked", 1, None)]
    assert places(big_session) == [("a@example.org", "booked", 1, None)]


def test_booking_twice_keeps_one_place(open_edition, big_session):
    registration = register_attendee(edition=open_edition, data=service_data())
    book_session(registration=registration, session=big_session)
    book_session(registration=registration, session=big_session)
    assert places(big_session) == [("jiwon.park@example.co.kr", "booked", 1, None)]


def test_seats_freed_in_the_middle_are_reused_by_number(open_edition):
    session = SessionFactory(edition=open_edition, capacity=3)
    people = [
        register_attendee(
            edition=open_edition, data=service_data(email=f"s{n}@example.org", sessions=[session])
        )
        for n in range(3)
    ]
    cancel_registration(registration=people[1])
    register_attendee(
        edition=open_edition, data=service_data(email="late@example.org", sessions=[session])
    )
    assert places(session) == [
        ("s0@example.org", "booked", 1, None),
        ("late@example.org", "booked", 2, None),
        ("s2@example.org", "booked", 3, None),
    ]


def test_staff_promote_by_hand_only_into_a_free_seat(open_edition, small_session):
    for n in range(3):
        register_attendee(
            edition=open_edition,
            data=service_data(email=f"p{n}@example.org", sessions=[small_session]),
        )
    last = SessionBooking.objects.get(registration__email="p2@example.org")

    with pytest.raises(RegistrationError) as error:
        promote_booking(booking=last, actor=AuditActor.SYSTEM)
    assert error.value.code == "full"

    small_session.capacity = 2
    small_session.save()
    promote_booking(booking=last, actor=AuditActor.SYSTEM)  # ahead of p1, as staff decided
    assert places(small_session) == [
        ("p0@example.org", "booked", 1, None),
        ("p2@example.org", "booked", 2, None),
        ("p1@example.org", "waiting", None, 1),
    ]


def test_a_changed_email_waits_for_its_inbox_then_replaces_the_old_and_rotates_the_links(
    open_edition, mailoutbox, run_on_commit
):
    registration = confirm_registration(
        registration=register_attendee(edition=open_edition, data=service_data())
    )
    old_key = registration.link_key
    with run_on_commit():
        updated = update_registration(
            registration=registration, data={"email": "new@example.org", "job_title": "CEO"}
        )

    # Until the new inbox confirms, the registration keeps its address and its links.
    assert (updated.email, updated.pending_email, updated.job_title) == (
        "jiwon.park@example.co.kr",
        "new@example.org",
        "CEO",
    )
    assert updated.link_key == old_key
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            ["jiwon.park@example.co.kr"],
            f"A change of your registration's email address — {open_edition.title}",
        ),
        (["new@example.org"], f"Please confirm your email address — {open_edition.title}"),
    ]
    assert "new@example.org" in mailoutbox[0].body

    confirmed = confirm_registration(registration=updated, new_email=True)
    assert (confirmed.email, confirmed.pending_email) == ("new@example.org", "")
    assert confirmed.email_confirmed_at is not None
    assert confirmed.link_key != old_key
    assert confirmed.status == RegistrationStatus.CONFIRMED


def test_changing_to_a_taken_email_looks_the_same_and_tells_its_owner(
    open_edition, mailoutbox, run_on_commit
):
    register_attendee(edition=open_edition, data=service_data(email="taken@example.org"))
    registration = register_attendee(edition=open_edition, data=service_data())
    with run_on_commit():
        update_registration(registration=registration, data={"email": "Taken@example.org"})

    registration.refresh_from_db()
    assert (registration.email, registration.pending_email) == (
        "jiwon.park@example.co.kr",
        "Taken@example.org",
    )
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            ["jiwon.park@example.co.kr"],
            f"A change of your registration's email address — {open_edition.title}",
        ),
        (["taken@example.org"], f"You are already registered — {open_edition.title}"),
    ]


def test_withdrawing_sharing_ends_the_meeting_opt_in_and_can_be_given_again(open_edition):
    registration = register_attendee(
        edition=open_edition,
        data=service_data(
            wants_meetings=True, consents=["collection", "transfer", "sharing", "marketing"]
        ),
    )
    withdraw_consent(registration=registration, kind=ConsentKind.SHARING)
    withdraw_consent(registration=registration, kind=ConsentKind.MARKETING)
    registration.refresh_from_db()

    assert registration.wants_meetings is False
    assert sorted(
        registration.consents.filter(withdrawn_at=None).values_list("kind", flat=True)
    ) == [
        "collection",
        "transfer",
    ]
    give_consent(registration=registration, kind=ConsentKind.MARKETING)
    assert registration.consents.filter(kind="marketing").count() == 2
    assert registration.consents.filter(kind="marketing", withdrawn_at=None).count() == 1


def test_opting_into_meetings_later_needs_the_sharing_consent(open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    with pytest.raises(RegistrationError) as error:
        update_registration(registration=registration, data={"wants_meetings": True})
    assert error.value.code == "consent_required"

    give_consent(registration=registration, kind=ConsentKind.SHARING)
    assert update_registration(
        registration=registration, data={"wants_meetings": True}
    ).wants_meetings


def test_required_consents_cant_be_withdrawn(open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    for kind in (ConsentKind.COLLECTION, ConsentKind.TRANSFER):
        with pytest.raises(RegistrationError) as error:
            withdraw_consent(registration=registration, kind=kind)
        assert error.value.code == "required_consent"


def test_unconfirmed_registrations_expire_and_free_their_seats(
    open_edition, small_session, mailoutbox, run_on_commit
):
    stale = register_attendee(
        edition=open_edition, data=service_data(email="stale@example.org", sessions=[small_session])
    )
    register_attendee(
        edition=open_edition, data=service_data(email="next@example.org", sessions=[small_session])
    )
    Registration.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=49)
    )

    with run_on_commit():
        assert expire_registrations() == 1

    assert list(Registration.objects.values_list("email", flat=True)) == ["next@example.org"]
    assert places(small_session) == [("next@example.org", "booked", 1, None)]
    assert [m.to for m in mailoutbox] == [["next@example.org"]]


def test_confirmed_registrations_never_expire(open_edition):
    registration = confirm_registration(
        registration=register_attendee(edition=open_edition, data=service_data())
    )
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - dt.timedelta(days=10)
    )
    assert expire_registrations() == 0
    assert Registration.objects.count() == 1


def test_an_ended_registration_cant_be_changed(open_edition, big_session):
    registration = cancel_registration(
        registration=register_attendee(edition=open_edition, data=service_data())
    )
    for action in (
        lambda: book_session(registration=registration, session=big_session),
        lambda: cancel_registration(registration=registration),
        lambda: update_registration(registration=registration, data={"name": "X"}),
        lambda: confirm_registration(registration=registration),
    ):
        with pytest.raises(RegistrationError) as error:
            action()
        assert error.value.code == "inactive"


def test_joining_a_long_waiting_list_costs_what_joining_a_short_one_does(open_edition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = SessionFactory(edition=open_edition, capacity=2)

    def join(email: str) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            register_attendee(
                edition=open_edition, data=service_data(email=email, sessions=[session])
            )
        return [q["sql"] for q in queries.captured_queries]

    for n in range(3):
        join(f"early{n}@example.org")
    short = join("short@example.org")
    for n in range(40):
        join(f"middle{n}@example.org")
    long = join("long@example.org")

    assert len(long) == len(short)
    bookings = [sql for sql in long if "registrations_sessionbooking" in sql]
    # While the session is locked: no join to sessions (no Meta.ordering), one aggregate over
    # the seats and one step down the waiting list's index, not a MAX over it.
    assert not any("JOIN" in sql for sql in bookings)
    assert not any('MAX("registrations_sessionbooking"."position")' in sql for sql in bookings)
    assert places(session)[-1] == ("long@example.org", "waiting", None, 43)


@pytest.mark.parametrize("waiting", [1, 4])
def test_lifting_a_capacity_promotes_the_line_without_a_query_per_person(open_edition, waiting):
    """Issue 16, defect 4: the promotion emails' registrations come with the bookings."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registrations.services.waitinglist import promote_from_waiting_list

    session = SessionFactory(edition=open_edition, capacity=1)
    for n in range(waiting + 1):
        register_attendee(
            edition=open_edition,
            data=service_data(email=f"p{n}@example.org", sessions=[session]),
        )
    session.capacity = None
    session.save()
    with CaptureQueriesContext(connection) as captured:
        promoted = promote_from_waiting_list(session=session)

    assert len(promoted) == waiting
    reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT")]
    assert sum('FROM "registrations_registration"' in sql for sql in reads) == 0


@pytest.mark.parametrize(("capacity", "updates"), [(5, 1), (1, 2)])
def test_a_sign_up_locks_its_session_last_for_the_seat_and_the_booking_only(
    open_edition, capacity, updates
):
    """Issue 20: every sign-up of a rush waits for the same session row, so everything that
    doesn't depend on the seat (registration, consents, audit, outbox) is written first; then one
    conditional UPDATE of the session's counter takes the seat (or the waiting place when full)
    and holds the row, and the bookings' INSERT follows before the commit. A guess of the wrong
    kind (the session filled up since this process last saw it) costs one UPDATE that matches no
    row and locks nothing; the next sign-up guesses right."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from common.models import AuditLog, OutgoingEmail

    session = SessionFactory(edition=open_edition, capacity=capacity)
    register_attendee(
        edition=open_edition, data=service_data(email="first@example.org", sessions=[session])
    )

    def sign_up(email):
        with CaptureQueriesContext(connection) as captured:
            registration = register_attendee(
                edition=open_edition, data=service_data(email=email, sessions=[session])
            )
        # A statement run prepared (common.db.prepared_cursor) is logged as Django logs one
        # whose final text the driver doesn't give: "QUERY = '…' - PARAMS = …".
        statements = [q["sql"].removeprefix("QUERY = '") for q in captured]
        counters = [n for n, sql in enumerate(statements) if 'UPDATE "forum_session"' in sql]
        after = [
            sql
            for sql in statements[counters[-1] + 1 :]
            if not sql.startswith(("RELEASE SAVEPOINT", "COMMIT", "SAVEPOINT"))
        ]
        assert not any('"forum_session"' in sql for sql in statements if sql.startswith("SELECT"))
        # The rows before the seat: one statement on PostgreSQL (common.rows), one INSERT per
        # table elsewhere (registration, consents, audit, email; the task after the commit here).
        writes = [sql for sql in statements[: counters[0]] if sql.startswith(("INSERT", "WITH"))]
        assert len(writes) == (1 if connection.vendor == "postgresql" else 4), writes
        return registration, len(counters), after

    registration, counted, after = sign_up("second@example.org")
    assert counted == updates
    assert len(after) == 1
    assert after[0].startswith('INSERT INTO "registrations_sessionbooking"')
    assert sign_up("third@example.org")[1] == 1
    assert AuditLog.objects.filter(
        action="registration.created", object_id=registration.pk
    ).get().details == {
        "consents": sorted(service_data()["consents"]),
        "sessions": [session.pk],
    }
    assert OutgoingEmail.objects.filter(recipient_id=registration.pk, kind="confirm").count() == 1
    expected = (
        ("second@example.org", "booked", 2, None)
        if capacity == 5
        else ("second@example.org", "waiting", None, 1)
    )
    assert next(p for p in places(session) if p[0] == "second@example.org") == expected


def test_the_seat_counter_follows_bookings_cancellations_promotions_and_capacity(open_edition):
    """Issue 20: the session's `seats_taken` is what a sign-up's conditional UPDATE relies on."""
    from forum.models import Session

    session = SessionFactory(edition=open_edition, capacity=1)

    def counters():
        return Session.objects.values_list("seats_taken", "last_waiting_place").get(pk=session.pk)

    first, second = (
        register_attendee(
            edition=open_edition, data=service_data(email=f"{n}@example.org", sessions=[session])
        )
        for n in ("first", "second")
    )
    assert counters() == (1, 1)
    cancel_registration(registration=first)  # the seat goes to the second, still one taken
    assert counters() == (1, 1)
    assert places(session) == [("second@example.org", "booked", 1, None)]
    cancel_registration(registration=second)  # nobody waiting: the seat is free
    assert counters() == (0, 1)
    change_capacity(session=session, capacity=3, actor=AuditActor.SYSTEM)
    third = register_attendee(
        edition=open_edition, data=service_data(email="third@example.org", sessions=[session])
    )
    assert counters() == (1, 1)
    # A whole-row save from an object read before the sign-up doesn't put the old count back.
    stale = Session.objects.get(pk=session.pk)
    register_attendee(
        edition=open_edition, data=service_data(email="fourth@example.org", sessions=[session])
    )
    stale.title = "Renamed"
    stale.save()
    assert counters() == (2, 1)
    change_capacity(session=session, capacity=None, actor=AuditActor.SYSTEM)
    assert counters() == (0, 1)
    change_capacity(session=session, capacity=2, actor=AuditActor.SYSTEM)
    assert counters() == (2, 1)
    drop_session(registration=third, session=session)
    assert counters() == (1, 1)
