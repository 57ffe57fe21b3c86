"""Analyses of a network: centralities, projections, components, communities.

All measures run on NetworkX's public, backend-dispatchable algorithms
(``betweenness_centrality``, ``pagerank``, ``connected_components``,
``louvain_communities``, ``bipartite.weighted_projected_graph``), so a
backend such as nx-parallel can take over (see docs/network.md); the one
exception is PageRank on a small network (:func:`pagerank`), which no backend
speeds up.

Definitions (the same in tables, exports and tests):

* the *simple view* of a network is undirected, one edge per pair of nodes,
  with ``weight`` = the number of relations between the pair;
* ``degree`` = distinct neighbours; ``weighted_degree`` = relations (edges
  of the multigraph) at the node;
* ``betweenness`` = normalised betweenness on the simple view, unweighted
  (the weights count relations, they are not distances);
* ``pagerank`` = PageRank (alpha 0.85) on the weighted simple view (see
  :func:`pagerank` for which of NetworkX's two implementations runs);
* components and communities (Louvain, seeded) are numbered from 1, largest
  first, ties broken by the smallest node id, so numbers are stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from ..rows import Value
from . import COMMUNITY_SEED
from .values import LIST_SEPARATOR

SEED = COMMUNITY_SEED
PERSON_KINDS = frozenset({"person"})
EVENT_KINDS = frozenset({"event"})
ORGANISATION_KINDS = frozenset({"organisation", "mission"})


@dataclass(frozen=True)
class Side:
    """One side of a bipartite projection: node kinds, and how to name them."""

    kinds: frozenset[str]
    name: str


PERSONS = Side(PERSON_KINDS, "person")
EVENTS = Side(EVENT_KINDS, "event")
EVENT_ACTORS = Side(PERSON_KINDS | ORGANISATION_KINDS, "person or organisation")

# Projection section -> (the side projected, the side it is projected through).
PROJECTIONS: dict[str, tuple[Side, Side]] = {
    "persons": (PERSONS, EVENTS),
    "events": (EVENTS, EVENT_ACTORS),
}

Rows = list[tuple[Value, ...]]
Table = tuple[tuple[str, ...], Rows]


# Up to this many edges PageRank runs on NetworkX's pure-Python power iteration,
# past it on its SciPy one (``nx.pagerank``).  Both iterate the same equations to
# the same tolerance (their figures agree to about 1e-17, far below the six
# decimals reported); the pure-Python one spares a small network the import of
# NumPy and SciPy (about 0.35 s, twice the import of NetworkX itself), the SciPy
# one is faster on a large network (14k nodes, 120k edges: 0.8 s against 2.3 s).
PAGERANK_PYTHON_EDGES = 20_000


def pagerank(view: nx.Graph) -> dict[object, float]:
    """PageRank (alpha 0.85) of the weighted simple view."""
    if view.number_of_nodes() == 0:
        return {}
    if view.number_of_edges() <= PAGERANK_PYTHON_EDGES:
        # NetworkX's own, not public: a release without it (or with another
        # signature) gets the SciPy one, below.
        try:
            from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

            return dict(_pagerank_python(view, weight="weight"))
        except (ImportError, TypeError):
            pass
    return dict(nx.pagerank(view, weight="weight"))


def simple_view(graph: nx.Graph) -> nx.Graph:
    """Undirected, one edge per pair, ``weight`` = number of relations."""
    view = nx.Graph()
    view.add_nodes_from(graph.nodes(data=True))
    for u, v in graph.edges():
        if u == v:
            continue
        if view.has_edge(u, v):
            view[u][v]["weight"] += 1
        else:
            view.add_edge(u, v, weight=1)
    return view


def _label(graph: nx.Graph, node: object) -> str:
    return str(graph.nodes[node].get("label", node))


def _numbered(groups: Iterable[Iterable[object]]) -> list[list[object]]:
    """Groups sorted largest first, then by smallest member; members sorted."""
    sorted_groups = [sorted(g, key=str) for g in groups]
    sorted_groups.sort(key=lambda g: (-len(g), str(g[0]) if g else ""))
    return [list(g) for g in sorted_groups]


def _components(view: nx.Graph) -> list[list[object]]:
    return _numbered(nx.connected_components(view))


def _communities(view: nx.Graph, seed: int) -> list[list[object]]:
    if view.number_of_nodes() == 0:
        return []
    return _numbered(nx.community.louvain_communities(view, weight="weight", seed=seed))


def components(graph: nx.Graph) -> list[list[object]]:
    return _components(simple_view(graph))


def communities(graph: nx.Graph, seed: int = SEED) -> list[list[object]]:
    return _communities(simple_view(graph), seed)


EXACT_BETWEENNESS = 2000
BETWEENNESS_PIVOTS = 500


@dataclass(frozen=True)
class Measures:
    """Every figure of one network, computed once: per node, and the groups."""

    nodes: dict[object, dict[str, Value]]
    components: list[list[object]]
    communities: list[list[object]]


def measure(graph: nx.Graph, seed: int = SEED) -> Measures:
    """The figures of ``graph`` (see the module docstring for definitions).

    Pass the result to :func:`annotate` and the ``*_table`` functions so that
    one network's measures (Louvain above all) are computed once.
    """
    view = simple_view(graph)
    # Exact betweenness costs O(nodes × edges); past EXACT_BETWEENNESS nodes it is
    # estimated from BETWEENNESS_PIVOTS seeded source nodes (Brandes' sampling),
    # which keeps the cost linear in the edges and the figures reproducible.
    n = view.number_of_nodes()
    k = BETWEENNESS_PIVOTS if n > EXACT_BETWEENNESS else None
    betweenness = nx.betweenness_centrality(view, k=k, normalized=True, seed=seed)
    ranks = pagerank(view)
    comps = _components(view)
    comms = _communities(view, seed)
    comp_of = {n: i for i, c in enumerate(comps, 1) for n in c}
    comm_of = {n: i for i, c in enumerate(comms, 1) for n in c}
    out: dict[object, dict[str, Value]] = {}
    for node in graph.nodes():
        out[node] = {
            "degree": int(view.degree(node)),
            "weighted_degree": int(graph.degree(node)) - 2 * _self_loops(graph, node),
            "betweenness": round(float(betweenness.get(node, 0.0)), 6),
            "pagerank": round(float(ranks.get(node, 0.0)), 6),
            "component": comp_of.get(node),
            "community": comm_of.get(node),
        }
    return Measures(out, comps, comms)


def node_measures(graph: nx.Graph, seed: int = SEED) -> dict[object, dict[str, Value]]:
    """Every node's figures (see the module docstring for definitions)."""
    return measure(graph, seed).nodes


