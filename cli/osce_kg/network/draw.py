"""Draw a network as a labelled PNG or SVG picture (matplotlib, Agg backend).

Deterministic: a seeded layout (:mod:`.style`), a fixed SVG hash salt and no
creation date in the file, so the same network gives the same bytes.
"""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from .. import memo
from ..atomic import atomic_write_bytes
from ..errors import InputError
from . import LAYOUT_SEED, style

DRAW_FORMATS = (".png", ".svg")


def _wrap(label: str, width: int = 28, lines: int = 3) -> str:
    wrapped = textwrap.wrap(label, width=width) or [label]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], wrapped[lines - 1][: width - 1] + "…"]
    return "\n".join(wrapped)


def draw_pictures(
    graph: nx.Graph,
    fmts: Sequence[str],
    *,
    title: str | None = None,
    seed: int = LAYOUT_SEED,
    positions: style.Positions | None = None,
) -> dict[str, bytes]:
    """The picture of ``graph`` in each of ``fmts`` (``png``, ``svg``), from one figure.

    ``positions``: the layout of ``graph`` (:func:`.style.layout`), if already
    computed; otherwise it is computed with ``seed``.  The pictures of a network
    drawn before are the ones kept then (:mod:`osce_kg.memo`, under a digest of
    the network, its layout, the title and Matplotlib's version): the same bytes.
    """
    for fmt in fmts:
        if fmt not in ("png", "svg"):
            raise InputError(f"-o: can draw .png or .svg, not .{fmt}")
    pos = style.layout(graph, seed=seed) if positions is None else positions
    parts = _drawing_key(graph, title, pos)
    if parts is None:  # attributes that cannot be written down: drawn each time
        return _draw(graph, fmts, title, pos)
    keys = {fmt: memo.digest("picture", [*parts, fmt]) for fmt in fmts}
    kept = {fmt: memo.recall("picture", key) for fmt, key in keys.items()}
    if all(v is not None for v in kept.values()):
        return {fmt: v for fmt, v in kept.items() if v is not None}
    drawn = _draw(graph, fmts, title, pos)
    for fmt, key in keys.items():
        memo.remember("picture", key, drawn[fmt])
    return drawn


def _drawing_key(graph: nx.Graph, title: str | None, pos: style.Positions) -> list[str] | None:
    """What a picture is drawn from, as text: the network (its nodes, edges and
    attributes, in order), the layout, the title, and the drawing libraries'
    versions (Matplotlib draws with its own defaults, not a user's settings).
    None if an attribute cannot be written as JSON with sorted keys."""

    described = {
        "directed": graph.is_directed(),
        "multigraph": graph.is_multigraph(),
        "graph": graph.graph,
        "nodes": list(graph.nodes(data=True)),
        "edges": list(graph.edges(data=True)),
        "positions": [(v, [float(c) for c in xy]) for v, xy in pos.items()],
        "title": title,
    }
    try:
        text = json.dumps(described, sort_keys=True, default=repr, ensure_ascii=False)
    except (TypeError, ValueError):  # keys of mixed types, a circular structure
        return None
    return [text, memo.versions("matplotlib", "networkx", "numpy", "pillow")]


