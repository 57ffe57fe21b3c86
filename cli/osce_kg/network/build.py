"""Build the networks of actors and events from stored-query results.

Every fact comes from a stored query (``queries/network/*.rq``) run through a
:class:`~osce_kg.resultset.Store`, so the same networks come out of the embedded
store, Oxigraph or a remote endpoint.  Each network is a
:class:`networkx.MultiDiGraph` whose nodes are IRIs (strings) in a stable,
sorted order, with attributes:

* nodes: ``label``, ``kind`` (person, organisation, mission, group, country,
  territory, city, event), ``iri``, ``country`` (labels joined by ``"; "``),
  and for events ``start_date``, ``end_date`` (only where the graph states
  them) and ``status``;
* edges: ``relation`` (spoke, chaired, attended, …), ``weight`` (1.0), and
  where they apply ``date``/``end_date`` (of the event), ``capacity`` (post
  labels), ``on_behalf_of``, ``delivered_at`` and ``speech``.

A missing value is an absent attribute, never ``None``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from ..errors import InputError
from ..namespaces import ONTOLOGY_NS
from ..resultset import Store
from ..sparql_results import parts
from . import NETWORKS, NODE_KINDS, OTHER_KIND
from .queries import load_query
from .values import LIST_SEPARATOR

Attrs = dict[str, str | float]


@dataclass
class NodeInfo:
    """What ``nodes.rq`` says about one resource."""

    types: set[str] = field(default_factory=set)
    label: str | None = None
    start: str | None = None
    end: str | None = None
    status: str | None = None

    @property
    def kind(self) -> str:
        # NODE_KINDS is ordered most specific class first.
        for kind in NODE_KINDS:
            if ONTOLOGY_NS + kind.ontology_class in self.types:
                return kind.name
        return OTHER_KIND


@dataclass(frozen=True)
class Speech:
    speech: str
    speaker: str
    event: str
    capacities: tuple[str, ...]
    on_behalf_of: tuple[str, ...]


def _rows(store: Store, name: str) -> list[dict[str, str | None]]:
    """A network query's rows, each term as its text (an IRI, a blank node's label, a
    literal's lexical form); the store's own terms are read as they are (``native``)."""
    result = store.select(load_query(name).text, native=True)
    return [
        {k: None if v is None else parts(v)[1] for k, v in zip(result.variables, row, strict=True)}
        for row in result.rows
    ]


def _need(row: Mapping[str, str | None], *keys: str) -> tuple[str, ...]:
    values = tuple(row.get(k) for k in keys)
    return tuple(v for v in values if v is not None)


@dataclass
class Facts:
    """The stored queries' answers that networks are built from."""

    nodes: dict[str, NodeInfo]
    countries: dict[str, list[str]]
    speeches: list[Speech]
    roles: list[tuple[str, str, str]]
    posts: list[tuple[str, str, str]]
    hierarchy: list[tuple[str, str]]
    event_links: list[tuple[str, str, str]]
    places: list[tuple[str, str, str]]

    @classmethod
    def fetch(cls, store: Store) -> Facts:
        nodes: dict[str, NodeInfo] = defaultdict(NodeInfo)
        for row in _rows(store, "nodes"):
            info = nodes[str(row["node"])]
            info.types.add(str(row["type"]))
            # Several labels (languages) would be a data error; keep the
            # smallest so the choice is stable.
            for attr in ("label", "start", "end", "status"):
                value = row.get(attr)
                current = getattr(info, attr)
                if value is not None and (current is None or value < current):
                    setattr(info, attr, value)
        countries: dict[str, list[str]] = defaultdict(list)
        for row in _rows(store, "countries"):
            countries[str(row["node"])].append(str(row["country"]))
        grouped: dict[tuple[str, str, str], tuple[set[str], set[str]]] = {}
        for row in _rows(store, "speeches"):
            key = (str(row["speech"]), str(row["speaker"]), str(row["event"]))
            caps, parties = grouped.setdefault(key, (set(), set()))
            caps.update(_need(row, "capacity"))
            parties.update(_need(row, "onBehalfOf"))
        speeches = [
            Speech(s, who, ev, tuple(sorted(c)), tuple(sorted(p)))
            for (s, who, ev), (c, p) in sorted(grouped.items())
        ]
        return cls(
            nodes=dict(nodes),
            countries=dict(countries),
            speeches=speeches,
            roles=[_triple(r, "actor", "relation", "event") for r in _rows(store, "event-roles")],
            posts=[_triple(r, "person", "post", "organisation") for r in _rows(store, "posts")],
            hierarchy=[
                (str(r["organisation"]), str(r["parent"]))
                for r in _rows(store, "organisation-hierarchy")
            ],
            event_links=[
                _triple(r, "event", "relation", "other") for r in _rows(store, "event-links")
            ],
            places=[_triple(r, "thing", "relation", "country") for r in _rows(store, "places")],
        )

    def label(self, iri: str) -> str:
        info = self.nodes.get(iri)
        if info is not None and info.label:
            return info.label
        return iri.rstrip("/").rsplit("/", 1)[-1]

    @cached_property
    def parents(self) -> dict[str, str]:
        """Event -> the event it is a part of (``sub-event-of``)."""
        return {e: o for e, rel, o in self.event_links if rel == "sub-event-of"}

    @cached_property
    def chaired(self) -> frozenset[tuple[str, str]]:
        """(actor, event) pairs where the actor chaired the event."""
        return frozenset((a, e) for a, rel, e in self.roles if rel == "chaired")

    def top_event(self, event: str) -> str:
        """The event that ``event`` is (transitively) a part of, or itself."""
        parents = self.parents
        seen = {event}
        while event in parents and parents[event] not in seen:
            event = parents[event]
            seen.add(event)
        return event


