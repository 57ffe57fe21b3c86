"""Stored queries: metadata and parameter discovery, and each query's answer on the
article's graph.

The expected answers are read off the article
(graph/sources/2012-09-22-osce-annual-police-experts-meeting/source.txt), not
printed from the code: who spoke where, the 15 missions of the list plus the
OSCE Office in Tajikistan, the memorandum's dates, and so on.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDFS

from osce_kg.catalogue import catalogue, find_query, query_files
from osce_kg.errors import DataError, InputError, ParseError
from osce_kg.queries import StoredQuery, bind_values
from osce_kg.sparql_bind import check_bindings, sparql_term
from osce_kg.store import RdflibStore, SelectResult

ID = "https://w3id.org/osce-kg/id/"
OKG = "https://w3id.org/osce-kg/ontology#"
ORG = "http://www.w3.org/ns/org#"
# A plain Namespace: pytest's collection trips over rdflib's closed XSD namespace.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SOURCE = URIRef(ID + "source/2012-09-22-osce-annual-police-experts-meeting")
MEETING = ID + "event/2012-annual-police-experts-meeting"
SESSION = ID + "event/2012-osce-missions-police-reform-session"
OPENING = ID + "event/2012-annual-police-experts-meeting-opening-ceremony"

MISSION_PLACES = {
    "albania": "country/albania",
    "kosovo": "territory/kosovo",
    "bosnia-and-herzegovina": "country/bosnia-and-herzegovina",
    "montenegro": "country/montenegro",
    "macedonia": "country/macedonia",
    "croatia": "country/croatia",
    "azerbaijan": "country/azerbaijan",
    "armenia": "country/armenia",
    "georgia": "country/georgia",
    "moldova": "country/moldova",
    "kazakhstan": "country/kazakhstan",
    "kyrgyzstan": "country/kyrgyzstan",
    "turkmenistan": "country/turkmenistan",
    "uzbekistan": "country/uzbekistan",
    "tajikistan": "country/tajikistan",
}


def u(local: str) -> URIRef:
    return URIRef(ID + local)


@pytest.fixture(scope="module")
def store() -> RdflibStore:
    return RdflibStore.default()


def run(store: RdflibStore, name: str, **params: str) -> SelectResult:
    q = find_query(name)
    assert q.kind == "SELECT"
    return store.select(q.text, bind_values(q, params))


def column(result: SelectResult, name: str) -> list[object]:
    i = result.variables.index(name)
    return [row[i] for row in result.rows]


# --------------------------------------------------------------------------- catalogue


def test_catalogue_has_the_required_queries_with_metadata() -> None:
    queries = {q.name: q for q in catalogue()}
    assert len(queries) >= 15
    for q in queries.values():
        assert q.summary, f"{q.name} has no summary"
        assert q.tags, f"{q.name} has no tags"
        assert q.path is not None and q.path.parent.name == "queries"
    kinds = Counter(q.kind for q in queries.values())
    assert kinds["CONSTRUCT"] >= 2 and kinds["DESCRIBE"] >= 1
    # Sub-folders belong to other commands: only with all_folders.
    assert not any("/" in name for name in queries)
    everything = query_files(all_folders=True)
    assert any(name.startswith("checks/") for name in everything)


def test_parameters_follow_grlc_conventions(tmp_path: Path) -> None:
    text = """#+ summary: typed parameters
