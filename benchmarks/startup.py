"""Start-up time and memory of `manage.py` commands, against an earlier revision in the same run.

Each command runs in a fresh process (interleaved with the other revision's, so a busy machine
slows both alike); the table gives the median wall time and the peak memory (max RSS) of each,
and the ratio of this checkout to the other revision. The floor is the bare interpreter with
Django imported.

    .venv/bin/python benchmarks/startup.py [--compare-rev main] [--without-bytecode] [--runs 7]

`--compare-rev` takes any git revision; its files are unpacked into a temporary directory and run
with this checkout's virtual environment. Both checkouts' own modules are compiled to bytecode
first, as `make setup` does. `--without-bytecode` compares instead with this checkout started
with a bytecode cache that holds only the standard library's and that Python may not write to
(`-X pycache_prefix`, `PYTHONDONTWRITEBYTECODE=1`): the installed packages and the project's
modules compiled from source at each start, as an install without compiled bytecode on a
machine that can't write it (a read-only install, or that variable set). Goal (issue 20): under 1 s
and 80 MB for a command that doesn't solve.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO_ROOT, compile_project, machine, print_table, unpack  # noqa: E402

# What a process loads before its work: `check` imports every app, admin and URL; a gunicorn
# worker does the same through the WSGI application.
COMMANDS = {
    "python -c 'import django' (floor)": ["-c", "import django"],
    "manage.py check": ["manage.py", "check"],
    "manage.py export_attendees --help": ["manage.py", "export_attendees", "--help"],
    "WSGI application (admin + URLs)": [
        "-c",
        "from forum.wsgi import application; from django.urls import resolve; resolve('/')",
    ],
}
GOAL_SECONDS = 1.0
GOAL_MB = 80


def run_once(root: Path, args: list[str], cache: Path | None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak memory (MB) of one process; with a
    `cache`, Python reads and writes bytecode only there and may not write it."""
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "forum.settings"}
    interpreter = [sys.executable]
    if cache is not None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        interpreter += ["-X", f"pycache_prefix={cache}"]
    started = time.perf_counter()
    process = subprocess.Popen(
        [*interpreter, *args],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"{' '.join(args)} failed in {root}:\n{process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def standard_library_only(temporary: Path) -> Path:
    """A bytecode cache folder holding the standard library's bytecode and nothing else: each
    command runs once writing its bytecode there, then all but the standard library's goes."""
    cache = temporary / "bytecode-of-the-standard-library"
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "forum.settings"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for args in COMMANDS.values():
        subprocess.run(
            [sys.executable, "-X", f"pycache_prefix={cache}", *args],
            cwd=REPO_ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    standard_library = Path(sysconfig.get_path("stdlib")).resolve()
    keep = cache / standard_library.relative_to(standard_library.anchor)
    for compiled in cache.rglob("*.pyc"):
        if not compiled.is_relative_to(keep) or "site-packages" in compiled.parts:
            compiled.unlink()
    return cache


def summary(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Median wall and CPU seconds, highest peak memory."""
    return (
        statistics.median(run[0] for run in runs),
        statistics.median(run[1] for run in runs),
        max(run[2] for run in runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare-rev", default="", help="a git revision to compare with")
    parser.add_argument(
        "--without-bytecode",
        action="store_true",
        help="compare with this checkout started without any compiled bytecode",
    )
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    if options.compare_rev and options.without_bytecode:
        parser.error("--compare-rev and --without-bytecode are two different comparisons")

    with tempfile.TemporaryDirectory(prefix="forum-startup-") as temporary:
        # label: (checkout, bytecode cache of its own or None for the usual __pycache__ folders)
        roots: dict[str, tuple[Path, Path | None]] = {"this checkout": (REPO_ROOT, None)}
        if options.compare_rev:
            roots[options.compare_rev] = (unpack(options.compare_rev, Path(temporary)), None)
        if options.without_bytecode:
            roots["no bytecode"] = (REPO_ROOT, standard_library_only(Path(temporary)))
        compile_project()
        compare = next((label for label in roots if label != "this checkout"), "")
        figures: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
        for _ in range(options.runs):
            for name, args in COMMANDS.items():
                for label, (root, cache) in roots.items():
                    figures.setdefault((name, label), []).append(run_once(root, args, cache))

    print(
        f"Start-up, {options.runs} runs each, interleaved; median wall and CPU time, peak RSS — "
        f"{machine()}"
    )
    rows = []
    for name in COMMANDS:
        row = [name]
        now = summary(figures[(name, "this checkout")])
        if compare:
            then = summary(figures[(name, compare)])
            row += [f"{then[0]:.2f}", f"{then[1]:.2f}", f"{then[2]:.0f}"]
        row += [f"{now[0]:.2f}", f"{now[1]:.2f}", f"{now[2]:.0f}"]
        if compare:
            row += [f"{now[i] / then[i]:.2f}" for i in range(3)]
        rows.append(row)
    figures_of = ["wall s", "CPU s", "peak MB"]
    if compare:
        headers = [
            "process",
            *(f"{what} ({compare})" for what in figures_of),
            *(f"{what} (now)" for what in figures_of),
            *(f"{what} ratio" for what in ["wall", "CPU", "memory"]),
        ]
    else:
        headers = ["process", *figures_of]
    print_table(headers, rows)
    print(f"(goal for a command that doesn't solve: < {GOAL_SECONDS:.0f} s and < {GOAL_MB} MB)")


if __name__ == "__main__":
    main()
