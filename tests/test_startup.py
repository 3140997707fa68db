"""What a process loads before its work: no solver unless it solves, no spreadsheet library unless
it reads or writes a spreadsheet (issue 20)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import CommandError, get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[1]

# Every app, every admin module and every URL, as `manage.py <any command>` and a gunicorn worker
# load them; then which of the heavy libraries came along.
LOAD_EVERYTHING = """
import json, sys, django
django.setup()
from django.contrib import admin
from django.urls import resolve
import forum.urls
resolve("/")
assert admin.site._registry
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in sys.argv[1:])))
"""

APPS = ["common", "forum", "registrations", "meetings", "backoffice"]
HEAVY = ["ortools", "pandas", "icalendar", "openpyxl", "numpy", "odf", "yaml", "meetings"]


def loaded_modules(
    *packages: str, script: str = LOAD_EVERYTHING, on_sqlite: bool = False
) -> list[str]:
    """Which modules of `packages` a fresh process has after `script` (on the suite's database,
    or with `on_sqlite` on the embedded default whatever DATABASE_URL the suite runs with)."""
    env = {
        key: value for key, value in os.environ.items() if not (on_sqlite and key == "DATABASE_URL")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "forum.settings", "DEBUG": "1"})
    result = subprocess.run(  # noqa: S603 — our own code, fixed arguments
        [sys.executable, "-c", script, *packages],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_start_up_loads_no_solver_no_calendar_and_no_spreadsheet_library():
    loaded = loaded_modules(*HEAVY)

    assert [name for name in loaded if not name.startswith("meetings")] == []
    # The schedule-run services are there (the admin imports them) with the problem's format,
    # but none of the solver modules.
    assert "meetings.services.schedule_runs" in loaded
    scheduling = [name for name in loaded if name.startswith("meetings.scheduling.")]
    assert scheduling == ["meetings.scheduling.problem"]


def test_a_process_on_sqlite_starts_without_psycopg():
    """PostgreSQL's driver comes with a PostgreSQL database, not with the sign-up's batch code
    (common/rows.py), so the embedded SQLite set-up starts without it."""
    loaded = loaded_modules("psycopg", "common", on_sqlite=True)

    assert "common.rows" in loaded
    assert [name for name in loaded if name.startswith("psycopg")] == []


def test_a_schedule_run_loads_the_solver_when_it_solves():
    code = LOAD_EVERYTHING.replace(
        "print(", "from meetings import scheduling; scheduling.solve_problem\nprint("
    )
    assert "ortools.sat.python.cp_model" in loaded_modules("ortools", script=code)


def test_an_import_page_loads_the_spreadsheet_format_it_offers():
    """tablib's formats stand in until used (common/spreadsheet_formats.py): the admin's import
    formats still say what they are, which loads openpyxl then."""
    code = LOAD_EVERYTHING.replace(
        "print(",
        "from import_export.formats.base_formats import XLSX\n"
        "assert XLSX().get_extension() == 'xlsx' and XLSX().can_import()\nprint(",
    )
    assert "openpyxl" in loaded_modules("openpyxl", script=code)


# What a command that serves no page loads: the apps and their models, no admin module.
COMMAND_START_UP = """
import json, sys, django
django.setup()
from django.core.management import load_command_class
load_command_class("backoffice", "export_attendees")
from django.contrib import admin
assert not admin.site._registry
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in sys.argv[1:])))
"""


def test_a_command_that_serves_no_page_starts_without_the_admin_modules():
    loaded = loaded_modules(*APPS, "import_export", "gunicorn", script=COMMAND_START_UP)
    assert [name for name in loaded if ".admin" in name or name == "import_export.admin"] == []
    # Nor what only some signals' receivers and the web server need: the receivers import their
    # services when a signal first comes (meetings/apps.py, backoffice/apps.py).
    only_when_used = [
        "common.services.outbox",
        "meetings.services.participation",
        "meetings.selectors.recommendations",
        "backoffice.services.mailtemplates",
    ]
    assert [name for name in only_when_used if name in loaded] == []
    assert [name for name in loaded if name.split(".")[0] == "gunicorn"] == []


def test_the_urls_register_every_app_admin():
    """The admin modules are discovered when the URLs load (forum/urls.py), in INSTALLED_APPS
    order, as the admin's own autodiscovery did."""
    everything = loaded_modules(*APPS)
    for app in APPS:
        assert f"{app}.admin" in everything
    from django.contrib import admin
    from django.urls import resolve

    from meetings.models import BusinessProfile
    from registrations.models import Registration

    resolve("/")  # loads the URLs in this process too
    assert Registration in admin.site._registry
    assert BusinessProfile in admin.site._registry


# Commands run from timers or for a file skip the system checks, which load every URL and admin
# module; `manage.py check --deploy` runs them at deploy time.
@pytest.fixture
def checks_run():
    runs: list[str] = []

    def recording_check(app_configs, **kwargs):
        runs.append("checked")
        return []

    checks.register(recording_check)
    yield runs
    checks.registry.registry.registered_checks.discard(recording_check)


def run_as_from_the_command_line(name: str, *arguments: str) -> None:
    """What `manage.py <name> <arguments>` runs (`run_from_argv` without its closing of every
    connection, which the test's transaction needs)."""
    command = load_command_class(get_commands()[name], name)
    options = command.create_parser("manage.py", name).parse_args(arguments)
    command.execute(**{**vars(options), "stdout": io.StringIO()})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "arguments",
    [
        ["export_attendees", "--edition", "none", "--output", "unused.csv"],
        ["export_meetings", "--edition", "none", "--output", "unused.csv"],
        ["export_session_attendance", "--edition", "none", "--output", "unused.csv"],
        ["send_due_emails"],
        ["send_session_reminders"],
        ["send_meeting_reminders"],
        ["expire_registrations"],
    ],
)
def test_exports_and_timer_commands_run_no_system_checks(checks_run, arguments):
    if arguments[0].startswith("export_"):
        with pytest.raises(CommandError, match="No edition"):
            run_as_from_the_command_line(*arguments)
    else:
        run_as_from_the_command_line(*arguments)
    assert checks_run == []


@pytest.mark.django_db
def test_a_command_with_system_checks_runs_them(checks_run):
    """The control: the recording check does run where a command asks for the checks."""
    run_as_from_the_command_line("purge_personal_data", "--dry-run")
    assert checks_run == ["checked"]
