"""Write GEXF 1.3 that Gephi, Gephi Lite (graphology-gexf) and NetworkX read.

We write the XML ourselves rather than post-process ``networkx.write_gexf``:
for 1.3 NetworkX writes ``<graph name="">`` and a wrong ``xsi`` namespace
(invalid against the official schema), and it gives node attributes named
``pid``, ``start`` or ``end`` a special meaning (parent id, time) and cannot
write ``None`` or lists.  Here every node and edge attribute is an ordinary
``<attvalue>`` (values made safe by :mod:`.values`), except:

* node ``label`` → the ``label`` XML attribute;
* edge ``weight`` (when every edge's weight is a finite number) → ``weight``;
* edge ``relation`` → also the edge's ``label`` and ``kind`` (GEXF 1.3 edge
  kinds let Gephi tell parallel relations of a multigraph apart).

Time: nodes and edges get ``<spells>`` from event dates (:mod:`.timeline`),
``timeformat="date"``, so Gephi's timeline plays the network.  Look:
``viz:color`` by kind, ``viz:size`` by degree, ``viz:position`` from a seeded
layout (:mod:`.style`; or the ``positions`` given, so that a caller writing
several files of one network lays it out once).  The output is deterministic: no modification date,
nodes and edges in graph order.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path

import networkx as nx

from ..atomic import atomic_write_bytes
from ..errors import InputError
from . import LAYOUT_SEED, style, timeline
from .values import Scalar, flatten, scalar_type, text_of, xml_safe

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
ET.register_namespace("", GEXF_NS)
ET.register_namespace("viz", VIZ_NS)

NODE_RESERVED = frozenset({"label"})


def _g(tag: str) -> str:
    return f"{{{GEXF_NS}}}{tag}"


def _v(tag: str) -> str:
    return f"{{{VIZ_NS}}}{tag}"


def is_weight(value: object) -> bool:
    """True for a finite number (not a bool): what can be a numeric edge weight."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def edge_weight_is_attribute(graph: nx.Graph) -> bool:
    """True when ``weight`` cannot be GEXF's numeric edge weight."""
    return any(
        "weight" in d and d["weight"] is not None and not is_weight(d["weight"])
        for *_, d in graph.edges(data=True)
    )


def attribute_keys(items: Iterable[Mapping[object, object]], reserved: Iterable[str]) -> list[str]:
    """Attribute titles in first-seen order, without the reserved ones."""
    skip = set(reserved)
    keys: dict[str, None] = {}
    for data in items:
        for key in data:
            title = xml_safe(str(key))
            if title not in skip:
                keys.setdefault(title, None)
    return list(keys)


def _columns(items: list[Mapping[object, object]], reserved: Iterable[str]) -> dict[str, str]:
    """title -> GEXF type, over every element's flattened values."""
    keys = attribute_keys(items, reserved)
    values: dict[str, list[Scalar]] = {k: [] for k in keys}
    for data in items:
        for key, value in data.items():
            title = xml_safe(str(key))
            flat = flatten(value)
            if title in values and flat is not None:
                values[title].append(flat)
    return {k: scalar_type(v) for k, v in values.items()}


def _declare(parent: ET.Element, klass: str, columns: Mapping[str, str]) -> dict[str, str]:
    block = ET.SubElement(parent, _g("attributes"), {"class": klass, "mode": "static"})
    ids: dict[str, str] = {}
    for i, (title, type_) in enumerate(columns.items()):
        ids[title] = str(i)
        ET.SubElement(block, _g("attribute"), {"id": str(i), "title": title, "type": type_})
    return ids


def _attvalues(
    element: ET.Element,
    data: Mapping[object, object],
    columns: Mapping[str, str],
    ids: Mapping[str, str],
) -> None:
    values = ET.Element(_g("attvalues"))
    for key, value in data.items():
        title = xml_safe(str(key))
        flat = flatten(value)
        if title not in ids or flat is None:
            continue
        type_ = columns[title]
        if type_ != "string" and isinstance(flat, str):
            continue  # cannot happen: a text value makes the column a string
        ET.SubElement(values, _g("attvalue"), {"for": ids[title], "value": text_of(flat, type_)})
    if len(values):
        element.append(values)


def _spells(element: ET.Element, spells: list[timeline.Spell]) -> None:
    if spells:
        block = ET.SubElement(element, _g("spells"))
        for start, end in spells:
            ET.SubElement(block, _g("spell"), {"start": start, "end": end})


def _node_ids(graph: nx.Graph) -> dict[object, str]:
    ids: dict[object, str] = {}
    used: set[str] = set()
    for node in graph.nodes():
        nid = xml_safe(str(node))
        if nid in used:
            raise InputError(f"GEXF: two nodes have the same id {nid!r} once written as text")
        used.add(nid)
        ids[node] = nid
    return ids


