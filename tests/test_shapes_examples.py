"""Every valid example passes; every invalid example fails for the reason its name says.

Each file under ``tests/data/shapes/invalid/`` names, in an ``# expect: RULE PATH``
line, the shape or check it breaks and the property path involved (``-`` for a
node-level constraint such as an IRI pattern).  Examples are validated with
``tests/data/shapes/base.ttl`` (an article, its annotation and a few entities),
without the shipped graph, so each one states its whole case.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SH

from osce_kg import namespaces as ns
from osce_kg.layout import DataLayout
from osce_kg.validation import ENGINES, Report, Severity, validate
from osce_kg.validation.checks import load_checks
from osce_kg.validation.locate import display_path
from osce_kg.validation.run import load_shapes
from osce_kg.validation.shacl import node_shape_rules

EXAMPLES = Path(__file__).parent / "data" / "shapes"
BASE = EXAMPLES / "base.ttl"
VALID = sorted((EXAMPLES / "valid").glob("*.ttl"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.ttl"))
EXPECT = re.compile(r"^# expect: (\S+) (\S+)$", re.M)
LAYOUT = DataLayout.default()
# Rules about the ontology itself, not about data: exercised in test_validate.py.
ONTOLOGY_RULES = {"check:ontology-term-label", "check:ontology-term-definition"}


def expectation(path: Path) -> tuple[str, str]:
    found = EXPECT.search(path.read_text(encoding="utf-8"))
    assert found, f"{path.name} has no '# expect: RULE PATH' line"
    return found.group(1), found.group(2)


def everything(report: Report) -> list[tuple[object, ...]]:
    """Every field of every result, in the report's order."""
    fields = ("rule", "focus", "path", "value", "component", "severity", "message", "file")
    return [tuple(getattr(r, f) for f in (*fields, "line", "passage")) for r in report.results]


@pytest.mark.parametrize("example", VALID + INVALID, ids=[p.stem for p in VALID + INVALID])
def test_every_engine_gives_the_same_report(example: Path) -> None:
    reports = {e: validate([BASE, example], include_graph=False, engine=e) for e in ENGINES}
    first, *others = reports.values()
    for engine, report in reports.items():
        assert everything(report) == everything(first), engine
        assert report.files == first.files and report.rules == first.rules, engine
    assert others, "only one engine"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("example", VALID, ids=[p.stem for p in VALID])
def test_valid_example_passes(example: Path, engine: str) -> None:
    report = validate([BASE, example], include_graph=False, engine=engine)
    assert report.results == [], [(r.rule, r.message) for r in report.results]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("example", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_example_fails_for_its_reason(example: Path, engine: str) -> None:
    rule, path = expectation(example)
    report = validate([BASE, example], include_graph=False, engine=engine)
    reasons = {(r.rule, report.show(r.path) or "-") for r in report.results}
    # Exactly the named reason: no result from another rule masks or replaces it.
    assert reasons == {(rule, path)}
    # A warning-level rule fails the run under --fail-on warning, the others by default.
    assert not report.conforms(Severity.WARNING)
    # The result points at the example itself, or at the shared context it breaks.
    assert {r.file for r in report.results} <= {display_path(example), display_path(BASE)}
    assert all(r.line for r in report.results)


def test_base_context_alone_is_valid() -> None:
    assert validate([BASE], include_graph=False).results == []


def test_every_rule_has_an_invalid_example() -> None:
    shapes = load_shapes(LAYOUT.shapes_dir)
    rules = {r.id for r in node_shape_rules(shapes)}
    rules |= {c.rule.id for c in load_checks(LAYOUT.checks_dir)}
    covered = {expectation(p)[0] for p in INVALID}
    assert rules - ONTOLOGY_RULES - covered == set()
    assert covered - rules == set(), "an example names a rule that does not exist"


def test_every_class_of_the_ontology_has_a_node_shape() -> None:
    ontology = rdflib.Graph()
    for path in sorted(LAYOUT.ontology_dir.glob("*.ttl")):
        ontology.parse(path)
    classes = {
        c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(ns.ONTOLOGY_NS)
    }
    shapes = load_shapes(LAYOUT.shapes_dir)
    targeted = set(shapes.objects(None, SH.targetClass))
    assert classes, "no okg: classes found in the ontology"
    assert sorted(classes - targeted) == []


def test_property_shapes_carry_a_name() -> None:
    shapes = load_shapes(LAYOUT.shapes_dir)
    unnamed = [p for p in shapes.objects(None, SH.property) if shapes.value(p, SH.name) is None]
    assert unnamed == []


def test_shapes_use_no_sparql_constraints() -> None:
    # sh:sparql runs once per focus node in pySHACL: whole-graph rules belong in queries/checks/.
    assert list(load_shapes(LAYOUT.shapes_dir).subject_objects(SH.sparql)) == []
