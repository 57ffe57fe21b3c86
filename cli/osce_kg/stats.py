"""Counts that describe a graph: triples, instances per class, properties, sources."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import RDF

from .namespaces import ID_NS, ONTOLOGY_NS

OKG_ARTICLE = rdflib.URIRef(ONTOLOGY_NS + "Article")


@dataclass
class GraphStats:
    triples: int
    classes: Counter[str] = field(default_factory=Counter)
    properties: Counter[str] = field(default_factory=Counter)
    sources: list[str] = field(default_factory=list)


def graph_stats(graph: rdflib.Graph) -> GraphStats:
    """Count the triples of ``graph``, its instances per class and its properties."""
    stats = GraphStats(triples=len(graph))
    for s, p, o in graph:
        stats.properties[graph.namespace_manager.normalizeUri(str(p))] += 1
        if p == RDF.type and isinstance(s, rdflib.URIRef) and str(s).startswith(ID_NS):
            stats.classes[graph.namespace_manager.normalizeUri(str(o))] += 1
    stats.sources = sorted(str(s) for s in graph.subjects(RDF.type, OKG_ARTICLE))
    return stats


def stats_rows(stats: GraphStats) -> list[tuple[str, str, int]]:
    """Rows ``(section, name, count)`` for printing."""
    rows: list[tuple[str, str, int]] = [("total", "triples", stats.triples)]
    rows += [("class", k, v) for k, v in sorted(stats.classes.items())]
    rows += [("property", k, v) for k, v in sorted(stats.properties.items())]
    rows += [("source", s, 1) for s in stats.sources]
    return rows
