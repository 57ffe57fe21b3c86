"""The compiled SHACL engine (Oxigraph) gives the same results as pySHACL, the reference.

Results are compared as multisets of (focus, path, value, constraint component,
severity, node shape): a blank property shape is identified by the node shape
that owns it, its path and its component.  Messages are compared too wherever
both engines report one (the shapes' own sh:message).
"""

from __future__ import annotations

import collections
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import rdflib

from osce_kg.layout import DataLayout
from osce_kg.validation import validate_run
from osce_kg.validation.compiled import UnsupportedShapes
from osce_kg.validation.compiler import compile_shapes
from osce_kg.validation.model import Result
from osce_kg.validation.oxistore import is_ill_typed
from osce_kg.validation.run import CorpusValidation

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "tests" / "data" / "shapes"
BASE = EXAMPLES / "base.ttl"
FILES = sorted((EXAMPLES / "valid").glob("*.ttl")) + sorted((EXAMPLES / "invalid").glob("*.ttl"))
SHACL = "http://www.w3.org/ns/shacl#"

Key = tuple[object, ...]


def _term(node: object) -> object:
    # Blank node labels differ between engines; a blank node is just "a blank node" here.
    return "_:blank" if isinstance(node, rdflib.BNode) else node


def key(r: Result) -> Key:
    return (_term(r.focus), r.path, _term(r.value), r.component, r.severity, r.rule)


def multiset(results: list[Result]) -> collections.Counter[Key]:
    return collections.Counter(key(r) for r in results)


def assert_agree(ours: list[Result], reference: list[Result]) -> None:
    mine, theirs = multiset(ours), multiset(reference)
    assert mine - theirs == collections.Counter(), "only the compiled engine reports these"
    assert theirs - mine == collections.Counter(), "only pySHACL reports these"
    by_key = {key(r): r.message for r in reference}
    assert [(key(r), r.message) for r in ours if r.message != by_key[key(r)]] == []


def run_files(files: list[Path], engine: str = "oxigraph") -> list[Result]:
    return validate_run(
        files, layout=DataLayout(REPO), include_graph=False, engine=engine
    ).report.results


