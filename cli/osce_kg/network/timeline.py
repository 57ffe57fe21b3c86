"""When nodes and edges exist, for Gephi's timeline: spells from event dates.

Only dates the graph states are used; nothing is guessed.  An edge's spell is
its ``date``..``end_date`` (the event's dates).  A node's spells are its own
``start_date``..``end_date`` if it has them (an event); otherwise, if every
edge at the node has a spell, the union of those spells (an actor appears
while it acts); otherwise none, and Gephi shows the node at all times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import networkx as nx

Spell = tuple[str, str]


def _iso(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    return None


def _spell(start: object, end: object) -> Spell | None:
    s = _iso(start)
    if s is None:
        return None
    e = _iso(end) or s
    return (s, e) if e >= s else (e, s)


def edge_spell(data: Mapping[str, object]) -> Spell | None:
    return _spell(data.get("date"), data.get("end_date"))


def _merge(spells: list[Spell]) -> list[Spell]:
    merged: list[Spell] = []
    for s, e in sorted(spells):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def node_spells(graph: nx.Graph) -> dict[object, list[Spell]]:
    """Spells of every node that has any (see the module docstring)."""
    out: dict[object, list[Spell]] = {}
    for node, data in graph.nodes(data=True):
        own = _spell(data.get("start_date"), data.get("end_date"))
        if own is not None:
            out[node] = [own]
            continue
        edge_data: list[Mapping[str, object]] = [
            e[-1] for e in _incident(graph, node) if isinstance(e[-1], Mapping)
        ]
        spells = [edge_spell(d) for d in edge_data]
        if edge_data and all(s is not None for s in spells):
            out[node] = _merge([s for s in spells if s is not None])
    return out


def _incident(graph: nx.Graph, node: object) -> list[tuple[object, ...]]:
    if graph.is_directed():
        edges = list(graph.in_edges(node, data=True)) + list(graph.out_edges(node, data=True))
    else:
        edges = list(graph.edges(node, data=True))
    return edges


def gephi_interval(spells: list[Spell]) -> str:
    """Spells in Gephi's interval-set syntax, e.g. ``<[2012-09-19, 2012-09-21]>``."""
    return "<" + "; ".join(f"[{s}, {e}]" for s, e in spells) + ">" if spells else ""
