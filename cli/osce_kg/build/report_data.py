"""What the HTML report shows, fetched by SPARQL from the dataset store.

Each section of ``index.html`` has a function here (the speeches and
quotations: :mod:`.report_speeches`) that returns plain
dataclasses, so the report's content can be tested without a browser and the
template only lays it out.  The queries are fixed text: nothing a user types
is ever pasted into them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib.term import Identifier

from .. import namespaces as ns
from ..resultset import Store
from ..sparql_bind import iri_term
from .dataset import row_key

PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(ns.PREFIXES.items()))


def select_rows(store: Store, query: str) -> list[dict[str, Identifier | None]]:
    """The rows of a SELECT, sorted: where a resource has two values of a property
    that the report shows once, the one shown must not depend on hash order."""
    result = store.select(PREFIXES + query)
    result.rows.sort(key=row_key)
    return result.dicts()


def text_of(value: Identifier | None) -> str:
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


def overview(store: Store, asserted: int, inferred: int) -> Overview:
    rows = select_rows(
        store,
        f"""
        SELECT ?class (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?s) AS ?n) WHERE {{
          ?s a ?class .
          FILTER(STRSTARTS(STR(?s), "{ns.ID_NS}") && STRSTARTS(STR(?class), "{ns.ONTOLOGY_NS}"))
          OPTIONAL {{ ?class rdfs:label ?l }}
        }} GROUP BY ?class
        """,
    )
    classes = [
        ClassCount(
            text_of(r["label"]) or text_of(r["class"]), text_of(r["class"]), int(text_of(r["n"]))
        )
        for r in rows
    ]
    classes.sort(key=lambda c: (-c.count, c.label))
    [count] = select_rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return Overview(int(text_of(count["n"])), asserted, inferred, classes, sources(store))


def sources(store: Store) -> list[Source]:
    rows = select_rows(
        store,
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
        iri = text_of(r["a"])
        out.append(
            Source(
                iri, iri.rsplit("/", 1)[-1], text_of(r["title"]), text_of(r["issued"]), anchor(iri)
            )
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


def _most_specific(types: set[str], store: Store) -> list[str]:
    """The types that are not a super-class of another of the types."""
    if len(types) < 2:
        return sorted(types)
    values = " ".join(iri_term(t) for t in sorted(types))
    rows = select_rows(
        store, f"SELECT DISTINCT ?sup WHERE {{ VALUES ?t {{ {values} }} ?t rdfs:subClassOf+ ?sup }}"
    )
    supers = {text_of(r["sup"]) for r in rows}
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


def events(store: Store) -> list[Event]:
    """Every event, in the order they happened as far as the graph says.

    Undated events are placed by what the graph does state: a sub-event at its
    parent's date, an event that ``okg:precedes`` another just before it.
    Events reported only as proposed or planned come last.
    """
    rows = select_rows(
        store,
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
        iri = text_of(r["e"])
        ev = by_iri.get(iri)
        if ev is None:
            parent = text_of(r["parent"])
            ev = by_iri[iri] = Event(
                iri=iri,
                anchor=anchor(iri),
                label=text_of(r["label"]) or iri,
                kind="",
                start=text_of(r["start"]),
                end=text_of(r["end"]),
                place=text_of(r["place"]),
                status=text_of(r["status"]),
                parent=text_of(r["parentLabel"]) or parent,
                parent_anchor=anchor(parent) if parent else "",
                precedes=[],
            )
        types[iri][text_of(r["type"])] = text_of(r["typeLabel"]) or text_of(r["type"])
        nxt = text_of(r["next"])
        if nxt and (anchor(nxt), text_of(r["nextLabel"]) or nxt) not in ev.precedes:
            ev.precedes.append((anchor(nxt), text_of(r["nextLabel"]) or nxt))
    parents = {text_of(r["e"]): text_of(r["parent"]) for r in rows if r["parent"] is not None}
    successors = {text_of(r["e"]): text_of(r["next"]) for r in rows if r["next"] is not None}

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
        kinds = _most_specific(set(types[iri]), store)
        ev.kind = ", ".join(sorted(types[iri][k] for k in kinds))
        ev.precedes.sort()
        date, rank = date_of(iri)
        not_held = 1 if ev.status and ev.status != "held" else 0
        ev.sort_key = (not_held, date, rank, ev.label)
        ev.when = _whentext_of(iri, ev, by_iri, parents, successors, bool(not_held))
    return sorted(by_iri.values(), key=lambda e: e.sort_key)


def _whentext_of(
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


def persons(store: Store) -> list[Person]:
    rows = select_rows(
        store,
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
        iri = text_of(r["p"])
        person = out.setdefault(iri, Person(iri, anchor(iri), text_of(r["label"]) or iri, [], []))
        rank = text_of(r["rank"])
        if rank and rank not in person.ranks:
            person.ranks.append(rank)
        if r["post"] is not None:
            post = Post(text_of(r["postLabel"]) or text_of(r["post"]), text_of(r["org"]))
            if post not in person.posts:
                person.posts.append(post)
    for person in out.values():
        person.ranks.sort()
        person.posts.sort(key=lambda p: (p.label, p.organization))
    return sorted(out.values(), key=lambda p: (p.label, p.iri))
