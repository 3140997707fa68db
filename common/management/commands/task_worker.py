"""Runs background tasks (emails, scheduler runs): django-tasks-db's worker, made to survive
database restarts and to take over the tasks of workers that died (common/worker.py)."""

from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from common.worker import ResilientWorker


class Command(DbWorkerCommand):
    help = (
        "Run background tasks; survives database restarts and re-queues the tasks of dead "
        "workers. Run it under a supervisor (docs/deployment.md)."
    )

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, **options) -> None:
        self.configure_logging(verbosity)
        if reload:
            self.stderr.write("task_worker never reloads on code changes.")
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
