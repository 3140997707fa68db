"""What a sign-up costs the database: its busy statements planned once per connection
(PostgreSQL), and no index written that another index already serves."""

import pytest
from django.db import connection

from common import ratelimit
from common.models import RateLimitCounter
from registrations.forms.register import RegistrationForm
from registrations.models import Registration, SessionBooking
from registrations.selectors.registrations import current_edition_light
from registrations.services.registrations import register_attendee
from tests.factories import SessionFactory
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


def indexes_on(model) -> list[list[str]]:
    """The columns of each index of the model's table (unique ones included)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [info["columns"] for info in found.values() if info["index"] or info["unique"]]


def prepared_like(pattern: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", [pattern]
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_a_sign_ups_statements_are_prepared_once_and_reused(open_edition):
    full = SessionFactory(edition=open_edition, capacity=1)
    open_session = SessionFactory(edition=open_edition, capacity=50)

    def sign_up(n: int) -> None:
        current_edition_light()
        assert ratelimit.hit_all([("register_ip", f"10.0.0.{n}")])
        data = service_data(email=f"p{n}@example.org", sessions=[full, open_session])
        assert register_attendee(edition=open_edition, data=data) is not None

    sign_up(1)  # takes the last seat of `full`: the next ones wait
    sign_up(2)
    busy = {
        "the edition": '%FROM "forum_edition"%',
        "a seat": 'UPDATE "forum_session" SET "seats_taken"%',
        "a waiting place": 'UPDATE "forum_session" SET "last_waiting_place"%',
        "the bookings": 'INSERT INTO "registrations_sessionbooking"%',
        "the rate limit": 'INSERT INTO "registrations_ratelimitcounter"%',
    }
    before = {name: prepared_like(pattern) for name, pattern in busy.items()}
    assert all(before.values()), before

    sign_up(3)
    sign_up(4)

    assert {name: prepared_like(pattern) for name, pattern in busy.items()} == before
    assert SessionBooking.objects.filter(session=full, status="waiting").count() == 3


def test_no_index_is_written_that_a_wider_one_already_serves():
    # Each key is looked up through an index that leads with it ...
    bookings = indexes_on(SessionBooking)
    assert ["registration_id", "session_id"] in bookings
    assert ["session_id", "status"] in bookings
    assert ["edition_id", "status"] in indexes_on(Registration)
    # ... and has no index of its own for every sign-up to write.
    assert ["registration_id"] not in bookings
    assert ["session_id"] not in bookings
    assert ["edition_id"] not in indexes_on(Registration)
    # The rate limit's key: the unique index only (no second one for LIKE on PostgreSQL).
    assert indexes_on(RateLimitCounter).count(["key"]) == 1


def test_forms_share_their_fixed_choices_but_not_their_fields(open_edition):
    session = SessionFactory(edition=open_edition, capacity=5)
    first, second = (RegistrationForm(edition=open_edition) for _ in range(2))

    for name in ("category", "language", "sessions"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].widget is not second.fields[name].widget
    first.fields["category"].widget.attrs["data-x"] = "1"
    assert "data-x" not in second.fields["category"].widget.attrs
    assert list(first.fields["category"].choices) == list(second.fields["category"].choices)
    assert ("korean_company", "Korean company") in first.fields["category"].choices
    # Each form reads its own edition's sessions.
    assert list(first.fields["sessions"].queryset) == [session]
    assert first.fields["sessions"].queryset is not second.fields["sessions"].queryset
