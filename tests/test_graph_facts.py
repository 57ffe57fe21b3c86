"""The article's key facts, asked of the loaded graph in SPARQL.

Expected values come from reading the article, not from the graph files.
"""

from __future__ import annotations

import rdflib

PREFIXES = """
PREFIX okg: <https://w3id.org/osce-kg/ontology#>
PREFIX id: <https://w3id.org/osce-kg/id/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def rows(g: rdflib.Graph, query: str) -> set[tuple[str, ...]]:
    return {tuple(str(v) for v in row) for row in g.query(PREFIXES + query)}  # type: ignore[union-attr]


def test_who_spoke_at_which_event_in_which_capacity(kg: rdflib.Graph) -> None:
    found = rows(
        kg,
        """SELECT ?speaker ?event ?capacity WHERE {
             ?s a okg:Speech ; okg:speaker/foaf:name ?speaker ; okg:deliveredAt ?e ;
                okg:capacity/rdfs:label ?capacity .
             BIND(STRAFTER(STR(?e), "/id/event/") AS ?event) }""",
    )
    assert found == {
        (
            "Zumrad Solieva",
            "2012-osce-missions-police-reform-session",
            "Deputy Head of the Directorate of International Cooperation",
        ),
        (
            "Zumrad Solieva",
            "2012-osce-missions-police-reform-session",
            "National Coordinator on Police Reform issues",
        ),
        (
            "Eoin O’Leary",
            "2012-annual-police-experts-meeting-opening-ceremony",
            "Representative of the acting Irish Chairperson of the OSCE",
        ),
        (
            "Dzhurakhon Zoirov",
            "2012-annual-police-experts-meeting",
            "Head of the Directorate on Combating Organized Crime",
        ),
        (
            "Knut Dreyer",
            "2012-annual-police-experts-meeting",
            "Head of the Strategic Police Matters Unit",
        ),
    }


def test_capacity_is_a_post_the_speaker_holds(kg: rdflib.Graph) -> None:
    bad = rows(
        kg,
        """SELECT ?s WHERE { ?s okg:speaker ?p ; okg:capacity ?post .
                            FILTER NOT EXISTS { ?p org:holds ?post } }""",
    )
    assert bad == set()


def test_on_behalf_of(kg: rdflib.Graph) -> None:
    found = rows(
        kg,
        """SELECT ?speaker ?party WHERE { ?s okg:speaker/foaf:name ?speaker ;
                                            okg:onBehalfOf/rdfs:label ?party }""",
    )
    assert ("Eoin O’Leary", "Irish Chairmanship of the OSCE") in found
    assert ("Dzhurakhon Zoirov", "Tajikistan") in found


def test_event_dates_order_and_place(kg: rdflib.Graph) -> None:
    meeting = rdflib.URIRef("https://w3id.org/osce-kg/id/event/2012-annual-police-experts-meeting")
    schema = rdflib.Namespace("http://schema.org/")
    assert kg.value(meeting, schema.startDate) == rdflib.Literal(
        "2012-09-19", datatype=rdflib.XSD.date
    )
    assert kg.value(meeting, schema.endDate) == rdflib.Literal(
        "2012-09-21", datatype=rdflib.XSD.date
    )
    assert rows(
        kg,
        """SELECT ?c WHERE {
             <https://w3id.org/osce-kg/id/event/2012-annual-police-experts-meeting> okg:place ?v .
                             ?v okg:partOfPlace/rdfs:label ?c }""",
    ) == {("Austria",)}
    # The session's date is not stated: only its order before the meeting.
    session = rdflib.URIRef(
        "https://w3id.org/osce-kg/id/event/2012-osce-missions-police-reform-session"
    )
    okg = rdflib.Namespace("https://w3id.org/osce-kg/ontology#")
    assert (session, okg.precedes, meeting) in kg
    assert kg.value(session, schema.startDate) is None
    assert kg.value(session, schema.endDate) is None


def test_mou_dates_keep_the_precision_of_the_text(kg: rdflib.Graph) -> None:
    mou = rdflib.URIRef("https://w3id.org/osce-kg/id/agreement/tajikistan-osce-mou-police-reform")
    okg = rdflib.Namespace("https://w3id.org/osce-kg/ontology#")
    ratified = kg.value(mou, okg.ratificationDate)
    assert ratified == rdflib.Literal("2012-02", datatype=rdflib.XSD.gYearMonth)
    assert kg.value(mou, okg.entryIntoForceDate) == rdflib.Literal(
        "2012-02-25", datatype=rdflib.XSD.date
    )
    parties = {str(kg.value(p, rdflib.RDFS.label)) for p in kg.objects(mou, okg.party)}
    assert parties == {
        "Government of the Republic of Tajikistan",
        "Organization for Security and Co-operation in Europe (OSCE)",
    }


def test_proposed_meeting_is_proposed_not_held(kg: rdflib.Graph) -> None:
    found = rows(
        kg,
        """SELECT ?e ?status ?by ?place WHERE {
             ?e okg:status ?status ; okg:proposedBy/foaf:name ?by ;
                okg:place/rdfs:label ?place }""",
    )
    assert found == {
        (
            "https://w3id.org/osce-kg/id/event/proposed-regional-police-experts-meeting-tajikistan",
            "https://w3id.org/osce-kg/ontology#proposed",
            "Knut Dreyer",
            "Tajikistan",
        )
    }
    assert (
        rows(
            kg,
            """SELECT ?n WHERE { ?e okg:status okg:proposed .
                        { ?e schema:startDate ?n } UNION { ?e okg:attendanceMoreThan ?n } }""",
        )
        == set()
    )


def test_attendance_is_a_lower_bound_and_countries_a_count(kg: rdflib.Graph) -> None:
    found = rows(
        kg,
        """SELECT ?more ?countries WHERE {
             ?e okg:attendanceMoreThan ?more ; okg:countryCount ?countries .
             FILTER NOT EXISTS { ?e okg:attendanceCount ?any } }""",
    )
    assert found == {("76", "37")}


def test_field_operations_and_their_places(kg: rdflib.Graph) -> None:
    found = rows(
        kg,
        """SELECT ?place ?kind WHERE {
             ?m a okg:FieldOperation ; okg:participant|^okg:participant
                <https://w3id.org/osce-kg/id/event/2012-osce-missions-police-reform-session> ;
                okg:locatedIn ?p . ?p rdfs:label ?place ; a ?kind .
             FILTER(?kind IN (okg:Country, okg:Territory)) }""",
    )
    places = {p for p, _ in found}
    assert places == {
        "Albania",
        "Kosovo",
        "Bosnia and Herzegovina",
        "Montenegro",
        "Macedonia",
        "Croatia",
        "Azerbaijan",
        "Armenia",
        "Georgia",
        "Moldova",
        "Kazakhstan",
        "Kyrgyzstan",
        "Turkmenistan",
        "Uzbekistan",
        "Tajikistan",
    }
    assert ("Kosovo", "https://w3id.org/osce-kg/ontology#Territory") in found
    assert ("Kosovo", "https://w3id.org/osce-kg/ontology#Country") not in found


def test_kosovo_has_no_invented_iso_code(kg: rdflib.Graph) -> None:
    assert (
        rows(
            kg,
            "SELECT ?c WHERE { <https://w3id.org/osce-kg/id/territory/kosovo> ?p ?c . "
            "FILTER(?p = okg:iso3166Alpha2) }",
        )
        == set()
    )
    assert rows(
        kg,
        "SELECT ?c WHERE { <https://w3id.org/osce-kg/id/country/tajikistan> okg:iso3166Alpha2 ?c }",
    ) == {("TJ",)}


def test_sub_working_group(kg: rdflib.Graph) -> None:
    found = rows(
        kg,
        """SELECT ?date ?initiator WHERE {
             ?doc okg:governs ?g ; okg:approvalDate ?date .
             ?g okg:establishedOnInitiativeOf/rdfs:label ?initiator }""",
    )
    assert found == {("2012-07-13", "OSCE Office in Tajikistan")}
    tasks = rows(kg, """SELECT ?t WHERE { ?g a okg:WorkingGroup ; okg:task ?t }""")
    assert len(tasks) == 3
    commission = rows(
        kg, """SELECT ?status WHERE { ?t okg:createsBody ?c . ?c okg:status ?status }"""
    )
    assert commission == {("https://w3id.org/osce-kg/ontology#planned",)}


def test_quotations_per_speaker(kg: rdflib.Graph) -> None:
    found = rows(
        kg,
        """SELECT ?speaker (COUNT(?q) AS ?n) WHERE {
             ?q okg:quotedIn/okg:speaker/foaf:name ?speaker }
           GROUP BY ?speaker""",
    )
    assert found == {("Zumrad Solieva", "1"), ("Eoin O’Leary", "2"), ("Dzhurakhon Zoirov", "3")}


def test_standard_vocabulary_alone_finds_persons_posts_and_events(
    kg_inferred: rdflib.Graph,
) -> None:
    # Only FOAF, ORG and schema.org terms: what a linked-data user already knows.
    found = rows(
        kg_inferred,
        """PREFIX foaf: <http://xmlns.com/foaf/0.1/>
           PREFIX org: <http://www.w3.org/ns/org#>
           PREFIX schema: <http://schema.org/>
           SELECT ?name ?post WHERE { ?p a foaf:Person ; foaf:name ?name ; org:holds ?x .
                                      ?x a org:Post ; org:postIn ?o . ?o a org:Organization .
                                      ?x <http://www.w3.org/2000/01/rdf-schema#label> ?post }""",
    )
    assert {n for n, _ in found} == {
        "Zumrad Solieva",
        "Eoin O’Leary",
        "Dzhurakhon Zoirov",
        "Knut Dreyer",
    }
    assert len(found) == 5
    events = rows(
        kg_inferred,
        """PREFIX schema: <http://schema.org/>
           SELECT ?e ?start WHERE { ?e a schema:Event ; schema:location ?where .
                                    OPTIONAL { ?e schema:startDate ?start } }""",
    )
    assert (
        "https://w3id.org/osce-kg/id/event/2012-annual-police-experts-meeting",
        "2012-09-19",
    ) in events
    sub = rows(
        kg_inferred,
        """PREFIX schema: <http://schema.org/>
           SELECT ?sub WHERE { <https://w3id.org/osce-kg/id/event/2012-annual-police-experts-meeting>
                               schema:subEvent ?sub . ?sub schema:superEvent ?super }""",
    )
    assert len(sub) == 3
