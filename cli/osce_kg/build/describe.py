"""The descriptions of the Linked Data site's resources (:mod:`.site`): which
triples describe a resource, and those triples as Turtle, N-Triples and
expanded JSON-LD (no context to fetch, so it reads offline).

A description is every stated triple whose subject is the resource or one of
its ``#fragment`` IRIs, with the blank nodes they reach.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import rdflib
from rdflib.term import BNode, Literal, Node, URIRef

from .. import namespaces as ns

ID_NS = ns.PREFIXES["id"]
RDF_TYPE = rdflib.RDF.type
Triple = tuple[Node, Node, Node]

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def document_of(iri: str) -> str:
    """The resource whose document holds ``iri`` (its part before ``#``)."""
    return iri.split("#", 1)[0]


def site_path(iri: str) -> str:
    """``id/person/knut-dreyer`` for ``…/id/person/knut-dreyer`` (no suffix)."""
    return "id/" + document_of(iri).removeprefix(ID_NS)


# The IRIs (after ``id/``, before ``#``) that map to a safe path of the site.
_PATH = re.compile(r"^[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$")


def is_published(term: Node) -> bool:
    """Whether ``term`` is an IRI the site has a page for (under ``id/``, and a
    path no file system reads otherwise: no ``..``, no empty segment)."""
    text = str(term)
    return (
        isinstance(term, URIRef)
        and text.startswith(ID_NS)
        and _PATH.match(document_of(text).removeprefix(ID_NS)) is not None
    )


def _order(t: Triple) -> tuple[str, str, str, str]:
    """A cheap total order of triples (rdflib's own term comparisons are slow)."""
    o = t[2]
    return (str(t[0]), str(t[1]), str(o), o.n3() if isinstance(o, Literal) else "")


@dataclass
class Descriptions:
    """The stated triples, arranged for the site."""

    docs: dict[str, list[Triple]]
    """Each published resource's description (:func:`descriptions`)."""
    incoming: dict[Node, set[tuple[Node, Node]]]
    """Each object: the (subject, predicate) pairs of the triples that point at it."""


def descriptions(graphs: Iterable[rdflib.Graph]) -> Descriptions:
    """Each published resource's description: the stated triples about it and its
    ``#fragment`` IRIs, with the blank nodes they reach, sorted; and who points
    at what."""
    by_subject: dict[Node, set[Triple]] = defaultdict(set)
    incoming: dict[Node, set[tuple[Node, Node]]] = defaultdict(set)
    for graph in graphs:
        for s, p, o in graph:
            by_subject[s].add((s, p, o))
            if isinstance(o, URIRef):
                incoming[o].add((s, p))
    docs: dict[str, set[Triple]] = defaultdict(set)
    for subject, triples in by_subject.items():
        if not is_published(subject):
            continue
        doc = docs[document_of(str(subject))]
        pending = list(triples)
        seen: set[Node] = set()
        while pending:
            triple = pending.pop()
            doc.add(triple)
            o = triple[2]
            if isinstance(o, BNode) and o not in seen:
                seen.add(o)
                pending += by_subject.get(o, ())
    # An IRI that only appears as an object still gets a (short) page.
    for o in incoming:
        if is_published(o):
            docs.setdefault(document_of(str(o)), set())
    ordered = {iri: sorted(triples, key=_order) for iri, triples in sorted(docs.items())}
    return Descriptions(ordered, incoming)


# -- the three descriptions --------------------------------------------------------


def nt_term(term: Node) -> str:
    """``term`` in N-Triples (and Turtle) syntax, escaped by Oxigraph."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return str(ox.NamedNode(str(term)))
    if isinstance(term, BNode):
        return str(ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", str(term))))
    assert isinstance(term, Literal)
    if term.language:
        return str(ox.Literal(str(term), language=term.language))
    datatype = ox.NamedNode(str(term.datatype)) if term.datatype is not None else None
    return str(ox.Literal(str(term), datatype=datatype))


def _turtle_term(term: Node, prefixes: dict[str, str]) -> str:
    if isinstance(term, URIRef):
        for prefix, base in prefixes.items():
            local = str(term).removeprefix(base)
            if local != str(term) and _LOCAL.match(local) and prefix != "id":
                return f"{prefix}:{local}"
    return nt_term(term)


def turtle(triples: list[Triple]) -> str:
    """``triples`` as Turtle: the vocabularies as prefixes, one block per subject."""
    iris = {str(t) for tr in triples for t in tr if isinstance(t, URIRef)}
    used = {
        prefix: base
        for prefix, base in ns.PREFIXES.items()
        if prefix != "id" and any(iri.startswith(base) for iri in iris)
    }
    lines = [f"@prefix {p}: <{b}> ." for p, b in sorted(used.items())]
    by_subject: dict[Node, list[Triple]] = defaultdict(list)
    for triple in triples:
        by_subject[triple[0]].append(triple)
    for subject, rows in by_subject.items():
        lines.append("")
        parts = [
            f"    {_turtle_term(p, used)} {_turtle_term(o, used)}"
            for _, p, o in sorted(rows, key=lambda t: (t[1] != RDF_TYPE, *_order(t)))
        ]
        lines.append(f"{_turtle_term(subject, used)}\n" + " ;\n".join(parts) + " .")
    return "\n".join(lines) + "\n"


def ntriples(triples: list[Triple]) -> str:
    return "".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples)


def _jsonld_value(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"@id": str(term)}
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    assert isinstance(term, Literal)
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype is not None and str(term.datatype) != str(rdflib.XSD.string):
        return {"@value": str(term), "@type": str(term.datatype)}
    return {"@value": str(term)}


def jsonld(triples: list[Triple]) -> str:
    """``triples`` as expanded JSON-LD (no context to fetch: it reads offline)."""
    nodes: dict[str, dict[str, list[dict[str, str]]]] = {}
    for s, p, o in triples:
        key = str(s) if isinstance(s, URIRef) else f"_:{s}"
        node = nodes.setdefault(key, {})
        prop = "@type" if p == RDF_TYPE and isinstance(o, URIRef) else str(p)
        node.setdefault(prop, []).append(_jsonld_value(o))
    out = []
    for key, props in nodes.items():
        item: dict[str, object] = {"@id": key}
        for prop, values in props.items():
            item[prop] = [v["@id"] for v in values] if prop == "@type" else values
        out.append(item)
    return json.dumps(out, ensure_ascii=False, indent=None if len(triples) > 5000 else 1) + "\n"
