"""The task worker: it outlives a database outage, puts back the task the outage interrupted,
and takes over the tasks of workers whose heartbeat stopped."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from common.choices import EmailStatus
from common.models import OutgoingEmail, TaskWorker
from common.worker import ResilientWorker, recover_stale_tasks
from registrations.services.registrations import register_attendee
from tests.registrations.data import service_data


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def worker(**options) -> ResilientWorker:
    defaults = {
        "queue_names": ["default"],
        "excluded_queue_names": [],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "worker-under-test",
    }
    return ResilientWorker(**{**defaults, **options})


def running_task(owner: str, started_minutes_ago: float) -> DBTaskResult:
    result = DBTaskResult.objects.create(
        args_kwargs={"args": [0], "kwargs": {}},
        task_path="common.services.outbox.send_outgoing_email",
        backend_name="default",
        run_after=timezone.now(),
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=started_minutes_ago),
        worker_ids=[owner],
    )
    return result


@pytest.mark.django_db
def test_tasks_of_workers_whose_heartbeat_stopped_are_queued_again(database_tasks):
    now = timezone.now()
    for worker_id, seen in (("alive", now), ("dead", now - dt.timedelta(minutes=10))):
        TaskWorker.objects.create(
            worker_id=worker_id, pid=1, started_at=now - dt.timedelta(hours=1), seen_at=seen
        )
    alive = running_task("alive", started_minutes_ago=30)  # a long scheduler run
    dead = running_task("dead", started_minutes_ago=3)
    unknown_old = running_task("old-db-worker", started_minutes_ago=30)
    unknown_new = running_task("just-started", started_minutes_ago=0.5)

    assert recover_stale_tasks() == 2

    statuses = {
        name: DBTaskResult.objects.get(pk=task.pk).status
        for name, task in [
            ("alive", alive),
            ("dead", dead),
            ("unknown_old", unknown_old),
            ("unknown_new", unknown_new),
        ]
    }
    assert statuses == {
        "alive": "RUNNING",
        "dead": "READY",
        "unknown_old": "READY",
        "unknown_new": "RUNNING",
    }


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_an_outage_and_sends_what_was_queued(open_edition, database_tasks):
    registration = register_attendee(edition=open_edition, data=service_data())
    refused = []

    def outage(execute, sql, params, many, context):
        if len(refused) < 3:
            refused.append(sql)
            raise OperationalError("could not connect to server: Connection refused")
        return execute(sql, params, many, context)

    under_test = worker()
    with connection.execute_wrapper(outage):
        under_test.run()

    email = OutgoingEmail.objects.get(registration=registration)
    assert (under_test.outages, email.status) == (3, EmailStatus.SENT)
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"]
    assert TaskWorker.objects.filter(worker_id="worker-under-test").exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_the_outage_interrupted_is_run_again_not_failed(open_edition, database_tasks):
    registration = register_attendee(edition=open_edition, data=service_data())
    interrupted = []

    def outage_inside_the_task(execute, sql, params, many, context):
        # The outbox's claim, the task's first write: the database goes away right then.
        if '"attempts" = (' in sql and not interrupted:
            interrupted.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    under_test = worker()
    with connection.execute_wrapper(outage_inside_the_task):
        under_test.run()

    email = OutgoingEmail.objects.get(registration=registration)
    assert (len(interrupted), email.status, email.attempts) == (1, EmailStatus.SENT, 1)
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"]


@pytest.mark.django_db(transaction=True)
def test_the_command_runs_the_queue(open_edition, database_tasks, mailoutbox):
    register_attendee(edition=open_edition, data=service_data())
    call_command("task_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    assert [m.to for m in mailoutbox] == [["jiwon.park@example.co.kr"]]