def gexf_tree(
    graph: nx.Graph,
    *,
    layout_seed: int = LAYOUT_SEED,
    positions: style.Positions | None = None,
) -> ET.Element:
    """The GEXF 1.3 document for ``graph`` as an ElementTree element.

    ``positions``: the layout of ``graph`` (:func:`.style.layout`), if already
    computed; otherwise it is computed with ``layout_seed``.
    """
    node_ids = _node_ids(graph)
    node_data = [d for _, d in graph.nodes(data=True)]
    edge_data = [d for *_, d in graph.edges(data=True)]
    weight_attr = edge_weight_is_attribute(graph)
    edge_reserved = set() if weight_attr else {"weight"}
    node_cols = _columns(node_data, NODE_RESERVED)
    edge_cols = _columns(edge_data, edge_reserved)
    node_spells = timeline.node_spells(graph)
    edge_spells = [timeline.edge_spell(d) for d in edge_data]
    dynamic = bool(node_spells) or any(s is not None for s in edge_spells)

    root = ET.Element(_g("gexf"), {"version": "1.3"})
    meta = ET.SubElement(root, _g("meta"))
    ET.SubElement(meta, _g("creator")).text = "osce-kg"
    description = graph.graph.get("description") or graph.graph.get("name")
    if description:
        ET.SubElement(meta, _g("description")).text = xml_safe(str(description))
    attrs = {"defaultedgetype": "directed" if graph.is_directed() else "undirected"}
    if dynamic:
        attrs.update({"mode": "dynamic", "timeformat": "date", "timerepresentation": "interval"})
    else:
        attrs["mode"] = "static"
    gx = ET.SubElement(root, _g("graph"), attrs)
    node_ids_of_cols = _declare(gx, "node", node_cols)
    edge_ids_of_cols = _declare(gx, "edge", edge_cols)

    if positions is None:
        positions = style.layout(graph, seed=layout_seed)
    degree = dict(graph.degree())
    nodes = ET.SubElement(gx, _g("nodes"), {"count": str(graph.number_of_nodes())})
    for node, data in graph.nodes(data=True):
        label = flatten(data.get("label"))
        el = ET.SubElement(nodes, _g("node"), {"id": node_ids[node]})
        if label is not None and str(label) != "":
            el.set("label", xml_safe(str(label)))
        _attvalues(el, data, node_cols, node_ids_of_cols)
        _spells(el, node_spells.get(node, []))
        r, g, b = style.kind_colour(data.get("kind"))
        ET.SubElement(el, _v("color"), {"r": str(r), "g": str(g), "b": str(b)})
        x, y = positions.get(node, (0.0, 0.0))
        ET.SubElement(el, _v("position"), {"x": f"{x * 1000:.3f}", "y": f"{y * 1000:.3f}"})
        ET.SubElement(el, _v("size"), {"value": repr(style.node_size(int(degree.get(node, 0))))})

    edges = ET.SubElement(gx, _g("edges"), {"count": str(graph.number_of_edges())})
    for i, ((u, v, data), spell) in enumerate(
        zip(graph.edges(data=True), edge_spells, strict=True)
    ):
        el = ET.SubElement(
            edges, _g("edge"), {"id": str(i), "source": node_ids[u], "target": node_ids[v]}
        )
        relation = flatten(data.get("relation"))
        if relation is not None and str(relation).strip():
            el.set("label", str(relation))
            el.set("kind", " ".join(str(relation).split()))
        weight = data.get("weight")
        if not weight_attr and is_weight(weight):
            el.set("weight", repr(float(weight)))
        _attvalues(el, data, edge_cols, edge_ids_of_cols)
        if spell is not None:
            _spells(el, [spell])
    return root


def gexf_bytes(
    graph: nx.Graph,
    *,
    layout_seed: int = LAYOUT_SEED,
    positions: style.Positions | None = None,
) -> bytes:
    """The GEXF 1.3 document as UTF-8 bytes, indented (``positions``: see :func:`gexf_tree`)."""
    root = gexf_tree(graph, layout_seed=layout_seed, positions=positions)
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    # xmldom (under graphology-gexf, so Gephi Lite) treats NEL and LINE
    # SEPARATOR as line ends, the XML 1.1 way, and turns them into spaces in
    # attribute values; as character references they survive every parser.
    for char in ("\u0085", "\u2028"):
        data = data.replace(char.encode(), f"&#{ord(char)};".encode())
    return data + b"\n"


def write_gexf(
    graph: nx.Graph,
    path: Path,
    *,
    layout_seed: int = LAYOUT_SEED,
    positions: style.Positions | None = None,
) -> None:
    """Write ``graph`` to ``path`` as GEXF 1.3, atomically (``positions``: see
    :func:`gexf_tree`)."""
    atomic_write_bytes(path, gexf_bytes(graph, layout_seed=layout_seed, positions=positions))