#+ defaults:
#+   - limit: 5
PREFIX ex: <http://example.org/>
SELECT * WHERE {
  ?_who_iri ex:said ?_words . ?x ex:day ?_day_xsd_date ; ex:n ?_limit_integer .
  ?x ex:label ?_name_en . OPTIONAL { ?x ex:maybe ?__extra_iri }
  # ?_not_a_param only in a comment
  FILTER(?x != "?_in_a_string")
}"""
    q = StoredQuery.from_text(text, "typed")
    params = {p.name: p for p in q.params}
    assert set(params) == {"who", "words", "day", "limit", "name", "extra"}
    assert params["who"].type == "iri" and params["who"].required
    assert params["words"].type == "literal"
    assert params["day"].datatype == str(XSD.date)
    assert params["limit"].datatype == str(XSD.integer) and params["limit"].default == "5"
    assert params["name"].type == "lang" and params["name"].lang == "en"
    assert params["extra"].type == "iri" and not params["extra"].required
    values = bind_values(
        q, {"who": "id:person/x", "words": 'a "b"', "day": "2012-09-19", "name": "Vienna"}
    )
    # Oxigraph's terms (the command line binds them without importing rdflib) ...
    assert values["_who_iri"] == pyoxigraph.NamedNode(str(u("person/x")))
    assert values["_words"] == pyoxigraph.Literal('a "b"')
    xsd = pyoxigraph.NamedNode
    assert values["_day_xsd_date"] == pyoxigraph.Literal("2012-09-19", datatype=xsd(XSD.date))
    assert values["_limit_integer"] == pyoxigraph.Literal("5", datatype=xsd(XSD.integer))
    assert values["_name_en"] == pyoxigraph.Literal("Vienna", language="en")
    assert "__extra_iri" not in values
    # ... which are rdflib's terms for the rdflib store, a plain literal staying plain.
    as_rdflib = {str(k): v for k, v in check_bindings(values).items()}
    assert as_rdflib == {
        "_who_iri": u("person/x"),
        "_words": Literal('a "b"'),
        "_day_xsd_date": Literal("2012-09-19", datatype=XSD.date),
        "_limit_integer": Literal("5", datatype=XSD.integer),
        "_name_en": Literal("Vienna", lang="en"),
    }
    # Either kind of term is written the same way into a query's text.
    assert {k: sparql_term(v) for k, v in values.items()} == {
        k: sparql_term(v) for k, v in as_rdflib.items()
    }


@pytest.mark.parametrize("kind", ["", "_xsd_string", "_integer", "_en"])
def test_a_value_that_is_not_text_is_named(kind: str) -> None:
    """Bytes that are not UTF-8 (as a shell may pass them): one line naming the
    parameter, before any RDF term is made of them, whatever its type."""
    q = StoredQuery.from_text(f"SELECT ?x WHERE {{ BIND(?_name{kind} AS ?x) }}", "echo")
    with pytest.raises(InputError, match=r"^parameter name: .*UTF-8"):
        bind_values(q, {"name": "a\udcffb"})


def test_explicit_params_block() -> None:
    text = """#+ summary: explicit
#+ params:
#+   - name: person
#+     type: iri
#+   - name: since
#+     variable: from
#+     type: xsd:gYearMonth
#+     required: false
SELECT ?x WHERE { ?person <http://example.org/p> ?x . ?x <http://example.org/d> ?from }"""
    q = StoredQuery.from_text(text, "explicit")
    assert [(p.name, p.variable, p.required) for p in q.params] == [
        ("person", "person", True),
        ("since", "from", False),
    ]
    with pytest.raises(InputError, match=r"since.*not a valid xsd:gYearMonth"):
        bind_values(q, {"person": "http://example.org/a", "since": "2012-13"})
    bad = text.replace("variable: from", "variable: nowhere")
    with pytest.raises(ParseError, match="no \\?nowhere in the query"):
        StoredQuery.from_text(bad, "explicit")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "missing required parameter 'person'"),
        ({"person": "id:person/x", "colour": "red"}, "unknown parameter 'colour'"),
        ({"person": "not an iri"}, "parameter person"),
        ({"person": "http://example.org/a b"}, "not allowed in an IRI"),
        ({"person": 'http://example.org/"}'}, "not allowed in an IRI"),
        ({"person": "http://example.org/\udcff"}, "parameter person: .*UTF-8"),
        ({"person": "http://example.org/a[1]"}, "parameter person: .*not a valid IRI"),
        ({"person": "http://example.org/100%"}, "parameter person: .*not a valid IRI"),
    ],
)
def test_bad_parameter_values(values: dict[str, str], message: str) -> None:
    q = find_query("statements-by-person")
    with pytest.raises(InputError, match=message):
        bind_values(q, values)


