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
sections, the kinds of node and the seeds — and imports only the standard
library, so that the command line reads
them (its choices and ``--help``) without loading NetworkX.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class NodeKind:
    """A kind of node: the ontology class that makes a resource one, and its colour."""

    name: str
    ontology_class: str
    """Local name in the okg: ontology."""
    colour: tuple[int, int, int]


# The most specific class decides a node's kind (the store holds inferred
# super-classes too, so an okg:FieldOperation is also an okg:Organization):
# the table is in that order.  Colours: the colour-blind-safe Okabe–Ito palette.
NODE_KINDS: tuple[NodeKind, ...] = (
    NodeKind("mission", "FieldOperation", (86, 180, 233)),
    NodeKind("person", "Person", (213, 94, 0)),
    NodeKind("territory", "Territory", (240, 228, 66)),
    NodeKind("country", "Country", (230, 159, 0)),
    NodeKind("city", "City", (153, 153, 153)),
    NodeKind("event", "Event", (0, 114, 178)),
    NodeKind("group", "StakeholderGroup", (204, 121, 167)),
    NodeKind("organisation", "Organization", (0, 158, 115)),
    NodeKind("post", "Post", (102, 102, 102)),
)
OTHER_KIND = "other"
"""The kind of a node of none of these classes."""
OTHER_COLOUR = (0, 0, 0)

COMMUNITY_SEED = 42
"""The default seed of community detection (Louvain)."""

LAYOUT_SEED = 7
"""The default seed of the layout (GEXF positions and pictures)."""

__all__ = [
    "COMMUNITY_SEED",
    "LAYOUT_SEED",
    "NETWORKS",
    "NODE_KINDS",
    "OTHER_COLOUR",
    "OTHER_KIND",
    "SECTIONS",
    "NodeKind",
]
