"""Schedule runs: started by organisers, solved by a task, reviewed as a draft, discarded."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.choices import AuditActor
from common.db import atomic
from common.services.audit import log_action
from forum.models import Edition

# The package loads its solvers on first use (OR-Tools brings pandas: seconds and ~80 MB), so
# importing this module — as the admin does in every process — costs nothing until a run solves.
from meetings import scheduling
from meetings.choices import (
    SchedulePhase,
    ScheduleRunStatus,
)
from meetings.errors import MeetingError
from meetings.models import ScheduleRun
from meetings.services.schedule_problem import DEFAULT_TIME_LIMIT, EditionProblem, build_problem

logger = logging.getLogger(__name__)


def _reason(entry: dict[str, Any], problem: EditionProblem, by_id: dict[int, dict]) -> dict:
    """A reason as a code with parameters, in the database's terms (registration ids)."""
    meeting = by_id[entry["meeting"]]
    params: dict[str, Any] = {"a": meeting["a"], "b": meeting["b"]}
    if "person" in entry["params"]:
        params["person"] = entry["params"]["person"]
    return {
        "request": problem.request_of.get(entry["meeting"]),
        "meeting": problem.meeting_of.get(entry["meeting"]),
        "reason": entry["reason"],
        "params": params,
    }


def _save_progress(run: ScheduleRun, **fields: Any) -> None:
    # Its own small write, visible at once to the admin page that shows the run's progress.
    ScheduleRun.objects.filter(pk=run.pk).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)


# Seconds between two progress writes to the run row while the solvers optimise.
PROGRESS_INTERVAL = 0.25


def _progress_fields(figures: dict, problem: EditionProblem) -> dict[str, Any]:
    """The solver's figures count the fixed and blocking meetings; the run counts requests."""
    fixed = len(problem.fixed_ids | problem.blocker_ids)
    return {
        "placed": max(figures["placed"] - fixed, 0),
        "priority_placed": max(figures["priority_placed"] - problem.fixed_priority, 0),
        "priority_bound": max(figures["bound"] - problem.fixed_priority, 0),
        "breaks": figures["breaks"],
        "breaks_bound": figures["breaks_bound"],
    }


def _solve_reporting_progress(run: ScheduleRun, problem: EditionProblem, parsed) -> dict:
    """Solves in a worker thread while this thread writes the best-so-far figures to the run row
    as the solvers find them. Every write comes from the caller's own connection (and
    transaction); the solvers never touch the database."""
    latest: dict[str, Any] = {}
    changed = threading.Event()

    def report(figures: dict) -> None:  # from the solvers' threads
        latest["figures"] = figures
        changed.set()

    def solve() -> None:
        try:
            settings = scheduling.SolverSettings(time_limit=run.time_limit, progress=report)
            latest["solution"] = scheduling.solve_problem(parsed, settings)
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            latest["error"] = error
        finally:
            changed.set()

    worker = threading.Thread(target=solve, name=f"schedule-run-{run.pk}", daemon=True)
    worker.start()
    while worker.is_alive():
        changed.wait(1.0)
        changed.clear()
        figures = latest.pop("figures", None)
        if figures is not None and worker.is_alive():
            _save_progress(run, **_progress_fields(figures, problem))
        worker.join(PROGRESS_INTERVAL)
    if "error" in latest:
        raise latest["error"]
    return latest["solution"]


def _draft(problem, solution: dict, by_id: dict) -> dict:
    """The solution in the database's terms: requests and meetings by their keys, with slots;
    what stayed unplaced and why (codes with parameters, worded by the page)."""
    slot_of = {entry["meeting"]: entry["slot"] for entry in solution["assignments"]}
    return {
        "assignments": [
            {"request": problem.request_of[i], "slot": slot_of[i]}
            for i in sorted(problem.request_of)
            if i in slot_of
        ],
        "meetings": [
            {"meeting": problem.meeting_of[i], "slot": slot_of.get(i)}
            for i in sorted(problem.meeting_of)
        ],
        "unplaced": [
            _reason(entry, problem, by_id)
            for entry in solution["unplaced_reasons"]
            if entry["meeting"] not in problem.blocker_ids
        ],
    }