def test_unknown_query_suggests_the_closest() -> None:
    with pytest.raises(InputError, match="did you mean speeches"):
        find_query("speeches2")


def test_syntax_error_has_line_and_column() -> None:
    with pytest.raises(ParseError) as info:
        StoredQuery.from_text("SELECT ?x WHERE {\n  ?x ?y \n}", "bad.rq")
    # The incomplete triple pattern `?x ?y` starts at line 2, column 3.
    assert (info.value.line, info.value.column) == (2, 3)
    assert str(info.value).startswith("bad.rq:2:3: SPARQL syntax error")


def test_a_broken_stored_query_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "ok.rq").write_text("#+ summary: ok\nSELECT * { ?s ?p ?o }", encoding="utf-8")
    (tmp_path / "broken.rq").write_text("#+ summary: [unclosed\nSELECT * {}", encoding="utf-8")
    with pytest.raises(DataError, match=r"broken\.rq:1: bad #\+ YAML header"):
        catalogue(tmp_path)


# --------------------------------------------------------------------------- answers


def test_speeches(store: RdflibStore) -> None:
    r = run(store, "speeches")
    rows = {(d["speaker"], d["event"], d["capacity"]) for d in r.dicts()}
    assert rows == {
        (
            u("person/zumrad-solieva"),
            URIRef(SESSION),
            u("post/deputy-head-tajikistan-mia-directorate-of-international-cooperation"),
        ),
        (
            u("person/zumrad-solieva"),
            URIRef(SESSION),
            u("post/tajikistan-national-coordinator-on-police-reform"),
        ),
        (
            u("person/eoin-oleary"),
            URIRef(OPENING),
            u("post/representative-of-the-irish-osce-chairperson"),
        ),
        (
            u("person/dzhurakhon-zoirov"),
            URIRef(MEETING),
            u("post/head-tajikistan-mia-directorate-on-combating-organized-crime"),
        ),
        (
            u("person/knut-dreyer"),
            URIRef(MEETING),
            u("post/head-osce-strategic-police-matters-unit"),
        ),
    }
    by_speaker = {d["speaker"]: d for d in r.dicts()}
    # O'Leary spoke for the Irish Chairmanship, Zoirov as the representative of Tajikistan.
    assert by_speaker[u("person/eoin-oleary")]["onBehalfOf"] == u(
        "organization/irish-osce-chairmanship"
    )
    assert by_speaker[u("person/dzhurakhon-zoirov")]["onBehalfOf"] == u("country/tajikistan")
    # The meeting ran from 19 to 21 September 2012; the day of each speech is not
    # stated, so a speech is dated by its event's span (the ceremony by the meeting's).
    start = Literal("2012-09-19", datatype=XSD.date)
    end = Literal("2012-09-21", datatype=XSD.date)
    for person in ("person/eoin-oleary", "person/knut-dreyer", "person/dzhurakhon-zoirov"):
        assert (by_speaker[u(person)]["eventStart"], by_speaker[u(person)]["eventEnd"]) == (
            start,
            end,
        )
    # The missions' session is not dated in the article.
    assert by_speaker[u("person/zumrad-solieva")]["eventStart"] is None
    assert by_speaker[u("person/zumrad-solieva")]["eventEnd"] is None


def test_statements_by_person_with_passages(store: RdflibStore) -> None:
    r = run(store, "statements-by-person", person=ID + "person/eoin-oleary")
    text = (
        Path(__file__).parents[1]
        / "graph"
        / "sources"
        / "2012-09-22-osce-annual-police-experts-meeting"
        / "source.txt"
    ).read_text("utf-8")
    kinds = Counter(str(k) for k in column(r, "kind"))
    assert kinds == {"quotation": 2, "claim": 1}
    quotes = {int(d["sequence"]): d for d in r.dicts() if str(d["kind"]) == "quotation"}
    assert str(quotes[1]["text"]).startswith("To combat this threat effectively")
    assert str(quotes[2]["text"]).startswith("Along with providing the investigators")
    assert str(quotes[1]["verb"]) == "said" and str(quotes[2]["verb"]) == "added"
    for d in r.dicts():
        assert d["source"] == SOURCE
        start, end = int(d["start"]), int(d["end"])
        assert d["start"].datatype == XSD.integer
        # The passage is the exact text at those code-point offsets.
        assert text[start:end] == str(d["passage"])
        assert "O’Leary" in text[start - 200 : end + 40]


