"""Export a network for other tools: the one registry of export formats.

Each :class:`Exporter` names a format, the suffix of its file (or that it
writes a folder), what it is for, and its writer; the command line's choices
and ``--help``, the build's exports and :func:`export_network` all read
:data:`EXPORTERS`.  This module imports no NetworkX: each writer loads its
module when it runs, so the command line can read the registry at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    import networkx as nx

    from .style import Positions

Writer = Callable[["nx.Graph", Path, "Positions | None"], None]
"""``(graph, path, positions)``: write ``graph`` to ``path``; ``positions`` is
its layout (:func:`.style.layout`) if already computed, used by formats that
carry one."""


@dataclass(frozen=True)
class Exporter:
    """One export format."""

    name: str
    suffix: str
    """The file's suffix (``.gexf``), or ``""`` for a format that writes a folder."""
    description: str
    """What reads it, for ``--help``."""
    write: Writer

    @property
    def folder(self) -> bool:
        return not self.suffix


def _gexf(graph: nx.Graph, path: Path, positions: Positions | None) -> None:
    from .gexf import write_gexf

    write_gexf(graph, path, positions=positions)


def _graphml(graph: nx.Graph, path: Path, positions: Positions | None) -> None:
    from .writers import write_graphml

    write_graphml(graph, path)


def _gephi_csv(graph: nx.Graph, path: Path, positions: Positions | None) -> None:
    from .writers import write_gephi_csv

    write_gephi_csv(graph, path)


def _node_link_json(graph: nx.Graph, path: Path, positions: Positions | None) -> None:
    from .writers import write_json

    write_json(graph, path)


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("gexf", ".gexf", "Gephi, Gephi Lite", _gexf),
        Exporter("graphml", ".graphml", "Cytoscape, yEd", _graphml),
        Exporter("csv", "", "a folder with Gephi's nodes.csv and edges.csv", _gephi_csv),
        Exporter("json", ".json", "NetworkX node-link", _node_link_json),
    )
}

FORMATS = tuple(EXPORTERS)


def export_network(
    graph: nx.Graph, fmt: str, path: Path, *, positions: Positions | None = None
) -> None:
    """Write ``graph`` to ``path`` in ``fmt`` (for a folder format, ``path`` is a folder).

    ``positions``: the layout of ``graph`` (:func:`.style.layout`), if already
    computed; formats that carry a layout compute it otherwise.
    """
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise InputError(f"--format: unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    if exporter.folder and path.exists() and not path.is_dir():
        raise InputError(f"{path}: {fmt} export writes a folder; this is a file")
    if not exporter.folder and path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name for {fmt}")
    exporter.write(graph, path, positions)


__all__ = ["EXPORTERS", "FORMATS", "Exporter", "export_network"]
