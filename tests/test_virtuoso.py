"""Every stored query, network query and check on Virtuoso gives the embedded
store's rows.

A real Virtuoso Open Source server (Debian's ``virtuoso-opensource``, which
``.ci/run`` installs) is started on 127.0.0.1 with a throw-away database
folder and stopped by its PID (:mod:`servers`).  The dataset is loaded the way docs/queries.md
tells users: the update right granted once, then ``osce-kg load`` into a named
graph through Virtuoso's Graph Store endpoint, and every query is sent with
``--graph`` (Virtuoso's default graph is the union of all its graphs).

Where Virtuoso answers wrongly, the query is written around it (docs/queries.md
lists the bugs): no query is skipped and no row may differ.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from rdflib.compare import isomorphic

from osce_kg.assembly import triple_count
from osce_kg.catalogue import catalogue
from osce_kg.cli import main
from osce_kg.queries import StoredQuery, bind_values
from osce_kg.specs import StoreSpec
from osce_kg.store import OxigraphStore
from servers import virtuoso_server

pytestmark = pytest.mark.slow

GRAPH = "https://w3id.org/osce-kg/graph/all"
ID = "https://w3id.org/osce-kg/id/"
SAMPLE = {
    "person": ID + "person/zumrad-solieva",
    "event": ID + "event/2012-annual-police-experts-meeting",
    "topic": ID + "topic/extremism",
    "resource": ID + "agreement/tajikistan-osce-mou-police-reform",
}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running Virtuoso with the dataset in GRAPH: its SPARQL endpoint URL."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        try:
            main(["load", "--endpoint", server.graph_store, "--graph", GRAPH])
        except SystemExit as exc:
            assert not exc.code
        yield server.sparql


QUERIES = catalogue(all_folders=True)


def _bindings(q: StoredQuery) -> dict[str, object]:
    return dict(bind_values(q, {p.name: SAMPLE[p.name] for p in q.params if p.name in SAMPLE}))


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_virtuoso_gives_the_embedded_rows(virtuoso: str, query: StoredQuery) -> None:
    local = OxigraphStore.open()
    remote = StoreSpec(endpoint=virtuoso, graphs=(GRAPH,), timeout=120).open()
    bindings = _bindings(query)
    if query.kind == "SELECT":
        mine, theirs = local.select(query.text, bindings), remote.select(query.text, bindings)
        assert theirs.variables == mine.variables
        assert Counter(theirs.rows) == Counter(mine.rows)
    elif query.kind == "CONSTRUCT":
        mine_g, theirs_g = (
            local.construct(query.text, bindings),
            remote.construct(query.text, bindings),
        )
        assert len(mine_g) > 0 and isomorphic(mine_g, theirs_g)
    else:  # DESCRIBE: implementation-defined, but the resource's own triples are in it
        subject = next(iter(bindings.values())).value  # an Oxigraph NamedNode
        own = local.construct(f"CONSTRUCT {{ <{subject}> ?p ?o }} WHERE {{ <{subject}> ?p ?o }}")
        described = remote.construct(query.text, bindings)
        assert set(own) <= set(described)


def test_graph_counts_the_dataset_not_the_server(
    virtuoso: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Virtuoso's default graph is the union of its graphs (its own system graphs
    included): with --graph the counts are the dataset's, not the server's."""
    from conftest import osce

    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    code, out, _ = osce(
        capsys,
        "query",
        "sparql",
        "-e",
        q,
        "--format",
        "csv",
        "--endpoint",
        virtuoso,
        "--graph",
        GRAPH,
    )
    assert code == 0
    assert int(out.splitlines()[1]) == triple_count(OxigraphStore.open().store)


def test_ask_is_a_boolean_on_virtuoso(virtuoso: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Virtuoso answers ASK as a SELECT of ?__ASK_RETVAL (a row of 1, or none); the client reads
    the boolean it means (docs/queries.md)."""
    from conftest import osce

    person = f"<{SAMPLE['person']}>"
    for pattern, expected in (
        (f"{person} a okg:Person", "true"),
        (f"{person} a okg:Event", "false"),
    ):
        code, out, err = osce(
            capsys, "query", "sparql", "-e", f"ASK {{ {pattern} }}",
            "--endpoint", virtuoso, "--graph", GRAPH,
        )  # fmt: skip
        assert code == 0, err
        assert out.strip() == expected


def test_load_through_sparql_update_on_virtuoso(virtuoso: str) -> None:
    """`load --protocol update` into a second graph gives the same triples as the
    Graph Store load of the fixture."""
    other = "urn:osce-kg:test:by-update"
    try:
        main(["load", "--endpoint", virtuoso, "--protocol", "update", "--graph", other])
    except SystemExit as exc:
        assert not exc.code
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    by_update = StoreSpec(endpoint=virtuoso, graphs=(other,)).open().select(count).rows
    by_put = StoreSpec(endpoint=virtuoso, graphs=(GRAPH,)).open().select(count).rows
    assert by_update == by_put and int(by_put[0][0]) == triple_count(OxigraphStore.open().store)
