"""`manage.py schedule_meetings`: a draft schedule run for an edition, or a problem file solved."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.errors import ForumError
from meetings.scheduling import ProblemError, SolverSettings, parse_problem, solve_problem


class Command(BaseCommand):
    help = (
        "With --edition: place the edition's accepted meeting requests into its slots and save a "
        "draft schedule run for staff to review and publish in the admin. With --problem and "
        "--output: solve a meeting-schedule-problem/1 JSON file into a "
        "meeting-schedule-solution/1 JSON file, touching no database."
    )
    # The file mode must run where no database is set up.
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("--edition", help="the edition's slug: save a draft run")
        parser.add_argument(
            "--move-published",
            action="store_true",
            help="with --edition: let the run move or drop meetings already published",
        )
        parser.add_argument("--problem", type=Path, help="problem JSON file")
        parser.add_argument("--output", type=Path, help="where to write the solution")
        parser.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument(
            "--repeatable",
            action="store_true",
            help="one solver worker, deterministic limits, no MaxSAT race: same seed, same result",
        )

    def handle(
        self,
        *args,
        edition: str | None,
        move_published: bool,
        problem: Path | None,
        output: Path | None,
        time_limit: float,
        seed: int,
        repeatable: bool,
        **options,
    ):
        if time_limit <= 0:
            raise CommandError("--time-limit must be a positive number of seconds.")
        if edition:
            if problem or output:
                raise CommandError("Give either --edition or --problem and --output, not both.")
            return self.run_for_edition(edition, time_limit, keep_published=not move_published)
        if not (problem and output):
            raise CommandError("Give --edition, or both --problem and --output.")
        try:
            data = json.loads(problem.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {problem}: {error.strerror or error}.") from error
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{problem} is not valid JSON: {error}.") from error
        try:
            parsed = parse_problem(data)
        except ProblemError as error:
            raise CommandError(f"{problem}: {error.message}") from error
        settings = SolverSettings(time_limit=time_limit, seed=seed, repeatable=repeatable)
        solution = solve_problem(parsed, settings)
        try:
            output.write_text(json.dumps(solution, indent=1) + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from error
        stats = solution["stats"]
        self.stdout.write(
            f"{parsed.name or problem.name}: "
            f"placed {stats['placed']}/{len(parsed.meetings)} meetings, "
            f"priority {stats['priority_placed']} of at most {stats['bound']}, "
            f"{stats['breaks']} breaks, {'optimal' if stats['optimal'] else 'not proven optimal'}"
            f" ({stats['method']}), {stats['seconds']} s -> {output}"
        )

    def run_for_edition(self, slug: str, time_limit: float, *, keep_published: bool) -> None:
        from forum.models import Edition
        from meetings.choices import ScheduleRunStatus
        from meetings.services.schedule_runs import start_schedule_run

        found = Edition.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No edition with the slug “{slug}”.")
        try:
            run = start_schedule_run(
                edition=found,
                time_limit=max(1, min(600, round(time_limit))),
                keep_published=keep_published,
                in_background=False,
            )
        except ForumError as error:
            raise CommandError(str(error.message)) from error
        run.refresh_from_db()
        if run.status == ScheduleRunStatus.FAILED:
            raise CommandError(f"The run failed: {run.error}")
        self.stdout.write(
            f"{found}: placed {run.placed}/{run.requested} requests, priority "
            f"{run.priority_placed} of at most {run.priority_bound}, {run.breaks} idle gaps, "
            f"{'optimal' if run.optimal else 'not proven optimal'}, {run.seconds} s. "
            f"Review and publish the draft at {run.get_absolute_url()}"
        )
