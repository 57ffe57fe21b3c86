"""The same stored queries on every back end, uploads, the local server, and faults.

A real Oxigraph server (the ``oxigraph`` PyPI package) is started on 127.0.0.1
on a free port, loaded through ``osce-kg load`` and stopped by its PID.  Faults
(endpoint down, 500 then success, too slow, 401) are played by a tiny
``http.server`` fake, also on 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import osce
from osce_kg import namespaces as ns
from osce_kg.assembly import triple_count
from osce_kg.catalogue import catalogue
from osce_kg.cli import main
from osce_kg.endpoint import EndpointStore, put_graph
from osce_kg.errors import EndpointError, InputError
from osce_kg.queries import StoredQuery, bind_values
from osce_kg.resultset import Store
from osce_kg.sparql_results import SELECT_FORMATS, render_select
from osce_kg.specs import StoreSpec
from osce_kg.store import OxigraphStore, RdflibStore
from servers import free_port, oxigraph_server, wait_for

ID = "https://w3id.org/osce-kg/id/"
SAMPLE = {
    "person": ID + "person/zumrad-solieva",
    "event": ID + "event/2012-annual-police-experts-meeting",
    "topic": ID + "topic/extremism",
    "resource": ID + "agreement/tajikistan-osce-mou-police-reform",
}
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server: its base URL (…/query, …/store)."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-db")) as base:
        yield base


@pytest.fixture(scope="module")
def loaded(server: str) -> str:
    """The server with the dataset loaded by `osce-kg load`; its query URL."""
    try:
        main(["load", "--endpoint", f"{server}/store"])
    except SystemExit as exc:
        assert not exc.code
    return f"{server}/query"


@pytest.fixture(scope="module")
def stores(loaded: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Store]:
    return {
        "embedded": RdflibStore.default(),
        "oxigraph": OxigraphStore.open(),
        "server": StoreSpec(endpoint=loaded, timeout=30).open(),
    }


def _bindings(q: StoredQuery) -> dict[str, Any]:
    return bind_values(q, {p.name: SAMPLE[p.name] for p in q.params if p.name in SAMPLE})


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_same_answers_on_every_backend(stores: dict[str, Store], query: StoredQuery) -> None:
    bindings = _bindings(query)
    if query.kind == "SELECT":
        answers = {name: s.select(query.text, bindings) for name, s in stores.items()}
        reference = answers["embedded"]
        assert reference.rows, f"{query.name} gives no rows on the article's graph"
        for name, result in answers.items():
            assert result.variables == reference.variables, name
            assert Counter(result.rows) == Counter(reference.rows), name
    elif query.kind == "CONSTRUCT":
        graphs = {name: s.construct(query.text, bindings) for name, s in stores.items()}
        for name, g in graphs.items():
            assert len(g) > 0 and isomorphic(g, graphs["embedded"]), name
    else:
        # What DESCRIBE returns is implementation-defined; every engine must at
        # least give the resource's own triples.
        subject = next(iter(bindings.values())).value  # an Oxigraph NamedNode
        own = {
            (p, o)
            for p, o in stores["embedded"]
            .construct(f"CONSTRUCT {{ <{subject}> ?p ?o }} WHERE {{ <{subject}> ?p ?o }}")
            .predicate_objects(rdflib.URIRef(subject))
        }
        for name, s in stores.items():
            g = s.construct(query.text, bindings)
            assert own <= set(g.predicate_objects(rdflib.URIRef(subject))), name


_EVERYDAY = {q.name for q in catalogue()}
_OTHERS = [q for q in catalogue(all_folders=True) if q.name not in _EVERYDAY]


@pytest.mark.parametrize("query", _OTHERS, ids=lambda q: q.name)
def test_network_queries_and_checks_on_the_server(
    stores: dict[str, Store], query: StoredQuery
) -> None:
    """The network queries and the checks (which may rightly give no rows on the
    article) give the embedded store's rows on the server too, as on Virtuoso
    (tests/test_virtuoso.py)."""
    assert query.kind == "SELECT"
    bindings = _bindings(query)
    mine = stores["oxigraph"].select(query.text, bindings)
    theirs = stores["server"].select(query.text, bindings)
    assert theirs.variables == mine.variables
    assert Counter(theirs.rows) == Counter(mine.rows)


@pytest.mark.parametrize(
    "query", [q for q in catalogue() if q.kind == "SELECT"], ids=lambda q: q.name
)
def test_native_oxigraph_rows_are_written_as_converted_ones(
    stores: dict[str, Store], query: StoredQuery
) -> None:
    """`query run` writes Oxigraph's own terms; every format must read as the rdflib rows do."""
    bindings = _bindings(query)
    store = stores["oxigraph"]
    native = store.select(query.text, bindings, native=True)
    converted = store.select(query.text, bindings)
    assert native.rows and not isinstance(native.rows[0][0], rdflib.term.Identifier)
    for fmt in SELECT_FORMATS:
        assert render_select(native, fmt) == render_select(converted, fmt), fmt


