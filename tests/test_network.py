"""Networks built from the article's graph, and their analyses, checked by hand.

Expected results come from reading the article (graph/sources/…/source.txt):

* Zumrad Solieva spoke at the session of the OSCE missions' experts on police
  reform, as Deputy Head of the Directorate of International Cooperation and
  National Coordinator on Police Reform issues, from Tajikistan's Ministry of
  Internal Affairs; the session has no date in the article;
* Eoin O'Leary spoke at the opening ceremony of the Annual Police Experts
  Meeting (19–21 September 2012), as representative of the acting Irish
  Chairperson of the OSCE;
* Dzhurakhon Zoirov, representative of Tajikistan, Head of the Directorate on
  Combating Organized Crime, made a speech at the meeting;
* Knut Dreyer, the meeting's Chairperson, Head of the Strategic Police Matters
  Unit, proposed a regional Police Experts meeting (no date) at the meeting.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib.term import Identifier

from conftest import clean_env, osce_kg_exe
from osce_kg.network import NETWORKS, SECTIONS, analysis
from osce_kg.network.build import Facts, build_all, build_network, network_from_facts
from osce_kg.network.queries import load_query, queries_dir, query_names
from osce_kg.store import RdflibStore

ID = "https://w3id.org/osce-kg/id/"
SOLIEVA, OLEARY = ID + "person/zumrad-solieva", ID + "person/eoin-oleary"
ZOIROV, DREYER = ID + "person/dzhurakhon-zoirov", ID + "person/knut-dreyer"
MEETING = ID + "event/2012-annual-police-experts-meeting"
CEREMONY = ID + "event/2012-annual-police-experts-meeting-opening-ceremony"
SESSION = ID + "event/2012-osce-missions-police-reform-session"
PROPOSED = ID + "event/proposed-regional-police-experts-meeting-tajikistan"
TAJIKISTAN, UKRAINE = ID + "country/tajikistan", ID + "country/ukraine"
OSCE = ID + "organization/osce"
# The article's list of OSCE missions whose representatives took part in the session.
MISSION_PLACES = [
    "albania",
    "kosovo",
    "bosnia-and-herzegovina",
    "montenegro",
    "macedonia",
    "croatia",
    "azerbaijan",
    "armenia",
    "georgia",
    "moldova",
    "kazakhstan",
    "kyrgyzstan",
    "turkmenistan",
    "uzbekistan",
    "tajikistan",
]
MISSIONS = {f"{ID}organization/osce-mission-in-{p}" for p in MISSION_PLACES}


class RecordingStore:
    """The embedded store, remembering every query text it was asked."""

    def __init__(self, inner: RdflibStore) -> None:
        self.inner = inner
        self.queries: list[str] = []

    def select(
        self, query: str, bindings: Mapping[str, Identifier] | None = None, *, native: bool = False
    ) -> Any:
        self.queries.append(query)
        return self.inner.select(query, bindings, native=native)


@pytest.fixture(scope="module")
def store() -> RdflibStore:
    return RdflibStore.default()


@pytest.fixture(scope="module")
def facts(store: RdflibStore) -> Facts:
    return Facts.fetch(store)


def net(facts: Facts, name: str, roll_up: bool = False) -> nx.MultiDiGraph:
    return network_from_facts(facts, name, roll_up=roll_up)


def spoke(graph: nx.MultiDiGraph) -> dict[str, tuple[str, dict[str, Any]]]:
    """speaker -> (event, edge data) for the graph's speech edges (one each here)."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for u, v, d in graph.edges(data=True):
        if d["relation"] == "spoke":
            assert u not in out, f"{u} has two speeches"
            out[u] = (v, d)
    return out


# --------------------------------------------------------------------------- stored queries


def test_networks_come_only_from_the_stored_queries(store: RdflibStore) -> None:
    recorder = RecordingStore(store)
    build_network(recorder, "multigraph")  # type: ignore[arg-type]
    stored = {load_query(n).text for n in query_names()}
    assert recorder.queries, "no query was run"
    assert set(recorder.queries) <= stored
    assert len(set(recorder.queries)) == len(stored), "a stored network query is unused"