def test_person_posts_and_organisation_chain(store: RdflibStore) -> None:
    r = run(store, "person-posts", person=ID + "person/knut-dreyer")
    chain = sorted((int(d["level"]), d["organisation"]) for d in r.dicts())
    # Head of the Strategic Police Matters Unit at the OSCE Secretariat.
    assert chain == [
        (0, u("organization/osce-strategic-police-matters-unit")),
        (1, u("organization/osce-secretariat")),
        (2, u("organization/osce")),
    ]
    # The ministry's place in its government is a reference fact (graph/reference/).
    r = run(store, "person-posts", person=ID + "person/dzhurakhon-zoirov")
    chain = sorted((int(d["level"]), d["organisation"]) for d in r.dicts())
    assert chain == [
        (0, u("organization/tajikistan-mia-directorate-on-combating-organized-crime")),
        (1, u("organization/tajikistan-ministry-of-internal-affairs")),
        (2, u("organization/tajikistan-government")),
    ]
    everyone = run(store, "person-posts")
    posts = {(d["person"], d["post"]) for d in everyone.dicts()}
    assert len(posts) == 5  # Solieva holds two posts, the three others one each


def test_organisation_hierarchy(store: RdflibStore) -> None:
    r = run(store, "organisation-hierarchy")
    links = {(d["organisation"], d["parent"]) for d in r.dicts()}
    assert (
        u("organization/osce-strategic-police-matters-unit"),
        u("organization/osce-secretariat"),
    ) in links
    assert (u("organization/osce-secretariat"), u("organization/osce")) in links
    assert (
        u("organization/tajikistan-mia-directorate-on-combating-organized-crime"),
        u("organization/tajikistan-ministry-of-internal-affairs"),
    ) in links
    kinds = {d["organisation"]: d["kind"] for d in r.dicts()}
    assert kinds[u("organization/osce-mission-in-kosovo")] == URIRef(OKG + "FieldOperation")
    assert kinds[u("organization/osce-secretariat")] == URIRef(OKG + "Secretariat")
    assert len(r.rows) == len(links)  # one most specific kind each


def test_organisation_tree_is_a_graph(store: RdflibStore) -> None:
    g = store.construct(find_query("organisation-tree").text)
    sub = URIRef(ORG + "subOrganizationOf")
    assert (u("organization/osce-secretariat"), sub, u("organization/osce")) in g
    assert g.value(u("organization/osce"), RDFS.label) is not None
    assert set(g.predicates()) <= {sub, RDFS.label, rdflib.RDF.type}


def test_field_operations(store: RdflibStore) -> None:
    r = run(store, "field-operations")
    found = {d["operation"]: d["place"] for d in r.dicts()}
    expected = {u(f"organization/osce-mission-in-{k}"): u(v) for k, v in MISSION_PLACES.items()}
    # "established on the initiative of the OSCE Office in Tajikistan"
    expected[u("organization/osce-office-in-tajikistan")] = u("country/tajikistan")
    assert found == expected
    kinds = {d["place"]: str(d["placeKind"]) for d in r.dicts()}
    assert kinds[u("territory/kosovo")] == "territory"
    assert kinds[u("country/albania")] == "country"


