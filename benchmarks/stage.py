"""One benchmark stage, run in a fresh process by ``benchmarks/run.py``.

Prints one JSON line: ``seconds`` (the stage's own wall time, imports and
set-up excluded where the stage says so), ``peak_rss_mb`` (the process's peak
resident memory) and what the stage computed, digested so engines can be
compared.
"""

from __future__ import annotations

import hashlib
import json
import resource
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from osce_kg.namespaces import ID_NS as ID

# Parameters for the stored queries that need one, on the synthetic corpus.
PARAMS = {
    "person": ID + "person/person-0",
    "resource": ID + "event/meeting-0",  # annotated in its source (shared persons are not)
    "event": ID + "event/meeting-0",
    "topic": ID + "topic/topic-0",
}
REPEATS, REPEAT_UNDER = 5, 2.0


def peak_mb() -> float:
    """Peak resident memory of this process plus that of its largest worker process,
    if it had any.  getrusage keeps only the largest child's peak, so with several
    workers at once this is a lower bound of the total."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + child) / 1024.0


def emit(name: str, seconds: float, **extra: Any) -> None:
    print(
        json.dumps(
            {
                "stage": name,
                "seconds": round(seconds, 4),
                "peak_rss_mb": round(peak_mb(), 1),
                **extra,
            }
        )
    )


def digest(rows: list[tuple[str, ...]]) -> str:
    return hashlib.sha256("\n".join(sorted("\t".join(r) for r in rows)).encode()).hexdigest()[:16]


def result_digest(report: Any) -> tuple[int, str]:
    keys = [(str(r.focus), str(r.path), str(r.component), str(r.severity)) for r in report.results]
    return len(keys), digest(keys)


LOAD_REPEATS = 3  # the Oxigraph loads take seconds, not minutes: the median of three


def load_raw(data: Path) -> None:
    """Oxigraph's own bulk loader over the files: the yardstick."""
    import pyoxigraph as ox

    from osce_kg.layout import DataLayout
    from osce_kg.loading import OX_FORMATS, base_iri, guess_format

    files = DataLayout.default().dataset_files()
    times, quads = [], 0
    for _ in range(LOAD_REPEATS):
        store = ox.Store()
        t = time.perf_counter()
        for f in files:
            store.bulk_load(
                path=str(f.path), format=OX_FORMATS[guess_format(f.path)], base_iri=base_iri(f.path)
            )
        times.append(time.perf_counter() - t)
        quads = len(store)
        del store
    emit("load-raw", statistics.median(times), quads=quads, runs=[round(x, 4) for x in times])


def load_oxigraph(data: Path) -> None:
    """What osce-kg's dataset store holds (:func:`osce_kg.assembly.load_dataset`): each
    file in its named graph, the closure in the inferred graph, their union as the
    default graph; into an in-memory store, as the yardstick's."""
    import pyoxigraph as ox

    from osce_kg.assembly import load_dataset, triple_count
    from osce_kg.layout import DataLayout

    files = DataLayout.default().dataset_files()
    times, quads, triples = [], 0, 0
    for _ in range(LOAD_REPEATS):
        store = ox.Store()
        t = time.perf_counter()
        load_dataset(store, files)
        times.append(time.perf_counter() - t)
        quads, triples = len(store), triple_count(store)
        del store
    emit(
        "load-oxigraph",
        statistics.median(times),
        quads=quads,  # every triple in its named graph and in the union
        triples=triples,  # the union: what queries read
        runs=[round(x, 4) for x in times],
    )


def load_rdflib(data: Path) -> None:
    from osce_kg.inference import infer
    from osce_kg.layout import DataLayout
    from osce_kg.loading import load_graph

    layout = DataLayout.default()
    t = time.perf_counter()
    graph = load_graph(layout.dataset_files())
    parsed = time.perf_counter()
    graph += infer(load_graph(layout.ontology_files()), graph)
    end = time.perf_counter()
    emit(
        "load-rdflib",
        end - t,
        triples=len(graph),
        parts={"parse": round(parsed - t, 4), "closure": round(end - parsed, 4)},
    )


def validate_full(data: Path, engine: str, checks: bool) -> None:
    from osce_kg.layout import DataLayout
    from osce_kg.validation import validate_run

    t = time.perf_counter()
    done = validate_run(layout=DataLayout(data), engine=engine, checks=checks)
    n, d = result_digest(done.report)
    emit(
        f"validate-{engine}",
        time.perf_counter() - t,
        results=n,
        digest=d,
        parts=dict(done.stats.seconds),
    )


def validate_endpoint(url: str, graph: str) -> None:
    """``osce-kg validate --endpoint URL --graph GRAPH``: the shapes and checks run on
    the server that holds the corpus."""
    from osce_kg.specs import StoreSpec
    from osce_kg.validation import validate_run

    spec = StoreSpec(endpoint=url, graphs=(graph,), timeout=3600, retries=0)
    t = time.perf_counter()
    done = validate_run(endpoint=spec)
    n, d = result_digest(done.report)
    emit("validate-endpoint", time.perf_counter() - t, results=n, digest=d)