def test_every_network_query_has_a_summary_and_no_parameters() -> None:
    names = query_names()
    assert {"speeches", "event-roles", "posts", "organisation-hierarchy", "nodes"} <= set(names)
    for name in names:
        q = load_query(name)
        assert q.summary, f"{queries_dir() / name}.rq has no '#+ summary:'"
        assert q.kind == "SELECT"
        assert q.params == []


# --------------------------------------------------------------------------- who spoke where


def test_who_spoke_where_as_the_article_says(facts: Facts) -> None:
    speeches = spoke(net(facts, "speaker-event"))
    assert {s: e for s, (e, _) in speeches.items()} == {
        SOLIEVA: SESSION,
        OLEARY: CEREMONY,
        ZOIROV: MEETING,
        DREYER: MEETING,
    }
    solieva = speeches[SOLIEVA][1]
    assert "Deputy Head of the Directorate of International Cooperation" in solieva["capacity"]
    assert "National Coordinator on Police Reform" in solieva["capacity"]
    assert "Ministry of Internal Affairs" in solieva["on_behalf_of"]
    assert "date" not in solieva  # the article gives the session no date
    oleary = speeches[OLEARY][1]
    assert "Irish" in oleary["on_behalf_of"]
    assert "representative of the acting irish chairperson" in oleary["capacity"].lower()
    assert "date" not in oleary  # the ceremony itself has no date of its own
    zoirov = speeches[ZOIROV][1]
    assert "Head of the Directorate on Combating Organized Crime" in zoirov["capacity"]
    assert zoirov["on_behalf_of"] == "Tajikistan"
    assert (zoirov["date"], zoirov["end_date"]) == ("2012-09-19", "2012-09-21")
    dreyer = speeches[DREYER][1]
    assert "Strategic Police Matters Unit" in dreyer["capacity"]
    assert dreyer["role"] == "chair"
    assert "role" not in zoirov


def test_roll_up_moves_the_ceremony_speech_to_the_meeting(facts: Facts) -> None:
    graph = net(facts, "speaker-event", roll_up=True)
    speeches = spoke(graph)
    assert {s: e for s, (e, _) in speeches.items()} == {
        SOLIEVA: SESSION,
        OLEARY: MEETING,
        ZOIROV: MEETING,
        DREYER: MEETING,
    }
    oleary = speeches[OLEARY][1]
    assert oleary["delivered_at"].lower().startswith("opening ceremony")
    assert (oleary["date"], oleary["end_date"]) == ("2012-09-19", "2012-09-21")
    assert CEREMONY not in graph


def test_who_spoke_where_table(facts: Facts) -> None:
    columns, rows = analysis.who_spoke_where(net(facts, "speaker-event", roll_up=True))
    table = [dict(zip(columns, r, strict=True)) for r in rows]
    assert [(r["speaker_id"], r["event_id"]) for r in table] == [
        (ZOIROV, MEETING),
        (OLEARY, MEETING),
        (DREYER, MEETING),
        (SOLIEVA, SESSION),
    ]  # sorted by speaker label: Dzhurakhon, Eoin, Knut, Zumrad
    assert [r["date"] for r in table] == ["2012-09-19", "2012-09-19", "2012-09-19", None]


# --------------------------------------------------------------------------- hand-checked figures


def test_event_degrees_and_betweenness_by_hand(facts: Facts) -> None:
    # Four speeches: two at the meeting, one at the ceremony, one at the session.
    m = analysis.node_measures(net(facts, "speaker-event"))
    assert (m[MEETING]["degree"], m[CEREMONY]["degree"], m[SESSION]["degree"]) == (2, 1, 1)
    # 7 nodes; the meeting lies between Zoirov and Dreyer only: 1 pair x 2/((7-1)(7-2)).
    assert m[MEETING]["betweenness"] == pytest.approx(1 / 15, abs=1e-6)
    assert m[SOLIEVA]["betweenness"] == 0
    rolled = analysis.node_measures(net(facts, "speaker-event", roll_up=True))
    assert rolled[MEETING]["degree"] == 3
    # 6 nodes; three speakers pairwise through the meeting: 3 x 2/(5*4).
    assert rolled[MEETING]["betweenness"] == pytest.approx(0.3, abs=1e-6)
    assert sum(float(v["pagerank"] or 0) for v in rolled.values()) == pytest.approx(1, abs=1e-4)
    assert max(rolled, key=lambda n: float(rolled[n]["pagerank"] or 0)) == MEETING


