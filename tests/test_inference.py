"""The closure rules (osce_kg.inference): one set, the same triples on rdflib and Oxigraph."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from osce_kg.inference import infer, ox_derived, ox_rules, sparql_closure

EX = "http://example.org/"

# Chains that need more than one rule: a sub-property of an inverse of a
# sub-property, a class hierarchy three deep, a literal on a property that has
# an inverse (the inverse must not apply), and a cycle of sub-properties.
ONTOLOGY = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <http://example.org/> .
ex:Chair rdfs:subClassOf ex:Officer . ex:Officer rdfs:subClassOf ex:Person .
ex:Person rdfs:subClassOf ex:Agent .
ex:chairs rdfs:subPropertyOf ex:leads .
ex:leads owl:inverseOf ex:ledBy .
ex:ledBy rdfs:subPropertyOf ex:involves .
ex:name rdfs:subPropertyOf ex:label .
ex:label owl:inverseOf ex:labelOf .
ex:a rdfs:subPropertyOf ex:b . ex:b rdfs:subPropertyOf ex:a .
"""

DATA = """
@prefix ex: <http://example.org/> .
ex:kd a ex:Chair ; ex:chairs ex:meeting ; ex:name "Knut Dreyer" ; ex:a ex:x .
_:n ex:chairs ex:session .
"""


def _graphs() -> tuple[rdflib.Graph, rdflib.Graph]:
    onto = rdflib.Graph().parse(data=ONTOLOGY, format="turtle")
    data = rdflib.Graph().parse(data=DATA, format="turtle")
    return onto, data


def test_rdflib_closure_is_complete_and_minimal() -> None:
    onto, data = _graphs()
    inferred = infer(onto, data)
    kd, meeting = URIRef(EX + "kd"), URIRef(EX + "meeting")
    expected_types = {URIRef(EX + c) for c in ("Officer", "Person", "Agent")}
    assert set(inferred.objects(kd, RDF.type)) == expected_types
    assert (kd, URIRef(EX + "leads"), meeting) in inferred
    assert (meeting, URIRef(EX + "ledBy"), kd) in inferred
    assert (meeting, URIRef(EX + "involves"), kd) in inferred
    assert (kd, URIRef(EX + "label"), Literal("Knut Dreyer")) in inferred
    assert not list(inferred.subjects(URIRef(EX + "labelOf"), None))  # no literal subjects
    assert (kd, URIRef(EX + "b"), URIRef(EX + "x")) in inferred
    assert not set(inferred) & set(data)  # only what data lacks
    # A fixpoint: the inferred triples imply nothing new.
    assert len(infer(onto, data + inferred)) == 0


def test_oxigraph_closure_gives_the_same_triples() -> None:
    onto, data = _graphs()
    expected = {tuple(x.n3() for x in t) for t in infer(onto, data)}
    store = ox.Store()
    store.load(DATA, format=ox.RdfFormat.TURTLE)
    rules = ox_rules(ox.parse(ONTOLOGY, format=ox.RdfFormat.TURTLE))
    default = ox.DefaultGraph()
    quads = [ox.Quad(*t, default) for t in ox_derived(rules, list(store))]

    def n3(term: object) -> str:
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        return str(term)

    found = {(n3(q.subject), n3(q.predicate), n3(q.object)) for q in quads}

    # Blank-node labels differ between the two parsers; compare with them blanked.
    def blank(triples: set[tuple[str, str, str]]) -> set[tuple[str, ...]]:
        return {tuple("_:b" if x.startswith("_:") else x for x in t) for t in triples}

    stated = {(n3(t.subject), n3(t.predicate), n3(t.object)) for t in store}
    assert blank(found - stated) == blank(expected)
    assert len(found - stated) == len(expected)


def test_the_sparql_update_gives_what_the_python_closure_gives() -> None:
    rules = ox_rules(ox.parse(ONTOLOGY, format=ox.RdfFormat.TURTLE))
    by_python, by_update = ox.Store(), ox.Store()
    by_python.load(DATA, format=ox.RdfFormat.TURTLE)
    by_update.extend(by_python)  # the same blank nodes in both (a parser renames them)
    stated = set(by_python)
    default = ox.DefaultGraph()
    by_python.extend([ox.Quad(*t, default) for t in ox_derived(rules, list(by_python))])
    by_update.update(sparql_closure(rules))
    assert len(by_update) > len(stated)
    assert {str(q) for q in by_update} == {str(q) for q in by_python}


def test_a_type_derived_by_a_property_gets_its_superclasses() -> None:
    """``ex:kind rdfs:subPropertyOf rdf:type``: the derived type has superclasses too,
    in every executor (the update runs its class rules last)."""
    onto = (
        ONTOLOGY
        + "ex:kind rdfs:subPropertyOf <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> .\n"
    )
    data = "@prefix ex: <http://example.org/> . ex:y ex:kind ex:Chair .\n"
    agent = URIRef(EX + "Agent")
    g = rdflib.Graph().parse(data=data, format="turtle")
    assert (URIRef(EX + "y"), RDF.type, agent) in infer(
        rdflib.Graph().parse(data=onto, format="turtle"), g
    )
    rules = ox_rules(ox.parse(onto, format=ox.RdfFormat.TURTLE))
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.TURTLE)
    store.update(sparql_closure(rules))
    rdf_type = ox.NamedNode(str(RDF.type))
    assert (
        ox.Quad(ox.NamedNode(EX + "y"), rdf_type, ox.NamedNode(agent), ox.DefaultGraph()) in store
    )