def validate_incremental(data: Path, change: bool, jobs: int = 1) -> None:
    from osce_kg.layout import DataLayout
    from osce_kg.validation.incremental import validate_corpus

    cache = data / (".validation-cache" if jobs == 1 else f".validation-cache-jobs{jobs}")
    if change:
        validate_corpus(DataLayout(data), cache=cache)  # warm, untimed
        facts = sorted((data / "graph" / "sources").glob("*/facts.ttl"))[
            len(list((data / "graph" / "sources").iterdir())) // 2
        ]
        text = facts.read_text(encoding="utf-8")
        facts.write_text(
            text.replace('rdfs:label "Meeting ', 'rdfs:label "Revised meeting ', 1),
            encoding="utf-8",
        )
    t = time.perf_counter()
    done = validate_corpus(DataLayout(data), cache=cache, jobs=jobs)
    n, d = result_digest(done.report)
    emit(
        "validate-incremental",
        time.perf_counter() - t,
        results=n,
        digest=d,
        stats={k: v for k, v in vars(done.stats).items() if isinstance(v, int | float | str)},
    )


class _TimeUp(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` swallows it."""


def _alarm(signum: int, frame: Any) -> None:
    raise _TimeUp


def queries(data: Path, engine: str, names: list[str], limit: float | None) -> None:
    from rdflib import URIRef

    from osce_kg.assembly import assemble
    from osce_kg.catalogue import find_query
    from osce_kg.layout import DataLayout
    from osce_kg.sparql_bind import bind_terms, iri_term
    from osce_kg.sparql_results import tsv_term
    from osce_kg.store import OxigraphStore, RdflibStore

    t = time.perf_counter()
    if engine == "rdflib":
        # rdflib at its fastest: one plain graph of the union (the default graph the
        # queries read), not the dataset with its named graphs that --store rdflib holds.
        from osce_kg.assembly import graph_triples
        from osce_kg.loading import rdflib_graph
        from osce_kg.store import dataset_store

        store: Any = RdflibStore(rdflib_graph(graph_triples(dataset_store(DataLayout.default()))))
    else:
        raw = assemble(DataLayout.default().dataset_files())
        store = OxigraphStore(raw)
    setup = time.perf_counter() - t
    per: dict[str, float] = {}
    digests: dict[str, str] = {}
    signal.signal(signal.SIGALRM, _alarm)

    def run(text: str, params: dict[str, str]) -> list[tuple[Any, ...]]:
        """The answer's rows, each term as the engine's own object: the query's time,
        without formatting (the answers are compared in TSV afterwards, untimed)."""
        if engine == "raw":
            answer = raw.query(bind_terms(text, {v: iri_term(i) for v, i in params.items()}))
            return [tuple(solution) for solution in answer]
        # What `osce-kg query run` does: native terms on Oxigraph, rdflib's on rdflib.
        bindings = {v: URIRef(i) for v, i in params.items()}
        return store.select(text, bindings, native=engine != "rdflib").rows

    for name in names:
        q = find_query(name)
        params = {p.variable: PARAMS[p.name] for p in q.params if p.required}
        # A query under REPEAT_UNDER seconds runs REPEATS times and counts its
        # median: one run of a millisecond query measures the first call's
        # one-off costs, not the query.
        times: list[float] = []
        try:
            while len(times) < REPEATS and (not times or times[0] < REPEAT_UNDER):
                if limit:
                    signal.setitimer(signal.ITIMER_REAL, limit)
                start = time.perf_counter()
                rows = run(q.text, params)
                times.append(time.perf_counter() - start)
                signal.setitimer(signal.ITIMER_REAL, 0)
            per[name] = round(statistics.median(times), 4)
            digests[name] = digest([tuple(tsv_term(t) for t in row) for row in rows])
        except _TimeUp:
            per[name] = float(limit or 0)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    emit(
        f"queries-{engine}",
        sum(per.values()),
        setup=round(setup, 3),
        per_query=per,
        digests=digests,
    )


def network(data: Path, name: str) -> None:
    from osce_kg.network.analysis import node_measures
    from osce_kg.network.build import build_network
    from osce_kg.network.gexf import write_gexf
    from osce_kg.store import OxigraphStore

    store = OxigraphStore.open()
    t = time.perf_counter()
    graph = build_network(store, name)
    built = time.perf_counter()
    node_measures(graph)
    analysed = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        write_gexf(graph, Path(tmp) / "g.gexf")
    end = time.perf_counter()
    emit(
        f"network-{name}",
        end - t,
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        parts={
            "build": round(built - t, 3),
            "analyses": round(analysed - built, 3),
            "gexf": round(end - analysed, 3),
        },
    )


def main() -> None:
    name, data = sys.argv[1], Path(sys.argv[2])
    args = sys.argv[3:]
    if name == "load-raw":
        load_raw(data)
    elif name == "load-oxigraph":
        load_oxigraph(data)
    elif name == "load-rdflib":
        load_rdflib(data)
    elif name == "validate-full":
        validate_full(data, "oxigraph", checks="--shapes-only" not in args)
    elif name == "validate-pyshacl":
        validate_full(data, "pyshacl", checks="--shapes-only" not in args)
    elif name == "validate-endpoint":
        validate_endpoint(args[0], args[1])
    elif name == "validate-incremental":
        jobs = int(args[args.index("--jobs") + 1]) if "--jobs" in args else 1
        validate_incremental(data, "--change" in args, jobs)
    elif name == "queries":
        limit = None
        if "--limit" in args:
            at = args.index("--limit")
            limit = float(args[at + 1])
            args = args[:at] + args[at + 2 :]
        names = args[1:]
        queries(data, args[0], names, limit)
    elif name == "network":
        network(data, args[0])
    else:
        raise SystemExit(f"unknown stage {name}")


if __name__ == "__main__":
    main()
