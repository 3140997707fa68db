"""At most once per claim: a sender killed at each step of sending leaves a claim that a
restarted worker respects, and a second copy (only after the claim expired, only when the mail
server had taken the first) carries the same Message-ID.

A kill is simulated by raising KeyboardInterrupt (which no `except Exception` catches) at each
step: after the claim, while the mail server takes the message, after it took it, before the row
is marked sent (the mark and its audit entry commit together, so a kill inside rolls both back),
and after it was marked, before the task was recorded done."""

import datetime as dt

import pytest
from django.core import mail as django_mail
from django.db import OperationalError, connection
from django.db.models import F

from common.choices import EmailStatus
from common.models import OutgoingEmail
from common.services.outbox import claim_seconds, send_due_emails, send_outgoing_email
from registrations.services.registrations import register_attendee
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


class Killed(KeyboardInterrupt):
    """The sender's process ends here."""


def queued(open_edition) -> OutgoingEmail:
    registration = register_attendee(edition=open_edition, data=service_data())
    return OutgoingEmail.objects.get(registration=registration)


def kill_after(sql_marker: str):
    """An execute wrapper that lets the matching statement run, then kills the sender."""

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql_marker in sql:
            raise Killed
        return result

    return wrapper


def kill_before(sql_marker: str):
    def wrapper(execute, sql, params, many, context):
        if sql_marker in sql:
            raise Killed
        return execute(sql, params, many, context)

    return wrapper


# The claiming UPDATE counts an attempt; marking sent (or failed) is an UPDATE under the claim.
CLAIM = '"attempts" = ('
MARK = '."claim_token" = %s AND'


def expire_claims() -> None:
    """Time passes: every claim is older than the claim time."""
    OutgoingEmail.objects.exclude(claimed_at=None).update(
        claimed_at=F("claimed_at") - dt.timedelta(seconds=claim_seconds() + 1)
    )


def restart_and_recover(email) -> list:
    """A restarted worker runs the task again at once (nothing may leave: the claim is live),
    then the safety net sends what is due once the claim has expired."""
    send_outgoing_email.call(email.pk)
    assert send_due_emails() == 0
    sent_while_claimed = list(django_mail.outbox)
    expire_claims()
    assert send_due_emails() == 1
    return sent_while_claimed


def message_ids() -> list[str]:
    return [m.message()["Message-ID"] for m in django_mail.outbox]


def test_killed_after_the_claim_before_sending(open_edition, mailoutbox):
    email = queued(open_edition)
    with connection.execute_wrapper(kill_after(CLAIM)), pytest.raises(Killed):
        send_outgoing_email.call(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claim_token != "") == ("queued", 1, True)

    assert restart_and_recover(email) == []
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claim_token) == (EmailStatus.SENT, 2, "")
    assert message_ids() == [f"<outbox-{email.pk}@localhost>"]


def test_killed_while_the_mail_server_takes_it(open_edition, settings, mailoutbox):
    email = queued(open_edition)
    settings.MAILERS = {"default": {"BACKEND": "tests.common.mailers.DyingBeforeDelivery"}}
    with pytest.raises(KeyboardInterrupt):
        send_outgoing_email.call(email.pk)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    assert restart_and_recover(email) == []
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(mailoutbox) == 1


def test_killed_after_the_mail_server_took_it(open_edition, settings, mailoutbox):
    email = queued(open_edition)
    settings.MAILERS = {"default": {"BACKEND": "tests.common.mailers.DyingAfterDelivery"}}
    with pytest.raises(KeyboardInterrupt):
        send_outgoing_email.call(email.pk)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert len(mailoutbox) == 1  # it left

    # Not again while the claim lives (the restarted worker, the safety net).
    assert len(restart_and_recover(email)) == 1
    # After it expired the row is sent again — the same message, by its Message-ID.
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert message_ids() == [f"<outbox-{email.pk}@localhost>"] * 2


def test_killed_before_marking_it_sent(open_edition, mailoutbox):
    email = queued(open_edition)
    with connection.execute_wrapper(kill_before(MARK)), pytest.raises(Killed):
        send_outgoing_email.call(email.pk)
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert (email.status, email.claim_token != "") == ("queued", True)

    assert len(restart_and_recover(email)) == 1
    assert message_ids() == [f"<outbox-{email.pk}@localhost>"] * 2


def test_killed_after_marking_it_sent_before_the_task_was_recorded_done(open_edition, mailoutbox):
    email = queued(open_edition)
    send_outgoing_email.call(email.pk)
    # The worker died before recording the task done: it is run again (common/worker.py).
    send_outgoing_email.call(email.pk)
    expire_claims()
    assert send_due_emails() == 0
    email.refresh_from_db()
    assert (email.status, len(mailoutbox)) == (EmailStatus.SENT, 1)


@pytest.mark.django_db(transaction=True)  # the sender reconnects: no test transaction around it
def test_the_database_restarting_after_the_send_is_waited_for_not_sent_twice(
    open_edition, mailoutbox, settings
):
    # Queued only: outside a test transaction the immediate backend would send it at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    email = queued(open_edition)
    refusals = []

    def restarting(execute, sql, params, many, context):
        if MARK in sql and len(refusals) < 2:
            refusals.append(sql)
            raise OperationalError("terminating connection due to administrator command")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(restarting):
        send_outgoing_email.call(email.pk)

    email.refresh_from_db()
    assert (len(refusals), email.status, len(mailoutbox)) == (2, EmailStatus.SENT, 1)


def test_two_senders_never_both_send_one_claim(open_edition, mailoutbox):
    email = queued(open_edition)
    sent_inside = []

    def second_sender_meanwhile(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if CLAIM in sql and not sent_inside:
            sent_inside.append(True)
            # Another worker runs the same task while this one holds the claim.
            send_outgoing_email.call(email.pk)
        return result

    with connection.execute_wrapper(second_sender_meanwhile):
        send_outgoing_email.call(email.pk)
    assert len(mailoutbox) == 1


def test_the_database_going_away_while_building_gives_the_claim_back(open_edition, mailoutbox):
    email = queued(open_edition)
    state = {"claimed": False, "refused": 0}

    def away_after_the_claim(execute, sql, params, many, context):
        if CLAIM in sql:
            state["claimed"] = True
        elif state["claimed"] and sql.startswith("SELECT") and not state["refused"]:
            state["refused"] += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(away_after_the_claim), pytest.raises(OperationalError):
        send_outgoing_email.call(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claim_token, mailoutbox) == ("queued", 0, "", [])

    # The task run again sends it at once, without waiting for a claim to expire.
    send_outgoing_email.call(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts, len(mailoutbox)) == (EmailStatus.SENT, 1, 1)
