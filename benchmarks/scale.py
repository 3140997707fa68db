"""A big forum's pages and sign-ups under gunicorn on PostgreSQL, against /healthz, before/after.

Seeds a throw-away PostgreSQL database with the demo forum grown to 2,000 business profiles,
156 projects, 6,005 meeting requests, 1,490 meetings and 20,000 registrations, serves it as
deployed (gunicorn with gunicorn.conf.py, production settings; benchmarks/web_bench_settings.py
adds the floors) and drives it with wrk (benchmarks/web_load.lua), a signed-in participant's
session cookie sent with the participant pages. Contenders run interleaved — /healthz, each page,
the 1-INSERT form floor, a sign-up; again; again (`--repeat`) — and each ratio is taken in its
round: a page's rate against /healthz, a sign-up's against the floor. Each page's queries are
counted once, by Django's test client on the same database. Each sign-up run posts addresses of
its own (round, connections, version) and is checked against the database afterwards: a 302
that wrote no new registration (the "already registered" answer) counts as failed.

With `--compare-rev REV` a second server runs REV's code (unpacked from git) on the same database
and every contender runs against both, interleaved, so before and after come from the same run.

    .venv/bin/python benchmarks/scale.py [--seconds 8] [--repeat 3] [--compare-rev main]
        [--lock FILE]     (on a shared machine: only the measuring holds that lock)

Needs wrk (Debian's package) and PostgreSQL (DATABASE_HOST, _PORT, _USER as web_load.py).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import machine, print_table, unpack  # noqa: E402
from benchmarks.web_load import (  # noqa: E402
    free_port,
    postgres_server,
    psql,
    run_wrk,
    server_cpu_seconds,
    server_env,
    signup_body,
    wait_for,
)

SEED = r"""
import datetime as dt, json, random
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
call_command('migrate', verbosity=0)
call_command('collectstatic', interactive=False, verbosity=0)
from backoffice.demo import load_demo_forum
from forum.models import Project, Sector, Session
from meetings.models import (BusinessProfile, Meeting, MeetingRequest, MeetingSeat,
    MeetingSettings, MeetingSlot)
from registrations.models import Registration, SessionBooking
from registrations.selectors.registrations import current_consent_texts
from registrations.services.consents import _record_consents
from registrations.views.support import MANAGE_SESSION_KEY

