"""Report formats for continuous integration.

* ``junit`` — JUnit XML, one test case per shape or check, failed when that
  rule produced results at or above ``--fail-on`` (CI test reporters show
  shapes and checks as tests);
* ``sarif`` — SARIF 2.1.0 with file/line locations (GitHub code scanning);
* ``github`` — ``::error file=…,line=…::`` workflow commands (annotations on
  a pull request's diff).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from ..version import __version__
from .model import Report, Result, Severity

INFORMATION_URI = "https://w3id.org/osce-kg/"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_COMMAND = {
    Severity.VIOLATION: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def _describe(report: Report, r: Result) -> str:
    where = f"{r.file}:{r.line}" if r.file and r.line else (r.file or "-")
    lines = [
        f"{r.severity.label}: {r.message}",
        f"  focus: {report.show(r.focus)}",
    ]
    if r.path is not None:
        lines.append(f"  path: {report.show(r.path)}")
    if r.value is not None:
        lines.append(f"  value: {report.show(r.value)}")
    lines.append(f"  defined at: {where}")
    if r.passage:
        lines.append(f"  passage: {' '.join(r.passage.split())}")
    return "\n".join(lines)


def render_junit(report: Report, threshold: Severity = Severity.VIOLATION) -> str:
    """JUnit XML: a test suite per rule kind, a test case per shape or check."""
    by_rule: dict[str, list[Result]] = defaultdict(list)
    for r in report.results:
        by_rule[r.rule].append(r)
    root = ET.Element("testsuites", name="osce-kg validate")
    suites = {"shape": "SHACL shapes", "sparql": "SPARQL checks", "python": "built-in checks"}
    total = failed = 0
    for kind, suite_name in suites.items():
        rules = [rule for rule in report.rules if rule.kind == kind]
        suite = ET.SubElement(root, "testsuite", name=suite_name)
        failures = 0
        for rule in rules:
            case = ET.SubElement(
                suite, "testcase", name=rule.id, classname=f"osce-kg.{kind}", time="0"
            )
            results = by_rule.get(rule.id, [])
            failing = [r for r in results if r.severity >= threshold]
            if failing:
                failures += 1
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{len(failing)} result(s): {failing[0].message}",
                    type=failing[0].severity.label,
                )
                failure.text = "\n\n".join(_describe(report, r) for r in failing)
            others = [r for r in results if r.severity < threshold]
            if others:
                out = ET.SubElement(case, "system-out")
                out.text = "\n\n".join(_describe(report, r) for r in others)
        suite.set("tests", str(len(rules)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += len(rules)
        failed += failures
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _artifact_uri(file: str) -> str:
    path = Path(file)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def sarif_dict(report: Report, threshold: Severity = Severity.VIOLATION) -> dict[str, object]:
    """The report as a SARIF 2.1.0 log (one run, one rule per shape or check)."""
    index = {rule.id: n for n, rule in enumerate(report.rules)}
    rules = [
        {
            "id": rule.id,
            "name": rule.id.split(":", 1)[-1],
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.description or rule.title},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
            "properties": {"kind": rule.kind},
        }
        for rule in report.rules
    ]
    results = []
    for r in report.results:
        result: dict[str, object] = {
            "ruleId": r.rule,
            "level": _SARIF_LEVEL[r.severity],
            "message": {"text": r.message},
            "properties": {
                "focus": str(r.focus),
                "path": str(r.path) if r.path is not None else None,
                "value": str(r.value) if r.value is not None else None,
                "passage": r.passage,
                "failsBuild": r.severity >= threshold,
            },
        }
        if r.rule in index:
            result["ruleIndex"] = index[r.rule]
        location: dict[str, object] = {
            "logicalLocations": [{"fullyQualifiedName": str(r.focus), "kind": "resource"}]
        }
        if r.file:
            physical: dict[str, object] = {"artifactLocation": {"uri": _artifact_uri(r.file)}}
            if r.line:
                physical["region"] = {"startLine": r.line}
            location["physicalLocation"] = physical
        result["locations"] = [location]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "osce-kg validate",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def render_sarif(report: Report, threshold: Severity = Severity.VIOLATION) -> str:
    return json.dumps(sarif_dict(report, threshold), ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, threshold: Severity = Severity.VIOLATION) -> str:
    """GitHub Actions workflow commands, one per result, then a notice with the summary."""
    lines = []
    for r in report.results:
        props = []
        if r.file:
            props.append(f"file={_escape_property(r.file)}")
            if r.line:
                props.append(f"line={r.line}")
        props.append(f"title={_escape_property(r.rule + ' ' + report.show(r.focus))}")
        detail = r.message
        if r.path is not None:
            detail += f" (path {report.show(r.path)})"
        if r.passage:
            detail += f"\nPassage: {' '.join(r.passage.split())}"
        lines.append(f"::{_GITHUB_COMMAND[r.severity]} {','.join(props)}::{_escape_data(detail)}")
    verdict = "conforms" if report.conforms(threshold) else "does not conform"
    lines.append(
        f"::notice title=osce-kg validate::{_escape_data(verdict + ': ' + report.summary())}"
    )
    return "\n".join(lines) + "\n"