def _draw(
    graph: nx.Graph, fmts: Sequence[str], title: str | None, pos: style.Positions
) -> dict[str, bytes]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    n = graph.number_of_nodes()
    side = min(8.0 + 0.35 * n, 30.0)
    # Matplotlib's defaults, whatever a user's matplotlibrc says: the picture is a
    # function of the network alone (and may be kept, osce_kg.memo).
    with (
        plt.style.context("default"),
        matplotlib.rc_context({"svg.hashsalt": "osce-kg", "svg.fonttype": "none"}),
    ):
        fig, ax = plt.subplots(figsize=(side, side * 0.75), dpi=100)
        try:
            kinds = sorted({str(d.get("kind", "other")) for _, d in graph.nodes(data=True)})
            degree = dict(graph.degree())
            view = nx.Graph(graph) if not graph.is_directed() else nx.DiGraph(graph)
            nx.draw_networkx_edges(
                view, pos, ax=ax, edge_color="#999999", width=0.8, alpha=0.7, arrows=False
            )
            for kind in kinds:
                members = [
                    v for v, d in graph.nodes(data=True) if str(d.get("kind", "other")) == kind
                ]
                nx.draw_networkx_nodes(
                    view,
                    pos,
                    nodelist=members,
                    ax=ax,
                    node_color=[style.hex_colour(style.kind_colour(kind))],
                    node_size=[30 * style.node_size(int(degree.get(v, 0))) for v in members],
                    edgecolors="white",
                    linewidths=0.8,
                )
            labels = {v: _wrap(str(d.get("label", v))) for v, d in graph.nodes(data=True)}
            # Labels sit just below their node so the disc stays visible.
            offset = 0.035 if n > 1 else 0.0
            label_pos = {v: (x, y - offset) for v, (x, y) in pos.items()}
            nx.draw_networkx_labels(
                view, label_pos, labels=labels, ax=ax, font_size=7, verticalalignment="top"
            )
            handles = [
                Line2D(
                    [0],
                    [0],
                    marker="o",
                    linestyle="",
                    markersize=9,
                    markerfacecolor=style.hex_colour(style.kind_colour(k)),
                    markeredgecolor="white",
                    label=k,
                )
                for k in kinds
            ]
            if handles:
                ax.legend(handles=handles, title="kind", loc="upper left", frameon=True, fontsize=8)
            name = title if title is not None else str(graph.graph.get("name", ""))
            if name:
                ax.set_title(name)
            ax.set_axis_off()
            ax.margins(0.12)
            fig.tight_layout()
            out: dict[str, bytes] = {}
            for fmt in fmts:
                buf = io.BytesIO()
                metadata: dict[str, str | None] = (
                    {"Date": None, "Creator": "osce-kg"}
                    if fmt == "svg"
                    else {"Software": "osce-kg"}
                )
                fig.savefig(buf, format=fmt, metadata=metadata)
                out[fmt] = buf.getvalue()
            return out
        finally:
            plt.close(fig)


def draw_bytes(
    graph: nx.Graph,
    fmt: str,
    *,
    title: str | None = None,
    seed: int = LAYOUT_SEED,
    positions: style.Positions | None = None,
) -> bytes:
    """The picture of ``graph`` as PNG or SVG bytes (``fmt`` is ``png`` or ``svg``)."""
    return draw_pictures(graph, [fmt], title=title, seed=seed, positions=positions)[fmt]


def picture_format(path: Path) -> str:
    """``png`` or ``svg`` from the file name; InputError otherwise."""
    suffix = path.suffix.lower()
    if suffix not in DRAW_FORMATS:
        raise InputError(f"-o {path}: the picture must end in .png or .svg")
    return suffix[1:]


def draw_network(
    graph: nx.Graph,
    path: Path,
    *,
    title: str | None = None,
    seed: int = LAYOUT_SEED,
    positions: style.Positions | None = None,
) -> None:
    """Draw ``graph`` to ``path`` (``.png`` or ``.svg``), atomically."""
    draw_networks(graph, [path], title=title, seed=seed, positions=positions)


def draw_networks(
    graph: nx.Graph,
    paths: Sequence[Path],
    *,
    title: str | None = None,
    seed: int = LAYOUT_SEED,
    positions: style.Positions | None = None,
) -> None:
    """Draw ``graph`` to each of ``paths`` (``.png``, ``.svg``) from one figure, atomically."""
    fmts = [picture_format(p) for p in paths]
    pictures = draw_pictures(graph, fmts, title=title, seed=seed, positions=positions)
    for path, fmt in zip(paths, fmts, strict=True):
        atomic_write_bytes(path, pictures[fmt])