def test_components_by_hand(facts: Facts) -> None:
    assert [len(c) for c in analysis.components(net(facts, "speaker-event"))] == [3, 2, 2]
    rolled = analysis.components(net(facts, "speaker-event", roll_up=True))
    assert [set(map(str, c)) for c in rolled] == [
        {MEETING, OLEARY, ZOIROV, DREYER},
        {SESSION, SOLIEVA},
    ]


def test_actor_event_relations_of_the_article(facts: Facts) -> None:
    graph = net(facts, "actor-event")
    relations = {(u, v, d["relation"]) for u, v, d in graph.edges(data=True)}
    assert {(DREYER, MEETING, "chaired"), (DREYER, MEETING, "spoke")} <= relations
    assert (DREYER, PROPOSED, "proposed") in relations
    assert (SOLIEVA, SESSION, "spoke") in relations
    assert (UKRAINE, SESSION, "participated") in relations
    at_session = {u for u, v, rel in relations if v == SESSION and rel == "participated"}
    assert at_session >= MISSIONS
    kinds = {graph.nodes[m]["kind"] for m in MISSIONS}
    assert kinds == {"mission"}
    # Dreyer chaired (okg:chair implies okg:participant): no separate "attended" edge.
    assert (DREYER, MEETING, "attended") not in relations
    # No dates are invented: only the meeting has them.
    assert "start_date" not in graph.nodes[SESSION]
    assert "start_date" not in graph.nodes[PROPOSED]
    assert graph.nodes[MEETING]["start_date"] == "2012-09-19"
    assert graph.nodes[PROPOSED]["status"] == "proposed"


def test_projections_by_hand(facts: Facts) -> None:
    # Rolled up, O'Leary, Zoirov and Dreyer all spoke at the meeting; Solieva
    # spoke elsewhere: three pairs sharing one event.
    _cols, rows = analysis.persons_table(net(facts, "speaker-event", roll_up=True))
    pairs = {frozenset((r[4], r[5])): r[2] for r in rows}
    assert pairs == {
        frozenset((OLEARY, ZOIROV)): 1,
        frozenset((OLEARY, DREYER)): 1,
        frozenset((ZOIROV, DREYER)): 1,
    }
    # Events sharing a person: the ceremony and the meeting (O'Leary attended
    # both), the meeting and the proposed meeting (Dreyer).
    _cols, rows = analysis.events_table(net(facts, "actor-event"))
    shared = {frozenset((r[4], r[5])) for r in rows}
    assert frozenset((MEETING, CEREMONY)) in shared
    assert frozenset((MEETING, PROPOSED)) in shared
    assert frozenset((MEETING, SESSION)) not in shared


def test_communities_are_seeded_and_partition_the_nodes(facts: Facts) -> None:
    graph = net(facts, "multigraph")
    first = analysis.communities(graph, seed=1)
    assert first == analysis.communities(graph, seed=1)
    members = [n for c in first for n in c]
    assert sorted(members, key=str) == sorted(graph.nodes(), key=str)
    assert len(first) > 1


def test_person_organisation_posts_and_hierarchy(facts: Facts) -> None:
    graph = net(facts, "person-organisation")
    spmu = ID + "organization/osce-strategic-police-matters-unit"
    edges = {(u, v, d["relation"]) for u, v, d in graph.edges(data=True)}
    assert (DREYER, spmu, "held-post") in edges
    assert (spmu, ID + "organization/osce-secretariat", "part-of") in edges
    assert all((m, OSCE, "part-of") in edges for m in MISSIONS)
    assert graph.nodes[OLEARY]["country"] == "Ireland"


