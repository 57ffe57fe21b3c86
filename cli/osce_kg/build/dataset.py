"""Write the dataset in every format a user may want, byte-for-byte reproducibly.

Two builds of the same input must give identical files, so that a diff of
``dist/`` means a change of the data.  rdflib's Turtle writer already sorts
subjects, predicates and objects; N-Triples lines are sorted here; JSON-LD is
re-ordered after serialisation (rdflib emits nodes in hash order); TriG is
assembled from one sorted Turtle body per named graph.  Blank nodes would get
fresh random labels on every parse, so a graph that has any is relabelled
canonically first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rdflib
from rdflib.compare import to_canonical_graph
from rdflib.term import BNode

from .. import namespaces as ns
from ..inference import infer
from ..loading import RdfFile, load_dataset

# Order of the named graphs in the TriG file: the ontology first, then what
# the sources say, then outside reference data, then what was inferred.
_GRAPH_RANK = {
    ns.ONTOLOGY_GRAPH: 0,
    ns.SHARED_GRAPH: 1,
    ns.REFERENCE_GRAPH: 3,
    ns.INFERRED_GRAPH: 4,
}


@dataclass
class BuiltDataset:
    """The loaded dataset: named graphs as loaded, and their union with inferred triples."""

    graphs: dict[str, rdflib.Graph]
    """Named graph IRI -> its triples, including the inferred graph."""
    union: rdflib.Graph
    """Every triple of every named graph (asserted + inferred): what queries run on."""

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


def load_built_dataset(files: Iterable[RdfFile]) -> BuiltDataset:
    """Load ``files`` into named graphs and add the inferred graph."""
    ds = load_dataset(files)
    graphs: dict[str, rdflib.Graph] = {}
    for ctx in ds.graphs():
        iri = str(ctx.identifier)
        if len(ctx) == 0:
            continue  # the dataset's empty default graph
        g = _new_graph(iri)
        g += ctx
        graphs[iri] = g
    union = _new_graph()
    for g in graphs.values():
        union += g
    ontology = graphs.get(ns.ONTOLOGY_GRAPH, _new_graph())
    inferred = _new_graph(ns.INFERRED_GRAPH)
    inferred += infer(ontology, union)
    graphs[ns.INFERRED_GRAPH] = inferred
    union += inferred
    return BuiltDataset(graphs, union)


def graph_order(iri: str) -> tuple[int, str]:
    """Sort key for named graphs: ontology, shared, sources, reference, inferred."""
    return (_GRAPH_RANK.get(iri, 2), iri)


def canonical(graph: rdflib.Graph) -> rdflib.Graph:
    """``graph`` itself, or a copy with canonical blank-node labels if it has blank nodes."""
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph
    out = _new_graph(str(graph.identifier) if isinstance(graph.identifier, rdflib.URIRef) else None)
    out += to_canonical_graph(graph)
    return out


def turtle(graph: rdflib.Graph) -> str:
    """Sorted Turtle (rdflib's writer orders subjects, predicates and objects)."""
    text = canonical(graph).serialize(format="turtle")
    return text if text.endswith("\n") else text + "\n"


def ntriples(graph: rdflib.Graph) -> str:
    """N-Triples, one triple a line, lines sorted."""
    lines = canonical(graph).serialize(format="nt").splitlines()
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


def jsonld(graph: rdflib.Graph) -> str:
    """Compacted JSON-LD with the project's context, nodes sorted by ``@id``."""
    context = jsonld_context()["@context"]
    text = canonical(graph).serialize(format="json-ld", context=context, auto_compact=True)
    doc = json.loads(text)
    body = {k: v for k, v in doc.items() if k != "@context"}
    nodes = body.pop("@graph", None)
    if nodes is None:  # a single node is written without @graph
        nodes = [body] if body else []
        body = {}
    ordered = {"@context": context, **_sort_json(body), "@graph": _sort_json(nodes)}
    return json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"


def _turtle_body(graph: rdflib.Graph) -> list[str]:
    """The statements of a graph's Turtle, without its prefix lines."""
    lines = turtle(graph).splitlines()
    return [
        line for line in lines if not line.startswith("@prefix ") and not line.startswith("@base ")
    ]


def trig(graphs: Mapping[str, rdflib.Graph]) -> str:
    """TriG: one block per named graph, in :func:`graph_order`, prefixes declared once."""
    used: dict[str, str] = {}
    for g in graphs.values():
        for line in turtle(g).splitlines():
            if line.startswith("@prefix "):
                prefix, iri = line[len("@prefix ") :].rstrip(" .").split(": ", 1)
                used[prefix] = iri
    out = [f"@prefix {p}: {iri} ." for p, iri in sorted(used.items())]
    for iri in sorted(graphs, key=graph_order):
        body = _turtle_body(graphs[iri])
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
    texts = {
        "osce-kg.ttl": turtle(built.union),
        "osce-kg.nt": ntriples(built.union),
        "osce-kg.jsonld": jsonld(built.union),
        "osce-kg.trig": trig(built.graphs),
        "context.jsonld": json.dumps(jsonld_context(), indent=2) + "\n",
    }
    written = []
    for name in DATASET_FILES:
        path = folder / name
        path.write_text(texts[name], encoding="utf-8", newline="\n")
        written.append(path)
    return written
