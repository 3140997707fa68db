"""The outbox: every email is stored with the change that caused it and sent by a task, retried.

Each kind of email is declared by the app that sends it (`common/emails.py`, see
docs/architecture.md): a template and a context, which runs when the email leaves, with the
recipient's language active, and returns the template's values — or None when the email is no
longer needed (a confirmation link for a registration that was confirmed meanwhile);
`render_email` makes the subject and text from them. `queue_email` stores the message in the
caller's transaction. With tasks stored in the same database (django-tasks-db, production) the
task's row joins that transaction too: one commit for the change, its email and the task, and a
change that rolls back leaves neither; other backends (the immediate one in development runs the
task at once) are handed the task only after the commit.
"""

import contextlib
import datetime as dt
import logging
import secrets
import smtplib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.tasks import default_task_backend, task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json, task_enqueued
from django_tasks_db.models import DBTaskResult

from common.choices import AuditActor, EmailStatus
from common.db import DATABASE_DOWN_ERRORS, atomic
from common.emails import Message, build_message, email_kind
from common.models import OutgoingEmail
from common.rows import PkOf, RowBatch
from common.services.audit import log_action

__all__ = [
    "Message",
    "queue_email",
    "queue_email_in",
    "resend_email",
    "send_due_emails",
    "send_outgoing_email",
]

logger = logging.getLogger("forum.outbox")

MAX_ATTEMPTS = 5
# Waits before the 2nd, 3rd, … attempt: a mail server that is down for an hour loses nothing.
RETRY_DELAYS = [dt.timedelta(minutes=m) for m in (1, 5, 30, 120)]


def queue_email(recipient, kind: str, *, to: str = "", **params: Any) -> OutgoingEmail:
    """Stores the email with the caller's transaction; it is sent once that commits.

    `params` are codes and ids the kind's context needs (a session's id), never personal values.
    """
    email = _new_email(recipient, kind, to, params)
    email.save(force_insert=True)
    enqueue_with_transaction(send_outgoing_email, email.pk)
    return email


def _new_email(recipient, kind: str, to: str, params: dict) -> OutgoingEmail:
    email_kind(kind)  # refuses a kind nobody declared
    return OutgoingEmail(
        recipient_type=ContentType.objects.get_for_model(recipient),
        recipient_id=recipient.pk,
        edition_id=getattr(recipient, "edition_id", None),
        kind=kind,
        language=recipient.language,
        to_address=to,
        params=params,
    )


def queue_email_in(
    batch: RowBatch, recipient, kind: str, *, to: str = "", **params: Any
) -> Callable[[], None]:
    """`queue_email` for a write that saves its rows together: the email's row, and the task's
    when tasks are stored in this database, join `batch` (the recipient may be one of its rows,
    not saved yet). Call what this returns once the batch is saved (in the transaction)."""
    email = _new_email(recipient, kind, to, params)
    batch.add([email], {"recipient_id": PkOf(recipient)} if recipient.pk is None else {})
    task_ = send_outgoing_email
    backend = task_.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return lambda: enqueue_with_transaction(task_, email.pk)
    # The row django-tasks-db's `enqueue` writes (DatabaseBackend._task_to_db_task), with the
    # email's key put in by the batch; then the signal its `enqueue` sends.
    backend.validate_task(task_)
    row = DBTaskResult(
        id=backend._get_id(),  # noqa: SLF001 — the backend's own choice of key
        args_kwargs=normalize_json({"args": [0], "kwargs": {}}),
        priority=task_.priority,
        task_path=task_.module_path,
        queue_name=task_.queue_name,
        run_after=task_.run_after,
        backend_name=backend.alias,
    )
    batch.add([row], {"args_kwargs": PkOf(email, ("args", 0))})
    return lambda: task_enqueued.send(type(backend), task_result=row.task_result)


def enqueue_with_transaction(task_, *args: Any) -> None:
    """Enqueues in the caller's transaction when the task backend writes to this database,
    else once the transaction commits (at once outside one)."""
    if isinstance(task_.get_backend(), DatabaseBackend):
        task_.enqueue(*args)
    else:
        transaction.on_commit(lambda: task_.enqueue(*args))