def _triple(row: Mapping[str, str | None], a: str, b: str, c: str) -> tuple[str, str, str]:
    return (str(row[a]), str(row[b]), str(row[c]))


class _Builder:
    def __init__(self, facts: Facts, name: str, roll_up: bool) -> None:
        self.facts = facts
        self.roll_up = roll_up
        self.graph = nx.MultiDiGraph(name=name, roll_up=roll_up, description=NETWORKS[name])
        self._edges: list[tuple[str, str, str, Attrs]] = []

    def event(self, iri: str) -> str:
        return self.facts.top_event(iri) if self.roll_up else iri

    def event_dates(self, event: str) -> Attrs:
        info = self.facts.nodes.get(event)
        out: Attrs = {}
        if info is not None and info.start:
            out["date"] = info.start
            out["end_date"] = info.end or info.start
        return out

    def edge(self, source: str, target: str, relation: str, key: str = "", **attrs: str) -> None:
        if source == target:
            return
        data: Attrs = {"relation": relation, "weight": 1.0}
        data.update({k: v for k, v in attrs.items() if v})
        self._edges.append((source, target, relation + (f" {key}" if key else ""), data))

    def speeches(self, *, with_party_edges: bool = False) -> None:
        for sp in self.facts.speeches:
            target = self.event(sp.event)
            dates = self.event_dates(target)
            attrs = {
                "speech": sp.speech,
                "delivered_at": self.facts.label(sp.event),
                "capacity": LIST_SEPARATOR.join(sorted(self.facts.label(c) for c in sp.capacities)),
                "on_behalf_of": LIST_SEPARATOR.join(
                    sorted(self.facts.label(p) for p in sp.on_behalf_of)
                ),
                **{k: str(v) for k, v in dates.items()},
            }
            chaired = self.facts.chaired
            if (sp.speaker, sp.event) in chaired or (sp.speaker, target) in chaired:
                attrs["role"] = "chair"
            self.edge(sp.speaker, target, "spoke", sp.speech, **attrs)
            if with_party_edges:
                for party in sp.on_behalf_of:
                    self.edge(
                        sp.speaker,
                        party,
                        "spoke-on-behalf-of",
                        sp.speech,
                        speech=sp.speech,
                        **{k: str(v) for k, v in dates.items()},
                    )

    def roles(self) -> None:
        for actor, relation, event in self.facts.roles:
            target = self.event(event)
            dates = {k: str(v) for k, v in self.event_dates(target).items()}
            self.edge(actor, target, relation, **dates)

    def posts(self) -> None:
        for person, post, organisation in self.facts.posts:
            self.edge(
                person, organisation, "held-post", post, capacity=self.facts.label(post), post=post
            )

    def hierarchy(self) -> None:
        for organisation, parent in self.facts.hierarchy:
            self.edge(organisation, parent, "part-of")

    def places(self) -> None:
        for thing, relation, country in self.facts.places:
            source = self.event(thing) if relation == "held-in" else thing
            dates = {k: str(v) for k, v in self.event_dates(source).items()}
            self.edge(source, country, relation, **(dates if relation == "held-in" else {}))

    def event_links(self) -> None:
        for event, relation, other in self.facts.event_links:
            self.edge(self.event(event), self.event(other), relation)

    def finish(self) -> nx.MultiDiGraph:
        # Stable order: nodes sorted by IRI, edges by (source, target, key),
        # duplicates (which a roll-up can create) merged.
        nodes = sorted({n for s, t, _, _ in self._edges for n in (s, t)})
        for iri in nodes:
            self.graph.add_node(iri, **self._node_attrs(iri))
        seen: set[tuple[str, str, str]] = set()
        for s, t, key, data in sorted(self._edges, key=lambda e: e[:3]):
            if (s, t, key) not in seen:
                seen.add((s, t, key))
                self.graph.add_edge(s, t, key=key, **data)
        return self.graph

    def _node_attrs(self, iri: str) -> Attrs:
        info = self.facts.nodes.get(iri, NodeInfo())
        attrs: Attrs = {"label": self.facts.label(iri), "kind": info.kind, "iri": iri}
        countries = sorted({self.facts.label(c) for c in self.facts.countries.get(iri, [])})
        if countries:
            attrs["country"] = LIST_SEPARATOR.join(countries)
        if info.start:
            attrs["start_date"] = info.start
            attrs["end_date"] = info.end or info.start
        if info.status:
            attrs["status"] = info.status
        return attrs


