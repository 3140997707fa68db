"""Database helpers every app shares: choices constraints, integrity errors, row locks.

The lock order
--------------
Every transaction that locks rows takes them in ONE order, so two transactions never wait for each
other in a circle (a deadlock on PostgreSQL):

    1. registrations (registrations.Registration), by primary key
    2. sessions (forum.Session), by primary key
    3. meeting slots (meetings.MeetingSlot), by primary key

Services open their transactions with `atomic()` and lock with `lock_rows`, the only way to
lock: it sorts the keys, refuses a kind that comes earlier in the order than one already locked in
the same transaction (a programming error, caught by the tests) unless every one of those rows is
already held — a transaction that does many things at once (publishing a schedule) locks all its
rows first, in order, and the services it then calls lock rows it already holds, which can't wait
on anyone — and on PostgreSQL gives up after `REGISTRATION_LOCK_TIMEOUT_MS`. A lock wait past the
timeout, a deadlock, or SQLite's write lock held past the connection's timeout becomes a "please
try again" `ForumError` (code "busy"), never a server error. Rows that belong to a locked
row (a session's bookings, a slot's meeting seats) are written only while it is locked. The caller
re-reads what it decides on (a registration's status) from the locked row, never from an object it
was handed, which may be stale.

SQLite takes no row locks: its IMMEDIATE transactions serialise writers, and the constraints carry
the guarantee there.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    models,
    transaction,
)
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.errors import ForumError

LOCK_ORDER = ("registrations.Registration", "forum.Session", "meetings.MeetingSlot")

TRY_AGAIN = _("Someone else changed this at the same moment. Please try again.")
BUSY = _("The forum is busy right now. Please try again in a moment.")

# What a database that is restarting or unreachable raises: a connection refused or dropped
# (OperationalError), or a connection already closed under us (InterfaceError).
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)

# PostgreSQL SQLSTATEs for "lock not available" (lock_timeout) and "deadlock detected".
_BUSY_STATES = {"55P03", "40P01"}


def choices_constraint(app_label: str, model: str, field: str, choices) -> models.CheckConstraint:
    """Choices alone don't constrain the data; this makes the database refuse other values.

    Named `<app>_<model>_<field>_valid`, the project's naming rule for constraints.
    """
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}), name=f"{app_label}_{model}_{field}_valid"
    )


@contextmanager
def integrity_as_error(
    message=TRY_AGAIN, *, code: str = "conflict", error_class: type[ForumError] = ForumError
) -> Iterator[None]:
    """Runs the block in a savepoint; a constraint it violates becomes the app's error."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        raise error_class(message, code=code) from error


def _is_busy(error: DatabaseError) -> bool:
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in _BUSY_STATES:
        return True
    # SQLite: another connection held the write lock longer than the connection's timeout.
    return isinstance(error, OperationalError) and "database is locked" in str(error)


@contextmanager
def busy_as_error() -> Iterator[None]:
    """A lock wait that timed out, or a deadlock, becomes "please try again", never a 500."""
    try:
        yield
    except DatabaseError as error:
        if _is_busy(error):
            raise ForumError(BUSY, code="busy") from error
        raise


@contextmanager
def atomic() -> Iterator[None]:
    """`transaction.atomic()` for services: a database too busy to let the transaction through
    (a lock wait past the timeout, a deadlock, SQLite's write lock) is "please try again"."""
    with busy_as_error(), transaction.atomic():
        yield


def _lock_level(model: type[models.Model]) -> int:
    try:
        return LOCK_ORDER.index(model._meta.label)
    except ValueError:
        raise RuntimeError(
            f"{model._meta.label} has no place in the lock order (common.db.LOCK_ORDER)"
        ) from None


def _check_order(level: int, label: str, keys: list[int]) -> None:
    """Refuses to lock a kind of row after a kind that comes later in the order.

    Rows this transaction already holds may be locked again at any point: that takes no new lock.

    What was locked is remembered per transaction: with the outermost atomic block (the tests'
    own wrapping blocks don't count) and a sentinel on-commit callback, which Django drops when
    the transaction commits or rolls back, so the next transaction starts from nothing.
    """
    connection = transaction.get_connection()
    block = next(
        (b for b in connection.atomic_blocks if not getattr(b, "_from_testcase", False)), None
    )
    state = getattr(connection, "_registrations_lock_state", None)
    pending = {id(func) for _sids, func, _robust in connection.run_on_commit}
    if state is None or state["block"] is not block or id(state["sentinel"]) not in pending:

        def sentinel() -> None:
            return None

        state = {"block": block, "sentinel": sentinel, "level": -1, "label": "", "held": {}}
        connection.on_commit(sentinel)
        connection._registrations_lock_state = state
    held = state["held"].setdefault(label, set())
    if level < state["level"] and not held.issuperset(keys):
        raise RuntimeError(
            f"Lock order: {label} locked after {state['label']} in one transaction (see common.db)"
        )
    held.update(keys)
    if level >= state["level"]:
        state["level"], state["label"] = level, label


def lock_rows(model: type[models.Model], pks: Iterable[int]) -> dict[int, models.Model]:
    """Locks the rows in primary-key order until the transaction ends; returns them fresh."""
    connection = transaction.get_connection()
    if not any(not getattr(b, "_from_testcase", False) for b in connection.atomic_blocks):
        raise RuntimeError("lock_rows needs a transaction (transaction.atomic)")
    keys = sorted(set(pks))
    if not keys:
        return {}
    _check_order(_lock_level(model), model._meta.label, keys)
    queryset = model._default_manager.filter(pk__in=keys).order_by("pk").select_for_update()
    if connection.vendor == "postgresql":
        timeout = int(getattr(settings, "REGISTRATION_LOCK_TIMEOUT_MS", 5000))
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {timeout}")
    with busy_as_error():
        return {row.pk: row for row in queryset}


def lock_one(model: type[models.Model], pk: int) -> models.Model:
    """One row, locked; `DoesNotExist` when it has gone."""
    row = lock_rows(model, [pk]).get(pk)
    if row is None:
        raise model.DoesNotExist(f"{model._meta.label} {pk} no longer exists")
    return row


_ONLY_WHEN_ASKED = 2**31  # executions before psycopg prepares a statement by itself: never


def prepared_cursor():
    """A cursor (as `connection.cursor()`, query wrappers and logging included) whose statements
    PostgreSQL parses and plans once per connection, its parameters sent apart from the SQL.

    For a busy statement whose text is the same every time (a sign-up's batch of rows): the
    server then only binds the values and runs the plan it kept. Connections persist
    (`CONN_MAX_AGE`) and go straight to PostgreSQL (docs/deployment.md): a pooler in front must
    keep prepared statements per server connection (PgBouncer: `max_prepared_statements`). On
    other databases, the ordinary cursor.
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    from common._pg import PreparingCursor  # noqa: PLC0415 — psycopg's, PostgreSQL only

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns psycopg's preparing off (its own cursors bind on the client and never
        # prepare); this lets a cursor that asks prepare, and only that one.
        connection.connection.prepare_threshold = _ONLY_WHEN_ASKED
    with connection.wrap_database_errors:
        return connection._prepare_cursor(PreparingCursor(connection.connection))  # noqa: SLF001
