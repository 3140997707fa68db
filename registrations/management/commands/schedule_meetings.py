"""`manage.py schedule_meetings`: solve a meeting-schedule problem file without the database."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registrations.scheduling import ProblemError, SolverSettings, parse_problem, solve_problem


class Command(BaseCommand):
    help = (
        "Place the meetings of a meeting-schedule-problem/1 JSON file into slots and write a "
        "meeting-schedule-solution/1 JSON file. Touches no database."
    )
    # A pure file-to-file tool: it must run where no database is set up.
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("--problem", required=True, type=Path, help="problem JSON file")
        parser.add_argument(
            "--output", required=True, type=Path, help="where to write the solution"
        )
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
        problem: Path,
        output: Path,
        time_limit: float,
        seed: int,
        repeatable: bool,
        **options,
    ):
        if time_limit <= 0:
            raise CommandError("--time-limit must be a positive number of seconds.")
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
