"""Put the dataset on a SPARQL server: upload it to one (Graph Store Protocol) or
run a local, read-only Oxigraph server over it.

The uploaded / served dataset is the one the embedded store queries — the
ontology, the graph and (by default) their inferred standard-vocabulary
triples — so the stored queries give the same rows everywhere.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

from .errors import InputError


def dataset_ntriples(*, inferred: bool = True) -> tuple[bytes, int]:
    """The dataset as N-Triples bytes, and its number of triples: the dataset store
    (:func:`osce_kg.store.dataset_store`) as it is, or without the inferred triples."""
    import pyoxigraph

    from .layout import DataLayout
    from .loading import bulk_load_dataset
    from .store import dataset_store

    layout = DataLayout.default()
    if inferred:
        store = dataset_store(layout)
    else:
        store = pyoxigraph.Store()
        bulk_load_dataset(store, layout, inferred=False)
    data = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    assert data is not None  # dump() returns the bytes when given no output
    return data, len(store)


def load_endpoint(
    url: str, *, graph: str | None, inferred: bool, timeout: float, retries: int
) -> tuple[int, int]:
    """Replace ``graph`` (or the default graph) at the Graph Store ``url``; (triples, status)."""
    from .endpoint import check_url, put_graph
    from .sparql_bind import check_iri

    check_url(url)
    if graph is not None:
        check_iri(graph, "--graph")
    data, count = dataset_ntriples(inferred=inferred)
    status = put_graph(url, data, graph=graph, timeout=timeout, retries=retries)
    return count, status


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


def serve(
    host: str,
    port: int,
    *,
    announce: Callable[[str], None],
    inferred: bool = True,
) -> int:
    """Serve the dataset read-only at http://HOST:PORT/query until interrupted; an exit code.

    ``announce`` shows the server's address and state to the user (the command
    layer's output)."""
    binary = oxigraph_binary()
    with tempfile.TemporaryDirectory(prefix="osce-kg-serve-") as tmp:
        data, count = dataset_ntriples(inferred=inferred)
        dump = Path(tmp) / "dataset.nt"
        dump.write_bytes(data)
        location = Path(tmp) / "db"
        loaded = subprocess.run(
            [binary, "load", "--location", str(location), "--file", str(dump)],
            capture_output=True,
            text=True,
            check=False,
        )
        if loaded.returncode != 0:
            last = (loaded.stderr.strip().splitlines() or ["failed"])[-1]
            raise InputError(f"oxigraph load: {last}")
        dump.unlink()
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        child = subprocess.Popen(
            [binary, "serve-read-only", "--location", str(location), "--bind", bind],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        shown = f"[{host}]" if ":" in host else host
        with _terminate_as_interrupt():
            try:
                announce(
                    f"Serving {count} triples read-only at http://{shown}:{port}/query "
                    f"(query page: http://{shown}:{port}/); Ctrl-C to stop."
                )
                out, _ = child.communicate()
            except KeyboardInterrupt:
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
        last = (out.strip().splitlines() or ["exited"])[-1]
        raise InputError(f"oxigraph server on {bind} stopped: {last}")
