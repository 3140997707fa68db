r"""Attendee export speed and memory on PostgreSQL, against `COPY … TO STDOUT WITH CSV`.

Creates a throw-away PostgreSQL database with one edition of N registrations (default 100,000),
two bookings and three consents each, then, each in its own process:
  - COPY: the export's own SQL (same rows, same columns, sessions and consents aggregated by the
    database) through `COPY (…) TO STDOUT WITH CSV` into a file — the floor;
  - `manage.py export_attendees` with every column, as CSV and as XLSX.
Prints the best of R runs per row, the ratio to COPY and each process's peak memory (max RSS).
Targets (issue 11): CSV ≤ 3× COPY, XLSX ≤ 10× COPY, peak ≤ 150 MB.

    flock /tmp/forum-heavy.lock .venv/bin/python benchmarks/export_speed.py [--rows 100000]
    [--runs 3] [--keep]      (PostgreSQL at DATABASE_URL's server, default postgres@127.0.0.1)

With `--with-start-up` it also times whole processes, as an operator runs them: `psql -c
"\copy (…) TO file WITH CSV HEADER"` against `manage.py export_attendees` (start-up included).
Target (issue 20): ≤ 2× `\copy` including start-up. With `--compare-rev REV` the same command
of another revision (unpacked from git, this checkout's virtual environment) runs beside this
one's, interleaved: before and after from the same run.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import compile_project, machine, print_table, unpack  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "forum_export_bench"
TARGETS = {"CSV": 3.0, "XLSX": 10.0}
PEAK_TARGET_MB = 150

SETUP = r"""
import datetime as dt, django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from forum.models import Edition, Session
from registrations.demo import load_demo_consents
e = Edition.objects.create(number=99, slug="bench", title="Benchmark forum",
    start_date=dt.date(2030, 1, 15), end_date=dt.date(2030, 1, 16), is_current=True)
load_demo_consents(e)
start = dt.datetime(2030, 1, 15, 0, 0, tzinfo=dt.UTC)
sessions = [Session.objects.create(edition=e, slug=f"s{i}", title=f"Session {i}: connectivity",
    kind="panel", starts_at=start + dt.timedelta(hours=i),
    ends_at=start + dt.timedelta(hours=i, minutes=50),
    capacity=None if i else 1000) for i in range(8)]
texts = {t.kind: t.pk for t in e.consent_texts.all()}
n = int(ROWS)
with connection.cursor() as c:
    c.execute('''
      INSERT INTO registrations_registration (edition_id, name, email, organisation, job_title,
        country, category, phone, time_zone, language, wants_meetings, status, link_key,
        created_at, updated_at, email_confirmed_at, confirmed_at, public_id, name_latin,
        organisation_en, pending_email, wants_reminders, is_sample)
      SELECT %s, CASE WHEN i %% 1000 = 0 THEN '=HYPERLINK("x")' ELSE 'Attendee ' || i END,
        'attendee' || i || '@example.org', 'Organisation ' || (i %% 500), 'Manager',
        (ARRAY['KR','VN','ID','TH','PH','MY','SG','KH','LA','MM','BN','TL'])[1 + i %% 12],
        (ARRAY['korean_company','asean_government','international','financial','academia',
               'media','other'])[1 + i %% 7],
        '+82 10 ' || lpad((i %% 10000)::text, 4, '0') || ' 5678', 'Asia/Seoul',
        CASE WHEN i %% 5 = 0 THEN 'ko' ELSE 'en' END, i %% 3 = 0,
        CASE WHEN i %% 10 = 0 THEN 'awaiting_confirmation' ELSE 'confirmed' END,
        md5(i::text), now() - (i || ' seconds')::interval, now(), now(), now(), gen_random_uuid(),
        '', '', '', true, false
      FROM generate_series(1, %s) AS i''', [e.pk, n])
    ids = [s.pk for s in sessions]
    # Two bookings each: one in a session without a limit, one in the 1,000-seat session or
    # on its waiting list.
    c.execute('''
      INSERT INTO registrations_sessionbooking (registration_id, session_id, status, seat,
        position, created_at)
      SELECT r.id, (%s::bigint[])[2 + (r.id %% 7)], 'booked', NULL, NULL, r.created_at
      FROM registrations_registration r WHERE r.edition_id = %s''', [ids, e.pk])
    c.execute('''
      INSERT INTO registrations_sessionbooking (registration_id, session_id, status, seat,
        position, created_at)
      SELECT id, %s, CASE WHEN rn <= 1000 THEN 'booked' ELSE 'waiting' END,
        CASE WHEN rn <= 1000 THEN rn END, CASE WHEN rn > 1000 THEN rn - 1000 END, created_at
      FROM (SELECT id, created_at, row_number() OVER (ORDER BY id) AS rn
            FROM registrations_registration WHERE edition_id = %s AND id %% 3 = 0) x''',
      [ids[0], e.pk])
    for kind in ("collection", "transfer", "sharing"):
        c.execute('''
          INSERT INTO registrations_consent (registration_id, text_id, kind, version, given_at)
          SELECT id, %s, %s, '1', created_at FROM registrations_registration
          WHERE edition_id = %s''', [texts[kind], kind, e.pk])
    # The seat counters the services keep, as the rows above were written by hand.
    c.execute('''
      UPDATE forum_session s SET seats_taken = LEAST(s.capacity, (SELECT COUNT(*)
        FROM registrations_sessionbooking b WHERE b.session_id = s.id AND b.status = 'booked')),
        last_waiting_place = (SELECT COALESCE(MAX(b.position), 0)
        FROM registrations_sessionbooking b WHERE b.session_id = s.id)
      WHERE s.edition_id = %s AND s.capacity IS NOT NULL''', [e.pk])
    c.execute("ANALYZE")