def test_timeline(store: RdflibStore) -> None:
    r = run(store, "timeline")
    events = {d["event"]: d for d in r.dicts()}
    meeting = events[URIRef(MEETING)]
    assert (meeting["start"], meeting["end"]) == (
        Literal("2012-09-19", datatype=XSD.date),
        Literal("2012-09-21", datatype=XSD.date),
    )
    assert events[URIRef(SESSION)]["precedesEvent"] == URIRef(MEETING)
    assert events[URIRef(OPENING)]["partOf"] == URIRef(MEETING)
    proposed = u("event/proposed-regional-police-experts-meeting-tajikistan")
    assert events[proposed]["status"] == URIRef(OKG + "proposed")
    # Dated events come after undated ones (SPARQL orders unbound first).
    assert r.rows[-1][0] == URIRef(MEETING)


def test_event_participants(store: RdflibStore) -> None:
    r = run(store, "event-participants", event=MEETING)
    roles = {(d["participant"], str(d["role"])) for d in r.dicts()}
    assert (u("person/knut-dreyer"), "chair") in roles
    assert {p for p, role in roles if role == "speaker"} == {
        u("person/dzhurakhon-zoirov"),
        u("person/knut-dreyer"),
    }
    assert (u("country/tajikistan"), "participant") in roles
    assert (u("person/eoin-oleary"), "participant") in roles
    session = run(store, "event-participants", event=SESSION)
    who = {d["participant"] for d in session.dicts()}
    # All the missions of the list, and Ukraine, took part in the session.
    assert {u(f"organization/osce-mission-in-{k}") for k in MISSION_PLACES} <= who
    assert u("country/ukraine") in who and u("person/zumrad-solieva") in who


def test_countries_and_roles(store: RdflibStore) -> None:
    r = run(store, "countries")
    roles = {(d["place"], str(d["role"]), d["resource"]) for d in r.dicts()}
    assert (u("country/austria"), "contains place", u("city/vienna")) in roles
    assert (u("country/ukraine"), "participant in event", URIRef(SESSION)) in roles
    assert (
        u("country/tajikistan"),
        "place of event",
        u("event/proposed-regional-police-experts-meeting-tajikistan"),
    ) in roles
    assert (
        u("territory/kosovo"),
        "host of field operation",
        u("organization/osce-mission-in-kosovo"),
    ) in roles
    assert (u("country/ireland"), "country of", u("organization/irish-osce-chairmanship")) in roles
    kinds = {d["place"]: str(d["kind"]) for d in r.dicts()}
    assert kinds[u("territory/kosovo")] == "territory"


def test_agreements(store: RdflibStore) -> None:
    r = run(store, "agreements")
    assert {d["party"] for d in r.dicts()} == {
        u("organization/tajikistan-government"),
        u("organization/osce"),
    }
    for d in r.dicts():
        assert d["agreement"] == u("agreement/tajikistan-osce-mou-police-reform")
        # "ratified in February 2012, and entered into force from 25 February 2012"
        assert d["ratified"] == Literal("2012-02", datatype=XSD.gYearMonth)
        assert d["inForce"] == Literal("2012-02-25", datatype=XSD.date)


def test_event_outcomes(store: RdflibStore) -> None:
    r = run(store, "event-outcomes", event=MEETING)
    kinds = Counter(str(k) for k in column(r, "kind"))
    assert kinds == {"recommendation": 1, "agenda item": 3}
    assert set(column(r, "event")) == {URIRef(MEETING)}
    labels = " ".join(str(x) for x in column(r, "outcomeLabel"))
    assert "data storing" in labels and "prevention programs" in labels
    assert len(run(store, "event-outcomes").rows) == 4  # no other event has outcomes


def test_proposed_events(store: RdflibStore) -> None:
    r = run(store, "proposed-events")
    assert len(r.rows) == 1
    d = r.dicts()[0]
    assert d["event"] == u("event/proposed-regional-police-experts-meeting-tajikistan")
    assert d["proposedBy"] == u("person/knut-dreyer")
    assert d["place"] == u("country/tajikistan")
    # Dreyer made the offer "taking into account the speech of the Tajik representative".
    assert d["respondsTo"] == u("speech/dzhurakhon-zoirov-2012-annual-police-experts-meeting")