def test_multigraph_holds_every_kind(facts: Facts) -> None:
    graph = net(facts, "multigraph")
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert {"person", "organisation", "mission", "country", "territory", "event"} <= kinds
    assert graph.nodes[ID + "territory/kosovo"]["kind"] == "territory"
    relations = {(u, v, d["relation"]) for u, v, d in graph.edges(data=True)}
    assert (ZOIROV, TAJIKISTAN, "spoke-on-behalf-of") in relations
    assert (CEREMONY, MEETING, "sub-event-of") in relations
    assert (SESSION, MEETING, "precedes") in relations


def test_build_all_runs_each_stored_query_once(store: RdflibStore, facts: Facts) -> None:
    recorder = RecordingStore(store)
    graphs = build_all(recorder)  # type: ignore[arg-type]
    assert sorted(recorder.queries) == sorted(load_query(n).text for n in query_names())
    assert list(graphs) == list(NETWORKS)
    for name, graph in graphs.items():
        alone = net(facts, name)
        assert list(graph.nodes(data=True)) == list(alone.nodes(data=True)), name
        assert list(graph.edges(keys=True, data=True)) == list(alone.edges(keys=True, data=True))


def test_measures_computed_once_give_the_same_tables(facts: Facts) -> None:
    graph = net(facts, "multigraph")
    measures = analysis.measure(graph)
    assert measures.components == analysis.components(graph)
    assert measures.communities == analysis.communities(graph)
    assert measures.nodes == analysis.node_measures(graph)
    for section in SECTIONS:
        assert analysis.section_table(graph, section, measures=measures) == (
            analysis.section_table(graph, section)
        ), section
    annotated = analysis.annotate(net(facts, "multigraph"), measures=measures)
    assert dict(annotated.nodes(data=True)) == dict(
        analysis.annotate(net(facts, "multigraph")).nodes(data=True)
    )


def test_sections_that_do_not_apply(facts: Facts) -> None:
    posts = net(facts, "person-organisation")
    assert analysis.inapplicable(posts, "persons") == "the network has no event nodes"
    assert analysis.inapplicable(posts, "events") == "the network has no event nodes"
    for name in ("speaker-event", "actor-event", "multigraph"):
        graph = net(facts, name)
        assert [s for s in SECTIONS if analysis.inapplicable(graph, s)] == [], name
    for section in ("nodes", "components", "communities", "who-spoke-where"):
        assert analysis.inapplicable(posts, section) is None
    events_only = nx.MultiDiGraph()
    events_only.add_node("e", kind="event")
    assert analysis.inapplicable(events_only, "events") == (
        "the network has no person or organisation nodes"
    )
    assert analysis.inapplicable(events_only, "persons") == "the network has no person nodes"


def test_one_figure_draws_the_same_pictures(facts: Facts) -> None:
    from osce_kg.network import draw, style

    graph = net(facts, "speaker-event", roll_up=True)
    both = draw.draw_pictures(graph, ["png", "svg"], positions=style.layout(graph))
    assert both == {fmt: draw.draw_bytes(graph, fmt) for fmt in ("png", "svg")}


def test_build_is_deterministic(store: RdflibStore) -> None:
    for name in NETWORKS:
        a, b = build_network(store, name), build_network(store, name)
        assert list(a.nodes(data=True)) == list(b.nodes(data=True))
        assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


# --------------------------------------------------------------------------- CLI


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*osce_kg_exe(), *args],
        capture_output=True,
        text=True,
        env=clean_env(**env),
        timeout=300,
    )


