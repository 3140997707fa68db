"""The public-id migration gives every existing registration its own random id."""

from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import registrations.migrations

# Whatever number the migration has: the one that adds the public id, and what it follows.
NAME = next(
    path.stem
    for path in Path(registrations.migrations.__file__).parent.glob(
        "*_registration_public_id_pending_email.py"
    )
)
# The programme as it was then: later forum migrations add columns the old models don't know.
BEFORE = [
    *import_module(f"registrations.migrations.{NAME}").Migration.dependencies,
    ("forum", "0005_bilingual_content_english"),
]
AFTER = [("registrations", NAME)]


@pytest.mark.django_db(transaction=True)
def test_existing_registrations_get_distinct_public_ids():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Edition = old.get_model("forum", "Edition")
    Registration = old.get_model("registrations", "Registration")
    edition = Edition.objects.create(
        number=1, slug="first", title="First", start_date="2022-01-18", end_date="2022-01-19"
    )
    for n in range(3):
        Registration.objects.create(
            edition=edition,
            name=f"Person {n}",
            email=f"p{n}@example.org",
            organisation="Org",
            job_title="Director",
            country="KR",
            category="korean_company",
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    ids = list(
        new.get_model("registrations", "Registration").objects.values_list("public_id", flat=True)
    )
    assert len(ids) == 3 and None not in ids
    assert len(set(ids)) == 3

    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_seat_counters_are_filled_from_the_bookings():
    """Issue 20: forum 0010 adds the sessions' counters, registrations 0022 fills them."""
    before = [("forum", "0009_materials_recordings"), ("registrations", "0021_session_feedback")]
    after = [("registrations", "0022_fill_session_seat_counters")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    edition = old.get_model("forum", "Edition").objects.create(
        number=1, slug="first", title="First", start_date="2022-01-18", end_date="2022-01-19"
    )
    Session = old.get_model("forum", "Session")
    limited, unlimited = (
        Session.objects.create(
            edition=edition,
            slug=slug,
            title=slug,
            kind="panel",
            starts_at="2022-01-18T01:00:00Z",
            ends_at="2022-01-18T02:00:00Z",
            capacity=capacity,
        )
        for slug, capacity in (("limited", 2), ("open", None))
    )
    Registration = old.get_model("registrations", "Registration")
    Booking = old.get_model("registrations", "SessionBooking")
    for n, (status, seat, position) in enumerate(
        [("booked", 1, None), ("booked", 2, None), ("waiting", None, 3), ("waiting", None, 5)]
    ):
        person = Registration.objects.create(
            edition=edition,
            name=f"P{n}",
            email=f"p{n}@example.org",
            organisation="Org",
            job_title="Director",
            country="KR",
            category="korean_company",
        )
        Booking.objects.create(
            registration=person, session=limited, status=status, seat=seat, position=position
        )
        Booking.objects.create(registration=person, session=unlimited, status="booked")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    counters = dict(new.get_model("forum", "Session").objects.values_list("slug", "seats_taken"))
    places = dict(
        new.get_model("forum", "Session").objects.values_list("slug", "last_waiting_place")
    )
    assert (counters, places) == ({"limited": 2, "open": 0}, {"limited": 5, "open": 0})

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
