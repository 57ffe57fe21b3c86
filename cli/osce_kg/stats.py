"""Counts that describe the stated triples: triples, instances per class, properties, sources.

Labelled as stated, since the report and the queries see more: the dataset
adds inferred triples (a ministry is also an organisational unit), whose
number the totals give.

The files are bulk-loaded into an in-memory Oxigraph store as they are (no
inferred triples: the counts are the data's) and counted by SPARQL; names are
shortened with the project's prefixes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .layout import DataLayout, RdfFile
from .namespaces import ID_NS, ONTOLOGY_NS

_CLASSES = f"""
SELECT ?class (COUNT(?s) AS ?n) WHERE {{
  ?s a ?class .
  FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{ID_NS}"))
}} GROUP BY ?class"""
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
_SOURCES = f"SELECT ?s WHERE {{ ?s a <{ONTOLOGY_NS}Article> }}"


@dataclass
class GraphStats:
    triples: int
    classes: Counter[str] = field(default_factory=Counter)
    properties: Counter[str] = field(default_factory=Counter)
    sources: list[str] = field(default_factory=list)
    inferred: int | None = None
    """The inferred triples the dataset adds (what queries and the report see
    besides the stated ones), when counted."""


def file_stats(files: Iterable[RdfFile]) -> GraphStats:
    """Count the triples of ``files``, their instances per class and their properties."""
    import pyoxigraph as ox

    from .assembly import assemble, triple_count
    from .sparql_results import short

    store = assemble(list(files), closure=False)

    def rows(query: str) -> ox.QuerySolutions:
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)  # a SELECT query
        return solutions

    def counts(query: str) -> Counter[str]:
        return Counter({short(row[0]): int(row[1].value) for row in rows(query)})

    return GraphStats(
        triples=triple_count(store),
        classes=counts(_CLASSES),
        properties=counts(_PROPERTIES),
        sources=sorted(row[0].value for row in rows(_SOURCES)),
    )


def inferred_triples(layout: DataLayout) -> int:
    """How many triples the dataset's closure adds to the stated ones: its
    inferred graph (:func:`osce_kg.assembly.load_dataset`) in the dataset store."""
    from .assembly import triple_count
    from .namespaces import INFERRED_GRAPH
    from .store import dataset_store

    return triple_count(dataset_store(layout), INFERRED_GRAPH)


def stats_rows(stats: GraphStats) -> list[tuple[str, str, int]]:
    """Rows ``(section, name, count)`` for printing: the counts are of the stated
    triples; the totals say what inference adds."""
    rows: list[tuple[str, str, int]] = [("total", "triples stated", stats.triples)]
    if stats.inferred is not None:
        rows += [
            ("total", "triples inferred", stats.inferred),
            ("total", "triples in all (what queries see)", stats.triples + stats.inferred),
        ]
    rows += [("class (stated)", k, v) for k, v in sorted(stats.classes.items())]
    rows += [("property (stated)", k, v) for k, v in sorted(stats.properties.items())]
    rows += [("source", s, 1) for s in stats.sources]
    return rows