def test_cli_analyze_json_who_spoke_where() -> None:
    done = run_cli("network", "analyze", "speaker-event", "--roll-up", "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["network"] == "speaker-event" and doc["roll_up"] is True
    assert {(r["speaker_id"], r["event_id"]) for r in doc["who-spoke-where"]} == {
        (SOLIEVA, SESSION),
        (OLEARY, MEETING),
        (ZOIROV, MEETING),
        (DREYER, MEETING),
    }
    degrees = {r["node"]: r["degree"] for r in doc["nodes"]}
    assert degrees[MEETING] == 3


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = run_cli("network", "analyze", "speaker-event", "--format", "csv")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "--section" in done.stderr
    done = run_cli("network", "draw", "speaker-event", "-o", str(tmp_path / "x.jpg"))
    assert done.returncode == 2 and "x.jpg" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.jpg").exists()
    done = run_cli("network", "export", "no-such-network", "--format", "gexf", "-o", "x")
    assert done.returncode == 2 and "no-such-network" in done.stderr
    done = run_cli(
        "network", "analyze", "speaker-event", NETWORKX_BACKEND_PRIORITY="no-such-backend"
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "NETWORKX_BACKEND_PRIORITY" in done.stderr


def test_cli_draw_is_deterministic(tmp_path: Path) -> None:
    for suffix in ("svg", "png"):
        a, b = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        for out in (a, b):
            done = run_cli("network", "draw", "speaker-event", "-o", str(out))
            assert done.returncode == 0, done.stderr
        assert a.read_bytes() == b.read_bytes()
    svg = (tmp_path / "a.svg").read_text(encoding="utf-8")
    assert "Eoin O’Leary" in svg and "Zumrad Solieva" in svg  # labels, as text
    assert ">kind<" in svg and ">person<" in svg and ">event<" in svg  # the legend
    assert (tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_same_networks_on_oxigraph(facts: Facts) -> None:
    """The stored queries give the same networks on Oxigraph as on rdflib."""
    from osce_kg.specs import StoreSpec

    on_oxigraph = Facts.fetch(StoreSpec("oxigraph").open())
    for name in NETWORKS:
        a, b = net(facts, name, roll_up=True), net(on_oxigraph, name, roll_up=True)
        assert list(a.nodes(data=True)) == list(b.nodes(data=True)), name
        assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True)), name


def test_cli_export_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    """Set order varies with PYTHONHASHSEED; layout, communities and files must not."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"m{seed}.gexf"
        done = run_cli(
            "network",
            "export",
            "multigraph",
            "--format",
            "gexf",
            "-o",
            str(out),
            PYTHONHASHSEED=seed,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"<viz:position" in outputs[0] and b'title="community"' in outputs[0]


def test_cli_choices_come_from_the_registries() -> None:
    """The command reads the package's registries (which load no NetworkX)."""
    import click

    from osce_kg.commands.network import network
    from osce_kg.network import COMMUNITY_SEED, LAYOUT_SEED, style
    from osce_kg.network.exports import EXPORTERS

    def choices(command: str, param: str) -> list[str]:
        found = next(p for p in network.commands[command].params if p.name == param)
        assert isinstance(found.type, click.Choice)
        return list(found.type.choices)

    for command in ("analyze", "export", "draw"):
        assert choices(command, "name") == list(NETWORKS)
    assert choices("analyze", "section") == ["all", *SECTIONS]
    assert choices("export", "fmt") == list(EXPORTERS)
    assert analysis.SEED == COMMUNITY_SEED and style.LAYOUT_SEED == LAYOUT_SEED
    seeds = {
        name: next(p.default for p in command.params if p.name == "seed")
        for name, command in network.commands.items()
        if any(p.name == "seed" for p in command.params)
    }
    assert seeds == {"analyze": COMMUNITY_SEED, "draw": LAYOUT_SEED}
    assert all(name in (network.help or "") for name in NETWORKS)


def test_both_pagerank_implementations_give_the_same_figures() -> None:
    """PageRank runs on NetworkX's pure-Python iteration for small networks and on
    its SciPy one for large ones: the same six decimals on every network of the
    article and on a random network past the switch."""
    from osce_kg.store import OxigraphStore

    views = [analysis.simple_view(g) for g in build_all(OxigraphStore.open()).values()]
    big = nx.gnm_random_graph(2_000, analysis.PAGERANK_PYTHON_EDGES + 1, seed=3)
    nx.set_edge_attributes(big, {e: 1 + i % 3 for i, e in enumerate(big.edges())}, "weight")
    views.append(big)
    for view in views:
        scipy_ranks = nx.pagerank(view, weight="weight") if len(view) else {}
        python_ranks = nx.algorithms.link_analysis.pagerank_alg._pagerank_python(
            view, weight="weight"
        ) if len(view) else {}  # fmt: skip
        ours = analysis.pagerank(view)
        assert set(ours) == set(view.nodes())
        for node in view:
            assert round(ours[node], 6) == round(scipy_ranks[node], 6)
            assert round(python_ranks[node], 6) == round(scipy_ranks[node], 6)
