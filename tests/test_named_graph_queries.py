"""Queries that ask GRAPH ?g: the embedded store and its rdflib reference hold the
dataset's named graphs (as the exported TriG does), with the same answers."""

from __future__ import annotations

import pytest

from osce_kg import namespaces as ns
from osce_kg.build.dataset import BuiltDataset
from osce_kg.layout import DataLayout
from osce_kg.specs import StoreSpec

PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
UNION = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("kind", ["oxigraph", "rdflib"])
def test_the_named_graphs_are_the_exports_graphs(kind: str) -> None:
    store = StoreSpec(store=kind).open()
    rows = {str(g): int(str(n)) for g, n in store.select(PER_GRAPH).rows}
    built = BuiltDataset.load(DataLayout.default().dataset_files())
    assert rows == {iri: len(graph) for iri, graph in built.graphs.items()}
    assert {ns.ONTOLOGY_GRAPH, ns.SHARED_GRAPH, ns.INFERRED_GRAPH} <= set(rows)
    assert int(str(store.select(UNION).rows[0][0])) == len(built.union)