def check_name(name: str) -> None:
    """InputError unless ``name`` is one of :data:`NETWORKS`."""
    if name not in NETWORKS:
        known = ", ".join(NETWORKS)
        raise InputError(f"unknown network {name!r} (known: {known})")


def network_from_facts(facts: Facts, name: str, *, roll_up: bool = False) -> nx.MultiDiGraph:
    """One of :data:`NETWORKS` built from already fetched facts."""
    check_name(name)
    b = _Builder(facts, name, roll_up)
    if name == "speaker-event":
        b.speeches()
    elif name == "actor-event":
        b.speeches()
        b.roles()
    elif name == "person-organisation":
        b.posts()
        b.hierarchy()
    else:
        b.speeches(with_party_edges=True)
        b.roles()
        b.posts()
        b.hierarchy()
        b.places()
        b.event_links()
    return b.finish()


def build_network(store: Store, name: str, *, roll_up: bool = False) -> nx.MultiDiGraph:
    """Run the stored queries on ``store`` and build the network ``name``."""
    check_name(name)  # before running the queries
    return network_from_facts(Facts.fetch(store), name, roll_up=roll_up)


def build_all(store: Store, *, roll_up: bool = False) -> dict[str, nx.MultiDiGraph]:
    """Every network, from one round of queries."""
    facts = Facts.fetch(store)
    return {name: network_from_facts(facts, name, roll_up=roll_up) for name in NETWORKS}
