"""Past one machine: a 100k-triple corpus on a real Oxigraph server, loaded with
``osce-kg load`` and then queried, analysed and exported through ``--endpoint``."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, clean_env, osce_kg_exe
from servers import oxigraph_server

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate

pytestmark = pytest.mark.slow

SOURCES = 560  # about 180 triples each: a 100k-triple corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("corpus") / "data"
    made = generate(out, SOURCES, seed=7)
    assert 100_000 <= made.triples <= 130_000
    return out, made.triples


@pytest.fixture(scope="module")
def endpoint(corpus: tuple[Path, int], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("server-db")) as base:
        data, _ = corpus
        loaded = run_cli(data, "load", "--endpoint", f"{base}/store")
        assert loaded.returncode == 0, loaded.stderr
        yield f"{base}/query"


def run_cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = clean_env(OSCE_KG_DATA=str(data))
    return subprocess.run(
        [*osce_kg_exe(), *args], capture_output=True, text=True, env=env, timeout=600
    )


def test_the_server_holds_the_corpus(corpus: tuple[Path, int], endpoint: str) -> None:
    data, _ = corpus
    counted = run_cli(
        data, "query", "run", "class-statistics", "--format", "csv", "--endpoint", endpoint
    )
    assert counted.returncode == 0, counted.stderr
    rows = {r["class"]: r for r in csv.DictReader(io.StringIO(counted.stdout))}
    speech = "https://w3id.org/osce-kg/ontology#Speech"
    assert int(rows[speech]["instances"]) == 2 * SOURCES


def test_query_through_the_endpoint(corpus: tuple[Path, int], endpoint: str) -> None:
    data, _ = corpus
    result = run_cli(data, "query", "run", "speeches", "--format", "json", "--endpoint", endpoint)
    assert result.returncode == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    # Each source has two speeches, one by each of two different speakers.
    assert len({b["speech"]["value"] for b in bindings}) == 2 * SOURCES


def test_network_analysis_and_export_through_the_endpoint(
    corpus: tuple[Path, int], endpoint: str, tmp_path: Path
) -> None:
    data, _ = corpus
    table = run_cli(
        data,
        "network",
        "analyze",
        "speaker-event",
        "--section",
        "who-spoke-where",
        "--format",
        "csv",
        "--endpoint",
        endpoint,
    )
    assert table.returncode == 0, table.stderr
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert len(rows) == 2 * SOURCES
    gexf = tmp_path / "speakers.gexf"
    exported = run_cli(
        data,
        "network",
        "export",
        "speaker-event",
        "--format",
        "gexf",
        "-o",
        str(gexf),
        "--endpoint",
        endpoint,
    )
    assert exported.returncode == 0, exported.stderr
    import networkx as nx

    g = nx.read_gexf(gexf)
    events = [n for n, d in g.nodes(data=True) if d.get("kind") == "event"]
    assert len(events) == 2 * SOURCES  # each meeting and its opening ceremony
