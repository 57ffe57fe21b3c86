"""Generated graphs with values that break naive exports, round-tripped.

Labels and values mix quotes, ampersands, angle brackets, non-ASCII
(O’Leary's curly apostrophe), tabs and newlines, and characters XML 1.0
cannot carry; attributes are missing (``None``), lists, numbers, booleans,
or named ``pid``, ``start``, ``end`` (which NetworkX's GEXF writer treats
specially).  Every format must be written without error, the GEXF must
validate and load in graphology-gexf and NetworkX, and labels and values must
come back as written — except characters XML forbids, documented to become
U+FFFD (checked here against the XML 1.0 ``Char`` production, not our code).
"""

from __future__ import annotations

import csv
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network_support import GexfSchemas, graphology_parse
from osce_kg.network.exports import FORMATS, export_network

TRICKY = [*list("\"'&<>’“”«»éßüЖ中\xa0\t\n\r"), "O’Leary", "a & b", "<tag>", "]]>", "&amp;"]
ALPHABET = st.characters(blacklist_categories=("Cs",)) | st.sampled_from(TRICKY)
TEXT = st.lists(ALPHABET | st.sampled_from(TRICKY), min_size=1, max_size=12).map("".join)
KEYS = st.sampled_from(["pid", "start", "end", "country", "note", "värde", "a b", "x&y", "<k>"])
VALUES = st.one_of(
    st.none(),
    TEXT,
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(TEXT, max_size=3),
)
DATES = st.sampled_from(
    [None, "2012-09-19", "2012-09-21", "2013-01-05", "not a date", "2012-13-01"]
)


def legal(text: str) -> str:
    """``text`` as XML 1.0 can carry it (the ``Char`` production), else U+FFFD."""

    def ok(c: str) -> bool:
        o = ord(c)
        return c in "\t\n\r" or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000

    return "".join(c if ok(c) else "\ufffd" for c in text)


@st.composite
def graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name=draw(TEXT))
    n = draw(st.integers(1, 6))
    for i in range(n):
        attrs = draw(st.dictionaries(KEYS, VALUES, max_size=4))
        attrs["label"] = draw(TEXT)
        attrs["kind"] = draw(st.sampled_from(["person", "event", "mission", "unknown-kind"]))
        if draw(st.booleans()):
            attrs["start_date"] = draw(DATES)
        graph.add_node(f"{i}:{draw(TEXT)}", **attrs)
    nodes = list(graph.nodes())
    for _ in range(draw(st.integers(0, 8))):
        u, v = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
        attrs = draw(st.dictionaries(KEYS, VALUES, max_size=3))
        attrs["relation"] = draw(TEXT)
        attrs["date"] = draw(DATES)
        if draw(st.booleans()):
            attrs["weight"] = draw(st.floats(0, 10) | st.integers(0, 5))
        graph.add_edge(u, v, **attrs)
    return graph


def expected_text(value: Any) -> str | None:
    """What a string-typed GEXF/GraphML value must read back as."""
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(legal(str(v)) for v in value)
    return legal(str(value))


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> GexfSchemas:
    return GexfSchemas(tmp_path_factory.mktemp("gexf-schemas"))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(graph=graphs())
def test_tricky_graphs_round_trip(graph: nx.MultiDiGraph, schemas: GexfSchemas) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        paths = {fmt: base / f"g.{fmt}" for fmt in FORMATS}
        for fmt, path in paths.items():
            export_network(graph, fmt, path)
        labels = {n: legal(d["label"]) for n, d in graph.nodes(data=True)}
        ids = {n: legal(n) for n in graph.nodes()}

        # GEXF: the schemas, NetworkX, graphology-gexf.
        assert schemas.errors(paths["gexf"]) == []
        back = nx.read_gexf(paths["gexf"], version="1.3")
        assert {n: d.get("label") for n, d in back.nodes(data=True)} == {
            ids[n]: labels[n] for n in graph.nodes()
        }
        assert back.number_of_edges() == graph.number_of_edges()
        parsed = graphology_parse([paths["gexf"]])[str(paths["gexf"])]
        assert parsed["ok"], parsed.get("error")
        assert (parsed["nodes"], parsed["edges"]) == (
            graph.number_of_nodes(),
            graph.number_of_edges(),
        )
        for node, data in graph.nodes(data=True):
            got = parsed["nodeData"][ids[node]]
            assert got["label"] == labels[node]
            for key, value in data.items():
                if key == "label":
                    continue
                if value is None or (isinstance(value, float) and not math.isfinite(value)):
                    continue
                if isinstance(value, str | list):
                    assert got.get(key) == expected_text(value), key
                    assert back.nodes[ids[node]].get(key) == expected_text(value), key
        relations = sorted(legal(d["relation"]) for *_, d in graph.edges(data=True))
        assert sorted(e["relation"] for e in parsed["edgeData"].values()) == relations

        # GraphML.
        graphml = nx.read_graphml(paths["graphml"])
        assert {n: d.get("label") for n, d in graphml.nodes(data=True)} == {
            ids[n]: labels[n] for n in graph.nodes()
        }
        assert graphml.number_of_edges() == graph.number_of_edges()

        # Gephi CSV.
        with (paths["csv"] / "nodes.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert {r["Id"]: r["Label"] for r in rows} == {ids[n]: labels[n] for n in graph.nodes()}
        with (paths["csv"] / "edges.csv").open(encoding="utf-8", newline="") as fh:
            assert len(list(csv.DictReader(fh))) == graph.number_of_edges()

        # Node-link JSON keeps the exact text and lists.
        data = json.loads(paths["json"].read_text(encoding="utf-8"))
        linked = nx.node_link_graph(data, edges="edges")
        for node, attrs in graph.nodes(data=True):
            assert linked.nodes[node]["label"] == attrs["label"]
            for key, value in attrs.items():
                if isinstance(value, list):
                    assert linked.nodes[node][key] == value


def test_legal_characters_are_replaced_not_dropped() -> None:
    # A hand-made case: a NUL and a vertical tab among ordinary text.
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="O’Leary\x00 & <b>\x0b", pid=None, start=[1, "x"], end=3)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.gexf"
        export_network(graph, "gexf", path)
        back = nx.read_gexf(path, version="1.3")
    node = back.nodes["a"]
    assert node["label"] == "O’Leary\ufffd & <b>\ufffd"
    assert "pid" not in node and node["start"] == "1; x" and node["end"] == 3
