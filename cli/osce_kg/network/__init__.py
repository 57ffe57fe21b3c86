"""Networks of actors and events, built from the graph by stored queries.

* :mod:`.queries` — the stored queries under ``queries/network/``;
* :mod:`.build` — the four networks as NetworkX multigraphs;
* :mod:`.analysis` — centralities, projections, components, communities,
  the who-spoke-where table;
* :mod:`.gexf` — GEXF 1.3 for Gephi and Gephi Lite (valid, dynamic, with viz);
* :mod:`.exports` — GraphML, Gephi spreadsheet CSVs, node-link JSON;
* :mod:`.draw` — a labelled picture (matplotlib).
"""

from __future__ import annotations

from .build import NETWORKS, build_network

__all__ = ["NETWORKS", "build_network"]
