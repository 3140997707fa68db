"""System checks of the deployment that Django's own `check --deploy` doesn't make."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from django.core.checks import Tags, Warning, register

# One installed package and one of the project's own: `--compile-bytecode` (uv) and `make setup`
# compile both kinds, a hand-made install may compile neither.
SAMPLE_MODULES = ("django.db.models.base", "forum.models")


@register(Tags.compatibility, deploy=True)
def check_compiled_bytecode(app_configs=None, **kwargs) -> list[Warning]:
    """Warn when the code has no compiled bytecode and Python may not write it, so that each
    process compiles every module from source as it starts (about 0.9 s of a command's 1.4 s on
    the benchmark machine, docs/performance.md)."""
    return [
        Warning(
            f"{name} has no compiled bytecode beside it ({cached}), so every process compiles "
            "the code from source as it starts, two to three times slower.",
            hint="Install with `uv sync --frozen --no-dev --compile-bytecode` (or `make setup`), "
            "then compile the project's code: `python -m compileall -q forum common "
            "registrations meetings backoffice` (docs/deployment.md).",
            id="common.W001",
        )
        for name, cached in _without_bytecode(SAMPLE_MODULES)
    ]


def _without_bytecode(names) -> list[tuple[str, str]]:
    """The modules (by name, each with the path of its bytecode) that would be compiled from
    source at the next start; nothing when Python writes its bytecode as it goes."""
    if not sys.dont_write_bytecode:
        return []  # the first start writes what's missing, the next ones read it
    missing = []
    for name in names:
        cached = _bytecode_path(sys.modules.get(name) or importlib.import_module(name))
        if cached is not None and not Path(cached).exists():
            missing.append((name, cached))
    return missing


def _bytecode_path(module: ModuleType) -> str | None:
    source = getattr(module, "__file__", None)
    if not source or not source.endswith(".py"):
        return None
    return importlib.util.cache_from_source(source)
