"""Every export format for every network, read back by the tools users open.

GEXF: the official schemas (XSD + RELAX NG), graphology-gexf (Gephi Lite's
parser, in node) and ``networkx.read_gexf``; GraphML: ``networkx.read_graphml``;
CSV: Gephi's spreadsheet columns; JSON: ``networkx.node_link_graph``.  Node,
edge and attribute counts must equal those of the NetworkX graph exported.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree

from network_support import GexfSchemas, graphology_parse
from osce_kg.network import NETWORKS
from osce_kg.network.analysis import annotate
from osce_kg.network.build import Facts, network_from_facts
from osce_kg.network.exports import FORMATS, export_network
from osce_kg.store import RdflibStore

ID = "https://w3id.org/osce-kg/id/"
MEETING = ID + "event/2012-annual-police-experts-meeting"
SESSION = ID + "event/2012-osce-missions-police-reform-session"
OLEARY = ID + "person/eoin-oleary"
ZOIROV = ID + "person/dzhurakhon-zoirov"
GEXF = "{http://gexf.net/1.3}"

CASES = [(name, False) for name in NETWORKS] + [("speaker-event", True)]
CASE_IDS = [f"{n}{'-rolled' if r else ''}" for n, r in CASES]


def _paths(base: Path, case: str) -> dict[str, Path]:
    suffix = {"gexf": ".gexf", "graphml": ".graphml", "csv": "-csv", "json": ".json"}
    return {fmt: base / f"{case}{suffix[fmt]}" for fmt in FORMATS}


@pytest.fixture(scope="module")
def exported(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[nx.MultiDiGraph, dict[str, Path]]]:
    facts = Facts.fetch(RdflibStore.default())
    base = tmp_path_factory.mktemp("exports")
    out = {}
    for (name, roll_up), case in zip(CASES, CASE_IDS, strict=True):
        graph = annotate(network_from_facts(facts, name, roll_up=roll_up))
        paths = _paths(base, case)
        for fmt, path in paths.items():
            export_network(graph, fmt, path)
        out[case] = (graph, paths)
    return out


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> GexfSchemas:
    return GexfSchemas(tmp_path_factory.mktemp("gexf-schemas"))


@pytest.fixture(scope="module")
def graphology(
    exported: dict[str, tuple[nx.MultiDiGraph, dict[str, Path]]],
) -> dict[str, dict[str, Any]]:
    return graphology_parse([paths["gexf"] for _, paths in exported.values()])


def _keys(items: Any, reserved: set[str]) -> set[str]:
    return {str(k) for d in items for k in d} - reserved


@pytest.mark.parametrize("case", CASE_IDS)
def test_gexf_validates_against_the_official_schemas(
    case: str, exported: dict[str, Any], schemas: GexfSchemas
) -> None:
    _graph, paths = exported[case]
    assert schemas.errors(paths["gexf"]) == []
    root = etree.parse(str(paths["gexf"])).getroot()
    graph_el = root.find(f"{GEXF}graph")
    assert graph_el is not None and "name" not in graph_el.attrib
    assert root.get("version") == "1.3"


@pytest.mark.parametrize("case", CASE_IDS)
def test_gexf_counts_in_networkx(case: str, exported: dict[str, Any]) -> None:
    graph, paths = exported[case]
    back = nx.read_gexf(paths["gexf"], version="1.3")
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert {n: d["label"] for n, d in back.nodes(data=True)} == {
        n: d["label"] for n, d in graph.nodes(data=True)
    }
    root = etree.parse(str(paths["gexf"])).getroot()
    declared = {
        el.get("class"): {a.get("title") for a in el.iter(f"{GEXF}attribute")}
        for el in root.iter(f"{GEXF}attributes")
    }
    assert declared["node"] == _keys((d for _, d in graph.nodes(data=True)), {"label"})
    assert declared["edge"] == _keys((d for *_, d in graph.edges(data=True)), {"weight"})
    for node, data in graph.nodes(data=True):
        read = back.nodes[node]
        for key in ("kind", "iri", "country", "degree"):
            assert read.get(key) == data.get(key), (node, key)
    relations = sorted(str(d["relation"]) for *_, d in back.edges(data=True))
    assert relations == sorted(str(d["relation"]) for *_, d in graph.edges(data=True))


@pytest.mark.parametrize("case", CASE_IDS)
def test_gexf_loads_in_graphology(
    case: str, exported: dict[str, Any], graphology: dict[str, dict[str, Any]]
) -> None:
    graph, paths = exported[case]
    result = graphology[str(paths["gexf"])]
    assert result["ok"], result.get("error")
    assert (result["nodes"], result["edges"]) == (graph.number_of_nodes(), graph.number_of_edges())
    assert result["type"] == "directed"
    for node, data in graph.nodes(data=True):
        got = result["nodeData"][node]
        assert got["label"] == data["label"]
        assert got["kind"] == data["kind"] and got["iri"] == data["iri"]
        assert got["color"].startswith("rgb(") and got["size"] > 0
        assert isinstance(got["x"], int | float) and isinstance(got["y"], int | float)
        assert got["degree"] == data["degree"]
    kinds = sorted(e["kind"] for e in result["edgeData"].values())
    assert kinds == sorted(str(d["relation"]) for *_, d in graph.edges(data=True))


def test_gexf_timeline_only_from_stated_dates(exported: dict[str, Any]) -> None:
    _graph, paths = exported["speaker-event"]
    root = etree.parse(str(paths["gexf"])).getroot()
    graph_el = root.find(f"{GEXF}graph")
    assert graph_el is not None
    assert (graph_el.get("mode"), graph_el.get("timeformat")) == ("dynamic", "date")

    def spells(node: str) -> list[tuple[str | None, str | None]]:
        el = next(n for n in root.iter(f"{GEXF}node") if n.get("id") == node)
        return [(s.get("start"), s.get("end")) for s in el.iter(f"{GEXF}spell")]

    assert spells(MEETING) == [("2012-09-19", "2012-09-21")]
    assert spells(ZOIROV) == [("2012-09-19", "2012-09-21")]  # he acts only at the meeting
    assert spells(SESSION) == []  # the article gives the session no date
    assert spells(OLEARY) == []  # nor the opening ceremony
    back = nx.read_gexf(paths["gexf"], version="1.3")
    assert back.nodes[MEETING]["spells"] == [("2012-09-19", "2012-09-21")]


def test_schema_check_catches_the_networkx_defects(
    exported: dict[str, Any], schemas: GexfSchemas, tmp_path: Path
) -> None:
    """The check is real: ``<graph name="">`` (what networkx writes) and a bad
    ``viz:color`` (only RELAX NG sees viz) both fail."""
    _, paths = exported["speaker-event"]
    text = paths["gexf"].read_text(encoding="utf-8")
    named = tmp_path / "named.gexf"
    named.write_text(text.replace("<graph ", '<graph name="" ', 1), encoding="utf-8")
    assert any("name" in e for e in schemas.errors(named))
    bad_viz = tmp_path / "viz.gexf"
    bad_viz.write_text(text.replace('<viz:color r="', '<viz:color r="300', 1), encoding="utf-8")
    assert any(e.startswith("RNG") for e in schemas.errors(bad_viz))


@pytest.mark.parametrize("case", CASE_IDS)
def test_graphml_round_trip(case: str, exported: dict[str, Any]) -> None:
    graph, paths = exported[case]
    back = nx.read_graphml(paths["graphml"])
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert _keys((d for _, d in back.nodes(data=True)), set()) == _keys(
        (d for _, d in graph.nodes(data=True)), set()
    )
    # read_graphml adds each edge's GraphML id as an "id" attribute.
    assert _keys((d for *_, d in back.edges(data=True)), {"id"}) == _keys(
        (d for *_, d in graph.edges(data=True)), set()
    )
    for node, data in graph.nodes(data=True):
        assert back.nodes[node]["label"] == data["label"]
        assert back.nodes[node]["degree"] == data["degree"]


@pytest.mark.parametrize("case", CASE_IDS)
def test_gephi_csv(case: str, exported: dict[str, Any]) -> None:
    graph, paths = exported[case]
    with (paths["csv"] / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with (paths["csv"] / "edges.csv").open(encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    assert list(nodes[0])[:2] == ["Id", "Label"]
    assert list(edges[0])[:6] == ["Source", "Target", "Type", "Id", "Label", "Weight"]
    node_keys = _keys((d for _, d in graph.nodes(data=True)), {"label"})
    assert set(nodes[0]) == {"Id", "Label", "Interval"} | node_keys
    assert {r["Id"]: r["Label"] for r in nodes} == {
        n: d["label"] for n, d in graph.nodes(data=True)
    }
    assert {r["Type"] for r in edges} == {"Directed"}
    pairs = sorted((r["Source"], r["Target"], r["relation"]) for r in edges)
    assert pairs == sorted((u, v, d["relation"]) for u, v, d in graph.edges(data=True))
    if case == "speaker-event":
        by_id = {r["Id"]: r for r in nodes}
        assert by_id[MEETING]["Interval"] == "<[2012-09-19, 2012-09-21]>"
        assert by_id[SESSION]["Interval"] == ""


@pytest.mark.parametrize("case", CASE_IDS)
def test_node_link_json_round_trip(case: str, exported: dict[str, Any]) -> None:
    graph, paths = exported[case]
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    back = nx.node_link_graph(data, edges="edges")
    assert back.is_multigraph() and back.is_directed()
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(back.edges(keys=True)) == sorted(graph.edges(keys=True))
    for u, v, k, d in graph.edges(keys=True, data=True):
        assert back.edges[u, v, k] == d


def test_exports_are_deterministic(exported: dict[str, Any], tmp_path: Path) -> None:
    graph, paths = exported["multigraph"]
    for fmt in FORMATS:
        again = tmp_path / f"again-{fmt}"
        export_network(graph, fmt, again)
        if fmt == "csv":
            for name in ("nodes.csv", "edges.csv"):
                assert (again / name).read_bytes() == (paths[fmt] / name).read_bytes()
        else:
            assert again.read_bytes() == paths[fmt].read_bytes(), fmt
