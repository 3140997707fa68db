"""Shared set-up for the benchmark scripts: import path, Django settings, table printing."""

from __future__ import annotations

import compileall
import platform
import subprocess
import sys
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# Copied into the project with its source and licence (README.md there).
B2B_DATA = REPO_ROOT / "benchmarks" / "data" / "b2b-jair2022"

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


def configure_django() -> None:
    """The scheduler's messages go through gettext; no database or project settings needed."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)


def require_instances(directory: Path, names: list[str]) -> list[Path]:
    """The instance files `names` in `directory`; exit with status 2 and say what is missing."""
    missing = [name for name in names if not (directory / f"{name}.json").is_file()]
    if missing:
        sys.exit(
            f"error: benchmark data missing in {directory}: {', '.join(missing)}.json "
            f"(the files ship with the repository under benchmarks/data/; restore them with git)"
        )
    return [directory / f"{name}.json" for name in names]


def machine() -> str:
    import os

    cpu = platform.processor() or platform.machine()
    return f"{date.today().isoformat()}, {cpu}, {os.cpu_count()} cores"


def print_table(headers: list[str], rows: list[list[object]]) -> None:
    cells = [[str(c) for c in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def unpack(revision: str, into: Path) -> Path:
    """Another git revision's files in `into`, for a before/after in the same run (run with
    this checkout's virtual environment)."""
    archive = subprocess.run(  # noqa: S603 — git with fixed arguments
        ["git", "archive", "--format=tar", revision],  # noqa: S607
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)  # noqa: S603, S607
    compile_project(into)
    return into


def compile_project(root: Path = REPO_ROOT) -> None:
    """Compile a checkout's own packages to bytecode, as `make setup` does, so that a process
    started from it doesn't compile them at each start (docs/performance.md)."""
    for package in sorted(root.glob("*/__init__.py")):
        compileall.compile_dir(package.parent, quiet=2, workers=0)
