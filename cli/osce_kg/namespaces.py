"""The one place where osce-kg's IRIs are defined.

``BASE`` is the persistent-IRI root; every other IRI of the project is derived
from it: ontology terms under ``…/ontology#``, things under ``…/id/<kind>/<slug>``
and named graphs under ``…/graph/<name>``.  This module imports nothing heavy
so that the CLI can use it before rdflib is loaded.
"""

from __future__ import annotations

BASE = "https://w3id.org/osce-kg/"
ONTOLOGY_IRI = BASE + "ontology"
ONTOLOGY_NS = BASE + "ontology#"
ID_NS = BASE + "id/"
GRAPH_NS = BASE + "graph/"

# Names of the named graphs in the exported dataset.
ONTOLOGY_GRAPH = GRAPH_NS + "ontology"
SHARED_GRAPH = GRAPH_NS + "shared"
REFERENCE_GRAPH = GRAPH_NS + "reference"
INFERRED_GRAPH = GRAPH_NS + "inferred"


def source_graph(slug: str) -> str:
    """IRI of the named graph that holds one source's triples."""
    return GRAPH_NS + "source/" + slug


def thing(kind: str, slug: str) -> str:
    """IRI of a thing of our own, e.g. ``thing('person', 'zumrad-solieva')``."""
    return f"{ID_NS}{kind}/{slug}"


# Prefixes used when writing Turtle and in stored queries.
PREFIXES: dict[str, str] = {
    "okg": ONTOLOGY_NS,
    "id": ID_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "http://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "opengov": "http://www.w3.org/ns/opengov#",
    "sh": "http://www.w3.org/ns/shacl#",
}
