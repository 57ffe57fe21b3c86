"""``osce-kg stats``: the stated triples counted on Oxigraph agree with rdflib's reading."""

from __future__ import annotations

import collections

import rdflib
from rdflib.namespace import RDF

from osce_kg.layout import DataLayout
from osce_kg.loading import load_graph
from osce_kg.namespaces import ID_NS, ONTOLOGY_NS
from osce_kg.stats import file_stats, stats_rows


def test_counts_agree_with_the_files_read_by_rdflib() -> None:
    files = DataLayout.default().dataset_files()
    graph = load_graph(files)
    stats = file_stats(files)
    assert stats.triples == len(graph)
    assert sum(stats.properties.values()) == len(graph)
    typed = collections.Counter(
        str(o) for s, o in graph.subject_objects(RDF.type) if str(s).startswith(ID_NS)
    )
    assert sorted(stats.classes.values()) == sorted(typed.values())
    assert stats.classes["okg:Person"] == typed["https://w3id.org/osce-kg/ontology#Person"]
    # Names use the project's prefixes (schema: is http://schema.org/, as in the data).
    assert stats.properties["schema:text"] >= 1 and not any(
        name.startswith("schema1:") for name in stats.properties
    )
    assert stats.sources == sorted(
        str(s) for s in graph.subjects(RDF.type, rdflib.URIRef(ONTOLOGY_NS + "Article"))
    )


def test_without_the_ontology_only_the_graph_is_counted() -> None:
    layout = DataLayout.default()
    everything = file_stats(layout.dataset_files())
    graph_only = file_stats(layout.dataset_files(ontology=False))
    ontology = file_stats(layout.ontology_files())
    assert graph_only.triples == everything.triples - ontology.triples
    assert stats_rows(graph_only)[0] == ("total", "triples stated", graph_only.triples)