def build(email: OutgoingEmail) -> tuple[Message | None, EmailMultiAlternatives | None]:
    """The message and the email ready to send, in the recipient's language."""
    recipient = email.recipient
    message = build_message(email.kind, recipient, email.params)
    if message is None:
        return None, None
    with translation.override(recipient.language):
        context = {"message": message, "registration": recipient}
        text = render_to_string("emails/message.txt", context)
        html = render_to_string("emails/message.html", context)
    # A subject is one header line: a line break typed into a name (before names refused them)
    # must not make the email impossible to send.
    subject = " ".join(message.subject.split())
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[email.to_address or recipient.email],
        headers={"Message-ID": email.message_id},
    )
    mail.attach_alternative(html, "text/html")
    for filename, content, mimetype in message.attachments:
        mail.attach(filename, content, mimetype)
    return message, mail


PENDING = [EmailStatus.QUEUED, EmailStatus.RETRYING]


@task
def send_outgoing_email(email_id: int) -> None:
    """Sends one queued email; on failure it waits and tries again, up to MAX_ATTEMPTS.

    At most once per claim: the sender claims the row (a token and the time) with one
    conditional UPDATE, sends, and marks it sent only under its own claim. No transaction
    stays open while the mail server answers. A live claim is never taken over, so a worker
    restarted while another sender (or its own earlier self) may still be sending leaves the
    row alone; a claim older than `EMAIL_CLAIM_SECONDS` is a dead sender's, and the row is
    sent again — with the same Message-ID (`OutgoingEmail.message_id`), the idempotency key.
    """
    email = (
        OutgoingEmail.objects.select_related("recipient_type")
        .filter(pk=email_id, status__in=PENDING)
        .first()
    )
    if email is None or email.recipient is None:  # sent already, or purged with the person
        return
    token = _claim(email)
    if token is None:
        return  # another sender holds a live claim, or it was sent meanwhile
    try:
        message, mail = build(email)
        if mail is not None:
            mail.send()
    except DATABASE_DOWN_ERRORS:
        # The database went away while the email was being built: nothing left. The claim is
        # given back once it answers again, so the task run again (common/worker.py) needn't
        # wait for the claim to expire.
        retry_while_database_down(lambda: _release(email, token), patience=RECORD_SENT_PATIENCE)
        raise
    except Exception as error:  # noqa: BLE001 — any failure is recorded and retried
        _failed(email, error, token)
        return
    _record_sent(email, message, token)


def _release(email: OutgoingEmail, token: str) -> None:
    """Gives back a claim under which nothing was sent (the attempt doesn't count)."""
    OutgoingEmail.objects.filter(pk=email.pk, claim_token=token).update(
        claim_token="", claimed_at=None, attempts=F("attempts") - 1
    )


def claim_seconds() -> int:
    return getattr(settings, "EMAIL_CLAIM_SECONDS", 600)


