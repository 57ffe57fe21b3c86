"""Put the dataset on a SPARQL server: upload it to one (Graph Store Protocol) or
run a local, read-only Oxigraph server over it.

The uploaded / served dataset is the one the embedded store queries — the
ontology, the graph and (by default) their inferred standard-vocabulary
triples — so the stored queries give the same rows everywhere.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import math
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from .atomic import mark_owner, remove_orphans
from .errors import InputError, one_line
from .gateway import Gateway, Limits
from .namespaces import INFERRED_GRAPH
from .webpages import WebApp

if TYPE_CHECKING:
    import pyoxigraph


def dataset_dump(
    store: pyoxigraph.Store, *, inferred: bool = True, named: bool = False
) -> tuple[bytes, int]:
    """The dataset store (:func:`osce_kg.store.dataset_store`) as bytes, and the number
    of triples its default graph holds: that default graph (the union the queries
    read) as N-Triples or, ``named``, the whole store as N-Quads, named graphs and
    all; with or without the inferred triples."""
    import pyoxigraph

    from .assembly import triple_count

    union = pyoxigraph.DefaultGraph()
    fmt = pyoxigraph.RdfFormat.N_QUADS if named else pyoxigraph.RdfFormat.N_TRIPLES
    if inferred:  # the store as it is: dumped by Oxigraph, counted by a query
        data = store.dump(format=fmt, from_graph=None if named else union)
        count = triple_count(store)
    else:
        # The inferred graph holds exactly what the union adds to the files' triples.
        graph = pyoxigraph.NamedNode(INFERRED_GRAPH)
        added = {q.triple for q in store.quads_for_pattern(None, None, None, graph)}
        quads = store if named else store.quads_for_pattern(None, None, None, union)
        kept = [
            q
            for q in quads
            if q.graph_name != graph and not (q.graph_name == union and q.triple in added)
        ]
        data = pyoxigraph.serialize(kept if named else [q.triple for q in kept], format=fmt)
        count = sum(1 for q in kept if q.graph_name == union)
    assert data is not None  # dump() and serialize() return the bytes when given no output
    return data, count


def named_graph_dumps(store: pyoxigraph.Store, *, inferred: bool = True) -> dict[str, bytes]:
    """The named graphs of a store of the dataset (:func:`osce_kg.assembly.load_dataset`),
    each as N-Triples bytes, in the graphs' order; with ``inferred``, the inferred
    graph too.

    Named graphs uploaded one by one cannot share a blank node, so data where one
    blank node is in two graphs (the inferred one included) is refused here
    (InputError) rather than split.
    """

    from .assembly import named_graphs

    order = [g for g in named_graphs(store) if inferred or g != INFERRED_GRAPH]
    skip = "" if inferred else f"FILTER(?g != <{INFERRED_GRAPH}> && ?h != <{INFERRED_GRAPH}>) "
    shared = (
        "SELECT ?b WHERE { GRAPH ?g { { ?b ?p ?o } UNION { ?s ?p ?b } } FILTER(isBlank(?b)) "
        f"GRAPH ?h {{ {{ ?b ?q ?x }} UNION {{ ?y ?q ?b }} }} FILTER(?g != ?h) {skip}}} LIMIT 1"
    )
    if list(store.query(shared)):  # type: ignore[arg-type]
        raise InputError(
            "the data has a blank node in two named graphs, which graphs uploaded one by "
            "one cannot share; load it as one graph (--graph IRI) instead"
        )
    return {graph: graph_dump(store, graph) for graph in order}


def graph_dump(store: pyoxigraph.Store, graph: str) -> bytes:
    """One named graph of ``store`` as N-Triples bytes."""
    import pyoxigraph

    fmt = pyoxigraph.RdfFormat.N_TRIPLES
    return store.dump(format=fmt, from_graph=pyoxigraph.NamedNode(graph)) or b""


def write_pages(folder: Path) -> Path:
    """The Linked Data site of the dataset (as ``osce-kg build`` writes it), for
    ``serve`` to answer the resources' IRIs from; returns ``folder``."""
    from .build.dataset import BuiltDataset
    from .build.ontology_docs import ontology_html
    from .build.site import write_site
    from .layout import DataLayout
    from .namespaces import ONTOLOGY_GRAPH

    built = BuiltDataset.load(DataLayout.default().dataset_files())
    ontology = built.graphs.get(ONTOLOGY_GRAPH)
    write_site(built, folder, None, ontology_html(ontology) if ontology is not None else None)
    return folder