def test_dataset_store_is_built_once_and_reused() -> None:
    from osce_kg.layout import DataLayout
    from osce_kg.store import dataset_store

    first = dataset_store()
    n = len(first)
    del first
    [folder] = _store_folders(DataLayout.default())
    built = folder.stat().st_mtime_ns
    again = dataset_store()
    assert len(again) == n
    assert folder.stat().st_mtime_ns == built  # opened as it was, not rebuilt


def _store_folders(layout: Any) -> list[Path]:
    """The cached stores of one data folder."""
    import hashlib

    from osce_kg.layout import cache_root

    where = hashlib.sha256(str(layout.root.resolve()).encode()).hexdigest()[:12]
    return list(cache_root().glob(f"store-{where}-*"))


def test_dataset_store_is_rebuilt_when_the_data_change(tmp_path: Path) -> None:
    import shutil

    from osce_kg.assembly import triple_count
    from osce_kg.layout import DataLayout
    from osce_kg.store import dataset_store

    data = tmp_path / "data"
    for name in ("ontology", "shapes", "queries", "graph"):
        shutil.copytree(DataLayout.default().root / name, data / name)
    layout = DataLayout(data)
    before = triple_count(dataset_store(layout))
    (data / "graph" / "shared" / "extra.ttl").write_text(
        '<https://w3id.org/osce-kg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n',
        encoding="utf-8",
    )
    assert triple_count(dataset_store(layout)) == before + 1
    # Only the store of the current data is kept.
    assert len(_store_folders(layout)) == 1


def test_two_processes_building_the_store_at_once_both_get_it() -> None:
    import shutil
    import subprocess
    import sys

    from osce_kg.layout import DataLayout, cache_root

    for old in _store_folders(DataLayout.default()):
        shutil.rmtree(old)
    code = "from osce_kg.store import dataset_store; print(len(dataset_store()))"
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    counts = {p.communicate(timeout=300)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert len(counts) == 1 and int(counts.pop()) > 0
    assert not list(cache_root().glob(".store-*")), "a temporary build folder was left behind"


@pytest.mark.parametrize(
    "payload",
    ['" } ; DROP ALL ; #', "<x> } UNION { ?s ?p ?o", "a\nb\r\n}", "Ünïcødé ☃ 𝄞", "\\u0022 } #"],
)
def test_payloads_on_the_server(stores: dict[str, Store], payload: str) -> None:
    q = StoredQuery.from_text("SELECT ?v WHERE { BIND(?_v AS ?v) }", "echo")
    result = stores["server"].select(q.text, bind_values(q, {"v": payload}))
    assert result.rows == [(rdflib.Literal(payload),)]
    assert int(stores["server"].select(COUNT_ALL).rows[0][0]) > 1000  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("variable", "given", "canonical"),
    [
        ("_n_integer", " 05 ", rdflib.Literal("5", datatype=rdflib.XSD.integer)),
        ("_b_xsd_boolean", "1", rdflib.Literal("true", datatype=rdflib.XSD.boolean)),
        ("_y_xsd_gYear", "2012", rdflib.Literal("2012", datatype=rdflib.XSD.gYear)),
        ("_t_en", "Vienna", rdflib.Literal("Vienna", lang="en")),
    ],
)
def test_a_typed_parameter_is_the_same_term_on_every_backend(
    stores: dict[str, Store], variable: str, given: str, canonical: rdflib.Literal
) -> None:
    """A value is bound in its canonical form: every back end sees the same term."""
    q = StoredQuery.from_text(
        f"SELECT ?v ?same WHERE {{ BIND(?{variable} AS ?v) BIND(sameTerm(?v, {canonical.n3()}) "
        "AS ?same) }",
        "echo",
    )
    [param] = q.params
    bound = bind_values(q, {param.name: given})
    for name, store in stores.items():
        [(value, same)] = store.select(q.text, bound).rows
        assert (value, str(same)) == (canonical, "true"), name


