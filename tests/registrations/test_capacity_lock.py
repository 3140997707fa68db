"""Raising a session's capacity in the admin: the session's row is locked before the capacity is
written, and the waiting list moves up in that same transaction; below the seats taken, refused
under the lock."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.choices import AuditActor
from common.models import AuditLog, OutgoingEmail
from forum.models import Session
from registrations.errors import RegistrationError
from registrations.models import SessionBooking
from registrations.services.registrations import register_attendee
from registrations.services.waitinglist import change_capacity
from tests.registrations.admin_forms import change_form_data
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


def line(open_edition, session, people: int):
    for n in range(people):
        register_attendee(
            edition=open_edition, data=service_data(email=f"p{n}@example.org", sessions=[session])
        )


def test_the_capacity_is_written_under_the_sessions_lock_with_the_promotions(
    admin_client, admin_user, open_edition, small_session
):
    line(open_edition, small_session, 4)  # one seat, three waiting
    url = f"/admin/forum/session/{small_session.pk}/change/"
    page = admin_client.get(url)

    with CaptureQueriesContext(connection) as captured:
        response = admin_client.post(url, change_form_data(page, capacity="3"))

    assert response.status_code == 302
    statements = [query["sql"] for query in captured]
    write = next(i for i, sql in enumerate(statements) if sql.startswith('UPDATE "forum_session"'))
    lock = next(
        i
        for i, sql in enumerate(statements)
        if sql.startswith("SELECT")
        and 'FROM "forum_session"' in sql
        and '"forum_session"."id" IN' in sql
        and (" FOR UPDATE" in sql or not connection.features.has_select_for_update)
    )
    promoted = [
        i
        for i, sql in enumerate(statements)
        if sql.startswith('UPDATE "registrations_sessionbooking"')
    ]
    assert lock < write < min(promoted)
    assert len(promoted) == 2
    assert Session.objects.get(pk=small_session.pk).capacity == 3
    assert sorted(
        SessionBooking.objects.filter(session=small_session).values_list("status", "seat")
    ) == [("booked", 1), ("booked", 2), ("booked", 3), ("waiting", None)]
    assert OutgoingEmail.objects.filter(kind="promoted").count() == 2
    entry = AuditLog.objects.get(action="session.capacity_changed")
    assert (entry.actor, entry.fields) == (admin_user, ["capacity"])


def test_a_failing_promotion_leaves_the_capacity_as_it_was(
    admin_client, open_edition, small_session
):
    """Capacity and promotions commit together or not at all."""
    line(open_edition, small_session, 2)
    url = f"/admin/forum/session/{small_session.pk}/change/"
    page = admin_client.get(url)

    def promotion_fails(execute, sql, params, many, context):
        if sql.startswith('UPDATE "registrations_sessionbooking"'):
            raise RuntimeError("the promotion fails")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(promotion_fails), pytest.raises(RuntimeError):
        admin_client.post(url, change_form_data(page, capacity="2"))

    assert Session.objects.get(pk=small_session.pk).capacity == 1
    assert not AuditLog.objects.filter(action="session.capacity_changed").exists()


def test_below_the_seats_taken_the_service_refuses_under_the_lock(open_edition, small_session):
    line(open_edition, small_session, 2)
    change_capacity(session=small_session, capacity=2, actor=AuditActor.SYSTEM)
    assert SessionBooking.objects.filter(session=small_session, status="booked").count() == 2
    with pytest.raises(RegistrationError) as refused:
        change_capacity(session=small_session, capacity=1, actor=AuditActor.SYSTEM)
    assert refused.value.code == "below_booked"
    assert Session.objects.get(pk=small_session.pk).capacity == 2