def _claim(email: OutgoingEmail) -> str | None:
    """Claims the row for one attempt; the claim's token, or None if it can't be claimed."""
    now = timezone.now()
    token = secrets.token_hex(16)
    claimed = (
        OutgoingEmail.objects.filter(pk=email.pk, status__in=PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _claim_age()))
        .update(claim_token=token, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    # Only a claim changes the count, and this one holds the row: no need to read it back.
    email.attempts += 1
    return token


def _claim_age() -> dt.timedelta:
    return dt.timedelta(seconds=claim_seconds())


def _record_sent(email: OutgoingEmail, message: Message | None, token: str) -> None:
    """Marks the row sent (or skipped) under the claim that sent it.

    The mail server has taken the message: if the database is restarting just now, keep
    trying for a while rather than leave the row to be sent a second time.
    """
    status = EmailStatus.SKIPPED if message is None else EmailStatus.SENT
    values = {
        "status": status,
        "sent_at": timezone.now() if status == EmailStatus.SENT else None,
        "last_error": "",
        "next_attempt_at": None,
        "claim_token": "",
        "claimed_at": None,
    }
    if message is not None:
        values["subject"] = " ".join(message.subject.split())[:300]

    def record() -> None:
        with atomic():
            marked = OutgoingEmail.objects.filter(pk=email.pk, claim_token=token).update(**values)
            if marked and status == EmailStatus.SENT:
                log_action(
                    actor=AuditActor.SYSTEM,
                    obj=email.recipient,
                    action="email.sent",
                    details={"kind": email.kind, "email": email.pk},
                )

    retry_while_database_down(record, patience=RECORD_SENT_PATIENCE)


# How long a sender whose email left keeps trying to record it while the database is down.
RECORD_SENT_PATIENCE = dt.timedelta(minutes=5)


def retry_while_database_down(action: Callable[[], None], *, patience: dt.timedelta) -> None:
    """Runs `action`, again and again while the database is unreachable, for up to `patience`."""
    deadline = time.monotonic() + patience.total_seconds()
    delay = 0.5
    while True:
        try:
            action()
            return
        except DATABASE_DOWN_ERRORS:
            if time.monotonic() + delay > deadline or connection.in_atomic_block:
                raise
            logger.warning("Database unreachable; trying again in %.1f s", delay)
            with contextlib.suppress(*DATABASE_DOWN_ERRORS):
                connection.close()
            time.sleep(delay)
            delay = min(delay * 2, 10)


def is_permanent(error: Exception) -> bool:
    """True for a failure that the same email would meet again: never worth retrying.

    The mail server's 5xx replies (a refused recipient, sender or message), and a message that
    can't be written at all (a header value with a line break raises ValueError). A server that
    is down, slow or answers 4xx is temporary.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return isinstance(error, ValueError)


def _failed(email: OutgoingEmail, error: Exception, token: str) -> None:
    # The error's class and message (a mail server's reply); it goes with the recipient.
    email.last_error = f"{type(error).__name__}: {error}"[:1000]
    if is_permanent(error):
        email.status, email.next_attempt_at = EmailStatus.UNDELIVERABLE, None
    elif email.attempts >= MAX_ATTEMPTS:
        email.status, email.next_attempt_at = EmailStatus.FAILED, None
    else:
        delay = RETRY_DELAYS[min(email.attempts, len(RETRY_DELAYS)) - 1]
        email.status, email.next_attempt_at = EmailStatus.RETRYING, timezone.now() + delay
    recorded = OutgoingEmail.objects.filter(pk=email.pk, claim_token=token).update(
        status=email.status,
        last_error=email.last_error,
        next_attempt_at=email.next_attempt_at,
        claim_token="",
        claimed_at=None,
    )
    if not recorded:
        return  # the claim expired and another sender took the row over
    log_action(
        actor=AuditActor.SYSTEM,
        obj=email.recipient,
        action=(
            "email.undeliverable" if email.status == EmailStatus.UNDELIVERABLE else "email.failed"
        ),
        details={"kind": email.kind, "email": email.pk, "attempt": email.attempts},
    )
    if email.status == EmailStatus.RETRYING and default_task_backend.supports_defer:
        email_id, run_after = email.pk, email.next_attempt_at
        transaction.on_commit(
            lambda: send_outgoing_email.using(run_after=run_after).enqueue(email_id)
        )


def send_due_emails(*, now: dt.datetime | None = None) -> int:
    """Sends the emails whose retry is due (for task backends that can't defer); how many."""
    now = now or timezone.now()
    due = (
        OutgoingEmail.objects.filter(status__in=PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _claim_age()))
    )
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    for email_id in ids:
        send_outgoing_email.call(email_id)
    return len(ids)


def resend_email(*, email: OutgoingEmail, actor) -> OutgoingEmail:
    """Staff send an email again: a new message of the same kind, built afresh (new links)."""
    with atomic():
        copy = queue_email(email.recipient, email.kind, to=email.to_address, **email.params)
        log_action(
            actor=actor,
            obj=email.recipient,
            action="email.resent",
            details={"kind": email.kind, "email": copy.pk, "resent": email.pk},
        )
    return copy
