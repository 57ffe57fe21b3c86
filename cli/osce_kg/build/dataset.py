"""Write the dataset in every format a user may want, byte-for-byte reproducibly.

Two builds of the same input must give identical files, so that a diff of
``dist/`` means a change of the data.  rdflib's Turtle writer already sorts
subjects, predicates and objects; N-Triples lines are sorted here; JSON-LD is
re-ordered after serialisation (rdflib emits nodes in hash order); TriG is
assembled from one sorted Turtle body per named graph.  Everything is written
from the dataset's one assembly (:mod:`osce_kg.assembly`), where a blank node
of a data file is labelled by the file and the order in which it first appears
there
(:func:`osce_kg.assembly.bnode_prefix`), so its label depends on the file's
bytes only: no random labels, and no canonicalisation, whose cost grows
steeply with long chains of blank nodes.  Query answers, which come
from the store with the store's labels, are relabelled canonically
(:func:`canonical`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rdflib
from rdflib.compare import to_canonical_graph
from rdflib.term import BNode, Literal, Node

from .. import namespaces as ns
from ..assembly import Triple, assemble_into, graph_order
from ..errors import DataError
from ..loading import TermConverter, quiet_rdflib_terms

if TYPE_CHECKING:
    import pyoxigraph

    from ..layout import RdfFile


@dataclass
class BuiltDataset:
    """The dataset as the exports write it: named graphs as the files state them (the
    literals as written: a store would normalise some), the inferred graph, and
    their union; assembled by :func:`osce_kg.assembly.assemble_into`, as the
    dataset store is."""

    graphs: dict[str, rdflib.Graph] = field(default_factory=dict)
    """Named graph IRI -> its triples, including the inferred graph."""
    union: rdflib.Graph = field(default_factory=lambda: _new_graph())
    """Every triple of every named graph (asserted + inferred): what queries run on."""
    _convert: TermConverter = field(default_factory=lambda: TermConverter(fresh_bnodes=False))

    @classmethod
    def load(cls, files: Sequence[RdfFile]) -> BuiltDataset:
        built = cls()
        with quiet_rdflib_terms():
            assemble_into(built, files)
        built.graphs = {iri: built.graphs[iri] for iri in sorted(built.graphs, key=graph_order)}
        return built

    # The assembly's target (osce_kg.assembly.Target):

    def add_stated(self, quads: Sequence[pyoxigraph.Quad], graph: str) -> None:
        self._put(graph, ((q.subject, q.predicate, q.object) for q in quads))

    def states(self, triple: Triple) -> bool:
        conv = self._convert
        return (conv(triple[0]), conv(triple[1]), conv(triple[2])) in self.union

    def add_inferred(self, triples: Sequence[Triple]) -> None:
        self._put(ns.INFERRED_GRAPH, triples)

    def _put(self, iri: str, triples: Iterable[Triple]) -> None:
        """``triples`` into the graph ``iri`` and the union; no triples make no graph,
        as in the store."""
        conv, graph = self._convert, self.graphs.get(iri)
        for s, p, o in triples:
            if graph is None:
                graph = self.graphs[iri] = _new_graph(iri)
            triple = (conv(s), conv(p), conv(o))
            graph.add(triple)
            self.union.add(triple)

    @property
    def asserted_triples(self) -> int:
        return sum(len(g) for iri, g in self.graphs.items() if iri != ns.INFERRED_GRAPH)

    @property
    def inferred_triples(self) -> int:
        return len(self.graphs.get(ns.INFERRED_GRAPH, ()))


def _new_graph(identifier: str | None = None) -> rdflib.Graph:
    g = rdflib.Graph(identifier=rdflib.URIRef(identifier) if identifier else None)
    for prefix, iri in ns.PREFIXES.items():
        g.bind(prefix, iri, replace=True)
    return g


def row_key(row: Iterable[Node | None]) -> tuple[tuple[int, str], ...]:
    """Sort key of a result row: unbound values first, then terms by their N-Triples text.

    Rows a query leaves in hash order are sorted by it, so that files do not
    depend on the store's order.
    """
    return tuple((0, "") if t is None else (1, t.n3()) for t in row)


def _has_blank_nodes(graphs: Iterable[rdflib.Graph]) -> bool:
    return any(isinstance(t, BNode) for graph in graphs for triple in graph for t in triple)


def canonical(graph: rdflib.Graph) -> rdflib.Graph:
    """``graph`` itself, or a copy with canonical blank-node labels if it has blank nodes."""
    if not _has_blank_nodes([graph]):
        return graph
    out = _new_graph(str(graph.identifier) if isinstance(graph.identifier, rdflib.URIRef) else None)
    out += to_canonical_graph(graph)
    return out


def _turtle(graph: rdflib.Graph) -> str:
    # The project's prefixes, whoever made the graph (a CONSTRUCT answer has none,
    # and rdflib would name its namespaces ns1, ns2 … in an order that varies
    # from one run to the next).
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri, replace=True)
    text = graph.serialize(format="turtle")
    return text if text.endswith("\n") else text + "\n"


def turtle(graph: rdflib.Graph) -> str:
    """Sorted Turtle (rdflib's writer orders subjects, predicates and objects)."""
    return _turtle(canonical(graph))


def _ntriples(graph: rdflib.Graph) -> str:
    """N-Triples, one triple a line, lines sorted (blank nodes as ``graph`` labels them)."""
    lines = graph.serialize(format="nt").splitlines()
    return "".join(line + "\n" for line in sorted({line for line in lines if line.strip()}))


def jsonld_context(prefixes: Mapping[str, str] = ns.PREFIXES) -> dict[str, Any]:
    """The JSON-LD context: the project's prefixes, in a stable order."""
    return {"@context": dict(sorted(prefixes.items()))}


def _sort_json(value: Any) -> Any:
    """Sort every list of a JSON-LD document by its items' canonical text."""
    if isinstance(value, dict):
        return {
            # An "@list" keeps its order: order is what an RDF list means.
            k: [_sort_json(i) for i in v] if k == "@list" and isinstance(v, list) else _sort_json(v)
            for k, v in sorted(value.items())
        }
    if isinstance(value, list):
        items = [_sort_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld(graph: rdflib.Graph) -> str:
    """Compacted JSON-LD with the project's context, nodes sorted by ``@id``."""
    context = jsonld_context()["@context"]
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    doc = json.loads(text)
    body = {k: v for k, v in doc.items() if k != "@context"}
    nodes = body.pop("@graph", None)
    if nodes is None:  # a single node is written without @graph
        nodes = [body] if body else []
        body = {}
    ordered = {"@context": context, **_sort_json(body), "@graph": _sort_json(nodes)}
    return json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"


# Stands for a blank node while a graph is written as Turtle (see _trig).
_BNODE_IRI = "urn:x-osce-kg:bnode:"
_BNODE_REF = re.compile("<" + re.escape(_BNODE_IRI) + "([^>]+)>")


def _shared_blank_nodes(graphs: Mapping[str, rdflib.Graph]) -> set[BNode]:
    """The blank nodes that occur in more than one of ``graphs``."""
    seen: dict[BNode, str] = {}
    shared: set[BNode] = set()
    for iri, graph in graphs.items():
        for triple in graph:
            for t in triple:
                if isinstance(t, BNode) and seen.setdefault(t, iri) != iri:
                    shared.add(t)
    return shared


def _naming(graph: rdflib.Graph, shared: set[BNode]) -> rdflib.Graph:
    """``graph`` with the ``shared`` blank nodes replaced by placeholder IRIs."""
    if not shared:
        return graph
    out = _new_graph(str(graph.identifier))

    def name(t: Any) -> Any:
        if isinstance(t, Literal) and _BNODE_IRI in t:
            raise DataError(f"cannot write the TriG: a literal contains {_BNODE_IRI!r}")
        return rdflib.URIRef(_BNODE_IRI + str(t)) if t in shared else t

    for triple in graph:
        out.add(tuple(name(t) for t in triple))
    return out


def _trig(graphs: Mapping[str, rdflib.Graph]) -> str:
    """TriG: one block per named graph, in :func:`graph_order`, prefixes declared once
    (blank nodes as the graphs label them)."""
    # A blank node that two graphs share must keep its label in both blocks;
    # the Turtle writer would write one it sees once as "[]" (a new node), so
    # it is written as a placeholder IRI, then given back its label.
    shared = _shared_blank_nodes(graphs)
    used: dict[str, str] = {}
    bodies: dict[str, list[str]] = {}
    for iri, g in graphs.items():
        body = bodies[iri] = []
        # Each graph is serialised once: its prefix lines are collected, the rest is its body.
        for line in _turtle(_naming(g, shared)).splitlines():
            if line.startswith("@prefix "):
                prefix, namespace = line[len("@prefix ") :].rstrip(" .").split(": ", 1)
                used[prefix] = namespace
            elif not line.startswith("@base "):
                body.append(_BNODE_REF.sub(r"_:\1", line) if shared else line)
    out = [f"@prefix {p}: {iri} ." for p, iri in sorted(used.items())]
    for iri in sorted(graphs, key=graph_order):
        body = bodies[iri]
        while body and not body[0].strip():
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        # Not indented: that would change the text of multi-line literals.
        out += ["", f"<{iri}> {{", *body, "}"]
    return "\n".join(out) + "\n"


DATASET_FILES = ("osce-kg.ttl", "osce-kg.nt", "osce-kg.jsonld", "osce-kg.trig", "context.jsonld")


def write_dataset(built: BuiltDataset, folder: Path) -> list[Path]:
    """Write the dataset's serialisations into ``folder``; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    # Blank nodes keep the labels the assembly gave them (osce_kg.assembly.bnode_prefix):
    # a function of the files' bytes, the same in every file written here.
    graphs, union = built.graphs, built.union
    texts = {
        "osce-kg.ttl": _turtle(union),
        "osce-kg.nt": _ntriples(union),
        "osce-kg.jsonld": _jsonld(union),
        "osce-kg.trig": _trig(graphs),
        "context.jsonld": json.dumps(jsonld_context(), indent=2) + "\n",
    }
    written = []
    for name in DATASET_FILES:
        path = folder / name
        path.write_text(texts[name], encoding="utf-8", newline="\n")
        written.append(path)
    return written
