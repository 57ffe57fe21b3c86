"""Run pySHACL and turn its validation report into :class:`Result` records.

The data handed in already carries the ontology's subclass closure, so pySHACL
runs with no inference of its own (RDFS inference would type a wrong object by
a property's range and hide the error).  Results from a property shape are
filed under the node shape that owns it, the unit a user reads and CI reports
as a test case.
"""

from __future__ import annotations

import pyshacl
import rdflib
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import BNode, Literal, Node, URIRef

from .model import SHAPES_NS, Result, Rule, Severity


def _shape_id(shape: Node) -> str:
    text = str(shape)
    if isinstance(shape, URIRef) and text.startswith(SHAPES_NS):
        return "okgsh:" + text[len(SHAPES_NS) :]
    return shape.n3()


def node_shape_rules(shapes: rdflib.Graph) -> list[Rule]:
    """One rule per named node shape, in IRI order."""
    rules = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if not isinstance(shape, URIRef):
            continue
        label = shapes.value(shape, RDFS.label)
        comment = shapes.value(shape, RDFS.comment)
        targets = sorted(str(t).rsplit("#", 1)[-1] for t in shapes.objects(shape, SH.targetClass))
        title = str(label) if label is not None else _shape_id(shape)
        description = str(comment) if comment is not None else ""
        if not description and targets:
            description = "Shape of " + ", ".join(targets)
        rules.append(Rule(_shape_id(shape), "shape", title, description))
    return rules


def _owner(shapes: rdflib.Graph, shape: Node) -> Node:
    """The named node shape a (possibly nested, blank) shape belongs to."""
    seen: set[Node] = set()
    node = shape
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        parent = next(iter(shapes.subjects(None, node)), None)
        if parent is None:
            break
        node = parent
    return node


def run_shacl(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Result]:
    """pySHACL's results on ``data`` as :class:`Result` records."""
    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_warnings=True,
        allow_infos=True,
    )
    assert isinstance(report, rdflib.Graph)
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        if focus is None:
            continue
        messages = [m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)]
        english = [m for m in messages if m.language in (None, "en")]
        message = str((english or messages)[0]) if messages else "Does not conform to the shape"
        source = report.value(node, SH.sourceShape)
        component = report.value(node, SH.sourceConstraintComponent)
        path = report.value(node, SH.resultPath)
        results.append(
            Result(
                severity=Severity.parse(str(report.value(node, SH.resultSeverity) or SH.Violation)),
                focus=focus,
                message=message,
                rule=_shape_id(_owner(shapes, source)) if source is not None else "shacl",
                path=path if isinstance(path, URIRef) else None,
                value=report.value(node, SH.value),
                component="sh:" + str(component).rsplit("#", 1)[-1]
                if component is not None
                else None,
            )
        )
    return results