def validate_full(root: Path, engine: str) -> CorpusValidation:
    return validate_run(layout=DataLayout(root), engine=engine)


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "osce_kg_generate", REPO / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("example", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_examples_agree_with_pyshacl(example: Path) -> None:
    ours = run_files([BASE, example])
    reference = run_files([BASE, example], engine="pyshacl")
    assert_agree(ours, reference)
    if example.parent.name == "invalid":
        # Not vacuous: each invalid example breaks a shape or a check, which both report.
        expected_rule = example.read_text(encoding="utf-8").split("# expect: ", 1)[1].split()[0]
        if expected_rule.startswith("okgsh:"):
            assert any(r.rule == expected_rule for r in ours)


def test_shipped_graph_agrees_with_pyshacl() -> None:
    ours = validate_full(REPO, engine="oxigraph")
    reference = validate_full(REPO, engine="pyshacl")
    assert ours.stats.engine == "oxigraph" and reference.stats.engine == "pyshacl"
    assert_agree(ours.report.results, reference.report.results)
    # Both name the files as `osce-kg validate` does (relative to the working directory).
    from osce_kg.validation.locate import display_path

    files = DataLayout(REPO).dataset_files()
    assert ours.report.files == reference.report.files == [display_path(f.path) for f in files]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    gen = generator()
    out = tmp_path_factory.mktemp("corpus") / "data"
    violations = {kind: 2 for kind in gen.VIOLATIONS}
    made = gen.generate(out, 30, seed=7, violations=violations)
    return out, made.injected


def test_synthetic_corpus_agrees_with_pyshacl(corpus: tuple[Path, dict[str, list[str]]]) -> None:
    root, injected = corpus
    ours_report = validate_full(root, engine="oxigraph").report
    reference_report = validate_full(root, engine="pyshacl").report
    ours, reference = ours_report.results, reference_report.results
    # Both engines point each result at the same file and line, and read the same files.
    assert reference and all(r.file and r.line for r in reference)
    assert {(key(r), r.file, r.line) for r in ours} == {(key(r), r.file, r.line) for r in reference}
    assert ours_report.files == reference_report.files
    shapes = [r for r in ours if r.rule.startswith("okgsh:")]
    assert_agree(shapes, [r for r in reference if r.rule.startswith("okgsh:")])
    # The SPARQL checks agree too.  (event-end-before-start compares only
    # xsd:date values: rdflib would compare a plain-string start with a date,
    # where SPARQL 1.1 makes that a type error; the shape reports the string.)
    checks = [r for r in reference if not r.rule.startswith("okgsh:")]
    assert_agree([r for r in ours if not r.rule.startswith("okgsh:")], checks)
    bad_dates = {r.focus for r in shapes if r.component == "sh:DatatypeConstraintComponent"}
    assert bad_dates
    assert not any(
        r.rule == "check:event-end-before-start" and r.focus in bad_dates for r in checks
    )
    # Every injected kind is found.
    found = {(r.rule, r.component, str(r.path).rsplit("/", 1)[-1].rsplit("#", 1)[-1]) for r in ours}
    assert ("okgsh:LabelShape", "sh:MinCountConstraintComponent", "label") in found
    assert ("okgsh:EventShape", "sh:DatatypeConstraintComponent", "startDate") in found
    assert ("check:event-end-before-start", "sparql", "endDate") in found
    assert ("check:speech-capacity-not-held", "sparql", "capacity") in found
    assert any(r.rule == "check:selector-exact" for r in ours)
    assert set(injected) == set(generator().VIOLATIONS)


EDGE_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ex:l ; sh:uniqueLang true ] , [ sh:path ex:h ; sh:hasValue ex:v ] ,
    [ sh:path ex:hn ; sh:hasValue 5 ] ,
    [ sh:path ex:m ; sh:maxCount 1 ] , [ sh:path ex:z ; sh:maxCount 0 ] ,
    [ sh:path ex:n ; sh:minCount 2 ] ,
    [ sh:path ex:q ; sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMaxCount 1 ] ,
    [ sh:path ex:q2 ; sh:qualifiedValueShape [ sh:languageIn ("en") ] ;
      sh:qualifiedMinCount 1 ] ,
    [ sh:path ex:d ; sh:datatype xsd:date ] ,
    [ sh:path ex:i ; sh:datatype xsd:nonNegativeInteger ] ,
    [ sh:path ex:int ; sh:datatype xsd:integer ] , [ sh:path ex:s ; sh:datatype xsd:string ] ,
    [ sh:path ex:ls ; sh:datatype rdf:langString ] ,
    [ sh:path ex:ml ; sh:minLength 2 ] , [ sh:path ex:li ; sh:languageIn ("en") ] ,
    [ sh:path ex:o ; sh:or ( [ sh:datatype xsd:gYear ] [ sh:class ex:D ] ) ] ,
    [ sh:path ex:nk ; sh:nodeKind sh:BlankNodeOrIRI ] ,
    [ sh:path ex:p ; sh:pattern "^a.c$" ; sh:flags "i" ] ,
    [ sh:path ex:in ; sh:in ( ex:x 1 "y" ) ] , [ sh:path ex:nt ; sh:not [ sh:class ex:D ] ] .
ex:T a sh:NodeShape ; sh:targetSubjectsOf ex:d ; sh:targetObjectsOf ex:q ; sh:nodeKind sh:IRI ;
  sh:not [ sh:class ex:D ] ; sh:severity sh:Warning .
"""

EDGE_DATA = """
@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a ex:C ; ex:l "x"@en, "y"@en, "z"@fr, "w"@fr, "u"@de ; ex:h ex:w ; ex:hn "05"^^xsd:integer ;
  ex:m 1, 2, 3 ; ex:z 1 ; ex:n 1 ;
  ex:q ex:d1, ex:d2 ; ex:q2 "a"@fr, "b" ;
  ex:d "2012-13-01"^^xsd:date, "2012-02-30"^^xsd:date, "2012-01-01"^^xsd:date, "2012-01-01" ;
  ex:i "-1"^^xsd:nonNegativeInteger, " 5"^^xsd:nonNegativeInteger, "05"^^xsd:nonNegativeInteger, 7 ;
  ex:int "05"^^xsd:integer, "x"^^xsd:integer, "5"^^xsd:int, 1.5 ;
  ex:s "plain", "tagged"@en, "typed"^^xsd:string, 3, ex:iri ; ex:ls "en"@en-GB, "plain" ;
  ex:ml "a", ex:abc, [] ; ex:li "x"@en-GB, "y"@EN, "z", ex:i ;
  ex:o "2012"^^xsd:gYear, "2012"^^xsd:integer, ex:d1, ex:e ; ex:nk "lit", ex:i, [] ;
  ex:p "ABC", "abd", ex:abc ; ex:in ex:x, 1, "1"^^xsd:decimal, "y", "y"@en ; ex:nt ex:d1, ex:e .