def _self_loops(graph: nx.Graph, node: object) -> int:
    return int(graph.number_of_edges(node, node)) if graph.has_edge(node, node) else 0


def _measured(graph: nx.Graph, seed: int, measures: Measures | None) -> Measures:
    return measure(graph, seed) if measures is None else measures


def annotate(graph: nx.Graph, seed: int = SEED, *, measures: Measures | None = None) -> nx.Graph:
    """Store the node figures as node attributes (for Gephi: size, colour, filter).

    ``measures``: the figures of ``graph`` from :func:`measure`, if already computed.
    """
    for node, figures in _measured(graph, seed, measures).nodes.items():
        graph.nodes[node].update({k: v for k, v in figures.items() if v is not None})
    return graph


def nodes_table(graph: nx.Graph, seed: int = SEED, *, measures: Measures | None = None) -> Table:
    columns = (
        "label",
        "kind",
        "degree",
        "weighted_degree",
        "betweenness",
        "pagerank",
        "component",
        "community",
        "node",
    )
    figures = _measured(graph, seed, measures).nodes
    rows: Rows = []
    for node in graph.nodes():
        m = figures[node]
        kind = graph.nodes[node].get("kind")
        rows.append(
            (
                _label(graph, node),
                None if kind is None else str(kind),
                m["degree"],
                m["weighted_degree"],
                m["betweenness"],
                m["pagerank"],
                m["component"],
                m["community"],
                str(node),
            )
        )
    rows.sort(key=lambda r: (-float(r[3] or 0), str(r[0]), str(r[8])))
    return columns, rows


