"""Lint, format and type checks run as part of the test suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, cwd=REPO, timeout=600)


@pytest.mark.parametrize(
    "args",
    [
        ["ruff", "check", "cli", "tests", "benchmarks"],
        ["ruff", "format", "--check", "cli", "tests", "benchmarks"],
    ],
    ids=["ruff-check", "ruff-format"],
)
def test_ruff(args: list[str]) -> None:
    result = _run(str(BIN / args[0]), *args[1:])
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = _run(str(BIN / "mypy"), "--strict", "-p", "osce_kg")
    assert result.returncode == 0, result.stdout + result.stderr
