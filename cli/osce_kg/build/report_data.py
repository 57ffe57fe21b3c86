"""What the HTML report shows, fetched by SPARQL from the built graph.

Each section of ``index.html`` has a function here that returns plain
dataclasses, so the report's content can be tested without a browser and the
template only lays it out.  The queries are fixed text: nothing a user types
is ever pasted into them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import rdflib
from rdflib.term import Identifier, Literal, URIRef

from .. import namespaces as ns
from ..errors import DataError
from ..store import RdflibStore
from .dataset import row_key

PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(ns.PREFIXES.items()))


def _select(graph: rdflib.Graph, query: str) -> list[dict[str, Identifier | None]]:
    """The rows of a SELECT, sorted: where a resource has two values of a property
    that the report shows once, the one shown must not depend on hash order."""
    result = RdflibStore(graph).select(PREFIXES + query)
    result.rows.sort(key=row_key)
    return result.dicts()


def _text(value: Identifier | None) -> str:
    return "" if value is None else str(value)


def anchor(iri: str) -> str:
    """An HTML id for a resource of ours: ``…/id/person/knut-dreyer`` -> ``person-knut-dreyer``."""
    local = iri[len(ns.ID_NS) :] if iri.startswith(ns.ID_NS) else iri
    return "".join(c if c.isalnum() or c == "-" else "-" for c in local.replace("/", "-"))


# ---------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------


@dataclass
class ClassCount:
    label: str
    iri: str
    count: int


@dataclass
class Source:
    iri: str
    slug: str
    title: str
    issued: str
    anchor: str


@dataclass
class Overview:
    triples: int
    asserted: int
    inferred: int
    classes: list[ClassCount]
    sources: list[Source]


def overview(graph: rdflib.Graph, asserted: int, inferred: int) -> Overview:
    rows = _select(
        graph,
        f"""
        SELECT ?class (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?s) AS ?n) WHERE {{
          ?s a ?class .
          FILTER(STRSTARTS(STR(?s), "{ns.ID_NS}") && STRSTARTS(STR(?class), "{ns.ONTOLOGY_NS}"))
          OPTIONAL {{ ?class rdfs:label ?l }}
        }} GROUP BY ?class
        """,
    )
    classes = [
        ClassCount(_text(r["label"]) or _text(r["class"]), _text(r["class"]), int(_text(r["n"])))
        for r in rows
    ]
    classes.sort(key=lambda c: (-c.count, c.label))
    return Overview(len(graph), asserted, inferred, classes, sources(graph))


def sources(graph: rdflib.Graph) -> list[Source]:
    rows = _select(
        graph,
        """
        SELECT ?a (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?issued) WHERE {
          ?a a okg:Article .
          OPTIONAL { ?a dcterms:title ?t }
          OPTIONAL { ?a dcterms:issued ?d }
        } GROUP BY ?a ORDER BY ?a
        """,
    )
    out = []
    for r in rows:
        iri = _text(r["a"])
        out.append(
            Source(iri, iri.rsplit("/", 1)[-1], _text(r["title"]), _text(r["issued"]), anchor(iri))
        )
    return out


# ---------------------------------------------------------------------------
# Events: a timeline
# ---------------------------------------------------------------------------


@dataclass
class Event:
    iri: str
    anchor: str
    label: str
    kind: str
    start: str
    end: str
    place: str
    status: str
    parent: str
    parent_anchor: str
    precedes: list[tuple[str, str]]
    when: str = ""
    sort_key: tuple[int, str, int, str] = (0, "", 0, "")


def _most_specific(types: set[str], graph: rdflib.Graph) -> list[str]:
    """The types that are not a super-class of another of the types."""
    supers: set[str] = set()
    for t in types:
        for sup in graph.transitive_objects(URIRef(t), rdflib.RDFS.subClassOf):
            if str(sup) != t:
                supers.add(str(sup))
    return sorted(types - supers)


def _format_date(value: str) -> str:
    try:
        d = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _when(start: str, end: str) -> str:
    """``19–21 September 2012``, ``30 September – 2 October 2012``, or one day."""
    if not (start and end) or start == end:
        return _format_date(start or end)
    try:
        a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        return f"{start} – {end}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b.strftime('%B')} {b.year}"
    if a.year == b.year:
        return f"{a.day} {a.strftime('%B')} – {b.day} {b.strftime('%B')} {b.year}"
    return f"{_format_date(start)} – {_format_date(end)}"


def events(graph: rdflib.Graph) -> list[Event]:
    """Every event, in the order they happened as far as the graph says.

    Undated events are placed by what the graph does state: a sub-event at its
    parent's date, an event that ``okg:precedes`` another just before it.
    Events reported only as proposed or planned come last.
    """
    rows = _select(
        graph,
        """
        SELECT ?e ?label ?type ?typeLabel ?start ?end ?place ?status ?parent ?parentLabel ?next
               ?nextLabel WHERE {
          ?e a okg:Event ; a ?type .
          FILTER(STRSTARTS(STR(?type), STR(okg:)))
          OPTIONAL { ?type rdfs:label ?typeLabel }
          OPTIONAL { ?e rdfs:label ?label }
          OPTIONAL { ?e schema:startDate ?start }
          OPTIONAL { ?e schema:endDate ?end }
          OPTIONAL { ?e okg:place/rdfs:label ?place }
          OPTIONAL { ?e okg:status/rdfs:label ?status }
          OPTIONAL { ?e okg:subEventOf ?parent . OPTIONAL { ?parent rdfs:label ?parentLabel } }
          OPTIONAL { ?e okg:precedes ?next . OPTIONAL { ?next rdfs:label ?nextLabel } }
        }
        """,
    )
    by_iri: dict[str, Event] = {}
    types: dict[str, dict[str, str]] = defaultdict(dict)
    for r in rows:
        iri = _text(r["e"])
        ev = by_iri.get(iri)
        if ev is None:
            parent = _text(r["parent"])
            ev = by_iri[iri] = Event(
                iri=iri,
                anchor=anchor(iri),
                label=_text(r["label"]) or iri,
                kind="",
                start=_text(r["start"]),
                end=_text(r["end"]),
                place=_text(r["place"]),
                status=_text(r["status"]),
                parent=_text(r["parentLabel"]) or parent,
                parent_anchor=anchor(parent) if parent else "",
                precedes=[],
            )
        types[iri][_text(r["type"])] = _text(r["typeLabel"]) or _text(r["type"])
        nxt = _text(r["next"])
        if nxt and (anchor(nxt), _text(r["nextLabel"]) or nxt) not in ev.precedes:
            ev.precedes.append((anchor(nxt), _text(r["nextLabel"]) or nxt))
    parents = {_text(r["e"]): _text(r["parent"]) for r in rows if r["parent"] is not None}
    successors = {_text(r["e"]): _text(r["next"]) for r in rows if r["next"] is not None}

    def date_of(iri: str, depth: int = 0) -> tuple[str, int]:
        """(a date, its rank among events of that date) for sorting."""
        ev = by_iri.get(iri)
        if ev is None or depth > 20:
            return ("9999-12-31", 1)
        if ev.start:
            return (ev.start, 1)
        if iri in parents:
            return (date_of(parents[iri], depth + 1)[0], 2)
        if iri in successors:
            return (date_of(successors[iri], depth + 1)[0], 0)
        return ("9999-12-31", 1)

    for iri, ev in by_iri.items():
        kinds = _most_specific(set(types[iri]), graph)
        ev.kind = ", ".join(sorted(types[iri][k] for k in kinds))
        ev.precedes.sort()
        date, rank = date_of(iri)
        not_held = 1 if ev.status and ev.status != "held" else 0
        ev.sort_key = (not_held, date, rank, ev.label)
        ev.when = _when_text(iri, ev, by_iri, parents, successors, bool(not_held))
    return sorted(by_iri.values(), key=lambda e: e.sort_key)


def _when_text(
    iri: str,
    ev: Event,
    by_iri: dict[str, Event],
    parents: dict[str, str],
    successors: dict[str, str],
    not_held: bool,
) -> str:
    """When an event was, in words, from its own dates or what the graph says of it."""
    if ev.start or ev.end:
        return _when(ev.start, ev.end)
    if not_held:
        return ev.status
    parent = by_iri.get(parents.get(iri, ""))
    if parent is not None and (parent.start or parent.end):
        return f"during the event of {_when(parent.start, parent.end)}"
    nxt = by_iri.get(successors.get(iri, ""))
    if nxt is not None and nxt.start:
        return f"before {_format_date(nxt.start)}; date not stated"
    return "date not stated"


# ---------------------------------------------------------------------------
# People and their posts
# ---------------------------------------------------------------------------


@dataclass
class Post:
    label: str
    organization: str


@dataclass
class Person:
    iri: str
    anchor: str
    label: str
    ranks: list[str]
    posts: list[Post]
    speeches: list[tuple[str, str]] = field(default_factory=list)


def persons(graph: rdflib.Graph) -> list[Person]:
    rows = _select(
        graph,
        """
        SELECT ?p ?label ?rank ?post ?postLabel ?org WHERE {
          ?p a okg:Person .
          OPTIONAL { ?p rdfs:label ?label }
          OPTIONAL { ?p okg:rank/rdfs:label ?rank }
          OPTIONAL {
            { ?p org:holds ?post } UNION { ?post org:heldBy ?p }
            OPTIONAL { ?post rdfs:label ?postLabel }
            OPTIONAL { ?post org:postIn/rdfs:label ?org }
          }
        }
        """,
    )
    out: dict[str, Person] = {}
    for r in rows:
        iri = _text(r["p"])
        person = out.setdefault(iri, Person(iri, anchor(iri), _text(r["label"]) or iri, [], []))
        rank = _text(r["rank"])
        if rank and rank not in person.ranks:
            person.ranks.append(rank)
        if r["post"] is not None:
            post = Post(_text(r["postLabel"]) or _text(r["post"]), _text(r["org"]))
            if post not in person.posts:
                person.posts.append(post)
    for person in out.values():
        person.ranks.sort()
        person.posts.sort(key=lambda p: (p.label, p.organization))
    return sorted(out.values(), key=lambda p: (p.label, p.iri))


# ---------------------------------------------------------------------------
# Speeches, quotations and the article text they are highlighted in
# ---------------------------------------------------------------------------


@dataclass
class Quotation:
    iri: str
    anchor: str
    text: str
    sequence: int
    verb: str
    source_anchor: str
    start: int
    end: int


@dataclass
class Speech:
    iri: str
    anchor: str
    label: str
    speaker: str
    speaker_anchor: str
    event: str
    event_anchor: str
    capacity: str
    on_behalf_of: str
    quotations: list[Quotation]


def speeches(graph: rdflib.Graph) -> list[Speech]:
    rows = _select(
        graph,
        """
        SELECT ?s ?label ?speaker ?speakerLabel ?event ?eventLabel ?capacity ?behalf WHERE {
          ?s a okg:Speech .
          OPTIONAL { ?s rdfs:label ?label }
          OPTIONAL { ?s okg:speaker ?speaker . OPTIONAL { ?speaker rdfs:label ?speakerLabel } }
          OPTIONAL { ?s okg:deliveredAt ?event . OPTIONAL { ?event rdfs:label ?eventLabel } }
          OPTIONAL { ?s okg:capacity/rdfs:label ?capacity }
          OPTIONAL { ?s okg:onBehalfOf/rdfs:label ?behalf }
        }
        """,
    )
    quotes = quotations(graph)
    out: dict[str, Speech] = {}
    capacities: dict[str, set[str]] = defaultdict(set)
    behalf: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        iri = _text(r["s"])
        if r["capacity"] is not None:
            capacities[iri].add(_text(r["capacity"]))
        if r["behalf"] is not None:
            behalf[iri].add(_text(r["behalf"]))
        if iri in out:
            continue  # a second label or speaker: the first in sorted order is shown
        out[iri] = Speech(
            iri=iri,
            anchor=anchor(iri),
            label=_text(r["label"]) or iri,
            speaker=_text(r["speakerLabel"]) or _text(r["speaker"]),
            speaker_anchor=anchor(_text(r["speaker"])) if r["speaker"] is not None else "",
            event=_text(r["eventLabel"]) or _text(r["event"]),
            event_anchor=anchor(_text(r["event"])) if r["event"] is not None else "",
            capacity="",
            on_behalf_of="",
            quotations=sorted(quotes.get(iri, []), key=lambda q: (q.sequence, q.start)),
        )
    for iri, speech in out.items():
        speech.capacity = " and ".join(sorted(capacities[iri]))
        speech.on_behalf_of = " and ".join(sorted(behalf[iri]))
    return sorted(out.values(), key=lambda s: (s.speaker, s.label))


def quotations(graph: rdflib.Graph) -> dict[str, list[Quotation]]:
    """Quotations by speech IRI, each with where it is in its article."""
    rows = _select(
        graph,
        """
        SELECT ?q ?speech ?text ?seq ?verb ?source ?start ?end ?exact WHERE {
          ?q a okg:Quotation ; okg:quotedIn ?speech .
          OPTIONAL { ?q schema:text ?text }
          OPTIONAL { ?q okg:sequence ?seq }
          OPTIONAL { ?q okg:reportingVerb ?verb }
          OPTIONAL {
            ?ann oa:hasBody ?q ; oa:hasTarget ?target .
            ?target oa:hasSource ?source ; oa:hasSelector ?sel .
            ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
            OPTIONAL { ?target oa:hasSelector ?qs . ?qs a oa:TextQuoteSelector ; oa:exact ?exact }
          }
        } ORDER BY ?q ?start
        """,
    )
    out: dict[str, list[Quotation]] = defaultdict(list)
    seen: set[str] = set()
    for r in rows:
        iri = _text(r["q"])
        if iri in seen:
            continue
        if r["start"] is None or r["end"] is None or r["source"] is None:
            raise DataError(f"quotation {iri} has no oa:TextPositionSelector in its article")
        seen.add(iri)
        seq = r["seq"]
        out[_text(r["speech"])].append(
            Quotation(
                iri=iri,
                anchor=anchor(iri),
                text=_text(r["exact"]) or _text(r["text"]),
                sequence=int(seq.toPython()) if isinstance(seq, Literal) else 0,
                verb=_text(r["verb"]),
                source_anchor=anchor(_text(r["source"])),
                start=int(_text(r["start"])),
                end=int(_text(r["end"])),
            )
        )
    return out