rng = random.Random(20)
edition = load_demo_forum()
sessions = {s.slug: s for s in edition.sessions.all()}
limited = sessions['projects-transport']
sectors = list(Sector.objects.all())
countries = ['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'TL', 'VN']
have = Project.objects.filter(edition=edition).count()
Project.objects.bulk_create([
    Project(edition=edition, slug=f'scale-{n}', title=f'Connectivity project {n}',
            country=countries[n % 11], sector=sectors[n % len(sectors)])
    for n in range(156 - have)])
projects = list(Project.objects.filter(edition=edition))
registrations = Registration.objects.bulk_create([
    Registration(edition=edition, email=f'seed{i}@example.org', name=f'Seed {i}',
                 organisation=f'Organisation {i:05d}', job_title='Manager',
                 country=rng.choice(countries + ['KR'] * 8), category='korean_company',
                 time_zone='Asia/Seoul', language='en', status='confirmed',
                 wants_meetings=i < PROFILES)
    for i in range(REGISTRATIONS)], batch_size=2000)
SessionBooking.objects.bulk_create([
    SessionBooking(registration=r, session=limited, status='booked', seat=i + 1)
    if i < limited.capacity
    else SessionBooking(registration=r, session=limited, status='waiting',
                        position=i - limited.capacity + 1)
    for i, r in enumerate(registrations)], batch_size=2000)
# The seat counters the services keep (written here, as the rows were)
Session.objects.filter(pk=limited.pk).update(
    seats_taken=min(limited.capacity, len(registrations)),
    last_waiting_place=max(len(registrations) - limited.capacity, 0))
sides = ['company'] * 6 + ['project_owner'] * 3 + ['financier']
profiles = BusinessProfile.objects.bulk_create([
    BusinessProfile(registration=r, side=rng.choice(sides), description='We build.',
                    countries_of_interest=rng.sample(countries, rng.randint(1, 3)),
                    languages=['en'] + rng.sample(['ko', 'vi', 'th', 'id'], rng.randint(0, 1)),
                    listed=rng.random() < 0.9)
    for r in registrations[:PROFILES]], batch_size=2000)
through = BusinessProfile.sectors.through
through.objects.bulk_create([through(businessprofile_id=p.pk, sector_id=s.pk)
    for p in profiles for s in rng.sample(sectors, rng.randint(1, 3))], batch_size=5000)
through = BusinessProfile.projects_presented.through
through.objects.bulk_create([through(businessprofile_id=p.pk, project_id=x.pk)
    for p in profiles if p.side == 'project_owner'
    for x in rng.sample(projects, rng.randint(1, 2))], batch_size=5000)
through = BusinessProfile.projects_of_interest.through
through.objects.bulk_create([through(businessprofile_id=p.pk, project_id=x.pk)
    for p in profiles if p.side != 'project_owner'
    for x in rng.sample(projects, rng.randint(0, 4))], batch_size=5000)

pairs, requests = set(), []
while len(requests) < 6005:
    a, b = rng.sample(profiles, 2)
    key = (min(a.pk, b.pk), max(a.pk, b.pk))
    if key in pairs:
        continue
    pairs.add(key)
    status = 'accepted' if len(requests) < 1600 else rng.choice(
        ['pending', 'declined', 'withdrawn'])
    requests.append(MeetingRequest(edition=edition, sender_id=a.registration_id,
        receiver_id=b.registration_id, status=status, priority=rng.choice(['must', 'would_like'])))
requests = MeetingRequest.objects.bulk_create(requests, batch_size=2000)
MeetingSettings.objects.filter(edition=edition).update(rooms=20)
settings_row = MeetingSettings.objects.get(edition=edition)
start = dt.datetime.combine(settings_row.window_start, dt.time(0, 0), tzinfo=dt.UTC)
slots = MeetingSlot.objects.bulk_create([
    MeetingSlot(edition=edition, starts_at=start + dt.timedelta(days=d, hours=h, minutes=30 * m),
                ends_at=start + dt.timedelta(days=d, hours=h, minutes=30 * m + 30), rooms=20)
    for d in range(8) for h in range(1, 9) for m in range(2)
    if MeetingSlot.objects.filter(edition=edition, starts_at=start + dt.timedelta(
        days=d, hours=h, minutes=30 * m)).count() == 0])
slots = list(MeetingSlot.objects.filter(edition=edition).order_by('starts_at'))
busy, used, meetings = set(), {}, []
for request in requests:
    if len(meetings) == 1490 or request.status != 'accepted':
        continue
    for slot in slots:
        if used.get(slot.pk, 0) < 20 and (request.sender_id, slot.pk) not in busy and (
                request.receiver_id, slot.pk) not in busy:
            used[slot.pk] = used.get(slot.pk, 0) + 1
            busy |= {(request.sender_id, slot.pk), (request.receiver_id, slot.pk)}
            meetings.append(Meeting(edition=edition, request=request, sender_id=request.sender_id,
                receiver_id=request.receiver_id, slot=slot, room=used[slot.pk]))
            break
meetings = Meeting.objects.bulk_create(meetings, batch_size=2000)
MeetingSeat.objects.bulk_create([MeetingSeat(meeting=m, registration_id=person, slot=m.slot)
    for m in meetings for person in (m.sender_id, m.receiver_id)], batch_size=5000)

viewer = next(p for p in profiles if p.listed and p.side == 'company')
viewer.projects_of_interest.add(*projects[:3])
_record_consents(viewer.registration, current_consent_texts(edition=edition))
counterpart = next(p for p in profiles if p.listed and p.pk != viewer.pk)
session = SessionStore()
session[MANAGE_SESSION_KEY] = {'id': viewer.registration_id, 'key': viewer.registration.link_key}
session.create()
# A finished schedule run's draft of 556 meetings over the forum's days, reviewed by staff.
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from meetings.choices import ScheduleRunStatus
from meetings.models import ScheduleRun
staff = get_user_model().objects.create_superuser('bench-staff', 'staff@example.org', 'x')
taken, draft = set(), []
for n, request in enumerate(r for r in requests if r.status == 'accepted'):
    turn = (n * 16) % len(slots)  # spread over the forum's days, as a scheduler's draft is
    for slot in slots[turn:] + slots[:turn]:
        if len(draft) < 556 and (request.sender_id, slot.pk) not in taken and (
                request.receiver_id, slot.pk) not in taken:
            taken |= {(request.sender_id, slot.pk), (request.receiver_id, slot.pk)}
            draft.append({'request': request.pk, 'slot': slot.pk})
            break
run = ScheduleRun.objects.create(edition=edition, status=ScheduleRunStatus.DONE,
    requested=len(draft), placed=len(draft), priority_placed=len(draft),
    priority_bound=len(draft), draft={'assignments': draft, 'meetings': [], 'unplaced': []})
staff_session = SessionStore()
staff_session[SESSION_KEY] = str(staff.pk)
staff_session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
staff_session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
staff_session.create()
with connection.cursor() as cursor:
    cursor.execute('CREATE TABLE bench_signup (id bigserial PRIMARY KEY, email text NOT NULL,'
                   ' created_at timestamptz NOT NULL)')
    cursor.execute('ANALYZE')
print('SEEDED ' + json.dumps({
    'session': session.session_key, 'counterpart': counterpart.pk,
    'staff_session': staff_session.session_key, 'run': run.pk, 'draft': len(draft),
    'sessions': [sessions['opening'].pk, limited.pk],
    'counts': {'profiles': BusinessProfile.objects.count(), 'projects': len(projects),
               'requests': MeetingRequest.objects.count(), 'meetings': Meeting.objects.count(),
               'registrations': Registration.objects.count()}}))
"""

# Each page's queries, counted by the test client on the same database (second view of each:
# what a process that has shown it before needs).
COUNT_QUERIES = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
paths = json.loads(sys.argv[1])
client = Client(HTTP_HOST='127.0.0.1', HTTP_X_FORWARDED_PROTO='https')
counts = {}
for name, (path, session) in paths.items():
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    client.get(path, secure=True)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    assert response.status_code == 200, (path, response.status_code)
    counts[name] = len(captured)
print('QUERIES ' + json.dumps(counts))
"""


# Revisions before issue 20's seat counters book without them: before each sign-up run the
# counters are set from the bookings again, so both versions share one database.
RESYNC_COUNTERS = """
UPDATE forum_session s SET
  seats_taken = CASE WHEN s.capacity IS NULL THEN 0 ELSE LEAST(s.capacity, (SELECT COUNT(*)
    FROM registrations_sessionbooking b WHERE b.session_id = s.id AND b.status = 'booked')) END,
  last_waiting_place = (SELECT COALESCE(MAX(b.position), 0) FROM registrations_sessionbooking b
    WHERE b.session_id = s.id)
"""


def resync_counters(pg: dict, database: str) -> None:
    time.sleep(2)  # the other server's last sign-ups, still in its queue when wrk stopped
    subprocess.run(
        [
            "psql",
            "-h",
            pg["host"],
            "-p",
            pg["port"],
            "-U",
            pg["user"],
            "-qc",
            RESYNC_COUNTERS,
            database,
        ],
        check=True,
    )


# What a sign-up run wrote, by the addresses wrk made up for it ("{prefix}-{thread}-{n}@…"): new
# registrations, and the emails queued for that run's addresses by kind (a confirmation for a
# new registration, "already registered" for an address seen before).
WRITTEN = """
SELECT (SELECT COUNT(*) FROM registrations_registration r
        WHERE r.email LIKE %(like)s AND r.created_at >= %(since)s),
       (SELECT COUNT(*) FROM registrations_outgoingemail e
        JOIN registrations_registration r ON r.id = e.registration_id
        WHERE r.email LIKE %(like)s AND e.kind = 'confirm' AND e.created_at >= %(since)s),
       (SELECT COUNT(*) FROM registrations_outgoingemail e
        JOIN registrations_registration r ON r.id = e.registration_id
        WHERE r.email LIKE %(like)s AND e.kind = 'already_registered'
          AND e.created_at >= %(since)s)
"""


def written(pg: dict, database: str, prefix: str, since: str) -> dict:
    """New registrations and queued emails for one sign-up run's addresses (since `since`)."""
    sql = WRITTEN % {"like": f"'{prefix}-%'", "since": f"'{since}'"}
    out = subprocess.run(
        ["psql", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], "-tAc", sql, database],
        check=False,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        print(out.stderr, flush=True)
        return {}
    new, confirm, again = (int(x) for x in out.stdout.strip().split("|"))
    return {"new": new, "confirm": confirm, "already": again}


SIGNUPS = ("signup", "again")


def contenders(counterpart: int, run: int) -> list[tuple[str, str, str, str, str, str]]:
    """name, label, mode, path, post path, baseline name."""
    return [
        ("healthz", "GET /healthz (floor)", "page", "/healthz", "", ""),
        ("recommended", "recommendations", "session", "/meetings/recommended/", "", "healthz"),
        ("directory", "directory", "session", "/meetings/directory/", "", "healthz"),
        (
            "counterpart",
            "counterpart",
            "session",
            f"/meetings/directory/{counterpart}/",
            "",
            "healthz",
        ),
        ("profile", "own profile form", "session", "/meetings/profile/", "", "healthz"),
        ("home", "/meetings/ home", "session", "/meetings/", "", "healthz"),
        (
            "review",
            "schedule-run review (staff)",
            "staff",
            f"/admin/meetings/schedulerun/{run}/change/",
            "",
            "healthz",
        ),
        ("floor", "1-INSERT form (GET+POST)", "form", "/bench/form/", "/bench/insert/", ""),
        ("signup", "sign-up (GET+POST /register/)", "form", "/register/", "/register/", "floor"),
        # The same addresses again, just after: the "already registered" answer (same 302).
        ("again", "sign-up, address registered", "form", "/register/", "/register/", "floor"),
    ]


def python(code: str, env: dict, cwd: Path, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(f"A benchmark step failed:\n{out.stderr[-4000:]}")
    return out.stdout


def start_server(cwd: Path, env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "forum.wsgi:application",
            "--config",
            str(cwd / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env={**env, "PYTHONPATH": f"{cwd}:{ROOT}"},
    )
    wait_for(port, "/healthz")
    return server, port


def unpack_with_floors(revision: str, into: Path) -> Path:
    unpack(revision, into)
    # The floors' URLs and settings come from this checkout's benchmarks/.
    shutil.copytree(ROOT / "benchmarks", into / "benchmarks", dirs_exist_ok=True)
    return into


def main() -> int:  # noqa: PLR0915 — one script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="per contender and round")
    parser.add_argument("--repeat", type=int, default=3, help="rounds")
    parser.add_argument(
        "--connections",
        default="8",
        help="wrk connections; several, comma-separated (2,8), each run in every round: a "
        "saturating load shows queueing, a low one a request's own latency",
    )
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--registrations", type=int, default=20_000)
    parser.add_argument("--compare-rev", default="", help="a git revision served beside this one")
    parser.add_argument("--only", default="", help="comma-separated contender names")
    parser.add_argument(
        "--lock",
        default="",
        help="a file to flock for the measuring only (seeding and servers run outside it)",
    )
    args = parser.parse_args()
    levels = [int(n) for n in str(args.connections).split(",") if n.strip()]
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `apt-get install wrk`")

    pg = postgres_server()
    database = f"forum_scale_bench_{os.getpid()}"
    static_root = tempfile.mkdtemp(prefix="forum-scale-static-")
    other = tempfile.mkdtemp(prefix="forum-scale-rev-")
    env = server_env(pg, database, static_root)
    psql(f"CREATE DATABASE {database}", pg)
    servers: dict[str, tuple[subprocess.Popen, int]] = {}
    rounds: list[dict] = []
    try:
        seed = f"import django\ndjango.setup()\nPROFILES = {args.profiles}\n"
        seed += f"REGISTRATIONS = {args.registrations}\n{SEED}"
        out = python(seed, env, ROOT)
        seeded = json.loads(next(x for x in out.splitlines() if x.startswith("SEEDED "))[7:])
        cookie = f"sessionid={seeded['session']}"
        staff_cookie = f"sessionid={seeded['staff_session']}"
        chosen = contenders(seeded["counterpart"], seeded["run"])
        if args.only:
            wanted = set(args.only.split(",")) | {"healthz", "floor"}
            chosen = [c for c in chosen if c[0] in wanted]
        sessions = {"session": seeded["session"], "staff": seeded["staff_session"]}
        pages = {
            name: [path, sessions[mode]]
            for name, _l, mode, path, _p, _b in chosen
            if mode in sessions
        }
        versions = {"now": ROOT}
        if args.compare_rev:
            versions = {
                args.compare_rev: unpack_with_floors(args.compare_rev, Path(other)),
                "now": ROOT,
            }
        queries = {}
        for label, cwd in versions.items():
            out = python(COUNT_QUERIES, env, cwd, json.dumps(pages))
            queries[label] = json.loads(
                next(x for x in out.splitlines() if x.startswith("QUERIES "))[8:]
            )
        for label, cwd in versions.items():
            servers[label] = start_server(cwd, env)
        body = signup_body(seeded["sessions"])

        def wrk_args(name, mode, path, post_path, prefix):
            if mode == "page":
                return ["page", path, prefix]
            if mode in ("session", "staff"):
                return ["page", path, prefix, cookie if mode == "session" else staff_cookie]
            post = body if name in SIGNUPS else "csrfmiddlewaretoken={token}&email={email}"
            return ["form", path, post_path, post, prefix]

        for label, (_server, port) in servers.items():  # warm-up: imports, caches, connections
            for name, _l, mode, path, post_path, _b in chosen:
                if name == "signup" and args.compare_rev:
                    resync_counters(pg, database)
                run_wrk(
                    f"http://127.0.0.1:{port}",
                    wrk_args(name, mode, path, post_path, f"warm-{label}-{name}"),
                    seconds=2,
                    connections=max(levels),
                    threads=1,
                )
        lock = open(args.lock, "a") if args.lock else None  # noqa: SIM115 — held across the loop
        if lock is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # opened after the servers: they don't inherit it
        for number in range(args.repeat):
            results: dict[tuple[str, str, int], dict] = {}
            for level in levels:
                for name, _l, mode, path, post_path, _b in chosen:
                    for label, (server, port) in servers.items():
                        if name == "signup" and args.compare_rev:
                            resync_counters(pg, database)
                        cpu = server_cpu_seconds(server.pid)
                        since = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(time.time() - 1))
                        # Addresses unique to this run: a level's run must not post the
                        # addresses an earlier level registered ("already registered" path).
                        prefix = f"r{number}-c{level}-{label}-{name}"
                        if name == "again":  # the addresses the sign-up run just registered
                            prefix = f"r{number}-c{level}-{label}-signup"
                        result = run_wrk(
                            f"http://127.0.0.1:{port}",
                            wrk_args(name, mode, path, post_path, prefix),
                            seconds=args.seconds,
                            connections=level,
                            threads=1,
                        )
                        result["cpu_ms"] = (
                            (server_cpu_seconds(server.pid) - cpu) * 1000 / max(result["done"], 1)
                        )
                        if name in SIGNUPS:
                            time.sleep(1)  # the last POSTs still in the server when wrk stopped
                            result["written"] = written(pg, database, prefix, since)
                            print(
                                f"r{number} {label} c{level} {name}: {result['done']} done, "
                                f"written {result['written']}",
                                flush=True,
                            )
                            new = result["written"].get("new", 0)
                            if name == "signup":  # a 302 that wrote no registration: not one
                                result["failed"] += max(result["done"] - new, 0)
                            else:  # an address that wasn't registered yet: not the path
                                result["failed"] += new
                        results[(label, name, level)] = result
            rounds.append(results)
        load = os.getloadavg()
        if lock is not None:
            lock.close()
    finally:
        for server, _port in servers.values():
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", pg)
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(other, ignore_errors=True)

    print()
    counts = seeded["counts"]
    print(
        f"{machine()}; gunicorn.conf.py as deployed; wrk 1 thread, "
        f"{' and '.join(map(str, levels))} connections, {args.seconds:g} s per contender, "
        f"version and load, {args.repeat} interleaved rounds; PostgreSQL; "
        f"{counts['profiles']:,} profiles, {counts['projects']} projects, "
        f"{counts['requests']:,} requests, {counts['meetings']:,} meetings, "
        f"{counts['registrations']:,} registrations, a {seeded['draft']}-meeting draft to "
        f"review; load average at the end "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min)"
    )
    rows = []
    failed = 0
    for level, (name, label, _mode, _path, _post, base) in (
        (level, contender) for level in levels for contender in chosen
    ):
        for version in servers:
            runs = [r[(version, name, level)] for r in rounds]
            failed += sum(int(r["failed"] + r["socket_errors"]) for r in runs)
            cells = [
                label,
                version,
                str(level),
                f"{statistics.median(r['rate'] for r in runs):.0f}",
                f"{statistics.median(r['p50_ms'] for r in runs):.1f}",
                f"{statistics.median(r['p95_ms'] for r in runs):.1f}",
                f"{statistics.median(r['cpu_ms'] for r in runs):.1f}",
                str(queries.get(version, {}).get(name, "")),
                str(sum(int(r["failed"] + r["socket_errors"]) for r in runs)),
            ]
            if base:
                ratios = sorted(
                    r[(version, name, level)]["rate"] / r[(version, base, level)]["rate"]
                    for r in rounds
                )
                cells.append(
                    f"{ratios[0]:.3f} / {statistics.median(ratios):.3f} / {ratios[-1]:.3f}"
                )
            else:
                cells.append("floor")
            rows.append(cells)
    print_table(
        [
            "page or write",
            "code",
            "connections",
            "done/s",
            "p50 ms",
            "p95 ms",
            "server CPU ms each",
            "queries",
            "failed",
            "ratio to floor min / median / max",
        ],
        rows,
    )
    print(
        "(pages against GET /healthz of the same code and round; a sign-up is a form GET plus a "
        "POST answered 302, against the same two requests to the 1-INSERT floor)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