def test_statements_on_topic(store: RdflibStore) -> None:
    r = run(store, "statements-on-topic", topic=ID + "topic/cyber-crime")
    assert {d["statement"] for d in r.dicts()} == {u("claim/cyber-crime-a-serious-concern")}
    assert r.dicts()[0]["speaker"] == u("person/eoin-oleary")
    extremism = run(store, "statements-on-topic")  # default: extremism and narrower topics
    quoted = {d["statement"] for d in extremism.dicts() if str(d["kind"]) == "quotation"}
    zoirov = "quotation/dzhurakhon-zoirov-2012-annual-police-experts-meeting-"
    assert {u(zoirov + "1"), u(zoirov + "3")} <= quoted
    assert {d["speaker"] for d in extremism.dicts() if str(d["kind"]) == "quotation"} == {
        u("person/dzhurakhon-zoirov")
    }


def test_provenance(store: RdflibStore) -> None:
    r = run(store, "provenance", resource=ID + "agreement/tajikistan-osce-mou-police-reform")
    assert r.rows
    passages = [str(p) for p in column(r, "passage")]
    assert any("Memorandum of Understanding" in p for p in passages)
    assert set(column(r, "source")) == {SOURCE}
    starts = [int(s) for s in column(r, "start")]
    assert starts == sorted(starts)


def test_class_and_property_statistics(store: RdflibStore) -> None:
    classes = {d["class"]: int(d["instances"]) for d in run(store, "class-statistics").dicts()}
    assert classes[URIRef(OKG + "Person")] == 4  # Solieva, O'Leary, Zoirov, Dreyer
    assert classes[URIRef(OKG + "Speech")] == 4
    assert classes[URIRef(OKG + "FieldOperation")] == 16
    assert classes[URIRef(OKG + "Quotation")] == 6  # 1 Solieva + 2 O'Leary + 3 Zoirov
    # Inferred super-classes are counted too.
    assert classes[URIRef("http://xmlns.com/foaf/0.1/Person")] == 4
    props = {d["property"]: d for d in run(store, "property-statistics").dicts()}
    speaker = props[URIRef(OKG + "speaker")]
    assert (int(speaker["triples"]), int(speaker["subjects"]), int(speaker["objects"])) == (4, 4, 4)


def test_people_in_standard_vocabularies(store: RdflibStore) -> None:
    r = run(store, "people")
    ranks = {str(d["name"]): d["rank"] for d in r.dicts()}
    assert ranks["Eoin O’Leary"] == Literal("Ambassador", lang="en")
    assert ranks["Dzhurakhon Zoirov"] == Literal("Major General", lang="en")
    assert set(ranks) == {"Zumrad Solieva", "Eoin O’Leary", "Dzhurakhon Zoirov", "Knut Dreyer"}


def test_topics(store: RdflibStore) -> None:
    topics = {d["topic"]: int(d["resources"]) for d in run(store, "topics").dicts()}
    assert topics[u("topic/police-reform")] >= 3  # the MoU, the session, Solieva's speech


def test_describe(store: RdflibStore) -> None:
    q = find_query("describe")
    g = store.construct(q.text, bind_values(q, {"resource": ID + "person/zumrad-solieva"}))
    assert (u("person/zumrad-solieva"), RDFS.label, Literal("Zumrad Solieva", lang="en")) in g


def test_event_subgraph(store: RdflibStore) -> None:
    q = find_query("event-subgraph")
    g = store.construct(q.text, bind_values(q, {}))  # the default: the 2012 meeting
    okg = rdflib.Namespace(OKG)
    assert (URIRef(MEETING), okg.hasSubEvent, URIRef(OPENING)) in g
    speakers = set(g.objects(None, okg.speaker))
    # O'Leary spoke at the opening ceremony, a part of the meeting.
    assert speakers == {
        u("person/eoin-oleary"),
        u("person/dzhurakhon-zoirov"),
        u("person/knut-dreyer"),
    }
    assert (URIRef(MEETING), okg.place, u("city/vienna")) in g
