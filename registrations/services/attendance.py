"""Attendance at the online forum: when a join link opens, and recording each use of it."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from common.choices import AuditActor
from common.db import atomic
from common.services.audit import log_action
from forum.models import Session, SessionStream
from registrations.choices import AttendanceSource
from registrations.models import Attendance, Registration

BEFORE, OPEN, AFTER = "before", "open", "after"


@dataclass(frozen=True)
class JoinWindow:
    """From `opens_at` (some minutes before the start) until the end, a join link leads in."""

    opens_at: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime

    def state(self, now: dt.datetime) -> str:
        if now < self.opens_at:
            return BEFORE
        if now <= self.ends_at:
            return OPEN
        return AFTER


def join_window(*, session: Session, opens_minutes: int) -> JoinWindow:
    return JoinWindow(
        opens_at=session.starts_at - dt.timedelta(minutes=opens_minutes),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
    )


def record_attendance(
    *,
    registration: Registration,
    session: Session,
    stream: SessionStream | None,
    now: dt.datetime | None = None,
) -> Attendance:
    """Counts one use of a join link: the first creates the row, later ones add to it.

    Race-safe on every database: the row is unique per (registration, session), so two clicks
    at once can't make two rows; `get_or_create` creates in a savepoint and, when the other
    click won, reads its row; the count then goes up in one UPDATE (no read-modify-write).
    """
    now = now or timezone.now()
    language = stream.language if stream is not None else ""
    with atomic():
        attendance, created = Attendance.objects.get_or_create(
            registration=registration,
            session=session,
            defaults={
                "first_joined_at": now,
                "last_joined_at": now,
                "joins": 1,
                "stream_language": language,
                "source": AttendanceSource.LINK,
            },
        )
        if created:
            log_action(
                actor=AuditActor.ATTENDEE,
                obj=registration,
                action="attendance.joined",
                fields=["attendance"],
                details={"session_id": session.pk, "stream_language": language},
                edition_id=registration.edition_id,
            )
            return attendance
        Attendance.objects.filter(pk=attendance.pk).update(
            joins=F("joins") + 1,
            last_joined_at=Greatest(F("last_joined_at"), now),
            stream_language=language or F("stream_language"),
        )
    attendance.refresh_from_db()
    return attendance


def mark_attendance(
    *,
    registration: Registration,
    session: Session,
    joined_at: dt.datetime,
    joins: int = 1,
    actor,
) -> tuple[Attendance, bool]:
    """Staff mark that someone attended (the platform's report, imported): (row, created).

    A row the join link wrote stays the link's; the earlier first join is kept. The same
    race-safety as `record_attendance`: one row per (registration, session), created in a
    savepoint, and a change made in one UPDATE.
    """
    with atomic():
        attendance, created = Attendance.objects.get_or_create(
            registration=registration,
            session=session,
            defaults={
                "first_joined_at": joined_at,
                "last_joined_at": joined_at,
                "joins": max(joins, 1),
                "source": AttendanceSource.MANUAL,
            },
        )
        if not created:
            Attendance.objects.filter(pk=attendance.pk).update(
                first_joined_at=Least(F("first_joined_at"), joined_at),
                last_joined_at=Greatest(F("last_joined_at"), joined_at),
            )
            attendance.refresh_from_db()
        log_action(
            actor=actor,
            obj=registration,
            action="attendance.marked",
            fields=["attendance"],
            details={"session_id": session.pk, "created": created},
            edition_id=registration.edition_id,
        )
    return attendance, created
