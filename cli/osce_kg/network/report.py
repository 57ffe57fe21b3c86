"""Render ``osce-kg network analyze`` output: one section, or all of them."""

from __future__ import annotations

import json

import networkx as nx

from ..errors import InputError
from ..rows import render_rows
from . import SECTIONS
from .analysis import SEED, measure, section_table


def report_text(graph: nx.Graph, section: str, fmt: str, *, seed: int = SEED) -> str:
    """The analysis ``section`` (or ``all``) of ``graph`` as text in ``fmt``."""
    if section != "all":
        columns, rows = section_table(graph, section, seed)
        return render_rows(columns, rows, fmt)
    if fmt in ("csv", "tsv"):
        raise InputError(f"--format {fmt}: choose one --section (csv holds one table)")
    measures = measure(graph, seed)  # once, for the nodes, components and communities
    tables = {name: section_table(graph, name, seed, measures=measures) for name in SECTIONS}
    if fmt == "json":
        doc = {
            "network": graph.graph.get("name"),
            "roll_up": bool(graph.graph.get("roll_up", False)),
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            **{
                name: [dict(zip(cols, row, strict=True)) for row in rows]
                for name, (cols, rows) in tables.items()
            },
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    heading = "## " if fmt == "markdown" else ""
    name = graph.graph.get("name", "network")
    parts = [
        f"{heading}{name}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
        + (" (rolled up)" if graph.graph.get("roll_up") else "")
        + "\n"
    ]
    for section_name, (cols, rows) in tables.items():
        parts.append(f"\n{heading}{section_name} — {SECTIONS[section_name]}\n")
        if fmt == "markdown":
            parts.append("\n")
        parts.append(render_rows(cols, rows, fmt))
    return "".join(parts)
