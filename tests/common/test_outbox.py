"""The outbox: every email stored with its change, sent by the task, retried, resent, purged."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from common.choices import EmailStatus
from common.emails import email_kinds
from common.models import AuditLog, OutgoingEmail
from common.services.outbox import (
    MAX_ATTEMPTS,
    queue_email,
    resend_email,
    send_due_emails,
    send_outgoing_email,
)
from registrations.choices import EmailKind
from registrations.models import Registration
from registrations.services.registrations import register_attendee
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db

REFUSING = {"default": {"BACKEND": "tests.registrations.mailers.RefusingBackend"}}


def test_every_kind_of_registration_email_is_declared_once(monkeypatch):
    kinds = {value for name, value in vars(EmailKind).items() if name.isupper()}
    assert kinds <= set(email_kinds())
    # Another app declaring the same kinds is refused, not silently preferred.
    monkeypatch.setattr(
        apps.get_app_config("backoffice"), "email_kinds", "registrations.emails.registrations.KINDS"
    )
    email_kinds.cache_clear()
    try:
        with pytest.raises(ValueError, match="Email kind 'confirm' is declared twice"):
            email_kinds()
    finally:
        monkeypatch.undo()
        email_kinds.cache_clear()


def test_an_email_is_stored_with_the_change_and_sent_after_commit(
    open_edition, mailoutbox, run_on_commit
):
    with run_on_commit() as callbacks:
        registration = register_attendee(edition=open_edition, data=service_data())
        stored = OutgoingEmail.objects.get()
        assert (stored.kind, stored.status, stored.attempts) == ("confirm", "queued", 0)
        assert mailoutbox == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    stored.refresh_from_db()
    assert (stored.status, stored.attempts, stored.recipient) == ("sent", 1, registration)
    assert stored.sent_at is not None
    assert stored.subject == f"Please confirm your email address — {open_edition.title}"
    assert [m.to for m in mailoutbox] == [["jiwon.park@example.co.kr"]]
    assert AuditLog.objects.filter(action="email.sent", object_id=registration.pk).count() == 1


def test_a_refused_email_is_retried_later_and_then_sent(
    open_edition, mailoutbox, run_on_commit, settings
):
    registration = register_attendee(edition=open_edition, data=service_data())
    email = OutgoingEmail.objects.get(registration=registration)
    settings.MAILERS = REFUSING

    send_outgoing_email.call(email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.RETRYING, 1)
    assert email.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert email.next_attempt_at > timezone.now()
    assert send_due_emails() == 0  # not due yet

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert send_due_emails(now=email.next_attempt_at + dt.timedelta(seconds=1)) == 1

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 2, "")
    assert [m.subject.split(" — ")[0] for m in mailoutbox] == ["Please confirm your email address"]


def test_after_the_last_attempt_an_email_stays_failed(open_edition, settings):
    registration = register_attendee(edition=open_edition, data=service_data())
    email = OutgoingEmail.objects.get(registration=registration)
    settings.MAILERS = REFUSING

    for _ in range(MAX_ATTEMPTS + 2):
        send_outgoing_email.call(email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == (
        EmailStatus.FAILED,
        MAX_ATTEMPTS,
        None,
    )


def test_a_sent_email_is_never_sent_twice(open_edition, mailoutbox, run_on_commit):
    with run_on_commit():
        registration = register_attendee(edition=open_edition, data=service_data())
    email = OutgoingEmail.objects.get(registration=registration)

    send_outgoing_email.call(email.pk)

    assert len(mailoutbox) == 1


def test_a_confirmation_link_no_longer_needed_is_skipped(open_edition, mailoutbox):
    registration = register_attendee(edition=open_edition, data=service_data())
    Registration.objects.filter(pk=registration.pk).update(
        status="confirmed", email_confirmed_at=timezone.now()
    )
    email = OutgoingEmail.objects.get(registration=registration)

    send_outgoing_email.call(email.pk)

    email.refresh_from_db()
    assert (email.status, mailoutbox) == (EmailStatus.SKIPPED, [])


def test_resending_queues_a_new_email_of_the_same_kind(
    open_edition, mailoutbox, run_on_commit, django_user_model
):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    with run_on_commit():
        registration = register_attendee(edition=open_edition, data=service_data())
    first = OutgoingEmail.objects.get(registration=registration)

    with run_on_commit():
        again = resend_email(email=first, actor=staff)

    again.refresh_from_db()
    assert (again.kind, again.status, again.pk != first.pk) == ("confirm", "sent", True)
    assert len(mailoutbox) == 2
    entry = AuditLog.objects.get(action="email.resent")
    assert (entry.actor, entry.details["resent"]) == (staff, first.pk)


def test_a_kind_nobody_declared_is_refused(open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    with pytest.raises(ValueError, match="No email kind 'no_such_kind'"):
        queue_email(registration, "no_such_kind")


def test_outgoing_emails_go_with_the_purged_registration(open_edition):
    register_attendee(edition=open_edition, data=service_data())
    open_edition.end_date = timezone.localdate() - dt.timedelta(
        days=open_edition.retention_days + 1
    )
    open_edition.start_date = open_edition.end_date
    open_edition.save()
    assert OutgoingEmail.objects.count() == 1

    call_command("purge_personal_data", verbosity=0)

    assert (Registration.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


def test_with_tasks_in_the_database_the_task_commits_with_the_registration(open_edition, settings):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        register_attendee(edition=open_edition, data=service_data())
        # Written inside the registration's transaction: one commit for all three rows.
        (task,) = DBTaskResult.objects.all()
        assert task.task_path == "common.services.outbox.send_outgoing_email"
        assert task.args_kwargs == {"args": [OutgoingEmail.objects.get().pk], "kwargs": {}}
        raise RuntimeError("the request fails after registering")

    # Rolled back together: no registration, no email, no task that would find nothing.
    assert (Registration.objects.count(), OutgoingEmail.objects.count()) == (0, 0)
    assert DBTaskResult.objects.count() == 0

    registration = register_attendee(edition=open_edition, data=service_data())
    (task,) = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [OutgoingEmail.objects.get(registration=registration).pk]


def test_the_command_sends_what_is_due(open_edition, mailoutbox, settings):
    registration = register_attendee(edition=open_edition, data=service_data())
    email = OutgoingEmail.objects.get(registration=registration)
    assert email.status == EmailStatus.QUEUED  # its task never ran (no commit in this test)

    call_command("send_due_emails", stdout=io.StringIO())

    email.refresh_from_db()
    assert (email.status, len(mailoutbox)) == (EmailStatus.SENT, 1)
