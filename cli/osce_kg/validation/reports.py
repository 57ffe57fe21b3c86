"""Write a validation :class:`~.model.Report` for people and programs.

``text`` (one block per result, compiler-style ``FILE:LINE:`` first so editors
can jump to it), ``json`` and ``turtle`` (a SHACL validation report graph)
live here; the CI formats (JUnit, SARIF, GitHub) are in :mod:`.ci_reports`.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable

import rdflib
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Literal, Node

from .ci_reports import render_github, render_junit, render_sarif
from .model import Report, Result, Severity

PASSAGE_WIDTH = 300


def _where(result: Result) -> str:
    if result.file and result.line:
        return f"{result.file}:{result.line}"
    return result.file or "(not in a loaded file)"


def _passage(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > PASSAGE_WIDTH:
        flat = flat[: PASSAGE_WIDTH - 1] + "…"
    return f"“{flat}”"


def render_text(report: Report, threshold: Severity = Severity.VIOLATION) -> str:
    """One block per result, then a summary line."""
    blocks = []
    for r in report.results:
        lines = [f"{_where(r)}: {r.severity.label}: {r.message}"]
        fields = [
            ("focus", report.show(r.focus)),
            ("path", report.show(r.path)),
            ("value", report.show(r.value)),
            (
                "source",
                r.rule
                + (f" ({r.component})" if r.component and r.component.startswith("sh:") else ""),
            ),
            ("passage", _passage(r.passage) if r.passage else ""),
        ]
        for name, value in fields:
            if value:
                wrapped = (
                    textwrap.fill(
                        value,
                        width=100,
                        initial_indent=f"    {name:<8}",
                        subsequent_indent=" " * 12,
                    )
                    if name == "passage"
                    else f"    {name:<8}{value}"
                )
                lines.append(wrapped)
        blocks.append("\n".join(lines))
    shapes = sum(1 for rule in report.rules if rule.kind == "shape")
    checks = len(report.rules) - shapes
    verdict = "conforms" if report.conforms(threshold) else "does not conform"
    summary = (
        f"osce-kg validate: {verdict}: {report.summary()} "
        f"({shapes} shapes, {checks} checks, {len(report.files)} files)"
    )
    return "\n\n".join([*blocks, summary]) + "\n"


def _term_json(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, Literal):
        return str(node)
    return str(node) if not isinstance(node, BNode) else node.n3()


def report_dict(report: Report, threshold: Severity = Severity.VIOLATION) -> dict[str, object]:
    """The report as plain JSON-ready data (full IRIs, literal values as strings)."""
    return {
        "conforms": report.conforms(threshold),
        "failOn": threshold.name.lower(),
        "counts": {s.name.lower(): report.count(s) for s in reversed(Severity)},
        "results": [
            {
                "severity": r.severity.name.lower(),
                "focus": _term_json(r.focus),
                "path": _term_json(r.path),
                "value": _term_json(r.value),
                "valueDatatype": str(r.value.datatype)
                if isinstance(r.value, Literal) and r.value.datatype
                else None,
                "message": r.message,
                "source": r.rule,
                "component": r.component,
                "file": r.file,
                "line": r.line,
                "passage": r.passage,
            }
            for r in report.results
        ],
        "rules": [
            {
                "id": rule.id,
                "kind": rule.kind,
                "title": rule.title,
                "severity": rule.severity.name.lower(),
            }
            for rule in report.rules
        ],
        "files": report.files,
    }


def render_json(report: Report, threshold: Severity = Severity.VIOLATION) -> str:
    return json.dumps(report_dict(report, threshold), ensure_ascii=False, indent=2) + "\n"


def report_graph(report: Report, threshold: Severity = Severity.VIOLATION) -> rdflib.Graph:
    """The SHACL validation report graph (``sh:ValidationReport``) of all results.

    Results of SPARQL and Python checks name the check as ``sh:sourceConstraint``
    (``https://w3id.org/osce-kg/checks/NAME``); shape results name their node
    shape as ``sh:sourceShape``.
    """
    g = rdflib.Graph()
    for prefix, ns in report.prefixes.items():
        g.bind(prefix, ns)
    g.bind("sh", SH)
    root = BNode("report")
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, Literal(report.conforms(threshold))))
    rules = {rule.id: rule for rule in report.rules}
    for n, r in enumerate(report.results, start=1):
        node = BNode(f"result{n}")
        g.add((root, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.resultSeverity, r.severity.iri))
        g.add((node, SH.focusNode, r.focus))
        g.add((node, SH.resultMessage, Literal(r.message)))
        if r.path is not None:
            g.add((node, SH.resultPath, r.path))
        if r.value is not None:
            g.add((node, SH.value, r.value))
        rule = rules.get(r.rule)
        if rule is not None and rule.kind == "shape":
            g.add((node, SH.sourceShape, rule.iri))
        elif rule is not None:
            g.add((node, SH.sourceConstraint, rule.iri))
        if r.component and r.component.startswith("sh:"):
            g.add((node, SH.sourceConstraintComponent, SH[r.component[3:]]))
        elif r.component == "sparql":
            g.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    return g


def render_turtle(report: Report, threshold: Severity = Severity.VIOLATION) -> str:
    return report_graph(report, threshold).serialize(format="turtle")


RENDERERS: dict[str, Callable[[Report, Severity], str]] = {
    "text": render_text,
    "json": render_json,
    "turtle": render_turtle,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
}
REPORT_FORMATS = tuple(RENDERERS)
# The format an output file's suffix names (-o report.sarif writes SARIF).
REPORT_SUFFIXES = {".json": "json", ".ttl": "turtle", ".xml": "junit", ".sarif": "sarif"}


def render(report: Report, fmt: str, threshold: Severity = Severity.VIOLATION) -> str:
    """``report`` in one of :data:`REPORT_FORMATS`."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown report format {fmt!r}; expected one of {REPORT_FORMATS}"
        ) from None
    return renderer(report, threshold)
