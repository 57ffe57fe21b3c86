"""``osce-kg validate --endpoint``: the shapes and checks run on a real Oxigraph
server holding the data (with its closure, as ``dataset/closure.ru`` makes it),
and the results equal a local run's on every example of ``tests/data/shapes``
and on the shipped graph.

The one known difference (docs/validation.md): Oxigraph stores a derived
integer type as ``xsd:integer``, so a value written as ``xsd:integer`` where
``xsd:nonNegativeInteger`` is required cannot be seen on the server; that
example's missing result is asserted as exactly that.
"""

from __future__ import annotations

import json
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib.term import BNode, Literal, URIRef

from conftest import REPO, clean_env, osce_kg_exe
from osce_kg import namespaces as ns
from osce_kg.layout import DataLayout
from osce_kg.loading import base_iri, closure_update
from osce_kg.specs import StoreSpec
from osce_kg.validation import validate
from osce_kg.validation.remote import run_remote
from test_backends import oxigraph_server
from test_shapes_examples import BASE, INVALID, VALID

pytestmark = pytest.mark.slow

LAYOUT = DataLayout.default()
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + "nonNegativeInteger", XSD + "positiveInteger", XSD + "integer"}
TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("db"), "--union-default-graph") as base:
        yield base


def update(base: str, text: str) -> None:
    req = urllib.request.Request(
        f"{base}/update",
        data=text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-update"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        assert r.status in (200, 204)


def put(base: str, graph: str, path: Path) -> None:
    url = f"{base}/store?" + urllib.parse.urlencode({"graph": graph})
    req = urllib.request.Request(
        url, data=path.read_bytes(), headers={"Content-Type": TYPES[path.suffix]}, method="POST"
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        assert r.status in (200, 201, 204)


def load(base: str, files: list[tuple[str, Path]]) -> None:
    """The server holds exactly ``files`` (graph, file) and their closure."""
    update(base, "DROP SILENT ALL")
    for f in LAYOUT.ontology_files():
        put(base, ns.ONTOLOGY_GRAPH, f.path)
    for graph, path in files:
        put(base, graph, path)
    closure = closure_update(LAYOUT.ontology_files())
    assert closure is not None
    update(base, closure)


def normal(term: Any) -> Any:
    """A term as a server that stores typed integers by value gives it back."""
    if isinstance(term, BNode):
        return "_:b"
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in INTEGERS:
        return Literal(int(term), datatype=URIRef(XSD + "integer"))
    return term


def rows(report: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (
            r.rule,
            normal(r.focus),
            str(r.path),
            normal(r.value),
            r.component,
            r.severity.label,
            r.message,
        )
        for r in report.results
    )


@pytest.mark.parametrize("example", VALID + INVALID, ids=[p.stem for p in VALID + INVALID])
def test_every_example_gives_the_local_results_on_the_server(server: str, example: Path) -> None:
    load(server, [(base_iri(BASE), BASE), (base_iri(example), example)])
    local = rows(validate([BASE, example], include_graph=False))
    store = StoreSpec(endpoint=f"{server}/query").open()
    remote = rows(run_remote(store, LAYOUT.shapes_dirs, LAYOUT.checks_dirs).report)
    if example.stem == "position-selector-start-as-integer":
        # Written "5"^^xsd:integer; the server keeps 5 whatever the type was written.
        missing = [r for r in local if r not in remote]
        assert remote == [r for r in local if r not in missing]
        assert [(m[2], m[4]) for m in missing] == [
            (str(ns.PREFIXES["oa"]) + "start", "sh:DatatypeConstraintComponent")
        ]
        return
    assert remote == local
    if example in INVALID:
        assert remote, "an invalid example must fail on the server too"


def test_the_shipped_graph_from_the_command_line(server: str, tmp_path: Path) -> None:
    load(server, [(f.graph, f.path) for f in LAYOUT.graph_files()])
    out = subprocess.run(
        [*osce_kg_exe(), "validate", "--endpoint", f"{server}/query", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=clean_env(),
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["conforms"] is True and report["results"] == []
    assert len(report["rules"]) == len(json.loads(
        subprocess.run(
            [*osce_kg_exe(), "validate", "--format", "json"],
            capture_output=True, text=True, cwd=REPO, env=clean_env(), timeout=300, check=True,
        ).stdout
    )["rules"])  # fmt: skip


def test_a_violation_on_the_server_is_exit_1(server: str) -> None:
    broken = REPO / "tests" / "data" / "shapes" / "invalid" / "event-end-before-start.ttl"
    load(server, [(base_iri(BASE), BASE), (base_iri(broken), broken)])
    out = subprocess.run(
        [*osce_kg_exe(), "validate", "--endpoint", f"{server}/query"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )
    assert out.returncode == 1
    assert "validation failed" in out.stderr and "event-end-before-start" in out.stdout


def test_files_and_an_endpoint_together_are_refused(server: str) -> None:
    out = subprocess.run(
        [*osce_kg_exe(), "validate", str(BASE), "--endpoint", f"{server}/query"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