def web_app(backend: str, limits: Limits) -> WebApp:
    """The pages for people (:mod:`osce_kg.webpages`), their queries run on ``backend``."""
    from .catalogue import catalogue
    from .gateway import Refused, check_query
    from .specs import StoreSpec

    def check(text: str) -> None:
        try:
            check_query(text, limits)
        except Refused as refusal:
            raise InputError(str(refusal)) from None

    spec = StoreSpec(endpoint=f"http://{backend}/query", timeout=limits.timeout, retries=0)
    queries = {q.name: q for q in catalogue(all_folders=True) if not q.name.startswith("checks/")}
    return WebApp(queries, spec.open, check)


def load_endpoint(
    url: str,
    *,
    graph: str | None,
    inferred: bool,
    timeout: float,
    retries: int,
    named_graphs: bool = False,
    protocol: str = "graph-store",
) -> list[tuple[str | None, int, int]]:
    """Upload the dataset to the Graph Store ``url``: into ``graph`` (or the default
    graph) with one PUT, and the ontology into its own named graph; or with
    ``named_graphs`` into the build's named graphs with one PUT each (each graph
    replaced whole; not all of them in one operation).  With ``protocol="update"``,
    ``url`` is a SPARQL Update endpoint and each graph is replaced by one update
    request instead of a PUT.  Everything is prepared before the first request.
    Per graph replaced: (graph or None, triples, HTTP status)."""
    from . import namespaces as ns
    from .endpoint import check_url, put_graph, update_graph
    from .errors import InputError
    from .layout import DataLayout
    from .sparql_bind import check_iri
    from .store import dataset_store

    check_url(url)
    if graph is not None:
        check_iri(graph, "--graph")
        if graph == ns.ONTOLOGY_GRAPH:
            raise InputError(f"--graph: <{graph}> is where the ontology alone goes")
    layout = DataLayout.default()
    send = update_graph if protocol == "update" else put_graph
    put = functools.partial(send, url, timeout=timeout, retries=retries)
    whole: list[tuple[str | None, bytes, int]] = []
    store = dataset_store(layout)
    if named_graphs:
        dumps = named_graph_dumps(store, inferred=inferred)
        # Without the inferred triples, an earlier load's inferred graph is emptied.
        dumps.setdefault(ns.INFERRED_GRAPH, b"")
    else:
        data, count = dataset_dump(store, inferred=inferred)
        whole = [(graph, data, count)]
        dumps = {ns.ONTOLOGY_GRAPH: graph_dump(store, ns.ONTOLOGY_GRAPH)}
    parts = whole + [(iri, data, data.count(b"\n")) for iri, data in dumps.items()]
    return [(iri, count, put(data, graph=iri)) for iri, data, count in parts]


