"""The built wheel carries the data folders, and its CLI works from a fresh venv."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, clean_env

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    (whl,) = out.glob("osce_kg-*.whl")
    return whl


def test_wheel_contains_the_data_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("ontology", "shapes", "graph", "queries"):
        assert any(n.startswith(f"osce_kg/_data/{folder}/") for n in names), folder
    assert (
        "osce_kg/_data/graph/sources/2012-09-22-osce-annual-police-experts-meeting/source.txt"
        in names
    )
    assert "osce_kg/py.typed" in names


def test_cli_from_a_fresh_venv_uses_the_packaged_data(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    # The dependencies come from the test environment's site-packages (no
    # network needed); the .pth line appends them after the venv's own
    # site-packages, so osce_kg itself is the wheel's copy.
    site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = clean_env()
    where = subprocess.run(
        [
            str(py),
            "-c",
            "import osce_kg.layout as p; print(p.__file__); print(p.DataLayout.default().root)",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    ).stdout.splitlines()
    assert where[0].startswith(str(env_dir))
    assert where[1] == str(Path(where[0]).parent / "_data")
    result = subprocess.run(
        [str(env_dir / "bin" / "osce-kg"), "stats", "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "class (stated),okg:Speech,4" in result.stdout
    assert "class (stated),okg:Person,4" in result.stdout
