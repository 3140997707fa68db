"""Seats in sessions: locking sessions, finding a free seat or the next waiting place, recording
a booking. The seat rows' unique constraint is what keeps a session from being overbooked.

Locks follow the one order of `common.db`: the registration first, then its sessions by
primary key. A session's bookings are written only while the session is locked.
"""

from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import atomic, integrity_as_error, lock_one, lock_rows, prepared_cursor
from common.rows import insert_returning
from common.services.audit import log_action
from forum.models import Edition, Session
from registrations.choices import BookingStatus
from registrations.errors import RegistrationError
from registrations.models import (
    Registration,
    SessionBooking,
)

BOOKED = BookingStatus.BOOKED.value
SEAT_TAKEN = _("Someone took that seat at the same moment. Please try again.")


def _lock_sessions(session_ids: Iterable[int]) -> dict[int, Session]:
    """Locks the sessions' rows in primary-key order (after the registration, if any)."""
    return lock_rows(Session, session_ids)


def lock_active_registration(registration: Registration) -> Registration:
    """The registration's row, locked and read afresh; refused when it is no longer active."""
    try:
        locked = lock_one(Registration, registration.pk)
    except Registration.DoesNotExist:
        raise RegistrationError(
            _("This registration is no longer active."), code="inactive"
        ) from None
    if not locked.is_active:
        raise RegistrationError(_("This registration is no longer active."), code="inactive")
    return locked


def _free_seat(session: Session) -> int | None:
    """The lowest free seat number, or None if the session is full. Needs the session locked.

    For the paths that free or move seats (promotions, staff); a sign-up takes its seat with the
    counter instead (`take_places`). One aggregate over the session's booked seats (no join, no
    ordering); the seat numbers themselves are read only when a cancellation left a gap.
    """
    booked = SessionBooking.objects.filter(session=session, status=BookingStatus.BOOKED).order_by()
    counts = booked.aggregate(count=Count("pk"), highest=Max("seat"))
    if counts["count"] >= session.capacity:
        return None
    if counts["highest"] is None or counts["highest"] == counts["count"]:
        return (counts["highest"] or 0) + 1  # seats 1..highest all taken: the next one
    taken = set(booked.values_list("seat", flat=True))
    return next((seat for seat in range(1, session.capacity + 1) if seat not in taken), None)


