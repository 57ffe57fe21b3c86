"""The shipped shapes give osce-kg's verdict in a SHACL engine that knows nothing
of osce-kg: the data closed with the published closure update
(``dataset/closure.ru`` of the build), then plain pySHACL with no inference.

This is the recipe docs/validation.md gives users of other engines; the test
runs it on every example and compares with ``osce-kg validate``.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from osce_kg.layout import DataLayout
from osce_kg.loading import closure_update, parse_into
from osce_kg.validation import Severity, validate

EXAMPLES = Path(__file__).parent / "data" / "shapes"
BASE = EXAMPLES / "base.ttl"
CASES = sorted((EXAMPLES / "valid").glob("*.ttl")) + sorted((EXAMPLES / "invalid").glob("*.ttl"))
LAYOUT = DataLayout.default()


@pytest.fixture(scope="module")
def closure() -> str:
    update = closure_update(LAYOUT.ontology_files())
    assert update is not None
    return update


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in sorted(LAYOUT.shapes_dir.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def closed(files: list[Path], closure: str) -> rdflib.Graph:
    """The files with the ontology, closed by the published update, run by
    rdflib's SPARQL engine (any SPARQL 1.1 Update engine would do; Oxigraph
    would also write xsd:nonNegativeInteger as xsd:integer, which the shapes
    then reject: docs/validation.md says so)."""
    g = rdflib.Graph()
    for path in [f.path for f in LAYOUT.ontology_files()] + files:
        parse_into(g, path)
    # rdflib's parser recurses once per operation of an update, so it runs the
    # operations one by one, in order, as docs/validation.md tells its users to.
    for operation in closure.split(" ;\n"):
        g.update(operation)
    return g


def _key(focus: object, path: object, component: object, severity: object) -> tuple[str, ...]:
    def show(term: object) -> str:
        return "_:b" if isinstance(term, rdflib.BNode) else str(term)

    return (show(focus), show(path) if path is not None else "-", str(component), str(severity))


@pytest.mark.parametrize("example", CASES, ids=[p.stem for p in CASES])
def test_plain_pyshacl_on_closed_data_gives_the_verdict(
    example: Path, closure: str, shapes: rdflib.Graph
) -> None:
    import pyshacl

    conforms, report, _ = pyshacl.validate(
        closed([BASE, example], closure), shacl_graph=shapes, inference="none"
    )
    assert isinstance(report, rdflib.Graph)
    theirs = {
        _key(
            report.value(r, SH.focusNode),
            report.value(r, SH.resultPath),
            str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    ours = validate([BASE, example], include_graph=False)
    shape_results = [r for r in ours.results if not r.rule.startswith("check:")]
    mine = {
        _key(r.focus, r.path, (r.component or "").removeprefix("sh:"), r.severity.label)
        for r in shape_results
    }
    assert theirs == mine
    violations = [r for r in shape_results if r.severity == Severity.VIOLATION]
    assert conforms == (not violations) or conforms == (not shape_results)


def test_the_example_other_engines_warned_on_is_clean_once_closed(
    closure: str, shapes: rdflib.Graph
) -> None:
    """okg:purpose is a sub-property of okg:topic, which a shape requires: raw,
    the data lacks okg:topic; closed, it has it."""
    import pyshacl

    example = EXAMPLES / "valid" / "agents-and-places.ttl"
    conforms, report, _ = pyshacl.validate(
        closed([BASE, example], closure), shacl_graph=shapes, inference="none"
    )
    assert conforms
    assert not list(report.subjects(RDF.type, SH.ValidationResult))


def test_the_build_publishes_the_closure(tmp_path: Path, closure: str) -> None:
    import subprocess

    from conftest import clean_env, osce_kg_exe

    result = subprocess.run(
        [*osce_kg_exe(), "build", "--no-validate", "-o", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    published = (tmp_path / "dist" / "dataset" / "closure.ru").read_text(encoding="utf-8")
    assert published.startswith("# The osce-kg closure")
    # The published text is the update itself (blank lines between operations).
    body = "\n".join(line for line in published.splitlines() if not line.startswith("#"))
    assert body.replace(" ;\n\n", " ;\n").strip() == closure.strip()
    # And it runs on the build's own (already closed) dataset without adding anything.
    store = pyoxigraph.Store()
    store.load(
        path=str(tmp_path / "dist" / "dataset" / "osce-kg.nt"),
        format=pyoxigraph.RdfFormat.N_TRIPLES,
    )
    before = len(store)
    store.update(published)
    assert len(store) == before
