"""What the race tests' negative controls switch off, reached from the test, not from the code.

Production code has no switch for its tests. A negative control runs the same services with only
the guard taken away from outside:

- `no_row_locks`, a query wrapper (`connection.execute_wrapper`) that strips `FOR UPDATE` from
  every query the connection sends: `common.db.lock_rows` runs as written and locks nothing;
- `no_transactions`, a query wrapper that never sends the statements opening, nesting or
  undoing a transaction (`BEGIN`, `SAVEPOINT`, `RELEASE`, `ROLLBACK TO`): every `atomic()` block
  runs as written and each statement commits on its own. On SQLite this is what "without the
  guard" means: SQLite takes no row locks and runs every transaction serialisably, DEFERRED ones
  included (a racer whose read another's write overtook fails to write instead of
  double-booking), so only statements outside any transaction can interleave between a check
  and its write;
- `no_seat_limit`, a query wrapper that strips the limit from the session's seat counter UPDATE
  (`AND "seats_taken" < "capacity"`): every sign-up takes a seat;
- `SleepAfter(pattern, seconds)`, a query wrapper that sleeps after a matching SELECT, so every
  racer reads "free" before anyone writes;
- `dropped_constraints`, which drops constraints from the test database's schema and puts them
  back (after deleting the rows that would break them);
- `race_wrappers(...)`, both wrappers at once for the current thread's connection;
- `gunicorn_workers(...)`, real worker processes serving the production app with them.

Query wrappers belong to one connection: a thread installs them on its own, and a gunicorn
worker in its request (tests/race_wsgi.py).
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

_TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|SAVEPOINT|RELEASE|ROLLBACK\s+TO)\b", re.I)
_FOR_UPDATE = re.compile(r"\s+FOR\s+UPDATE(\s+OF\s+.+?)?(\s+NOWAIT|\s+SKIP\s+LOCKED)?\s*$", re.S)

# The last read before a booking writes: the seat count of a session (registrations), the rooms
# taken in a meeting slot (meetings).
SEAT_COUNT = r'^SELECT(?=.*"seat")(?=.*"registrations_sessionbooking")'
# A sign-up's seat: the conditional UPDATE of the session's counter, before the booking's INSERT.
SEAT_TAKEN = r'^UPDATE "forum_session" SET "seats_taken"'
_SEAT_LIMIT = re.compile(r'\s+AND\s+"seats_taken"\s+<\s+"capacity"')
ROOMS_TAKEN = r'^SELECT "registrations_meeting"\."room"( AS "room")? FROM "registrations_meeting"'


def no_row_locks(execute, sql, params, many, context):
    """Sends the query without its `FOR UPDATE`: the row lock is never taken."""
    return execute(_FOR_UPDATE.sub("", sql), params, many, context)


def no_transactions(execute, sql, params, many, context):
    """Leaves out BEGIN and savepoints: nothing is held between one statement and the next.

    COMMIT and ROLLBACK don't go through query wrappers (Django calls the driver's), and the
    driver makes them do nothing outside a transaction."""
    if _TRANSACTION_CONTROL.match(sql):
        return None
    return execute(sql, params, many, context)


def no_seat_limit(execute, sql, params, many, context):
    """Sends the seat counter's UPDATE without its limit: the count goes past the capacity."""
    return execute(_SEAT_LIMIT.sub("", sql), params, many, context)


class SleepAfter:
    """A query wrapper that sleeps `seconds` after each query matching `pattern`; `hits` counts
    them, so a test can tell its window was really widened."""

    def __init__(self, pattern: str, seconds: float):
        self.wanted, self.seconds, self.hits = re.compile(pattern, re.S), seconds, 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if self.wanted.search(sql):
            self.hits += 1
            time.sleep(self.seconds)
        return result


@contextmanager
def race_wrappers(
    *,
    row_locks: bool = True,
    transactions: bool = True,
    seat_limit: bool = True,
    widen: str = "",
    seconds: float = 0.2,
) -> Iterator[SleepAfter | None]:
    """The current thread's connection without row locks, without transactions, without the
    seat counter's limit and/or with a widened window (yielded, with its count of hits)."""
    with ExitStack() as stack:
        if not transactions:
            stack.enter_context(connection.execute_wrapper(no_transactions))
        if not row_locks:
            stack.enter_context(connection.execute_wrapper(no_row_locks))
        if not seat_limit:
            stack.enter_context(connection.execute_wrapper(no_seat_limit))
        window = SleepAfter(widen, seconds) if widen else None
        if window is not None:
            stack.enter_context(connection.execute_wrapper(window))
        yield window


@contextmanager
def dropped_constraints(*pairs) -> Iterator[None]:
    """Drops each (model, constraint name) from the test database, then puts it back.

    Rows written meanwhile are deleted first (a double booking would stop the constraint from
    coming back); the test reads what it needs inside the block.
    """
    constraints = [
        (model, next(c for c in model._meta.constraints if c.name == name)) for model, name in pairs
    ]
    declared = {model: list(model._meta.constraints) for model, _constraint in constraints}
    # SQLite drops a unique constraint without a condition by remaking the table from the
    # model's declared constraints: the model declares it no more while it is dropped.
    for model, constraint in constraints:
        _declare(model, [c for c in model._meta.constraints if c is not constraint])
    with connection.schema_editor() as editor:
        for model, constraint in constraints:
            editor.remove_constraint(model, constraint)
    try:
        yield
    finally:
        for model, _constraint in constraints:
            model._default_manager.all().delete()
        for model, original in declared.items():
            _declare(model, original)
        with connection.schema_editor() as editor:
            for model, constraint in reversed(constraints):
                editor.add_constraint(model, constraint)


def _declare(model, constraints) -> None:
    model._meta.constraints = constraints
    model._meta.__dict__.pop("total_unique_constraints", None)


# Real worker processes ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The URL of the database this test writes to, for the processes that serve it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@contextmanager
def gunicorn_workers(
    settings_module: str,
    *,
    workers: int = 4,
    threads: int = 1,
    no_row_locks: bool = False,
    no_seat_limit: bool = False,
    widen: str = "",
    seconds: float = 0.2,
) -> Iterator[str]:
    """gunicorn worker processes serving the production app (tests/race_wsgi.py) on the test
    database, with what the control changes; yields the base URL.

    The workers sign with this process's key, so sessions the test creates are valid there.
    """
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONPATH": str(ROOT),
        "RACE_NO_ROW_LOCKS": "1" if no_row_locks else "0",
        "RACE_NO_SEAT_LIMIT": "1" if no_seat_limit else "0",
        "RACE_WIDEN_AFTER": widen,
        "RACE_WIDEN_SECONDS": str(seconds),
    }
    command = [sys.executable, "-m", "gunicorn", "tests.race_wsgi:application"]
    command += [f"--bind=127.0.0.1:{port}", f"--workers={workers}", "--log-level=warning"]
    if threads > 1:
        command += ["--worker-class=gthread", f"--threads={threads}"]
    with open(os.environ.get("RACE_LOG", os.devnull), "a") as log:
        server = subprocess.Popen(  # noqa: S603 — our own gunicorn, fixed arguments
            [*command, "--no-control-socket"], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 180  # four workers load Django on a busy machine
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=5).close()  # noqa: S310
                    break
                except OSError as error:
                    if server.poll() is not None:
                        raise RuntimeError(f"gunicorn exited ({server.returncode})") from None
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"the gunicorn workers did not start: {error}") from None
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(5)
