"""The one assembly of the dataset (osce_kg.assembly): the dataset store and the
build's exports hold the same graphs, blank nodes are labelled by their file,
and the closure is the reference's."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from osce_kg import namespaces as ns
from osce_kg.assembly import assemble, graph_triples, named_graphs, triple_count
from osce_kg.build.dataset import BuiltDataset
from osce_kg.inference import infer
from osce_kg.layout import DataLayout, RdfFile
from osce_kg.loading import load_graph

FILES = DataLayout.default().dataset_files()


def as_oxigraph(graph: rdflib.Graph) -> set[ox.Quad]:
    """An rdflib graph's triples as a store would hold them (normalised literals)."""
    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    return set(store)


def stored(store: ox.Store, graph: str | None) -> set[ox.Quad]:
    return {ox.Quad(s, p, o) for s, p, o in graph_triples(store, graph)}


@pytest.fixture(scope="module")
def both() -> tuple[ox.Store, BuiltDataset]:
    return assemble(FILES), BuiltDataset.load(FILES)


def test_the_store_and_the_exports_hold_the_same_graphs(
    both: tuple[ox.Store, BuiltDataset],
) -> None:
    store, built = both
    assert named_graphs(store) == list(built.graphs)
    assert ns.INFERRED_GRAPH in built.graphs and ns.ONTOLOGY_GRAPH in built.graphs
    for iri, graph in built.graphs.items():
        assert stored(store, iri) == as_oxigraph(graph), iri
    assert stored(store, None) == as_oxigraph(built.union)
    assert triple_count(store) == len(built.union)


def test_the_exports_keep_literals_as_written_where_the_store_normalises(
    both: tuple[ox.Store, BuiltDataset],
) -> None:
    store, built = both
    non_negative = rdflib.XSD.nonNegativeInteger
    written = {o for o in built.union.objects() if getattr(o, "datatype", None) == non_negative}
    assert written, "the article's selectors give their offsets as xsd:nonNegativeInteger"
    held = {o.datatype.value for _, _, o in graph_triples(store) if isinstance(o, ox.Literal)}
    assert str(non_negative) not in held  # Oxigraph keeps them as xsd:integer


def test_the_closure_is_the_reference_closure(both: tuple[ox.Store, BuiltDataset]) -> None:
    """What the assembly infers is what the rdflib reference infers over the union
    of the files, and nothing a file states."""
    _, built = both
    union = load_graph(FILES)
    reference = infer(load_graph(DataLayout.default().ontology_files()), union)
    assert len(reference) > 0
    assert set(built.graphs[ns.INFERRED_GRAPH]) == set(reference)
    assert not any(t in union for t in built.graphs[ns.INFERRED_GRAPH])


def _labels(store: ox.Store) -> list[str]:
    return sorted(o.value for _, _, o in graph_triples(store) if isinstance(o, ox.BlankNode))


def test_blank_nodes_are_labelled_by_their_file_and_kept_apart(tmp_path: Path) -> None:
    """Labels depend on the files alone (two assemblies agree); the same label in
    two files, or two files of one name in one graph (a workspace's file beside
    the shipped one), gives separate nodes."""
    first, second = tmp_path / "a" / "people.ttl", tmp_path / "b" / "people.ttl"
    other = tmp_path / "a" / "other.ttl"
    for path in (first, second, other):
        path.parent.mkdir(exist_ok=True)
        path.write_text("<http://example.org/s> <http://example.org/p> _:x, [] .\n", "utf-8")
    files = [
        RdfFile(first, ns.SHARED_GRAPH),
        RdfFile(second, ns.SHARED_GRAPH),
        RdfFile(other, ns.SHARED_GRAPH),
    ]
    labels = _labels(assemble(files))
    assert len(set(labels)) == 6
    assert labels == _labels(assemble(files))


def test_an_rdf_star_file_is_refused_naming_it(tmp_path: Path) -> None:
    from osce_kg.errors import ParseError

    star = tmp_path / "star.nt"
    star.write_text(
        "<http://e/s> <http://e/p> <<( <http://e/a> <http://e/b> <http://e/c> )>> .\n", "utf-8"
    )
    with pytest.raises(ParseError, match="RDF-star quoted triples are not supported") as info:
        assemble([RdfFile(star, ns.SHARED_GRAPH)])
    assert str(info.value).startswith(f"{star}:1:27: ")
    turtle = tmp_path / "star.ttl"
    turtle.write_text(
        "@prefix ex: <http://example.org/> .\n# a << in a comment\n"
        'ex:a ex:b "x << \\" <<", """long\n<< "" <<""", \'<<\' .\n'
        "ex:c ex:d <http://e/x#y> ; ex:e\n    << ex:a ex:b ex:c >> .\n",
        "utf-8",
    )
    with pytest.raises(ParseError, match="RDF-star") as info:
        assemble([RdfFile(turtle, ns.SHARED_GRAPH)])
    assert str(info.value).startswith(f"{turtle}:6:5: ")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("<a> <b> <c> .", None),
        ('<a> <b> "<<" .', None),
        ("<a> <b> '''x\n'' <<''' .\n<<<a> <b> <c>>> <p> <o> .", (3, 1)),
        ("# <<\n<a> <b> <<( <a> <b> <c> )>> .", (2, 9)),
        ('<a> <b> "\\"<<" .', None),
        ("ex:it\\'s ex:b 'x' .\nex:a ex:b << ex:a ex:b 'z << ' >> .", (2, 11)),
        ("ex:a\\#b ex:b ex:c .\nex:a ex:b << ex:a ex:b ex:c >> .", (2, 11)),
        ("ex:a ex:b ex:c {| ex:d ex:e |} .", (1, 16)),
        ("<g> { ex:a ex:b ex:c }", None),
    ],
)
def test_where_a_quoted_triple_starts(text: str, where: tuple[int, int] | None) -> None:
    from osce_kg.loading import quoted_triple_at

    assert quoted_triple_at(text) == where
