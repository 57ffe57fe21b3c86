"""Run pySHACL and turn its validation report into :class:`Result` records.

The data handed in already carries the ontology's subclass closure, so pySHACL
runs with no inference of its own (RDFS inference would type a wrong object by
a property's range and hide the error).  Results from a property shape are
filed under the node shape that owns it, the unit a user reads and CI reports
as a test case.

pySHACL is imported only when it runs: the Oxigraph engine reads the shapes'
rules from here without it.
"""

from __future__ import annotations

import rdflib
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import BNode, Node, URIRef

from .model import Result, Rule, Severity, preferred_message, shape_id


def node_shape_rules(shapes: rdflib.Graph) -> list[Rule]:
    """One rule per named node shape, in IRI order."""
    rules = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if not isinstance(shape, URIRef):
            continue
        label = shapes.value(shape, RDFS.label)
        comment = shapes.value(shape, RDFS.comment)
        targets = sorted(str(t).rsplit("#", 1)[-1] for t in shapes.objects(shape, SH.targetClass))
        title = str(label) if label is not None else shape_id(shape)
        description = str(comment) if comment is not None else ""
        if not description and targets:
            description = "Shape of " + ", ".join(targets)
        rules.append(Rule(shape_id(shape), "shape", title, description))
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
    import pyshacl

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
        message = preferred_message(report.objects(node, SH.resultMessage))
        source = report.value(node, SH.sourceShape)
        component = report.value(node, SH.sourceConstraintComponent)
        path = report.value(node, SH.resultPath)
        results.append(
            Result(
                severity=Severity.parse(str(report.value(node, SH.resultSeverity) or SH.Violation)),
                focus=focus,
                message=message or "Does not conform to the shape",
                rule=shape_id(_owner(shapes, source)) if source is not None else "shacl",
                path=path if isinstance(path, URIRef) else None,
                value=report.value(node, SH.value),
                component="sh:" + str(component).rsplit("#", 1)[-1]
                if component is not None
                else None,
            )
        )
    return results