def oxigraph_binary() -> str:
    """The ``oxigraph`` server program (from the ``oxigraph`` PyPI package)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise InputError("the oxigraph server is not installed (pip install oxigraph)")
    return found


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    # SIGTERM (e.g. from a service manager) should stop the server the same
    # clean way Ctrl-C does; SIGINT is set explicitly because a process started
    # in the background by a shell inherits it ignored.
    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


_PREFIX = "osce-kg-serve-"
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the Oxigraph child, before it starts: on Linux, be sent SIGTERM when
    ``serve`` dies, even by ``kill -9`` (elsewhere the next start cleans up)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def clean_stale(tmp_root: Path | None = None) -> int:
    """Remove what a killed ``serve`` left in the temporary folder (its database
    copy); the number of folders removed."""
    return remove_orphans(Path(tmp_root or tempfile.gettempdir()), f"{_PREFIX}*")


def _free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_listening(port: int, child: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if child.poll() is not None:
            out = child.stdout.read() if child.stdout else ""
            last = (out.strip().splitlines() or ["exited"])[-1]
            raise InputError(f"oxigraph server stopped: {one_line(last)}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise InputError("oxigraph server did not start within 60 s")


def listen(host: str, port: int, limits: Limits) -> Gateway:
    """The front server, bound: a taken port or a bad address is one InputError,
    before anything else happens."""
    try:
        return Gateway((host, port), limits)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise InputError(f"--host {host} --port {port}: cannot listen: {reason}") from None


def serve(
    host: str,
    port: int,
    *,
    announce: Callable[[str], None],
    inferred: bool = True,
    limits: Limits | None = None,
) -> int:
    """Serve the dataset read-only at http://HOST:PORT/query until interrupted; an exit code.

    The address is taken first, so a port in use is an error before anything
    is printed.  Oxigraph's read-only server answers behind
    :class:`osce_kg.gateway.Gateway`, on a private loopback port.  ``announce``
    shows the server's address and state to the user (the command layer's output)."""
    limits = limits or Limits()
    gateway = listen(host, port, limits)
    try:
        binary = oxigraph_binary()
        clean_stale()
        with tempfile.TemporaryDirectory(prefix=_PREFIX) as tmp:
            mark_owner(Path(tmp))
            return _run(gateway, binary, Path(tmp), announce, inferred, limits)
    finally:
        gateway.server_close()


def _run(
    gateway: Gateway,
    binary: str,
    tmp: Path,
    announce: Callable[[str], None],
    inferred: bool,
    limits: Limits,
) -> int:
    from .layout import DataLayout
    from .store import dataset_store

    gateway.site = write_pages(tmp / "site")
    # Named graphs and all, so that GRAPH ?g gives the embedded store's answers.
    data, count = dataset_dump(dataset_store(DataLayout.default()), inferred=inferred, named=True)
    dump = tmp / "dataset.nq"
    dump.write_bytes(data)
    location = tmp / "db"
    loaded = subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(dump)],
        capture_output=True,
        text=True,
        check=False,
    )
    if loaded.returncode != 0:
        last = (loaded.stderr.strip().splitlines() or ["failed"])[-1]
        raise InputError(f"oxigraph load: {one_line(last)}")
    dump.unlink()
    inner = _free_loopback_port()
    gateway.backend = f"127.0.0.1:{inner}"
    seconds = str(max(1, math.ceil(limits.timeout)))
    command = [binary, "serve-read-only", "--location", str(location), "--bind", gateway.backend]
    child = subprocess.Popen(
        [*command, "--timeout-s", seconds],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=_die_with_parent,
    )
    gateway.app = web_app(gateway.backend, limits)
    host, port = str(gateway.server_address[0]), gateway.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    with _terminate_as_interrupt():
        try:
            _wait_listening(inner, child)
            threading.Thread(target=gateway.serve_forever, daemon=True).start()
            announce(
                f"Serving {count} triples read-only at http://{shown}:{port}/query "
                f"(query page: http://{shown}:{port}/; resources: "
                f"http://{shown}:{port}/index.html); Ctrl-C to stop."
            )
            out, _ = child.communicate()
        except KeyboardInterrupt:
            gateway.shutdown()
            # The read-only server keeps no state to flush: SIGTERM is
            # enough, and works even where SIGINT was inherited ignored.
            child.terminate()
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            announce("Stopped.")
            return 0
    gateway.shutdown()
    last = (out.strip().splitlines() or ["exited"])[-1]
    raise InputError(f"oxigraph server on {gateway.backend} stopped: {one_line(last)}")
