"""How a network looks: colours by kind, sizes by degree, a seeded layout.

Shared by the GEXF ``viz:`` elements and the matplotlib drawing, so Gephi
opens a network looking like the picture ``osce-kg network draw`` makes.
"""

from __future__ import annotations

import json
import math

import networkx as nx

from .. import memo
from . import LAYOUT_SEED, NODE_KINDS, OTHER_COLOUR

Positions = dict[object, tuple[float, float]]
"""Node -> (x, y) in [-1, 1], as :func:`layout` gives."""

_COLOURS = {kind.name: kind.colour for kind in NODE_KINDS}


def kind_colour(kind: object) -> tuple[int, int, int]:
    return _COLOURS.get(str(kind), OTHER_COLOUR)


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def node_size(degree: int) -> float:
    """Gephi size: grows with the square root of the degree, so hubs stand out
    without swamping the rest."""
    return round(10.0 + 6.0 * math.sqrt(max(degree, 0)), 3)


KAMADA_KAWAI_MAX = 200  # nodes; its cost grows faster than quadratically (832 nodes: 7.8 s)
LARGE_COMPONENT = 1000


def _component_layout(view: nx.Graph, seed: int) -> Positions:
    """One connected component laid out in a box of side ~ sqrt(size)."""
    nodes = list(view.nodes())
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) > LARGE_COMPONENT:
        # Kamada–Kawai needs memory and time quadratic in the nodes; past this size
        # a circle (linear, deterministic) is the start a user re-lays out in Gephi.
        pos = nx.circular_layout(view)
        radius = 0.5 * math.sqrt(len(nodes))
        return {n: (float(xy[0]) * radius, float(xy[1]) * radius) for n, xy in pos.items()}
    # Kamada–Kawai is deterministic and keeps graph distances readable; the
    # seeded spring layout gives it its start so that ties break the same way.
    # Past KAMADA_KAWAI_MAX nodes the seeded spring layout alone (about a second
    # at a thousand nodes) keeps a large corpus's networks linear in time.
    pos = nx.spring_layout(view, seed=seed)
    if len(nodes) <= KAMADA_KAWAI_MAX:
        pos = nx.kamada_kawai_layout(view, pos=pos)
    radius = 0.5 * math.sqrt(len(nodes))
    return {n: (float(xy[0]) * radius, float(xy[1]) * radius) for n, xy in pos.items()}


def _induced(view: nx.Graph, members: list[object], order: dict[object, int]) -> nx.Graph:
    """The component on ``members`` with nodes and edges in ``view``'s order
    (``Graph.subgraph`` iterates a set, whose order changes between runs).

    ``order`` is each node's position in ``view``; the cost is the component's
    size, not the whole view's (a network has thousands of components).
    Edges come as ``view.edges()`` gives them: from each node in order, to the
    neighbours not yet passed.
    """
    nodes = sorted(members, key=order.__getitem__)
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    passed: set[object] = set()
    for u in nodes:
        sub.add_edges_from((u, v) for v in view.adj[u] if v not in passed)
        passed.add(u)
    return sub


def layout(graph: nx.Graph, seed: int = LAYOUT_SEED) -> Positions:
    """A deterministic layout: each component laid out on its own, then the
    components packed in rows, largest first (same input, same picture).

    A network laid out before gets the layout kept then (:mod:`osce_kg.memo`,
    under a digest of its nodes and edges in order, the seed, and the versions
    of the libraries that compute it): the same numbers.
    """
    nodes = list(graph.nodes())
    if not all(isinstance(n, str) for n in nodes):  # kept as JSON: string nodes only
        return _laid_out(graph, seed)
    edges = [(u, v) for u, v in graph.edges() if u != v]
    parts = [
        json.dumps([nodes, edges, seed], ensure_ascii=False),
        memo.versions("networkx", "numpy", "scipy"),
    ]

    def compute() -> bytes:
        found = _laid_out(graph, seed)
        return json.dumps([[n, x, y] for n, (x, y) in found.items()]).encode()

    return {n: (x, y) for n, x, y in json.loads(memo.memoised("layout", parts, compute))}


def _laid_out(graph: nx.Graph, seed: int) -> Positions:
    view = nx.Graph()
    view.add_nodes_from(graph.nodes())
    view.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    comps = sorted(
        (sorted(c, key=str) for c in nx.connected_components(view)),
        key=lambda c: (-len(c), str(c[0])),
    )
    order = {n: i for i, n in enumerate(view.nodes())}
    parts = [_component_layout(_induced(view, c, order), seed) for c in comps]
    boxes = []
    for part in parts:
        xs = [p[0] for p in part.values()]
        ys = [p[1] for p in part.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + 1.0, max(ys) - min(ys) + 1.0))
    row_width = max([math.sqrt(sum(b[2] * b[3] for b in boxes)) * 1.3] + [b[2] for b in boxes[:1]])
    out: Positions = {}
    x = y = row_height = 0.0
    for part, (x0, y0, w, h) in zip(parts, boxes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y - row_height, 0.0
        for n, (px, py) in part.items():
            out[n] = (round(x + (px - x0) + 0.5, 6), round(y - (py - y0) - 0.5, 6))
        x += w
        row_height = max(row_height, h)
    # Normalise into [-1, 1] so callers can scale it to pixels.
    if out:
        span = max(max(abs(px), abs(py)) for px, py in out.values()) or 1.0
        cx = (max(p[0] for p in out.values()) + min(p[0] for p in out.values())) / 2
        cy = (max(p[1] for p in out.values()) + min(p[1] for p in out.values())) / 2
        out = {
            n: (round((px - cx) / span, 6), round((py - cy) / span, 6))
            for n, (px, py) in out.items()
        }
    return out