print("ready")
"""

# Each measurement runs in a fresh process so that its peak memory is its own.
MEASURE = r"""
import json, resource, sys, time, django
django.setup()
from django.db import connection
from forum.models import Edition
from backoffice.exports import AttendeeList, ExportFilters
what, output = sys.argv[1], sys.argv[2]
edition = Edition.objects.get(slug="bench")
columns = list(AttendeeList.column_specs())
if what == "copy":
    export = AttendeeList(ExportFilters(edition=edition), columns)
    sources = list(dict.fromkeys(c.source for c in export.chosen))
    sql, params = export.queryset(sources).values_list(*sources).query.sql_with_params()
    started = time.perf_counter()
    with connection.cursor() as cursor, open(output, "wb") as out:
        statement = cursor.cursor.mogrify(sql, params)
        with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT WITH CSV HEADER") as copy:
            for block in copy:
                out.write(block)
else:
    from django.core.management import call_command
    started = time.perf_counter()
    call_command("export_attendees", edition="bench", format=what, output=output,
                 columns=",".join(columns), stdout=open("/dev/null", "w"))
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak}))
"""


# The export's own statement, for psql's \copy.
STATEMENT = r"""
import django
django.setup()
from django.db import connection
from forum.models import Edition
from backoffice.exports import AttendeeList, ExportFilters
export = AttendeeList(ExportFilters(edition=Edition.objects.get(slug="bench")),
                      list(AttendeeList.column_specs()))
sources = list(dict.fromkeys(c.source for c in export.chosen))
sql, params = export.queryset(sources).values_list(*sources).query.sql_with_params()
with connection.cursor() as cursor:
    print(" ".join(cursor.cursor.mogrify(sql, params).split()))
"""
START_UP_TARGET = 2.0


def timed(command: list[str], env: dict, cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def with_start_up(
    env: dict, psql: list[str], runs: int, out_dir: Path, compare: tuple[str, Path] | None
) -> None:
    r"""Whole processes: psql's \copy against `manage.py export_attendees`, start-up included."""
    statement = run_python(STATEMENT, env)
    columns = run_python(
        "import django\ndjango.setup()\nfrom backoffice.exports import AttendeeList\n"
        "print(','.join(AttendeeList.column_specs()))",
        env,
    )
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    copy = [*psql[:-2], database, "-c"]
    commands = {
        "copy": [*copy, f"\\copy ({statement}) TO '{out_dir / 'copy.csv'}' WITH CSV HEADER"],
        **{
            what: [
                sys.executable,
                "manage.py",
                "export_attendees",
                "--edition",
                "bench",
                "--format",
                what,
                "--output",
                str(out_dir / f"export.{what}"),
                "--columns",
                columns,
            ]
            for what in ("csv", "xlsx")
        },
    }
    where = dict.fromkeys(commands, ROOT)
    if compare is not None:  # the same commands in the other revision's directory, interleaved
        for what in ("csv", "xlsx"):
            commands[f"{what}@"] = commands[what]
            where[f"{what}@"] = compare[1]
    seconds: dict[str, list[float]] = {what: [] for what in commands}
    for _ in range(runs):
        for what, command in commands.items():
            seconds[what].append(timed(command, env, where[what]))
    best = {what: min(values) for what, values in seconds.items()}
    median = {what: statistics.median(values) for what, values in seconds.items()}
    print(
        f"Whole processes, start-up included, interleaved, {runs} runs each (load average "
        f"{os.getloadavg()[0]:.1f} at the end):"
    )
    rows = [
        [
            "psql \\copy … TO file WITH CSV HEADER",
            f"{best['copy']:.2f}",
            f"{median['copy']:.2f}",
            "1.0×",
            "",
        ]
    ]
    kinds = ["csv", "xlsx"]
    if compare is not None:
        kinds = ["csv@", "csv", "xlsx@", "xlsx"]
    for what in kinds:
        ratio = best[what] / best["copy"]
        verdict = "met" if ratio <= START_UP_TARGET else "MISSED"
        rows.append(
            [
                f"manage.py export_attendees --format {what.rstrip('@')}"
                + (f" ({compare[0]})" if what.endswith("@") and compare else ""),
                f"{best[what]:.2f}",
                f"{median[what]:.2f}",
                f"{ratio:.1f}× / {median[what] / median['copy']:.1f}×",
                f"≤ {START_UP_TARGET:.0f}× {verdict}",
            ]
        )
    print_table(
        ["process", "best s", "median s", "vs \\copy (best / median)", "target (best)"], rows
    )
    for name in ("copy.csv", "export.csv", "export.xlsx"):
        (out_dir / name).unlink(missing_ok=True)


