"""Every stored query, network query and check on Virtuoso gives the embedded
store's rows.

A real Virtuoso Open Source server (Debian's ``virtuoso-opensource``, which
``.ci/run`` installs) is started on 127.0.0.1 with a throw-away database
folder and stopped by its PID.  The dataset is loaded the way docs/queries.md
tells users: the update right granted once, then ``osce-kg load`` into a named
graph through Virtuoso's Graph Store endpoint, and every query is sent with
``--graph`` (Virtuoso's default graph is the union of all its graphs).

Where Virtuoso answers wrongly, the query is written around it (docs/queries.md
lists the bugs); the one deviation not yet worked around is asserted exactly,
so that it cannot hide another.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from osce_kg.catalogue import catalogue
from osce_kg.cli import main
from osce_kg.queries import StoredQuery, bind_values
from osce_kg.specs import StoreSpec
from osce_kg.store import OxigraphStore

pytestmark = pytest.mark.slow

GRAPH = "https://w3id.org/osce-kg/graph/all"
ID = "https://w3id.org/osce-kg/id/"
SAMPLE = {
    "person": ID + "person/zumrad-solieva",
    "event": ID + "event/2012-annual-police-experts-meeting",
    "topic": ID + "topic/extremism",
    "resource": ID + "agreement/tajikistan-osce-mou-police-reform",
}
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
VSP = Path("/var/lib/virtuoso-opensource-7/vsp")

# Virtuoso 7.2's SHA256() hashes a stored non-ASCII string's UTF-8 bytes read as
# Latin-1 (docs/queries.md): the article-source-text check then reports the
# article's (right) hash as wrong.  Asserted as exactly that one row.
KNOWN = {"checks/article-source-text-violation"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {vsp}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running Virtuoso with the dataset in GRAPH: its SPARQL endpoint URL."""
    if VIRTUOSO is None or ISQL is None:
        pytest.skip("Virtuoso is not installed (Debian: apt install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = _free_port(), _free_port()
    (folder / "virtuoso.ini").write_text(
        INI.format(d=folder, sql=sql, http=http, vsp=VSP if VSP.is_dir() else folder),
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [VIRTUOSO, "-f", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http}"
    try:
        deadline = time.monotonic() + 120
        ask = f"{base}/sparql?query=" + urllib.parse.quote("ASK {}")
        while True:
            try:
                with urllib.request.urlopen(ask, timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    log = (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
                    raise AssertionError(f"Virtuoso did not start:\n{log}") from None
                time.sleep(0.3)
        granted = subprocess.run(
            [ISQL, str(sql), "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert granted.returncode == 0, granted.stdout + granted.stderr
        try:
            main(["load", "--endpoint", f"{base}/sparql-graph-crud", "--graph", GRAPH])
        except SystemExit as exc:
            assert not exc.code
        yield f"{base}/sparql"
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


QUERIES = catalogue(all_folders=True)


def _bindings(q: StoredQuery) -> dict[str, object]:
    return dict(bind_values(q, {p.name: SAMPLE[p.name] for p in q.params if p.name in SAMPLE}))


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_virtuoso_gives_the_embedded_rows(virtuoso: str, query: StoredQuery) -> None:
    local = OxigraphStore.open()
    remote = StoreSpec(endpoint=virtuoso, graph=GRAPH, timeout=120).open()
    bindings = _bindings(query)
    if query.kind == "SELECT":
        mine, theirs = local.select(query.text, bindings), remote.select(query.text, bindings)
        assert theirs.variables == mine.variables
        if query.name in KNOWN:
            # Exactly the one wrong row: the article's hash, reported as not matching.
            assert mine.rows == [] and len(theirs.rows) == 1
            assert str(theirs.rows[0][1]).endswith("#sha256")
            return
        assert Counter(theirs.rows) == Counter(mine.rows)
    elif query.kind == "CONSTRUCT":
        mine_g, theirs_g = (
            local.construct(query.text, bindings),
            remote.construct(query.text, bindings),
        )
        assert len(mine_g) > 0 and isomorphic(mine_g, theirs_g)
    else:  # DESCRIBE: implementation-defined, but the resource's own triples are in it
        subject = next(iter(bindings.values()))
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
    assert int(out.splitlines()[1]) == len(OxigraphStore.open().store)
