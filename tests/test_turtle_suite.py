"""The W3C RDF 1.1 Turtle test suite as the yardstick of strict parsing.

Every negative-syntax file makes ``osce-kg validate FILE`` exit 2 with one
``FILE:LINE:COL: message`` line; every positive-syntax and evaluation file
loads.  The suite lives in ``../shared/rdf-tests/rdf11-turtle/`` (present in CI).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from osce_kg.cli import main
from osce_kg.loading import parse_file

SUITE = Path(__file__).resolve().parents[1].parent / "shared" / "rdf-tests" / "rdf11-turtle"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT = rdflib.Namespace("http://www.w3.org/ns/rdftest#")

needs_suite = pytest.mark.skipif(
    not (SUITE / "manifest.ttl").is_file(), reason="../shared/ not present"
)


def _entries() -> list[tuple[str, str, Path]]:
    if not (SUITE / "manifest.ttl").is_file():
        return []
    manifest = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    entries = []
    for test, kind in manifest.subject_objects(rdflib.RDF.type):
        if kind == MF.Manifest:
            continue
        action = manifest.value(test, MF.action)
        name = str(test).rsplit("#", 1)[-1]
        entries.append((name, str(kind).rsplit("#", 1)[-1], SUITE / str(action).rsplit("/", 1)[-1]))
    return sorted(entries)


ENTRIES = _entries()
NEGATIVE = [e for e in ENTRIES if e[1] == "TestTurtleNegativeSyntax"]
POSITIVE = [e for e in ENTRIES if e[1] in ("TestTurtlePositiveSyntax", "TestTurtleEval")]


@needs_suite
def test_manifest_lists_all_kinds_of_test() -> None:
    # The suite has 94 negative, 74 positive and 145 evaluation tests; a broken manifest
    # reading must not silently shrink the parametrised tests below to nothing.
    assert len(NEGATIVE) >= 90
    assert len(POSITIVE) >= 200


@needs_suite
@pytest.mark.parametrize("entry", NEGATIVE, ids=[e[0] for e in NEGATIVE])
def test_negative_syntax_exits_2_with_position(
    entry: tuple[str, str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = entry[2]
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2
    assert out == ""
    assert re.fullmatch(rf"{re.escape(str(path))}:\d+:\d+: [^\n]+\n", err), err


@needs_suite
@pytest.mark.parametrize("entry", POSITIVE, ids=[e[0] for e in POSITIVE])
def test_positive_syntax_and_evaluation_files_load(entry: tuple[str, str, Path]) -> None:
    graph = parse_file(entry[2])
    assert isinstance(graph, rdflib.Graph)


@needs_suite
def test_evaluation_results_match_expected_triples() -> None:
    # Loading is not enough if the triples are wrong: compare what osce-kg's loader reads
    # from each evaluation test with its expected N-Triples, both with the suite's base IRI.
    from osce_kg.loading import parse_file

    manifest = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    base = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/"
    mismatched = []
    for test in manifest.subjects(rdflib.RDF.type, RDFT.TestTurtleEval):
        action = SUITE / str(manifest.value(test, MF.action)).rsplit("/", 1)[-1]
        result = SUITE / str(manifest.value(test, MF.result)).rsplit("/", 1)[-1]
        got = parse_file(action, "turtle", base=base + action.name)
        expected = parse_file(result, "nt", base=base + result.name)
        if not isomorphic(got, expected):
            mismatched.append(action.name)
    assert mismatched == []