def run_python(code: str, env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"A benchmark step failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="Keep the database for another run.")
    parser.add_argument(
        "--with-start-up", action="store_true", help="also time whole processes against \\copy"
    )
    parser.add_argument(
        "--compare-rev",
        default="",
        help="with --with-start-up: another revision's command, interleaved (before/after)",
    )
    options = parser.parse_args()

    server = urllib.parse.urlsplit(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    base = f"{server.scheme}://{server.netloc}"
    psql = ["psql", "-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432)]
    psql += ["-U", server.username or "postgres", "-q", "postgres", "-c"]
    env = {
        **os.environ,
        "DATABASE_URL": f"{base}/{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DEBUG": "1",
        "ROWS": str(options.rows),
    }
    exists = subprocess.run(
        [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'", "-t"],  # noqa: S608
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not (exists and options.keep):
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE}"], check=True)
        subprocess.run([*psql, f"CREATE DATABASE {DATABASE}"], check=True)
        run_python(f"ROWS = {options.rows}\n{SETUP}", env)

    out_dir = ROOT / "var"
    out_dir.mkdir(exist_ok=True)
    results: dict[str, list[dict]] = {"copy": [], "csv": [], "xlsx": []}
    for _ in range(options.runs):
        for what in results:
            output = out_dir / f"export-bench.{'csv' if what == 'copy' else what}"
            results[what].append(json.loads(run_python(MEASURE, env, what, str(output))))
    best = {what: min(runs, key=lambda r: r["seconds"]) for what, runs in results.items()}
    peak = {what: max(r["peak_mb"] for r in runs) for what, runs in results.items()}
    floor = best["copy"]["seconds"]
    print(
        f"Attendee export, {options.rows:,} registrations (2 bookings, 3 consents each), all "
        f"{17} columns, PostgreSQL; best of {options.runs} — {machine()}"
    )
    rows = [["COPY … TO STDOUT WITH CSV", f"{floor:.2f}", "1.0×", "", f"{peak['copy']:.0f}", ""]]
    for name in ("CSV", "XLSX"):
        seconds = best[name.lower()]["seconds"]
        ratio = seconds / floor
        rows.append(
            [
                f"export_attendees --format {name.lower()}",
                f"{seconds:.2f}",
                f"{ratio:.1f}×",
                f"≤ {TARGETS[name]:.0f}× {'met' if ratio <= TARGETS[name] else 'MISSED'}",
                f"{peak[name.lower()]:.0f}",
                f"≤ {PEAK_TARGET_MB} {'met' if peak[name.lower()] <= PEAK_TARGET_MB else 'MISSED'}",
            ]
        )
    print_table(["what", "seconds", "vs COPY", "target", "peak MB", "target"], rows)
    for what in results:
        (out_dir / f"export-bench.{'csv' if what == 'copy' else what}").unlink(missing_ok=True)
    if options.with_start_up:
        compile_project()  # as `make setup` does; the other revision's is compiled by unpack()
        with tempfile.TemporaryDirectory(prefix="forum-export-rev-") as other:
            compare = None
            if options.compare_rev:
                compare = (options.compare_rev, unpack(options.compare_rev, Path(other)))
            with_start_up(env, psql, options.runs, out_dir, compare)
    if not options.keep:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE}"], check=True)


if __name__ == "__main__":
    main()
