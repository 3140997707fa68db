"""The deployment check that the code was compiled to bytecode at install."""

import importlib
import py_compile
import sys

import pytest
from django.core.checks import run_checks

from common import checks


@pytest.fixture
def module_without_bytecode(tmp_path, monkeypatch):
    """A module imported from source, whose bytecode was never written."""
    (tmp_path / "freshly_installed.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    module = importlib.import_module("freshly_installed")
    yield module
    sys.modules.pop("freshly_installed", None)


def test_a_module_without_bytecode_is_named_with_where_its_bytecode_belongs(
    module_without_bytecode,
):
    missing = checks._without_bytecode(["freshly_installed"])

    assert [name for name, _ in missing] == ["freshly_installed"]
    assert missing[0][1].endswith(".pyc")


def test_compiled_bytecode_silences_it(module_without_bytecode):
    py_compile.compile(module_without_bytecode.__file__)

    assert checks._without_bytecode(["freshly_installed"]) == []


def test_python_that_writes_its_bytecode_needs_no_warning(module_without_bytecode, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)

    assert checks._without_bytecode(["freshly_installed"]) == []


def test_the_deploy_check_warns_with_the_install_command(monkeypatch):
    monkeypatch.setattr(checks, "SAMPLE_MODULES", ("freshly_installed",))
    monkeypatch.setattr(
        checks,
        "_without_bytecode",
        lambda names: [(name, "/x/__pycache__/y.pyc") for name in names],
    )

    warnings = [
        w
        for w in run_checks(tags=["compatibility"], include_deployment_checks=True)
        if w.id == "common.W001"
    ]

    assert len(warnings) == 1
    assert "freshly_installed has no compiled bytecode" in warnings[0].msg
    assert "--compile-bytecode" in warnings[0].hint
    assert not [w for w in run_checks(tags=["compatibility"]) if w.id == "common.W001"], (
        "only with --deploy"
    )
