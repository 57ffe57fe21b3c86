"""Materialise what the ontology's alignment implies, so that a query written
only in standard vocabularies (FOAF, ORG, schema.org, PROV-O …) finds our data.

Deliberately small: the transitive closure of ``rdfs:subClassOf`` applied to
``rdf:type``, of ``rdfs:subPropertyOf`` applied to every triple, and
``owl:inverseOf``.  It does not apply ``rdfs:domain``/``rdfs:range``: those
inferences hide data errors (a wrong object would silently become, say, a
Person) instead of letting validation report them.

The rules exist once, in :class:`Rules`, over the terms of either RDF library:
the dataset's assembly (:func:`osce_kg.assembly.assemble_into`) applies them
to each triple as it is read, and validation to each unit's quads
(:func:`ox_derived`, both); :func:`sparql_closure` writes them as one SPARQL
update, which the build publishes for other engines (``closure.ru``);
:func:`infer` applies them to rdflib graphs, the reference the tests hold the
others to.
Importing this module imports neither library.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

T = TypeVar("T", bound=Hashable)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SUBPROPERTY = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
INVERSE = "http://www.w3.org/2002/07/owl#inverseOf"


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


class Rules(Generic[T]):
    """The closure rules of one ontology, over terms of type ``T`` (IRIs only).

    Every chain of rules is resolved here, once: ``supers[c]`` holds every
    superclass of ``c``; ``derive[p]`` every ``(q, flipped)`` that a triple with
    predicate ``p`` implies through sub-properties and inverses (``flipped``:
    subject and object swap), and the predicates it implies when the object is
    a literal (sub-properties only: a literal cannot be a subject).  So one pass
    over the data gives the whole closure.
    """

    def __init__(
        self,
        type_: T,
        subclass: Iterable[tuple[T, T]],
        subproperty: Iterable[tuple[T, T]],
        inverse: Iterable[tuple[T, T]],
    ) -> None:
        self.type = type_
        self.supers = transitive_closure(subclass)
        superprops = transitive_closure(subproperty)
        inverses: dict[T, set[T]] = defaultdict(set)
        for a, b in inverse:
            inverses[a].add(b)
            inverses[b].add(a)
        self.derive: dict[T, tuple[list[tuple[T, bool]], list[T]]] = {}
        # rdf:type triples follow the class hierarchy only, in every executor.
        for p in (set(superprops) | set(inverses)) - {type_}:
            with_inverses = _reach(p, superprops, inverses)
            literal_ok = sorted(superprops.get(p, set()), key=str)
            if with_inverses or literal_ok:
                self.derive[p] = (with_inverses, literal_ok)

    def consequences(self, s: T, p: T, o: T, literal: bool) -> list[tuple[T, T, T]]:
        """Every triple the rules derive from ``(s, p, o)``; ``literal``: ``o`` is one."""
        if p == self.type:
            return [(s, p, c) for c in self.supers.get(o, ())]
        entry = self.derive.get(p)
        if entry is None:
            return []
        with_inverses, literal_ok = entry
        if literal:
            return [(s, q, o) for q in literal_ok]
        out: list[tuple[T, T, T]] = []
        for q, flipped in with_inverses:
            sub, obj = (o, s) if flipped else (s, o)
            out.append((sub, q, obj))
            if q == self.type:  # a property declared a sub-property of rdf:type
                out += [(sub, q, c) for c in self.supers.get(obj, ())]
        return out


def _reach(p: T, superprops: dict[T, set[T]], inverses: dict[T, set[T]]) -> list[tuple[T, bool]]:
    """Every (predicate, flipped) a triple with predicate ``p`` derives, ``(p, False)`` excluded."""
    seen = {(p, False)}
    stack = [(p, False)]
    while stack:
        q, flipped = stack.pop()
        for r in superprops.get(q, ()):
            if (r, flipped) not in seen:
                seen.add((r, flipped))
                stack.append((r, flipped))
        for r in inverses.get(q, ()):
            if (r, not flipped) not in seen:
                seen.add((r, not flipped))
                stack.append((r, not flipped))
    seen.discard((p, False))
    return sorted(seen, key=lambda t: (str(t[0]), t[1]))


Edges = list[tuple[Any, Any]]


def _edges(
    pairs: Callable[[str], Iterable[tuple[object, object]]], is_iri: Callable[[object], bool]
) -> tuple[Edges, Edges, Edges]:
    """The subclass, subproperty and inverse axioms between IRIs, from ``pairs(predicate)``."""
    subclass, subproperty, inverse = (
        [(a, b) for a, b in pairs(axiom) if is_iri(a) and is_iri(b)]
        for axiom in (SUBCLASS, SUBPROPERTY, INVERSE)
    )
    return subclass, subproperty, inverse


# --------------------------------------------------------------------------- rdflib


def rdflib_rules(ontology: rdflib.Graph) -> Rules[rdflib.URIRef]:
    from rdflib import URIRef

    def pairs(axiom: str) -> Iterator[tuple[object, object]]:
        return ontology.subject_objects(URIRef(axiom))

    subclass, subproperty, inverse = _edges(pairs, lambda t: isinstance(t, URIRef))
    return Rules(URIRef(RDF_TYPE), subclass, subproperty, inverse)


def infer(ontology: rdflib.Graph, data: rdflib.Graph) -> rdflib.Graph:
    """The triples implied by ``ontology`` over ``data`` that ``data`` lacks."""
    import rdflib
    from rdflib import Literal

    rules = rdflib_rules(ontology)
    out = rdflib.Graph()
    for s, p, o in data:
        for t in rules.consequences(s, p, o, isinstance(o, Literal)):  # type: ignore[arg-type]
            if t not in data:
                out.add(t)
    return out


def materialise(ontology: rdflib.Graph, data: rdflib.Graph) -> rdflib.Graph:
    """``data`` plus its inferred triples, as a new graph."""
    import rdflib

    g = rdflib.Graph()
    for prefix, iri in data.namespaces():
        g.bind(prefix, iri)
    g += data
    g += infer(ontology, data)
    return g


# --------------------------------------------------------------------------- pyoxigraph


def ox_rules(triples: Iterable[pyoxigraph.Triple | pyoxigraph.Quad]) -> Rules[pyoxigraph.NamedNode]:
    """The rules of an ontology given as Oxigraph triples (or quads)."""
    import pyoxigraph as ox

    by_axiom: dict[str, list[tuple[object, object]]] = defaultdict(list)
    for t in triples:
        by_axiom[t.predicate.value].append((t.subject, t.object))
    subclass, subproperty, inverse = _edges(
        lambda axiom: by_axiom.get(axiom, []), lambda t: isinstance(t, ox.NamedNode)
    )
    return Rules(ox.NamedNode(RDF_TYPE), subclass, subproperty, inverse)


def ox_derived(
    rules: Rules[pyoxigraph.NamedNode],
    quads: Iterable[pyoxigraph.Quad | pyoxigraph.Triple],
) -> Iterator[tuple[Any, Any, Any]]:
    """What ``rules`` derive from ``quads`` (Oxigraph's), triple by triple: one pass,
    since each derived triple follows from one stated triple."""
    import pyoxigraph as ox

    literal, consequences = ox.Literal, rules.consequences
    rdf_type, supers, derive = rules.type, rules.supers, rules.derive
    for q in quads:
        p, o = q.predicate, q.object
        # Most triples imply nothing: only these two look-ups are made for them.
        if (o in supers) if p == rdf_type else (p in derive):
            yield from consequences(q.subject, p, o, type(o) is literal)  # type: ignore[arg-type]


def sparql_closure(rules: Rules[pyoxigraph.NamedNode]) -> str:
    """The rules as one SPARQL update over the default graph.

    Its operations run in order: the property rules first, the class rules last,
    so that an ``rdf:type`` derived by a property rule gets its superclasses,
    exactly as :meth:`Rules.consequences` gives them.
    """
    operations = []
    for p, (with_inverses, literal_ok) in rules.derive.items():
        if literal_ok:
            made = " ".join(f"?s {q} ?o ." for q in literal_ok)
            operations.append(f"INSERT {{ {made} }} WHERE {{ ?s {p} ?o FILTER(isLiteral(?o)) }}")
        if with_inverses:
            made = " ".join(
                f"?o {q} ?s ." if flipped else f"?s {q} ?o ." for q, flipped in with_inverses
            )
            operations.append(f"INSERT {{ {made} }} WHERE {{ ?s {p} ?o FILTER(!isLiteral(?o)) }}")
    for cls, supers in rules.supers.items():
        made = " ".join(f"?s {rules.type} {c} ." for c in sorted(supers, key=str))
        operations.append(f"INSERT {{ {made} }} WHERE {{ ?s {rules.type} {cls} }}")
    return " ;\n".join(operations)
