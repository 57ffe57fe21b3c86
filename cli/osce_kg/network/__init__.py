"""Networks of actors and events, built from the graph by stored queries.

* :mod:`.queries` — the stored queries under ``queries/network/``;
* :mod:`.build` — the networks as NetworkX multigraphs;
* :mod:`.analysis` — centralities, projections, components, communities,
  the who-spoke-where table;
* :mod:`.exports` — the registry of export formats and :func:`~.exports.export_network`;
* :mod:`.gexf` — GEXF 1.3 for Gephi and Gephi Lite (valid, dynamic, with viz);
* :mod:`.writers` — GraphML, Gephi spreadsheet CSVs, node-link JSON;
* :mod:`.draw` — a labelled picture (matplotlib).

This module holds the registries of the package — the networks, the analysis
sections and the seeds — and imports nothing, so that the command line reads
them (its choices and ``--help``) without loading NetworkX.
"""

from __future__ import annotations

NETWORKS: dict[str, str] = {
    "speaker-event": "who spoke at which event (capacity, on behalf of, date)",
    "actor-event": "spoke, chaired, attended, participated, proposed, organised",
    "person-organisation": "posts held and the organisation hierarchy",
    "multigraph": "persons, organisations, missions, countries and events, every relation",
}
"""Network name -> what it shows (see :mod:`.build`)."""

SECTIONS: dict[str, str] = {
    "nodes": "degree, weighted degree, betweenness, PageRank, component, community per node",
    "persons": "persons who share an event (bipartite projection)",
    "events": "events that share a person or organisation (bipartite projection)",
    "components": "connected components",
    "communities": "Louvain communities (seeded)",
    "who-spoke-where": "speaker, event, capacity, on behalf of, dates",
}
"""Analysis section -> what its table holds (see :mod:`.analysis`)."""

COMMUNITY_SEED = 42
"""The default seed of community detection (Louvain)."""

LAYOUT_SEED = 7
"""The default seed of the layout (GEXF positions and pictures)."""

__all__ = ["COMMUNITY_SEED", "LAYOUT_SEED", "NETWORKS", "SECTIONS"]
