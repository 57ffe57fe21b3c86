"""`network analyze/export --jobs N`: betweenness on N cores through the nx-parallel backend.

nx-parallel is not a dependency of osce-kg, and no release of it imports with the
NetworkX the project installs (3.6; nx-parallel 0.3 was made for NetworkX 3.4).
So the positive test installs NetworkX 3.4.2, nx-parallel 0.3 and joblib into a
folder of its own (pip, from the same package index as `make test`) and runs the
CLI with that folder first on PYTHONPATH: the real backend, as a user who pins
NetworkX to a release nx-parallel supports would run it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import clean_env

PKGS = ("networkx==3.4.2", "nx-parallel==0.3", "joblib==1.6.0", "cloudpickle==3.1.3")
USED = "Using backend 'parallel' for call to `betweenness_centrality'"

# Runs the CLI in a fresh interpreter with NetworkX's dispatch log on stderr, then
# prints the nx-parallel settings the command left behind.
SCRIPT = """
import logging, sys
logging.getLogger("networkx").addHandler(logging.StreamHandler(sys.stderr))
logging.getLogger("networkx").setLevel(logging.DEBUG)
from osce_kg.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code or 0
import networkx as nx
backends = nx.config.backends
if "parallel" in backends:
    print("CONFIG", backends.parallel.active, backends.parallel.n_jobs, file=sys.stderr)
sys.exit(code)
"""


def _run(pythonpath: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = clean_env()
    # nx-parallel behaves differently when it sees pytest's variable (always 2 jobs).
    env.pop("PYTEST_CURRENT_TEST", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.fixture(scope="module")
def backend_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("nx-parallel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), *PKGS],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"pip could not install {PKGS}: {done.stderr[-2000:]}"
    return target


def test_jobs_without_the_backend_is_one_line_and_exit_2(tmp_path: Path) -> None:
    assert importlib.util.find_spec("nx_parallel") is None, "this test needs nx-parallel absent"
    out = tmp_path / "x.gexf"
    for args in (
        ["network", "analyze", "multigraph", "--jobs", "2"],
        ["network", "export", "multigraph", "--format", "gexf", "-o", str(out), "--jobs", "2"],
    ):
        done = _run(None, *args)
        assert done.returncode == 2, done.stderr
        lines = [line for line in done.stderr.splitlines() if not line.startswith("CONFIG")]
        assert len(lines) == 1 and "Traceback" not in done.stderr
        assert lines[0].startswith("--jobs 2: needs the nx-parallel NetworkX backend")
    assert not out.exists()


def test_betweenness_runs_on_nx_parallel_with_the_same_figures(backend_path: Path) -> None:
    args = ["network", "analyze", "multigraph", "--section", "nodes", "--format", "csv"]
    plain = _run(backend_path, *args)
    assert plain.returncode == 0, plain.stderr
    assert USED not in plain.stderr
    # Installed but not asked for: NetworkX itself, and nx-parallel left inactive.
    assert "CONFIG False None" in plain.stderr

    parallel = _run(backend_path, *args, "--jobs", "2")
    assert parallel.returncode == 0, parallel.stderr
    assert USED in parallel.stderr
    assert "CONFIG True 2" in parallel.stderr
    # The same table, betweenness included, to the printed precision.
    assert parallel.stdout == plain.stdout
    header = plain.stdout.splitlines()[0].split(",")
    assert "betweenness" in header and len(plain.stdout.splitlines()) > 60


def test_a_backend_that_does_not_import_is_named(tmp_path: Path) -> None:
    # nx-parallel 0.3 next to the project's own NetworkX (3.6), where it fails to import.
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(tmp_path)]
        + [p for p in PKGS if not p.startswith("networkx")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    import networkx as nx

    assert not nx.__version__.startswith("3.4."), "expects a NetworkX nx-parallel 0.3 lacks"
    done = _run(tmp_path, "network", "analyze", "speaker-event", "--jobs", "3")
    lines = [line for line in done.stderr.splitlines() if not line.startswith("CONFIG")]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert lines[0].startswith("--jobs 3: needs the nx-parallel NetworkX backend, which is broken")
    assert f"made for NetworkX {nx.__version__}" in lines[0]
