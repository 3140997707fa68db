"""Permanent and temporary mail failures: a refusal for good is marked, shown and never retried;
a line break typed into a name (before names refused them) no longer stops a counterpart's email."""

import pytest
from django.contrib.auth.models import User

from common.choices import EmailStatus
from common.models import AuditLog, OutgoingEmail
from common.services.outbox import send_due_emails, send_outgoing_email
from meetings.services.requests import request_meeting
from registrations.models import Registration
from registrations.services.registrations import register_attendee
from tests.factories import BusinessProfileFactory, MeetingSettingsFactory
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


def mailer(settings, name: str) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"tests.registrations.mailers.{name}"}}


def queued(open_edition) -> OutgoingEmail:
    registration = register_attendee(edition=open_edition, data=service_data())
    return OutgoingEmail.objects.get(registration=registration)


def test_a_550_is_marked_undeliverable_and_never_retried(open_edition, settings, mailoutbox):
    email = queued(open_edition)
    mailer(settings, "RejectingBackend")

    send_outgoing_email.call(email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == (
        EmailStatus.UNDELIVERABLE,
        1,
        None,
    )
    assert "5.1.1 No such mailbox" in email.last_error
    assert AuditLog.objects.filter(action="email.undeliverable").count() == 1
    # Nothing brings it back by itself: no retry is due, a late task doesn't send it.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert send_due_emails() == 0
    send_outgoing_email.call(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts, mailoutbox) == (EmailStatus.UNDELIVERABLE, 1, [])


def test_a_451_is_retried(open_edition, settings):
    email = queued(open_edition)
    mailer(settings, "BusyBackend")
    send_outgoing_email.call(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.RETRYING, 1)


def test_a_header_that_cant_be_written_is_undeliverable_at_once(open_edition, mailoutbox):
    email = queued(open_edition)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        to_address="jiwon.park@example.co.kr\nBcc: someone@example.org"
    )

    send_outgoing_email.call(email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts, mailoutbox) == (EmailStatus.UNDELIVERABLE, 1, [])
    assert email.last_error == (
        "ValueError: Header values may not contain linefeed or carriage return characters"
    )


def test_staff_are_told_of_undeliverable_emails(admin_client, open_edition, settings):
    email = queued(open_edition)
    mailer(settings, "RejectingBackend")
    send_outgoing_email.call(email.pk)

    response = admin_client.get("/admin/common/outgoingemail/")
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "1 email could not be delivered and will not be retried: filter by the status "
        "“Undeliverable, not retried” to see why, correct the address or name, then send it "
        "again."
    ]
    page = response.content.decode()
    assert "Undeliverable, not retried" in page
    assert "5.1.1 No such mailbox" in page
    listed = admin_client.get("/admin/common/outgoingemail/?status__exact=refused")
    assert list(listed.context["cl"].result_list) == [email]
    assert User.objects.get(username="admin").is_superuser


def test_a_line_break_in_an_old_name_does_not_stop_the_counterparts_email(
    edition, mailoutbox, run_on_commit
):
    MeetingSettingsFactory(edition=edition)
    sender = BusinessProfileFactory(registration__edition=edition).registration
    receiver = BusinessProfileFactory(registration__edition=edition).registration
    # Saved before names refused control characters.
    Registration.objects.filter(pk=sender.pk).update(name="Kim\nMin-jun")
    sender.refresh_from_db()

    with run_on_commit():
        request_meeting(sender=sender, receiver=receiver)

    email = OutgoingEmail.objects.get(recipient_id=receiver.pk, kind="request_received")
    assert email.status == EmailStatus.SENT
    assert [m.subject for m in mailoutbox] == [
        f"Meeting request from Kim Min-jun (Korea Engineering Co.) — {edition.title}"
    ]
