"""The ontology, alone and with the graph, is consistent under an OWL 2 DL reasoner (HermiT).

owlready2 bundles HermiT and runs it on the machine's Java; the test is skipped
only where no Java exists (.ci/run installs a JRE where it is missing).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None, reason="no Java runtime on this machine"
)


def _consistent(graph: rdflib.Graph, tmp_path: Path) -> tuple[bool, str]:
    import owlready2

    nt = tmp_path / "kg.nt"
    graph.serialize(nt, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(nt.as_uri()).load()
    try:
        # xsd:date and xsd:gYearMonth are outside OWL 2's datatype map; HermiT
        # rejects them unless told to ignore datatypes it does not support.
        owlready2.sync_reasoner_hermit(
            [onto], infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
        )
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        return False, str(exc)
    unsatisfiable = list(world.inconsistent_classes())
    return not unsatisfiable, f"unsatisfiable classes: {unsatisfiable}"


def test_ontology_is_consistent(tmp_path: Path) -> None:
    from osce_kg.layout import DataLayout
    from osce_kg.loading import load_graph

    ok, why = _consistent(load_graph(DataLayout.default().ontology_files()), tmp_path)
    assert ok, why


def test_ontology_with_graph_is_consistent(kg: rdflib.Graph, tmp_path: Path) -> None:
    ok, why = _consistent(kg, tmp_path)
    assert ok, why


def test_reasoner_catches_a_territory_asserted_a_country(kg: rdflib.Graph, tmp_path: Path) -> None:
    # The test must be able to fail: Kosovo typed as a sovereign state clashes
    # with okg:Territory owl:disjointWith okg:Country.
    g = rdflib.Graph()
    g += kg
    okg = rdflib.Namespace("https://w3id.org/osce-kg/ontology#")
    g.add(
        (
            rdflib.URIRef("https://w3id.org/osce-kg/id/territory/kosovo"),
            rdflib.RDF.type,
            okg.Country,
        )
    )
    ok, _ = _consistent(g, tmp_path)
    assert not ok
