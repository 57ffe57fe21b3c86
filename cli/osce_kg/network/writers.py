"""The writers of the export formats other than GEXF (see :mod:`.gexf`).

* GraphML — NetworkX's writer over a copy whose values are made safe
  (:mod:`.values`), since it rejects ``None`` and lists;
* Gephi's spreadsheet import — a folder with ``nodes.csv`` (``Id``,
  ``Label``, attributes…, ``Interval``) and ``edges.csv`` (``Source``,
  ``Target``, ``Type``, ``Id``, ``Label``, ``Weight``, attributes…,
  ``Interval``);
* NetworkX node-link JSON (``nodes``/``edges``), lists kept.

Every file is written atomically; the CSV folder is replaced whole.  The
registry of formats is :data:`.exports.EXPORTERS`.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter

from ..atomic import atomic_directory, atomic_write_text
from ..errors import InputError
from . import timeline
from .gexf import attribute_keys, is_weight
from .values import flatten, xml_safe


def _safe_copy(graph: nx.Graph) -> nx.Graph:
    """A copy with text ids and only GraphML-writable values."""
    out = graph.__class__()
    out.graph.update(
        {xml_safe(str(k)): f for k, v in graph.graph.items() if (f := flatten(v)) is not None}
    )

    def clean(data: Mapping[object, object]) -> dict[str, Any]:
        return {xml_safe(str(k)): f for k, v in data.items() if (f := flatten(v)) is not None}

    ids = {n: xml_safe(str(n)) for n in graph.nodes()}
    if len(set(ids.values())) != len(ids):
        raise InputError("GraphML: two nodes have the same id once written as text")
    for node, data in graph.nodes(data=True):
        out.add_node(ids[node], **clean(data))
    if graph.is_multigraph():
        for i, (u, v, data) in enumerate(graph.edges(data=True)):
            out.add_edge(ids[u], ids[v], key=str(i), **clean(data))
    else:
        for u, v, data in graph.edges(data=True):
            out.add_edge(ids[u], ids[v], **clean(data))
    return out


def graphml_text(graph: nx.Graph) -> str:
    # GraphMLWriter rather than generate_graphml, which splits lines (on "\r" too).
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(_safe_copy(graph))
    text = str(writer)
    # ElementTree leaves a carriage return in element text raw, and XML readers
    # turn it into a line feed; as a character reference it survives.  (Raw CRs
    # can only come from values: attributes are escaped, indentation is "\n".)
    return text.replace("\r", "&#13;")


def write_graphml(graph: nx.Graph, path: Path) -> None:
    atomic_write_text(path, graphml_text(graph))


def _csv_text(header: list[str], rows: list[list[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _cell(value: object) -> object:
    flat = flatten(value)
    if flat is None:
        return ""
    if isinstance(flat, bool):
        return "true" if flat else "false"
    return flat


def gephi_csv(graph: nx.Graph) -> tuple[str, str]:
    """The texts of ``nodes.csv`` and ``edges.csv`` for Gephi's spreadsheet import."""
    spells = timeline.node_spells(graph)
    node_keys = attribute_keys((d for _, d in graph.nodes(data=True)), {"label"})
    # Gephi's own column names come first; an attribute with the same name
    # (case-insensitively) would be read as that column, so it is renamed.
    reserved_nodes = {"id", "label", "interval"}
    node_header = ["Id", "Label"] + [_rename(k, reserved_nodes) for k in node_keys] + ["Interval"]
    node_rows: list[list[object]] = []
    for node, data in graph.nodes(data=True):
        by_title = {xml_safe(str(k)): v for k, v in data.items()}
        label = flatten(data.get("label"))
        node_rows.append(
            [xml_safe(str(node)), "" if label is None else label]
            + [_cell(by_title.get(k)) for k in node_keys]
            + [timeline.gephi_interval(spells.get(node, []))]
        )
    edge_keys = attribute_keys((d for *_, d in graph.edges(data=True)), {"weight"})
    reserved_edges = {"source", "target", "type", "id", "label", "weight", "interval"}
    edge_header = ["Source", "Target", "Type", "Id", "Label", "Weight"]
    edge_header += [_rename(k, reserved_edges) for k in edge_keys] + ["Interval"]
    kind = "Directed" if graph.is_directed() else "Undirected"
    edge_rows: list[list[object]] = []
    for i, (u, v, data) in enumerate(graph.edges(data=True)):
        by_title = {xml_safe(str(k)): val for k, val in data.items()}
        weight = data.get("weight", 1.0)
        spell = timeline.edge_spell(data)
        relation = flatten(data.get("relation"))
        edge_rows.append(
            [xml_safe(str(u)), xml_safe(str(v)), kind, str(i), "" if relation is None else relation]
            + [float(weight) if is_weight(weight) else 1.0]
            + [_cell(by_title.get(k)) for k in edge_keys]
            + [timeline.gephi_interval([spell] if spell else [])]
        )
    return _csv_text(node_header, node_rows), _csv_text(edge_header, edge_rows)


def _rename(key: str, reserved: set[str]) -> str:
    return f"{key}_attr" if key.lower() in reserved else key


def write_gephi_csv(graph: nx.Graph, folder: Path) -> None:
    nodes, edges = gephi_csv(graph)
    with atomic_directory(folder) as tmp:
        (tmp / "nodes.csv").write_text(nodes, encoding="utf-8", newline="")
        (tmp / "edges.csv").write_text(edges, encoding="utf-8", newline="")


def _json_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_json_value(v) for v in value), key=lambda x: json.dumps(x, default=str))
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return str(value)


def node_link_json(graph: nx.Graph) -> str:
    """NetworkX node-link JSON; lists stay lists, ``None`` stays ``null``."""
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(_json_value(data), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_json(graph: nx.Graph, path: Path) -> None:
    atomic_write_text(path, node_link_json(graph))
