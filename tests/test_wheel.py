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
from test_workspace import tree_digest

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


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns the venv's folder."""
    env_dir = tmp_path_factory.mktemp("venv")
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
    return env_dir


def _package_dir(env_dir: Path) -> Path:
    (found,) = env_dir.glob("lib/python*/site-packages/osce_kg")
    return found


def test_cli_from_a_fresh_venv_uses_the_packaged_data(installed: Path, tmp_path: Path) -> None:
    env_dir = installed
    py = env_dir / "bin" / "python"
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


def test_a_workspace_grows_the_graph_and_leaves_the_package_alone(
    installed: Path, tmp_path: Path
) -> None:
    """The whole flow of a new user, from the installed wheel, outside the repo:
    init, add the fictional test source, find the known entities in it, annotate
    two facts, validate, build, query; the package's files are unchanged."""
    from test_workspace import DRAFT_TYPE, NEW, TEST_DATA

    package = _package_dir(installed)
    before = tree_digest(package)
    exe = str(installed / "bin" / "osce-kg")

    def osce(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [exe, *argv], capture_output=True, text=True, cwd=cwd, env=clean_env(), timeout=300
        )

    text = tmp_path / "release.txt"
    text.write_bytes((TEST_DATA / "fictional-release.txt").read_bytes())
    add = ["source", "add", NEW, "--text", str(text), "--title", "Fictional workshop",
           "--published", "2013-10-03"]  # fmt: skip
    refused = osce(*add, cwd=tmp_path)  # no workspace: the package's data is read-only
    assert refused.returncode == 2 and "osce-kg init" in refused.stderr, refused.stderr
    assert osce("init", "ws", cwd=tmp_path).returncode == 0
    ws = tmp_path / "ws"
    assert osce(*add, cwd=ws).returncode == 0
    folder = ws / "graph" / "sources" / NEW
    (folder / "facts.ttl").write_bytes((TEST_DATA / "fictional-facts.ttl").read_bytes())

    found = osce("source", "mentions", NEW, "--draft", "--format", "csv", cwd=ws)
    assert found.returncode == 0, found.stderr
    for iri in ("id:person/knut-dreyer", "id:organization/osce-strategic-police-matters-unit",
                "id:country/tajikistan", "id:country/kyrgyzstan", "id:city/vienna"):  # fmt: skip
        assert iri in found.stdout, iri
    draft = folder / "draft.ttl"
    draft.write_text(draft.read_text(encoding="utf-8").replace(DRAFT_TYPE, ""), encoding="utf-8")

    for quote, iri in (
        ("held a workshop on cyber crime", "id:event/2013-spmu-cyber-crime-workshop"),
        ("Knut Dreyer opened the workshop", "id:speech/knut-dreyer-2013-spmu-cyber-crime-workshop"),
    ):
        done = osce("annotate", NEW, quote, "--resource", iri, "--append", cwd=ws)
        assert done.returncode == 0, done.stderr
    checked = osce("validate", cwd=ws)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 violations, 0 warnings" in checked.stderr + checked.stdout

    built = osce("build", "-o", "dist", cwd=ws)
    assert built.returncode == 0, built.stderr
    dataset = (ws / "dist" / "dataset" / "osce-kg.nt").read_text(encoding="utf-8")
    assert f"/id/source/{NEW}>" in dataset and "/id/source/2012-09-22-" in dataset
    rows = osce("query", "run", "speeches", "--format", "csv", cwd=ws)
    assert rows.returncode == 0, rows.stderr
    speakers = [line.split(",")[0].rsplit("/", 1)[1] for line in rows.stdout.splitlines()[1:]]
    assert "knut-dreyer-2013-spmu-cyber-crime-workshop" in speakers
    assert "knut-dreyer-2012-annual-police-experts-meeting" in speakers
    assert tree_digest(package) == before