def _projection(graph: nx.Graph, side: set[object], other: set[object]) -> Table:
    columns = ("a", "b", "shared", "via", "a_id", "b_id")
    if not side or not other:
        return columns, []  # nothing to project (and NetworkX refuses a one-sided graph)
    bipartite = nx.Graph()
    bipartite.add_nodes_from(sorted(side, key=str), bipartite=0)
    bipartite.add_nodes_from(sorted(other, key=str), bipartite=1)
    for u, v in graph.edges():
        if (u in side and v in other) or (v in side and u in other):
            bipartite.add_edge(u, v)
    projected = nx.bipartite.weighted_projected_graph(bipartite, sorted(side, key=str))
    rows: Rows = []
    for u, v, data in projected.edges(data=True):
        a, b = sorted((u, v), key=lambda n: (_label(graph, n), str(n)))
        shared = sorted(_label(graph, n) for n in set(bipartite[u]) & set(bipartite[v]))
        rows.append(
            (
                _label(graph, a),
                _label(graph, b),
                int(data["weight"]),
                LIST_SEPARATOR.join(shared),
                str(a),
                str(b),
            )
        )
    rows.sort(key=lambda r: (-int(r[2] or 0), str(r[0]), str(r[1])))
    return columns, rows


def _of_kind(graph: nx.Graph, kinds: Iterable[str]) -> set[object]:
    wanted = set(kinds)
    return {n for n, d in graph.nodes(data=True) if d.get("kind") in wanted}


def _projection_of(graph: nx.Graph, section: str) -> Table:
    side, through = PROJECTIONS[section]
    return _projection(graph, _of_kind(graph, side.kinds), _of_kind(graph, through.kinds))


def persons_table(graph: nx.Graph) -> Table:
    """Pairs of persons who share at least one event; ``shared`` events."""
    return _projection_of(graph, "persons")


def events_table(graph: nx.Graph) -> Table:
    """Pairs of events that share a person or an organisation (or mission)."""
    return _projection_of(graph, "events")


def inapplicable(graph: nx.Graph, section: str) -> str | None:
    """Why ``section`` does not apply to ``graph`` (None if it does).

    The bipartite projections pair persons through events and events through
    persons or organisations; a network without one of the two sides
    (person-organisation has no events) has no such table.
    """
    for side in PROJECTIONS.get(section, ()):
        if not _of_kind(graph, side.kinds):
            return f"the network has no {side.name} nodes"
    return None


def _groups_table(graph: nx.Graph, groups: Sequence[list[object]], name: str) -> Table:
    rows: Rows = [
        (i, len(g), LIST_SEPARATOR.join(sorted(_label(graph, n) for n in g)))
        for i, g in enumerate(groups, 1)
    ]
    return (name, "size", "members"), rows


def components_table(graph: nx.Graph, *, measures: Measures | None = None) -> Table:
    groups = components(graph) if measures is None else measures.components
    return _groups_table(graph, groups, "component")


def communities_table(
    graph: nx.Graph, seed: int = SEED, *, measures: Measures | None = None
) -> Table:
    groups = communities(graph, seed) if measures is None else measures.communities
    return _groups_table(graph, groups, "community")


def who_spoke_where(graph: nx.Graph) -> Table:
    """One row per speech edge: who spoke at which event, as what, for whom."""
    columns = (
        "speaker",
        "event",
        "delivered_at",
        "date",
        "end_date",
        "capacity",
        "on_behalf_of",
        "role",
        "speaker_id",
        "event_id",
    )
    rows: Rows = []
    edges = graph.edges(data=True)
    for u, v, data in edges:
        if data.get("relation") != "spoke":
            continue
        rows.append(
            (
                _label(graph, u),
                _label(graph, v),
                data.get("delivered_at", _label(graph, v)),
                data.get("date"),
                data.get("end_date"),
                data.get("capacity"),
                data.get("on_behalf_of"),
                data.get("role"),
                str(u),
                str(v),
            )
        )
    rows.sort(key=lambda r: tuple(str(x or "") for x in r))
    return columns, rows


def section_table(
    graph: nx.Graph, section: str, seed: int = SEED, *, measures: Measures | None = None
) -> Table:
    """One of :data:`osce_kg.network.SECTIONS` as columns and rows
    (``measures``: see :func:`measure`)."""
    if section == "nodes":
        return nodes_table(graph, seed, measures=measures)
    if section in PROJECTIONS:
        return _projection_of(graph, section)
    if section == "components":
        return components_table(graph, measures=measures)
    if section == "communities":
        return communities_table(graph, seed, measures=measures)
    if section == "who-spoke-where":
        return who_spoke_where(graph)
    raise ValueError(f"unknown section {section!r}")