def sync_seat_counts(session_ids: Iterable[int]) -> None:
    """Sets the limited sessions' seat counters to their booked seats. Needs the sessions locked
    (or no sign-up able to run), after seats were freed, moved or the capacity changed.

    A session booked beyond a capacity lowered by hand counts as full, no more.
    """
    booked = (
        SessionBooking.objects.filter(session=OuterRef("pk"), status=BookingStatus.BOOKED)
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    Session.objects.filter(pk__in=list(session_ids), capacity__isnull=False).update(
        seats_taken=Least(Coalesce(Subquery(booked), 0), F("capacity"))
    )


def recount_counters(session_ids: Iterable[int]) -> None:
    """Both counters of the limited sessions set from their bookings, in a transaction of its
    own that locks the sessions (the lock order of `common.db`): the seats booked, and the last
    waiting place at least the last place on the list (a queue number: it never goes down)."""
    session_ids = sorted(set(session_ids))
    last_place = (
        SessionBooking.objects.filter(session=OuterRef("pk"), status=BookingStatus.WAITING)
        .order_by()
        .values("session")
        .annotate(last=Max("position"))
        .values("last")
    )
    with atomic():
        _lock_sessions(session_ids)
        sync_seat_counts(session_ids)
        Session.objects.filter(pk__in=session_ids, capacity__isnull=False).update(
            last_waiting_place=Greatest(F("last_waiting_place"), Coalesce(Subquery(last_place), 0))
        )


def recounting_once[T](session_ids: Iterable[int], write: Callable[[], T]) -> T:
    """Runs `write` — a whole transaction that takes places in these sessions — and, if it ends
    in a conflict, recounts the sessions' counters and runs it once more.

    The counters are what a sign-up trusts (`take_places`); if they no longer match the
    bookings — a crash, a hand-made SQL edit, a recount that missed sign-ups in flight — the
    place they give is refused by the database (a waiting place or a seat already held, a seat
    beyond the capacity) or none is given (counted full with seats free). Rather than answer
    every sign-up "please try again" until a cancellation recounts, the first one to run into it
    recounts. A real race lost twice is still "please try again".
    """
    session_ids = list(session_ids)
    try:
        return write()
    except RegistrationError as error:
        if error.code != "conflict" or not session_ids:
            raise
    recount_counters(session_ids)
    return write()


# Per process: the sessions whose last sign-up here found them full. During a rush on a full
# session a sign-up asks for a waiting place first and needs one statement; a wrong guess costs
# one more.
_looked_full: dict[int, bool] = {}


def forget_full_sessions() -> None:
    _looked_full.clear()


# The statements below name only tables and columns of our models (quoted); every value is a
# parameter.
def _counter_sql() -> tuple[str, str]:
    """The seat and the waiting-place UPDATEs of one session's counters."""
    q = connection.ops.quote_name
    table, pk, capacity = q(Session._meta.db_table), q(Session._meta.pk.column), q("capacity")
    taken, last = q("seats_taken"), q("last_waiting_place")
    limited = f"{pk} = %s AND {capacity} IS NOT NULL"
    bookings, session, status = (
        q(SessionBooking._meta.db_table),
        q("session_id"),
        q("status"),
    )
    # A waiting place only when the seats really are all booked: a counter ahead of the
    # bookings (seats shown as taken that aren't) gives none, and the sign-up recounts.
    booked = f"(SELECT COUNT(*) FROM {bookings} b WHERE b.{session} = %s AND b.{status} = %s)"  # noqa: S608
    return (
        f"UPDATE {table} SET {taken} = {taken} + 1"  # noqa: S608
        f" WHERE {limited} AND {taken} < {capacity} RETURNING {taken}, {capacity}",
        f"UPDATE {table} SET {last} = {last} + 1"  # noqa: S608
        f" WHERE {limited} AND {taken} >= {capacity} AND {booked} >= {capacity}"
        f" RETURNING {last}",
    )


def _seat_number(session_id: int, taken: int, capacity: int) -> RawSQL:
    """The lowest free seat of the session, worked out by the booking's INSERT itself (the
    session's row is locked by then, and the statement sees every booking committed before).

    `taken` is the seat counter with this booking: when the seats booked so far are 1..taken-1
    (the highest is taken-1), the seat is `taken`; otherwise the lowest gap a cancellation left.
    No gap within the capacity means the counter was behind the bookings: the seat is then 0,
    which the booking's check constraint refuses, and the sign-up recounts.
    """
    q = connection.ops.quote_name
    table, seat = q(SessionBooking._meta.db_table), q("seat")

    def booked(alias: str) -> str:
        return f"{alias}.{q('session_id')} = %s AND {alias}.{q('status')} = %s"

    sql = (
        f"CASE WHEN COALESCE((SELECT MAX(a.{seat}) FROM {table} a WHERE {booked('a')}), 0) = %s"  # noqa: S608
        f" THEN %s ELSE (SELECT CASE WHEN MIN(free.n) <= %s THEN MIN(free.n) ELSE 0 END FROM ("
        f"SELECT 1 AS n WHERE NOT EXISTS"
        f" (SELECT 1 FROM {table} o WHERE {booked('o')} AND o.{seat} = 1)"
        f" UNION ALL SELECT b.{seat} + 1 FROM {table} b WHERE {booked('b')} AND NOT EXISTS"
        f" (SELECT 1 FROM {table} c WHERE {booked('c')} AND c.{seat} = b.{seat} + 1)"
        f") free) END"
    )
    status = BookingStatus.BOOKED.value
    params = [session_id, status, taken - 1, taken, capacity]
    params += [session_id, status] * 3
    return RawSQL(sql, params, output_field=SessionBooking._meta.get_field("seat"))  # noqa: S611


def _take_one(cursor, session_id: int) -> tuple[str, int] | tuple[str, int, int] | None:
    """A seat or a waiting place in one limited session, by one conditional UPDATE of its
    counters (two when the guess was wrong): the row stays locked until the commit, the
    database refuses more seats than the capacity. None: the session has no limit (any more).
    """
    seat_sql, place_sql = _counter_sql()
    attempts = [("waiting", place_sql), ("booked", seat_sql)]
    if not _looked_full.get(session_id):
        attempts.reverse()
    for _round in range(3):  # a seat freed between the two statements: ask again
        for status, sql in attempts:
            params = [session_id] if status == "booked" else [session_id, session_id, BOOKED]
            cursor.execute(sql, params)
            row = cursor.fetchone()
            if row is not None:
                _looked_full[session_id] = status == "waiting"
                return status, *row
        if not Session.objects.filter(pk=session_id, capacity__isnull=False).exists():
            return None
    raise RegistrationError(SEAT_TAKEN, code="conflict")


def take_places(registration: Registration, sessions: Iterable[Session]) -> list[SessionBooking]:
    """Saves the registration's seats — or waiting places, where a session is full — in these
    sessions (it holds none of them yet).

    A limited session's row is locked by the UPDATE that takes its seat or place, held to the
    commit: call this last in the transaction. Several are taken in primary-key order (the lock
    order of `common.db`). Sessions that looked unlimited when read are booked without a seat.
    A constraint the INSERT violates raises IntegrityError (no savepoint: a caller that goes on
    after it wraps this in one).
    """
    bookings = []
    with prepared_cursor() as cursor:
        for session in sorted(sessions, key=lambda session: session.pk):
            taken = None if session.capacity is None else _take_one(cursor, session.pk)
            booking = SessionBooking(
                registration=registration, session=session, status=BookingStatus.BOOKED
            )
            if taken is not None and taken[0] == "booked":
                booking.seat = _seat_number(session.pk, taken[1], taken[2])
            elif taken is not None:
                booking.status, booking.position = BookingStatus.WAITING, taken[1]
            bookings.append(booking)
    _insert_returning_seats(bookings)
    return bookings


def _insert_returning_seats(bookings: list[SessionBooking]) -> None:
    """One INSERT of every booking, which returns the ids and the seat numbers it worked out
    (bulk_create returns the ids only)."""
    if not bookings:
        return
    rows = insert_returning(bookings, ["id", "seat"])
    for booking, (pk, seat) in zip(bookings, rows, strict=True):
        booking.pk, booking.seat = pk, seat
        booking._state.adding, booking._state.db = False, connection.alias


def _save_booking(booking: SessionBooking, *, actor=AuditActor.ATTENDEE) -> SessionBooking:
    with integrity_as_error(SEAT_TAKEN, error_class=RegistrationError):
        booking.save()
    _log_booking(booking, actor, f"booking.{booking.status}")
    return booking


def _log_booking(booking: SessionBooking, actor, action: str) -> None:
    log_action(
        actor=actor,
        obj=booking.registration,
        action=action,
        details={"session": booking.session_id, "seat": booking.seat, "place": booking.position},
    )


def _check_sessions(edition: Edition, sessions: Iterable[Session]) -> list[Session]:
    sessions = list(sessions)
    if any(session.edition_id != edition.pk for session in sessions):
        raise RegistrationError(_("Choose sessions of this forum only."), code="wrong_session")
    return sessions
