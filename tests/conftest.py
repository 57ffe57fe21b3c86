"""Shared fixtures: the repository, the loaded graph, and ../shared/ test data."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
import rdflib

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SLUG = "2012-09-22-osce-annual-police-experts-meeting"


def shared_dir() -> Path:
    """``../shared/`` (present in CI); tests that need it skip with this reason."""
    if not SHARED.is_dir():
        pytest.skip(
            "../shared/ not present (it holds the W3C, GEXF and SARIF test data; CI has it)"
        )
    return SHARED


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def article_text() -> str:
    return (REPO / "graph" / "sources" / SLUG / "source.txt").read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def kg() -> rdflib.Graph:
    """Ontology + graph, as shipped, without inference."""
    from osce_kg.layout import DataLayout
    from osce_kg.loading import load_graph

    return load_graph(DataLayout.default().dataset_files())


@pytest.fixture(scope="session")
def kg_inferred(kg: rdflib.Graph) -> rdflib.Graph:
    """Ontology + graph + the materialised standard-vocabulary triples."""
    from osce_kg.inference import materialise
    from osce_kg.layout import DataLayout
    from osce_kg.loading import load_graph

    return materialise(load_graph(DataLayout.default().ontology_files()), kg)


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the data folders, selected through OSCE_KG_DATA."""
    for name in ("ontology", "shapes", "graph", "queries"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, tmp_path / name)
    monkeypatch.setenv("OSCE_KG_DATA", str(tmp_path))
    return tmp_path


def osce_kg_exe() -> list[str]:
    """How to start the CLI of the interpreter running the tests."""
    exe = Path(sys.executable).with_name("osce-kg")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "osce_kg.cli"]


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Caches (the dataset store, the query memos) go to a folder of the test run, not ~/.cache."""
    os.environ["OSCE_KG_CACHE"] = str(tmp_path_factory.mktemp("osce-kg-cache"))


def clean_env(**extra: str) -> dict[str, str]:
    keep = {"OSCE_KG_CACHE"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("OSCE_KG_") or k in keep}
    env.update(extra)
    return env


def osce(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process: (exit code, stdout, stderr)."""
    from osce_kg.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
