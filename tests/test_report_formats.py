"""The report formats of ``osce-kg validate`` against their consumers' rules.

SARIF is checked against the SARIF 2.1.0 JSON schema, JUnit XML is read back
with junitparser, the SHACL report graph with rdflib, GitHub workflow
commands by their documented syntax.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import rdflib
from junitparser import Failure, JUnitXml
from rdflib.namespace import RDF, SH

from osce_kg.validation import Report, Severity, validate
from osce_kg.validation.locate import display_path
from osce_kg.validation.reports import render

EXAMPLES = Path(__file__).parent / "data" / "shapes"
BASE = EXAMPLES / "base.ttl"
END_BEFORE_START = EXAMPLES / "invalid" / "event-end-before-start.ttl"
UNIT = EXAMPLES / "invalid" / "organizational-unit-without-parent.ttl"
SARIF_SCHEMA = (
    Path(__file__).resolve().parents[1].parent / "shared" / "sarif" / "sarif-schema-2.1.0.json"
)


@pytest.fixture(scope="module")
def report() -> Report:
    # One violation (a SPARQL check) and one warning (a shape), each with a file and line.
    return validate([BASE, END_BEFORE_START, UNIT], include_graph=False)


def test_fixture_report_has_a_violation_and_a_warning(report: Report) -> None:
    assert [(r.severity, r.rule) for r in report.results] == [
        (Severity.VIOLATION, "check:event-end-before-start"),
        (Severity.WARNING, "okgsh:OrganizationalUnitShape"),
    ]


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="../shared/ not present")
def test_sarif_validates_against_the_2_1_0_schema(report: Report) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    log = json.loads(render(report, "sarif"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert [e.message for e in errors] == []
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["level"] for r in results] == ["error", "warning"]
    first = results[0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "check:event-end-before-start"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == Path(display_path(END_BEFORE_START)).as_posix()
    text = END_BEFORE_START.read_text(encoding="utf-8").splitlines()
    assert text[location["region"]["startLine"] - 1].startswith(
        "<https://w3id.org/osce-kg/id/event/example-meeting> a okg:Meeting"
    )
    assert first["properties"]["passage"] == "From 19 to 21 September 2012"


def test_junit_has_one_case_per_rule_and_fails_the_broken_ones(
    report: Report, tmp_path: Path
) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(render(report, "junit"), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    cases = {case.name: case for suite in xml for case in suite}
    assert set(cases) == {rule.id for rule in report.rules}
    failed = {
        name for name, case in cases.items() if any(isinstance(r, Failure) for r in case.result)
    }
    # The warning does not fail under the default threshold…
    assert failed == {"check:event-end-before-start"}
    failure = next(
        r for r in cases["check:event-end-before-start"].result if isinstance(r, Failure)
    )
    assert "2012-09-18" in (failure.message or "")
    assert f"{display_path(END_BEFORE_START)}:" in (failure.text or "")
    # …but does under --fail-on warning.
    path.write_text(render(report, "junit", Severity.WARNING), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    failed = {
        case.name
        for suite in xml
        for case in suite
        if any(isinstance(r, Failure) for r in case.result)
    }
    assert failed == {"check:event-end-before-start", "okgsh:OrganizationalUnitShape"}


def test_github_workflow_commands(report: Report) -> None:
    lines = render(report, "github").splitlines()
    command = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")
    parsed = [command.match(line) for line in lines]
    assert all(parsed), lines
    first = parsed[0]
    assert first is not None
    assert first.group(1) == "error"
    props = dict(p.split("=", 1) for p in first.group(2).split(","))
    assert props["file"] == display_path(END_BEFORE_START).replace(":", "%3A")
    assert int(props["line"]) > 0
    # Newlines in the message are escaped, so one result stays one command.
    assert "%0APassage: From 19 to 21 September 2012" in first.group(3)
    assert parsed[1] is not None and parsed[1].group(1) == "warning"
    assert lines[-1].startswith("::notice title=osce-kg validate::does not conform")


def test_turtle_is_a_shacl_validation_report(report: Report) -> None:
    graph = rdflib.Graph().parse(data=render(report, "turtle"), format="turtle")
    [root] = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(root, SH.conforms) == rdflib.Literal(False)
    results = list(graph.objects(root, SH.result))
    assert len(results) == 2
    severities = {graph.value(r, SH.resultSeverity) for r in results}
    assert severities == {SH.Violation, SH.Warning}
    shape_result = next(r for r in results if graph.value(r, SH.resultSeverity) == SH.Warning)
    assert graph.value(shape_result, SH.sourceShape) == rdflib.URIRef(
        "https://w3id.org/osce-kg/shapes#OrganizationalUnitShape"
    )
    assert graph.value(shape_result, SH.sourceConstraintComponent) == SH.MinCountConstraintComponent
    check_result = next(r for r in results if graph.value(r, SH.resultSeverity) == SH.Violation)
    assert graph.value(check_result, SH.sourceConstraint) == rdflib.URIRef(
        "https://w3id.org/osce-kg/checks/event-end-before-start"
    )
    assert graph.value(check_result, SH.value) == rdflib.Literal(
        "2012-09-18", datatype=rdflib.XSD.date
    )


def test_json_report(report: Report) -> None:
    data = json.loads(render(report, "json"))
    assert data["conforms"] is False
    assert data["counts"] == {"violation": 1, "warning": 1, "info": 0}
    first = data["results"][0]
    assert first["focus"] == "https://w3id.org/osce-kg/id/event/example-meeting"
    assert first["path"] == "http://schema.org/endDate"
    assert first["valueDatatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert first["file"] == display_path(END_BEFORE_START)
    assert first["passage"] == "From 19 to 21 September 2012"


def test_text_blocks_start_with_file_and_line(report: Report) -> None:
    text = render(report, "text")
    blocks = text.strip().split("\n\n")
    assert len(blocks) == 3
    assert re.match(rf"{re.escape(display_path(END_BEFORE_START))}:\d+: Violation: ", blocks[0])
    assert "    source  check:event-end-before-start" in blocks[0]
    assert "    passage “From 19 to 21 September 2012”" in blocks[0]
    assert re.match(rf"{re.escape(display_path(UNIT))}:\d+: Warning: ", blocks[1])
    assert "(sh:MinCountConstraintComponent)" in blocks[1]
    assert blocks[2].startswith(
        "osce-kg validate: does not conform: 1 violation, 1 warning, 0 infos"
    )
    # A warning alone conforms by default, not under --fail-on warning.
    warning_only = validate([BASE, UNIT], include_graph=False)
    assert "validate: conforms: 0 violations, 1 warning" in render(warning_only, "text")
    assert "does not conform" in render(warning_only, "text", Severity.WARNING)


def test_command_formats_are_the_library_s() -> None:
    # The command keeps its own copy (to start without importing the library): it must agree.
    from osce_kg.commands.validate import FORMATS
    from osce_kg.validation.reports import RENDERERS, REPORT_FORMATS

    assert FORMATS == REPORT_FORMATS == tuple(RENDERERS)
