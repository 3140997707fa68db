"""The task worker that outlives database restarts and takes over the tasks of dead workers.

django-tasks-db's `db_worker` stops at the first database error it doesn't expect: a PostgreSQL
restart ends it, and the tasks it was running stay RUNNING for ever. `manage.py task_worker`
runs the same worker loop with three additions:

- **Reconnect and go on.** A database error in the loop closes the connection, waits (0.5 s,
  doubling to 10 s) and starts the loop again; a task that failed *because* the database went
  away is put back in the queue instead of being marked failed.
- **A heartbeat.** A thread writes the worker's `TaskWorker` row every `HEARTBEAT_SECONDS`,
  whatever the task in hand is doing (a scheduler run takes minutes).
- **Taking over dead workers' tasks.** Every `RECOVER_SECONDS` (and at start) a task RUNNING
  under a worker whose heartbeat is older than `TASK_WORKER_STALE_SECONDS` (default 120) is
  put back in the queue; another worker runs it. Sending an email again is safe: the outbox's
  claims keep it to one send per claim (common/services/outbox.py).
"""

import contextlib
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from common.db import DATABASE_DOWN_ERRORS
from common.models import TaskWorker

logger = logging.getLogger("forum.worker")

HEARTBEAT_SECONDS = 5
RECOVER_SECONDS = 30


def stale_seconds() -> int:
    return getattr(settings, "TASK_WORKER_STALE_SECONDS", 120)


def _close_connection() -> None:
    with contextlib.suppress(*DATABASE_DOWN_ERRORS):
        connection.close()


def beat(worker_id: str, *, started_at) -> None:
    """Records that this worker is alive (one upsert)."""
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now()},
        create_defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def recover_stale_tasks(*, backend_name: str = "default", own_worker_id: str = "") -> int:
    """Puts back in the queue the tasks left RUNNING by workers that stopped beating.

    With `own_worker_id`, also the calling worker's own: it calls between tasks, after a
    database outage interrupted the one it was running.
    """
    now = timezone.now()
    cutoff = now - timezone.timedelta(seconds=stale_seconds())
    alive = set(TaskWorker.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    recovered = 0
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, backend_name=backend_name
        )
        for result in running:
            owner = result.worker_ids[-1] if result.worker_ids else ""
            # A worker never seen beating (an old db_worker) counts as dead once the task has
            # run for longer than the stale time.
            mine = bool(own_worker_id) and owner == own_worker_id
            if not mine and (owner in alive or (result.started_at and result.started_at >= cutoff)):
                continue
            result.status = TaskResultStatus.READY
            result.save(update_fields=["status"])
            recovered += 1
            logger.warning(
                "Task %s of %s queued again",
                result.id,
                "this worker (interrupted by the database)" if mine else f"dead worker {owner}",
            )
    TaskWorker.objects.filter(seen_at__lt=now - timezone.timedelta(days=1)).delete()
    return recovered


class Heartbeat(threading.Thread):
    """Beats for the worker from its own thread (and its own database connection)."""

    def __init__(self, worker_id: str):
        super().__init__(name="task-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                beat(self.worker_id, started_at=self.started_at)
            except DATABASE_DOWN_ERRORS as error:
                logger.warning("Heartbeat not written (database unreachable): %s", error)
                _close_connection()
            self.stopped.wait(HEARTBEAT_SECONDS)
        _close_connection()


class ResilientWorker(Worker):
    """django-tasks-db's worker, made to survive database restarts and dead workers."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.last_recovery = 0.0
        self.recover_own = False
        self.outages = 0

    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        delay = 0.5
        try:
            while self.running:
                try:
                    self.recover_if_due()
                    super().run()
                    return  # --batch or --max-tasks reached
                except DATABASE_DOWN_ERRORS as error:
                    self.outages += 1
                    logger.warning(
                        "Database unreachable (%s); reconnecting in %.1f s", error, delay
                    )
                    _close_connection()
                    time.sleep(delay)
                    delay = min(delay * 2, 10)
                    # The loop starts again: no thundering herd delay this time, and first of
                    # all the task the outage interrupted goes back in the queue.
                    self.startup_delay = False
                    self.recover_own = True
                else:
                    delay = 0.5
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=HEARTBEAT_SECONDS * 2)

    def recover_if_due(self) -> None:
        if self.recover_own:
            recover_stale_tasks(backend_name=self.backend_name, own_worker_id=self.worker_id)
            self.recover_own = False
        elif time.monotonic() - self.last_recovery >= RECOVER_SECONDS:
            recover_stale_tasks(backend_name=self.backend_name)
        else:
            return
        self.last_recovery = time.monotonic()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """django-tasks-db's `Worker.run_task`, except for a database that went away.

        A task that raised because the database is unreachable is not marked failed: the
        error goes up to `run`, which reconnects and puts this worker's tasks back in the
        queue (it runs none at that moment).
        """
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                return_value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                return_value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(return_value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except DATABASE_DOWN_ERRORS:
            raise
        except BaseException as error:
            db_task_result.set_failed(error)
            try:
                sender = type(db_task_result.task.get_backend())
                task_result = db_task_result.task_result
            except (ImportError, SuspiciousOperation):
                logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
            else:
                task_finished.send(sender=sender, task_result=task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1
        self.recover_if_due()
