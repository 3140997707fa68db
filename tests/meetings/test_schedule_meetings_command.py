"""`manage.py schedule_meetings`: a problem file in, a solution file out, clear errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.scheduling import check_solution

PROBLEM = {
    "format": "meeting-schedule-problem/1",
    "name": "three-people",
    "slots": [{"id": 1}, {"id": 2}, {"id": 3}],
    "rooms": 2,
    "fairness": 1,
    "participants": [{"id": 1}, {"id": 2, "unavailable": [1]}, {"id": 3}],
    "meetings": [
        {"id": 1, "a": 1, "b": 2, "priority": 2},
        {"id": 2, "a": 1, "b": 3, "priority": 1},
    ],
}


ROOT = Path(__file__).resolve().parents[2]
B2B_DATA = ROOT / "benchmarks" / "data" / "b2b-jair2022"


def run(tmp_path, problem, *extra):
    problem_file = tmp_path / "problem.json"
    problem_file.write_text(problem if isinstance(problem, str) else json.dumps(problem))
    output = tmp_path / "solution.json"
    call_command(
        "schedule_meetings",
        "--problem",
        str(problem_file),
        "--output",
        str(output),
        "--time-limit",
        "5",
        *extra,
    )
    return output


def test_round_trip_writes_a_feasible_solution(tmp_path, capsys):
    output = run(tmp_path, PROBLEM, "--seed", "3", "--repeatable")
    solution = json.loads(output.read_text())

    assert check_solution(PROBLEM, solution).errors == []
    assert solution["format"] == "meeting-schedule-solution/1"
    assert solution["problem"] == "three-people"
    assert solution["unplaced"] == []
    assert solution["stats"] | {"seconds": 0} == {
        "placed": 2,
        "priority_placed": 3,
        "breaks": 0,
        "bound": 3,
        "optimal": True,
        "breaks_bound": 0,
        "method": "cp-sat",
        "seconds": 0,
    }
    printed = capsys.readouterr().out
    assert printed.startswith(
        "three-people: placed 2/2 meetings, priority 3 of at most 3, 0 breaks"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        (json.dumps({**PROBLEM, "rooms": -1}), "problem.json: rooms must be at least 0."),
        (
            json.dumps({**PROBLEM, "meetings": [{"id": 1, "a": 1, "b": 4}]}),
            "problem.json: Meeting 1 names participant 4, who does not exist.",
        ),
    ],
)
def test_malformed_files_raise_a_clear_command_error(tmp_path, content, message):
    with pytest.raises(CommandError) as error:
        run(tmp_path, content)
    assert message in str(error.value)
    assert not (tmp_path / "solution.json").exists()


def test_missing_problem_file(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command(
            "schedule_meetings",
            "--problem",
            str(tmp_path / "nowhere.json"),
            "--output",
            str(tmp_path / "out.json"),
        )
    assert str(error.value) == (
        f"Cannot read {tmp_path / 'nowhere.json'}: No such file or directory."
    )


def test_the_default_races_maxsat_and_cp_sat_on_a_published_instance(tmp_path, capsys):
    instance = B2B_DATA / "tic-13crafb.json"
    assert instance.is_file(), f"benchmark data missing: {instance}"
    output = tmp_path / "solution.json"

    call_command(
        "schedule_meetings",
        "--problem",
        str(instance),
        "--output",
        str(output),
        "--time-limit",
        "30",
    )

    solution = json.loads(output.read_text())
    problem = json.loads(instance.read_text())
    check = check_solution(problem, solution)
    assert check.errors == []
    assert (check.placed, check.breaks) == (184, 0)  # the published optimum
    assert solution["stats"]["optimal"] is True
    printed = capsys.readouterr().out
    assert printed.startswith(
        "tic-13crafb: placed 184/184 meetings, priority 184 of at most 184, 0 breaks, optimal"
    )


def test_the_benchmark_refuses_to_run_without_its_data(tmp_path):
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, "benchmarks/schedule_b2b.py", "--data", str(tmp_path), "--only", "tic-12"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: benchmark data missing in {tmp_path}: tic-12.json "
        "(the files ship with the repository under benchmarks/data/; restore them with git)\n"
    )
