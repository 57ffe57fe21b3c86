"""Materialise what the ontology's alignment implies, so that a query written
only in standard vocabularies (FOAF, ORG, schema.org, PROV-O …) finds our data.

Deliberately small: the transitive closure of ``rdfs:subClassOf`` applied to
``rdf:type``, of ``rdfs:subPropertyOf`` applied to every triple, and
``owl:inverseOf``.  It does not apply ``rdfs:domain``/``rdfs:range``: those
inferences hide data errors (a wrong object would silently become, say, a
Person) instead of letting validation report them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import TypeVar

import rdflib
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

T = TypeVar("T", bound=Hashable)


def transitive_closure(edges: Iterable[tuple[T, T]]) -> dict[T, set[T]]:
    """For each node with an edge, every node it reaches (itself excluded)."""
    direct: dict[T, set[T]] = defaultdict(set)
    for sub, sup in edges:
        if sub != sup:
            direct[sub].add(sup)
    closed: dict[T, set[T]] = {}
    for start in list(direct):
        seen: set[T] = set()
        stack = list(direct[start])
        while stack:
            node = stack.pop()
            if node in seen or node == start:
                continue
            seen.add(node)
            stack.extend(direct.get(node, ()))
        closed[start] = seen
    return closed


def infer(ontology: rdflib.Graph, data: rdflib.Graph) -> rdflib.Graph:
    """The triples implied by ``ontology`` over ``data`` that ``data`` lacks."""
    supers = transitive_closure(ontology.subject_objects(RDFS.subClassOf))
    superprops = transitive_closure(ontology.subject_objects(RDFS.subPropertyOf))
    inverses: dict[Node, set[Node]] = defaultdict(set)
    for a, b in ontology.subject_objects(OWL.inverseOf):
        inverses[a].add(b)
        inverses[b].add(a)

    out = rdflib.Graph()
    pending = list(data)
    seen: set[tuple[Node, Node, Node]] = set()
    while pending:
        s, p, o = pending.pop()
        derived: list[tuple[Node, Node, Node]] = []
        if p == RDF.type:
            derived += [(s, RDF.type, c) for c in supers.get(o, ())]
        else:
            derived += [(s, q, o) for q in superprops.get(p, ())]
            if isinstance(o, rdflib.term.Identifier) and not isinstance(o, rdflib.Literal):
                derived += [(o, q, s) for q in inverses.get(p, ())]
        for t in derived:
            if t not in seen and t not in data:
                seen.add(t)
                out.add(t)
                pending.append(t)
    return out


def materialise(ontology: rdflib.Graph, data: rdflib.Graph) -> rdflib.Graph:
    """``data`` plus its inferred triples, as a new graph."""
    g = rdflib.Graph()
    for prefix, iri in data.namespaces():
        g.bind(prefix, iri)
    g += data
    g += infer(ontology, data)
    return g
