"""The online forum's emails that go once: session reminders (the day before, an hour before)
and the after-forum email. Each is claimed by a marker row written with its email."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Exists, Max, OuterRef
from django.tasks import default_task_backend, task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import atomic
from common.services.audit import log_action
from common.services.outbox import queue_email
from forum.models import Edition
from registrations.choices import BookingStatus, EmailKind, RegistrationStatus, ReminderKind
from registrations.errors import RegistrationError
from registrations.models import Registration, SentReminder, SessionBooking

# Which sessions a run reminds of, by how far their start is from now: (after, until].
REMINDER_WINDOWS = {
    ReminderKind.DAY_BEFORE: (dt.timedelta(hours=1), dt.timedelta(hours=24)),
    ReminderKind.HOUR_BEFORE: (dt.timedelta(0), dt.timedelta(hours=1)),
}


def _due(kind: str, now: dt.datetime) -> dict[int, list[int]]:
    """Registration id -> session ids to remind of: confirmed, seat booked, reminders wanted,
    the session starting within the kind's window and this reminder not sent yet."""
    after, until = REMINDER_WINDOWS[kind]
    rows = (
        SessionBooking.objects.filter(
            status=BookingStatus.BOOKED,
            registration__status=RegistrationStatus.CONFIRMED,
            registration__wants_reminders=True,
            session__starts_at__gt=now + after,
            session__starts_at__lte=now + until,
        )
        .exclude(
            Exists(
                SentReminder.objects.filter(
                    registration=OuterRef("registration"), session=OuterRef("session"), kind=kind
                )
            )
        )
        .order_by("registration_id", "session__starts_at", "session_id")
        .values_list("registration_id", "session_id")
    )
    due: dict[int, list[int]] = defaultdict(list)
    for registration_id, session_id in rows:
        due[registration_id].append(session_id)
    return due


def _claim(*, registration_id: int, session_id: int | None, kind: str) -> bool:
    """Writes the marker in a savepoint; False when another run has it already."""
    try:
        with atomic():
            SentReminder.objects.create(
                registration_id=registration_id, session_id=session_id, kind=kind
            )
    except IntegrityError:
        return False
    return True


def send_session_reminders(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Queues the reminders due now, one email per attendee and kind listing their sessions;
    how many emails per kind. Idempotent: run it as often as you like."""
    now = now or timezone.now()
    sent = {}
    for kind in REMINDER_WINDOWS:
        sent[kind] = 0
        for registration_id, session_ids in _due(kind, now).items():
            with atomic():
                claimed = [
                    session_id
                    for session_id in session_ids
                    if _claim(registration_id=registration_id, session_id=session_id, kind=kind)
                ]
                if not claimed:
                    continue
                registration = Registration.objects.get(pk=registration_id)
                queue_email(
                    registration,
                    EmailKind.SESSION_REMINDER,
                    reminder=kind,
                    session_ids=claimed,
                )
                sent[kind] += 1
    return sent


def reminder_interval() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "SESSION_REMINDERS_EVERY_MINUTES", 10))


@task
def send_session_reminders_task() -> None:
    """The task worker's schedule: sends what is due, then runs again after the interval
    (where the task backend can defer; otherwise run the command from cron)."""
    send_session_reminders()
    if default_task_backend.supports_defer:
        send_session_reminders_task.using(run_after=timezone.now() + reminder_interval()).enqueue()


def send_after_forum_email(*, edition: Edition, actor=AuditActor.SYSTEM) -> int:
    """Queues the after-forum email to every confirmed registration of the edition that has not
    had it; how many. Refused while a session of the edition is still to end."""
    last_end = edition.sessions.aggregate(last=Max("ends_at"))["last"]
    if last_end is None or last_end > timezone.now():
        raise RegistrationError(
            _("The forum has not ended yet: its last session is still to come."),
            code="not_ended",
        )
    count = 0
    registrations = (
        Registration.objects.filter(edition=edition, status=RegistrationStatus.CONFIRMED)
        .exclude(sent_reminders__kind=ReminderKind.AFTER_FORUM)
        .order_by("pk")
    )
    for registration in registrations.iterator():
        with atomic():
            if not _claim(
                registration_id=registration.pk, session_id=None, kind=ReminderKind.AFTER_FORUM
            ):
                continue
            queue_email(registration, EmailKind.AFTER_FORUM)
            count += 1
    log_action(
        actor=actor,
        obj=edition,
        action="edition.after_forum_sent",
        details={"emails": count},
        edition_id=edition.pk,
    )
    return count


def set_reminders(
    *, registration: Registration, wanted: bool, actor=AuditActor.ATTENDEE
) -> Registration:
    """Turns the attendee's session reminders on or off (the manage page, one click)."""
    with atomic():
        changed = (
            Registration.objects.filter(pk=registration.pk)
            .exclude(wants_reminders=wanted)
            .update(wants_reminders=wanted)
        )
        if changed:
            log_action(
                actor=actor,
                obj=registration,
                action="registration.reminders_changed",
                fields=["wants_reminders"],
                details={"wanted": wanted},
            )
    registration.wants_reminders = wanted
    return registration