def execute_schedule_run(*, run: ScheduleRun) -> ScheduleRun:
    """Builds the problem, solves it and stores the draft; a failure is recorded on the run."""
    started = time.monotonic()
    _save_progress(
        run,
        status=ScheduleRunStatus.RUNNING,
        phase=SchedulePhase.LOADING,
        started_at=timezone.now(),
    )
    try:
        problem = build_problem(edition=run.edition, keep_published=run.keep_published)
        parsed = scheduling.parse_problem(problem.data)
        by_id = {m["id"]: m for m in problem.data["meetings"]}
        movable = [i for i in by_id if i not in problem.fixed_ids | problem.blocker_ids]
        first = scheduling.greedy_schedule(parsed)
        _save_progress(
            run,
            phase=SchedulePhase.FIRST_DRAFT,
            requested=len(movable),
            placed=sum(1 for i in movable if i in first),
            priority_placed=sum(by_id[i]["priority"] for i in movable if i in first),
        )
        _save_progress(run, phase=SchedulePhase.OPTIMISING)
        solution = _solve_reporting_progress(run, problem, parsed)
        check = scheduling.check_solution(problem.data, solution)
        if not check.feasible:  # never publishable: say so instead of storing it
            raise RuntimeError("; ".join(check.errors[:3]))
        _save_progress(run, phase=SchedulePhase.SAVING)
        slot_of = {entry["meeting"]: entry["slot"] for entry in solution["assignments"]}
        stats = solution["stats"]
        _save_progress(
            run,
            status=ScheduleRunStatus.DONE,
            phase=SchedulePhase.FINISHED,
            draft=_draft(problem, solution, by_id),
            placed=sum(1 for i in movable if i in slot_of),
            priority_placed=sum(by_id[i]["priority"] for i in movable if i in slot_of),
            priority_bound=max(stats["bound"] - problem.fixed_priority, 0),
            breaks=stats["breaks"],
            breaks_bound=stats["breaks_bound"],
            optimal=bool(stats["optimal"]),
            seconds=round(time.monotonic() - started, 2),
            finished_at=timezone.now(),
        )
    except MeetingError as error:
        _fail(run, str(error.message), started)
    except Exception as error:  # noqa: BLE001 - any crash must end as a visible failed run
        logger.exception("Schedule run %s failed", run.pk)
        _fail(run, f"{type(error).__name__}: {error}", started)
    return run


def _fail(run: ScheduleRun, message: str, started: float) -> None:
    _save_progress(
        run,
        status=ScheduleRunStatus.FAILED,
        phase=SchedulePhase.FINISHED,
        error=message,
        seconds=round(time.monotonic() - started, 2),
        finished_at=timezone.now(),
    )


@task
def run_schedule(run_id: int) -> None:
    """The background task behind a run started from the admin."""
    run = ScheduleRun.objects.select_related("edition").filter(pk=run_id).first()
    if run is None or run.status != ScheduleRunStatus.QUEUED:
        return  # discarded before a worker took it, or taken twice
    execute_schedule_run(run=run)


def start_schedule_run(
    *,
    edition: Edition,
    user=None,
    time_limit: int = DEFAULT_TIME_LIMIT,
    keep_published: bool = True,
    in_background: bool = True,
) -> ScheduleRun:
    """Queues a run (the database allows one queued or running run per edition)."""
    if not 1 <= time_limit <= 600:
        raise MeetingError(_("The time limit must be 1 to 600 seconds."), code="time_limit")
    try:
        with atomic():
            run = ScheduleRun.objects.create(
                edition=edition,
                started_by=user if getattr(user, "is_authenticated", False) else None,
                time_limit=time_limit,
                keep_published=keep_published,
            )
    except IntegrityError as error:
        raise MeetingError(
            _("The scheduler is already running for this edition; wait for it to finish."),
            code="run_active",
        ) from error
    _log_run(run, "schedule_run.started", user=user, time_limit=time_limit)
    if in_background:
        run_id = run.pk
        transaction.on_commit(lambda: run_schedule.enqueue(run_id))
    else:
        execute_schedule_run(run=run)
    return run


def discard_schedule_run(*, run: ScheduleRun, user=None) -> ScheduleRun:
    with atomic():
        run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
        if run.status in (ScheduleRunStatus.PUBLISHED, ScheduleRunStatus.DISCARDED):
            raise MeetingError(_("This run can no longer be discarded."), code="run_closed")
        run.status = ScheduleRunStatus.DISCARDED
        run.save(update_fields=["status"])
        _log_run(run, "schedule_run.discarded", user=user)
    return run


def _log_run(run: ScheduleRun, action: str, *, user=None, **details: Any) -> None:
    actor = user if getattr(user, "is_authenticated", False) else AuditActor.SYSTEM
    log_action(actor=actor, obj=run, action=action, details=details)