ex:b a ex:C ; ex:n 1, 2 ; ex:hn 5 ; ex:q2 "c"@en .
ex:d1 a ex:D . ex:d2 a ex:D .
"""


def test_edge_cases_agree_with_pyshacl(tmp_path: Path) -> None:
    data = tmp_path / "edge.ttl"
    data.write_text(EDGE_DATA, encoding="utf-8")
    import shutil

    root = tmp_path / "data"
    shutil.copytree(REPO / "ontology", root / "ontology")
    (root / "shapes").mkdir()
    (root / "shapes" / "edge.ttl").write_text(EDGE_SHAPES, encoding="utf-8")
    layout = DataLayout(root)
    ours, reference = (
        validate_run(
            [data], layout=layout, include_graph=False, engine=engine, checks=False
        ).report.results
        for engine in ("oxigraph", "pyshacl")
    )
    mine, theirs = multiset(ours), multiset(reference)
    assert mine == theirs
    # Cases that break a naive engine: ill-typed literals of the right datatype,
    # and a typed literal Oxigraph would store normalised.
    values = {(str(r.path).rsplit("/", 1)[-1], str(r.value)) for r in ours}
    assert {("d", "2012-13-01"), ("d", "2012-02-30"), ("i", "-1"), ("i", "7")} <= values
    assert ("int", "5") in values and ("int", "x") in values
    assert len(theirs) > 30


def test_ill_typed_literals_follow_rdflib() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert is_ill_typed("2012-13-01", xsd + "date")
    assert is_ill_typed("-1", xsd + "nonNegativeInteger")
    assert not is_ill_typed("2012-01-31", xsd + "date")
    assert not is_ill_typed("05", xsd + "nonNegativeInteger")


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ("sh:closed true", "sh:closed"),
        ("sh:node ex:Other", "sh:node"),
        ("sh:property [ sh:path ( ex:a ex:b ) ; sh:minCount 1 ]", "complex sh:path"),
        ('sh:sparql [ sh:select "SELECT $this WHERE {}" ]', "sh:sparql"),
    ],
)
def test_unsupported_components_are_named(extra: str, named: str) -> None:
    text = f"""@prefix sh: <{SHACL}> . @prefix ex: <http://example.org/> .
    ex:S a sh:NodeShape ; sh:targetClass ex:C ; {extra} ."""
    with pytest.raises(UnsupportedShapes, match=named.replace("(", r"\(")) as info:
        compile_shapes(rdflib.Graph().parse(data=text, format="turtle"))
    assert "ex:S" in str(info.value) or "http://example.org/S" in str(info.value)


def test_unsupported_shapes_are_refused_by_oxigraph_and_run_by_pyshacl(
    corpus: tuple[Path, dict[str, list[str]]], tmp_path: Path
) -> None:
    import shutil

    root = tmp_path / "data"
    shutil.copytree(corpus[0], root)
    (root / "shapes" / "user.ttl").write_text(
        f"""@prefix sh: <{SHACL}> . @prefix okg: <https://w3id.org/osce-kg/ontology#> .
        <urn:user:ClosedTopic> a sh:NodeShape ; sh:targetClass okg:Topic ; sh:closed false .""",
        encoding="utf-8",
    )
    # One engine never stands in for the other: the fast one says what it cannot do.
    with pytest.raises(UnsupportedShapes, match="sh:closed"):
        validate_full(root, engine="oxigraph")
    run = validate_full(root, engine="pyshacl")
    assert run.stats.engine == "pyshacl" and run.report.results