def test_failed_upload_leaves_the_old_graph(loaded: str, server: str) -> None:
    remote = EndpointStore(loaded)
    before = remote.select(COUNT_ALL).rows
    with pytest.raises(EndpointError, match="HTTP 400"):
        put_graph(f"{server}/store", b"<http://a> <http://b> broken .", retries=0)
    assert remote.select(COUNT_ALL).rows == before


def test_load_into_a_named_graph_replaces_it(
    capsys: pytest.CaptureFixture[str], server: str, loaded: str
) -> None:
    graph = "https://w3id.org/osce-kg/graph/test-upload"
    count_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    remote = EndpointStore(loaded)
    for inferred, flag in ((True, "--inferred"), (False, "--no-inferred")):
        code, out, err = osce(
            capsys, "load", "--endpoint", f"{server}/store", "--graph", graph, flag
        )
        assert code == 0, err
        loaded_count = int(out.split("Loaded ")[1].split()[0])
        # Each load replaces the graph: the count is that of the last upload.
        assert int(remote.select(count_graph).rows[0][0]) == loaded_count  # type: ignore[arg-type]
        if inferred:
            with_inferred = loaded_count
    assert loaded_count < with_inferred


def test_serve_answers_and_stops_on_ctrl_c() -> None:
    port = free_port()
    exe = Path(sys.executable).parent / "osce-kg"
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/query"
        wait_for(url + "?query=" + urllib.parse.quote("ASK {}"), seconds=60)
        query = (
            "SELECT ?name WHERE { <https://w3id.org/osce-kg/id/person/knut-dreyer> "
            "<http://xmlns.com/foaf/0.1/name> ?name }"
        )
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode({"query": query}).encode(),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            rows = json.load(response)["results"]["bindings"]
        assert rows == [{"name": {"type": "literal", "value": "Knut Dreyer"}}]
        # Read-only: an update is refused.
        update = urllib.request.Request(
            f"http://127.0.0.1:{port}/update",
            data=b"update=DROP+ALL",
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(update, timeout=10)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
        assert proc.returncode == 0, err
        assert "Serving" in out and "Stopped." in out
        assert "Traceback" not in err
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------- faults


class Fake:
    """A scripted SPARQL endpoint: each request takes the next action."""

    def __init__(self, actions: list[tuple[str, Any]]) -> None:
        self.actions = list(actions)
        self.requests: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                fake.requests.append(dict(self.headers))
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                kind, value = fake.actions.pop(0) if fake.actions else ("ok", 0)
                if kind == "sleep":
                    time.sleep(value)
                    kind = "ok"
                if kind == "body":  # (content type, bytes)
                    self.send_response(200)
                    self.send_header("Content-Type", value[0])
                    self.send_header("Content-Length", str(len(value[1])))
                    self.end_headers()
                    self.wfile.write(value[1])
                    return
                if kind == "status":
                    self.send_response(int(value))
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(b"scripted failure")
                    return
                body = json.dumps(
                    {
                        "head": {"vars": ["n"]},
                        "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]},
                    }
                ).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake() -> Iterator[Any]:
    made: list[Fake] = []

    def make(*actions: tuple[str, Any]) -> Fake:
        made.append(Fake(list(actions)))
        return made[-1]

    yield make
    for f in made:
        f.close()


def run_remote(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> tuple[int, str, str]:
    return osce(capsys, "query", "run", "speeches", "--endpoint", url, "--format", "csv", *extra)


def test_endpoint_down(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    code, _, err = run_remote(capsys, url, "--retries", "1")
    assert code == 3
    assert err.strip() == f"{url}: cannot connect: Connection refused after 2 attempts"


def test_server_error_is_retried(capsys: pytest.CaptureFixture[str], fake: Any) -> None:
    f = fake(("status", 500), ("status", 503))
    code, out, err = run_remote(capsys, f.url)
    assert code == 0, err
    assert out.splitlines() == ["n", "1"]
    assert len(f.requests) == 3
    f2 = fake(("status", 500), ("status", 500), ("status", 500))
    code, _, err = run_remote(capsys, f2.url, "--retries", "2")
    assert code == 3 and len(f2.requests) == 3
    assert len(err.strip().splitlines()) == 1 and "HTTP 500" in err and "after 3 attempts" in err


def test_slow_endpoint_times_out(capsys: pytest.CaptureFixture[str], fake: Any) -> None:
    f = fake(("sleep", 3))
    started = time.monotonic()
    code, _, err = run_remote(capsys, f.url, "--timeout", "1", "--retries", "0")
    assert code == 3
    assert err.strip() == f"{f.url}: no complete answer within 1 s (--timeout) after 1 attempt"
    assert time.monotonic() - started < 2.5


def test_unauthorised_is_not_retried(
    capsys: pytest.CaptureFixture[str], fake: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OSCE_KG_ENDPOINT_USER", "reader")
    monkeypatch.setenv("OSCE_KG_ENDPOINT_PASSWORD", "s3cret-pw")
    f = fake(("status", 401))
    code, out, err = run_remote(capsys, f.url)
    assert code == 3 and len(f.requests) == 1
    assert err.strip().startswith(f"{f.url}: HTTP 401 unauthorised (set OSCE_KG_ENDPOINT_USER")
    assert "s3cret" not in err + out
    sent = f.requests[0]["Authorization"]
    assert base64.b64decode(sent.split()[1]).decode() == "reader:s3cret-pw"


def test_credentials_from_netrc(
    capsys: pytest.CaptureFixture[str], fake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OSCE_KG_ENDPOINT_USER", raising=False)
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login alice password from-netrc\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    f = fake(("ok", 0))
    code, _, err = run_remote(capsys, f.url)
    assert code == 0, err
    assert base64.b64decode(f.requests[0]["Authorization"].split()[1]) == b"alice:from-netrc"


@pytest.mark.parametrize(
    ("ctype", "body", "why"),
    [
        ("application/n-triples", b'<http://ex/a|b> <http://ex/p> "x" .\n', "line 1"),
        ("text/turtle; charset=utf-8", b'<http://ex/a> <http://ex/p> "x" ;\n', "line 2"),
        ("text/turtle", b'<http://ex/a b> <http://ex/p> "x" .\n', "line 1"),
    ],
)
def test_a_malformed_graph_answer_is_an_endpoint_error(
    capsys: pytest.CaptureFixture[str], fake: Any, ctype: str, body: bytes, why: str
) -> None:
    """The server's Turtle is parsed as strictly as the project's own files (rdflib
    would take the first and last of these IRIs)."""
    f = fake(("body", (ctype, body)))
    code, out, err = osce(
        capsys,
        "query",
        "run",
        "describe",
        "--endpoint",
        f.url,
        "--param",
        f"resource={SAMPLE['resource']}",
    )
    media = ctype.split(";")[0]
    assert code == 3 and out == "", err
    assert err.startswith(f"{f.url}: cannot parse the answer ({media}): {why}: ")
    assert len(err.strip().splitlines()) == 1


def test_a_graph_answer_keeps_its_terms(fake: Any) -> None:
    body = (
        '<http://ex/a> <http://ex/p> "caf\u00e9"^^<http://www.w3.org/2001/XMLSchema#string> .\n'
        "<http://ex/a> <http://ex/q> _:n .\n"
        '_:n <http://ex/r> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        '<http://ex/a> <http://ex/s> "Wien"@de .\n'
    ).encode()
    g = EndpointStore(fake(("body", ("application/n-triples", body))).url).construct(
        "CONSTRUCT WHERE { ?s ?p ?o }"
    )
    a = rdflib.URIRef("http://ex/a")
    assert g.value(a, rdflib.URIRef("http://ex/p")) == rdflib.Literal("caf\u00e9")
    node = g.value(a, rdflib.URIRef("http://ex/q"))
    assert isinstance(node, rdflib.BNode)
    assert g.value(node, rdflib.URIRef("http://ex/r")) == rdflib.Literal(1)
    assert g.value(a, rdflib.URIRef("http://ex/s")) == rdflib.Literal("Wien", lang="de")
    assert len(g) == 4


# --------------------------------------------------------------------------- build --endpoint


def test_build_from_the_endpoint_gives_the_local_builds_queries_and_networks(
    capsys: pytest.CaptureFixture[str], loaded: str, tmp_path: Path
) -> None:
    local, remote = tmp_path / "local", tmp_path / "remote"
    code, _, err = osce(capsys, "build", "-o", str(local))
    assert code == 0, err
    code, out, err = osce(capsys, "build", "-o", str(remote), "--endpoint", loaded)
    assert code == 0, err
    assert out.startswith(f"built {remote}/ (") and f"from {loaded})" in out
    made = sorted(p.relative_to(remote).as_posix() for p in remote.rglob("*") if p.is_file())
    # Only what reads the graph through queries: no dataset, validation, ontology, report.
    assert {m.split("/")[0] for m in made} == {".osce-kg-build", "queries", "networks"}
    expected = sorted(
        p.relative_to(local).as_posix()
        for folder in ("queries", "networks")
        for p in (local / folder).rglob("*")
        if p.is_file()
    )
    assert [m for m in made if m != ".osce-kg-build"] == expected
    describe = {q.name for q in catalogue(all_folders=True) if q.kind == "DESCRIBE"}
    for name in expected:
        a, b = (local / name).read_bytes(), (remote / name).read_bytes()
        if name.endswith(".ttl"):
            # What DESCRIBE returns is up to each engine; CONSTRUCT answers are the same graph.
            if Path(name).stem in describe:
                continue
            graphs = [rdflib.Graph().parse(data=x, format="turtle") for x in (a, b)]
            assert isomorphic(*graphs), name
        else:
            assert a == b, name


def test_build_from_an_endpoint_that_is_down_leaves_the_old_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "exports"
    url = f"http://127.0.0.1:{free_port()}/query"
    code, _, err = osce(capsys, "build", "-o", str(out), "--endpoint", url, "--retries", "0")
    assert code == 3 and err.strip().startswith(f"{url}: cannot connect")
    assert not out.exists()
    code, _, err = osce(capsys, "build", "-o", str(out), "--endpoint", url, "--no-validate")
    assert code == 2 and err.strip() == "--no-validate: a build from --endpoint validates nothing"


def test_an_endpoint_url_that_is_no_base_iri_still_reads_graph_answers() -> None:
    from osce_kg.endpoint import graph_from_answer

    g = graph_from_answer(b'<http://ex/a> <http://ex/p> "x" .\n', "text/turtle", "http://h/q?a=b|c")
    assert len(g) == 1


# ------------------------------------------------------------ a dataset in a named graph

GRAPH = "https://w3id.org/osce-kg/graph/all"


@pytest.fixture(scope="module")
def named_graph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Oxigraph server holding the dataset in one named graph only."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-named")) as base:
        try:
            main(["load", "--endpoint", f"{base}/store", "--graph", GRAPH])
        except SystemExit as exc:
            assert not exc.code
        yield f"{base}/query"


def test_graph_names_the_dataset_on_the_server(
    capsys: pytest.CaptureFixture[str], named_graph_server: str
) -> None:
    local = osce(capsys, "query", "run", "speeches", "--format", "csv")
    remote = osce(
        capsys,
        "query",
        "run",
        "speeches",
        "--format",
        "csv",
        "--endpoint",
        named_graph_server,
        "--graph",
        GRAPH,
    )
    assert remote[0] == 0, remote[2]
    assert sorted(remote[1].splitlines()) == sorted(local[1].splitlines())
    assert remote[2] == ""


def test_an_empty_default_graph_beside_named_graphs_gets_a_hint(
    capsys: pytest.CaptureFixture[str], named_graph_server: str
) -> None:
    code, out, err = osce(
        capsys, "query", "run", "speeches", "--format", "csv", "--endpoint", named_graph_server
    )
    assert code == 0
    assert out.splitlines() == [out.splitlines()[0]]  # the header, no rows: right by SPARQL
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: ")
    assert "default graph is empty" in lines[0] and f"<{GRAPH}>" in lines[0]
    assert "--graph" in lines[0]


def test_graph_without_an_endpoint_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = osce(capsys, "query", "run", "speeches", "--graph", GRAPH)
    assert code == 2 and err.startswith("--graph: only with --endpoint")


def test_one_graph_or_named_graphs_not_both(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = osce(
        capsys, "load", "--endpoint", "http://127.0.0.1:9/store", "--graph", GRAPH, "--named-graphs"
    )
    assert code == 2 and err.strip() == "give --graph IRI or --named-graphs, not both"


def test_named_graphs_refuse_only_a_blank_node_two_graphs_share(tmp_path: Path) -> None:
    """Graphs uploaded one by one cannot share a blank node: a blank node the closure
    also speaks of (in the inferred graph) is refused, not split; one that stays in
    its own graph is uploaded."""
    from osce_kg.assembly import assemble
    from osce_kg.layout import DataLayout, RdfFile
    from osce_kg.serving import named_graph_dumps

    data = tmp_path / "data.ttl"
    ontology = DataLayout.default().ontology_files()
    data.write_text(
        "[] a <https://w3id.org/osce-kg/ontology#Meeting> .\n", encoding="utf-8"
    )  # also an okg:Event, in the inferred graph
    with pytest.raises(InputError, match="blank node in two named graphs"):
        named_graph_dumps(assemble([*ontology, RdfFile(data, "urn:x:g")]))
    data.write_text("<http://example.org/a> <http://example.org/b> [] .\n", encoding="utf-8")
    dumps = named_graph_dumps(assemble([*ontology, RdfFile(data, "urn:x:g")]))
    assert dumps["urn:x:g"].startswith(b"<http://example.org/a> <http://example.org/b> _:")
    triple = "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
    data.write_text(triple, encoding="utf-8")
    dumps = named_graph_dumps(assemble([*ontology, RdfFile(data, "urn:x:g")]))
    assert dumps["urn:x:g"] == triple.encode()
    assert list(dumps)[-1] == ns.INFERRED_GRAPH


def test_the_ontology_graph_is_not_a_load_target(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = osce(
        capsys, "load", "--endpoint", "http://127.0.0.1:9/store", "--graph", ns.ONTOLOGY_GRAPH
    )
    assert code == 2 and err.startswith("--graph:") and "ontology" in err


def test_load_through_sparql_update_replaces_the_graph(
    capsys: pytest.CaptureFixture[str], server: str, loaded: str
) -> None:
    """--protocol update, for a server without the Graph Store Protocol: the same
    triples as a PUT, and a second load replaces rather than adds."""
    graph = "https://w3id.org/osce-kg/graph/test-update"
    count_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    remote = EndpointStore(loaded)
    for _ in range(2):
        code, out, err = osce(
            capsys, "load", "--endpoint", f"{server}/update", "--protocol", "update",
            "--graph", graph,
        )  # fmt: skip
        assert code == 0, err
        expected = triple_count(OxigraphStore.open().store)
        assert out.startswith(f"Loaded {expected} triples into graph <{graph}>")
        assert int(remote.select(count_graph).rows[0][0]) == expected  # type: ignore[arg-type]
