"""``osce-kg validate --endpoint`` on real servers, against the local engine.

The synthetic corpus of ``run.py`` (same seed, same planted violations) is
validated locally (the Oxigraph engine, full validation, as ``run.py``'s
``validate/osce-kg-full``) and on each server after ``osce-kg load --graph``:
Oxigraph's server at 100k and 1M triples, Virtuoso at 100k (where it is
installed).  Each stage runs in a fresh process; the ratio server / local is
the measure (issue 14: at most 2×), and the servers' results must be the local
ones (same focus, path, component and severity).

    python benchmarks/endpoint.py                    # 100k and 1M (about 10 minutes)
    python benchmarks/endpoint.py --scales 100k      # quicker

Writes benchmarks/ENDPOINT.md and endpoint.json.  Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))  # the servers the tests start

from run import SCALES, machine_line, make_corpus, stage  # noqa: E402

GRAPH = "urn:osce-kg:benchmark:corpus"
VIRTUOSO_SCALES = {"10k", "100k"}  # Virtuoso at 100k (issue 14), not at 1M


@contextlib.contextmanager
def started(kind: str, folder: Path) -> Iterator[tuple[str, str]]:
    """A running server: (its Graph Store URL, its SPARQL query URL)."""
    import servers

    if kind == "oxigraph":
        with servers.oxigraph_server(folder) as base:
            yield f"{base}/store", f"{base}/query"
    else:
        with servers.virtuoso_server(folder) as v:
            yield v.graph_store, v.sparql


def load(data: Path, store_url: str) -> dict[str, Any]:
    """``osce-kg load --graph`` of the corpus: its wall time."""
    env = {**os.environ, "OSCE_KG_DATA": str(data), "OSCE_KG_CACHE": str(data / ".cache")}
    t = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).parent / "osce-kg"), "load", "--endpoint", store_url,
         "--graph", GRAPH,
         "--timeout", "3600"],
        capture_output=True, text=True, env=env, timeout=7200,
    )  # fmt: skip
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return {"seconds": time.perf_counter() - t}


def measure(scale: str, work: Path, servers_wanted: list[str]) -> dict[str, Any]:
    data = work / f"corpus-{scale}"
    corpus = make_corpus(data, SCALES[scale])
    row: dict[str, Any] = {"scale": scale, "triples": corpus.triples, "stages": {}}
    stage("validate-full", data)  # warm-up: builds the dataset store the load reads
    row["stages"]["local"] = stage("validate-full", data)
    print(f"{scale} local {row['stages']['local'].get('seconds')}", file=sys.stderr, flush=True)
    for kind in servers_wanted:
        if kind == "virtuoso" and scale not in VIRTUOSO_SCALES:
            continue
        folder = Path(tempfile.mkdtemp(dir=work, prefix=f"{kind}-"))
        try:
            with started(kind, folder) as (store_url, query_url):
                row["stages"][f"{kind}/load"] = load(data, store_url)
                stage("validate-endpoint", data, query_url, GRAPH)  # warm the server's caches
                row["stages"][f"{kind}/validate"] = stage(
                    "validate-endpoint", data, query_url, GRAPH, timeout=7200
                )
        except BaseException as exc:  # a server that cannot start: recorded, not fatal
            if isinstance(exc, KeyboardInterrupt):
                raise
            row["stages"][f"{kind}/validate"] = {"error": [str(exc).splitlines()[0]]}
        print(f"{scale} {kind} {row['stages'][f'{kind}/validate']}", file=sys.stderr, flush=True)
    return row


def markdown(rows: list[dict[str, Any]], machine: str) -> str:
    title = "# `validate --endpoint` on real servers"
    out = [
        title,
        "",
        machine,
        "",
        "Full validation (shapes and SPARQL checks) of the synthetic corpus of `run.py`, each "
        "in a fresh process (`benchmarks/endpoint.py`): locally (the Oxigraph engine, the "
        "corpus loaded from its files) and on a server holding it (`osce-kg load --graph`, "
        "then `osce-kg validate --endpoint URL --graph IRI`, after one warm-up run). Target "
        "(issue 14): the server at most 2× the local engine; the same results.",
        "",
        "| scale | triples | where | load | validate | × local | results | same as local |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        local = r["stages"]["local"]
        out.append(
            f"| {r['scale']} | {r['triples']:,} | local (Oxigraph engine) | — | "
            f"{local.get('seconds', float('nan')):.2f} s | 1.00× | {local.get('results')} | — |"
        )
        for kind in ("oxigraph", "virtuoso"):
            got = r["stages"].get(f"{kind}/validate")
            if got is None:
                continue
            loaded = r["stages"].get(f"{kind}/load", {})
            if "error" in got:
                out.append(f"| {r['scale']} | | {kind} server | — | failed: {got['error']} |||")
                continue
            same = "yes" if got.get("digest") == local.get("digest") else "NO"
            out.append(
                f"| {r['scale']} | | {kind} server | {loaded.get('seconds', float('nan')):.1f} s | "
                f"{got['seconds']:.2f} s | {got['seconds'] / local['seconds']:.2f}× | "
                f"{got.get('results')} | {same} |"
            )
    out += [
        "",
        "`load` is `osce-kg load --graph` (one Graph Store Protocol PUT): Oxigraph's server "
        "takes a PUT in one transaction, far slower than its own offline bulk loader "
        "(`oxigraph load`), which suits a corpus this size better.",
    ]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="*", default=["100k", "1M"], choices=list(SCALES))
    parser.add_argument("--servers", nargs="*", default=["oxigraph", "virtuoso"])
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--work", type=Path, default=None, help="where corpora are generated")
    args = parser.parse_args()
    machine = machine_line()
    rows = []
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        for scale in args.scales:
            rows.append(measure(scale, Path(tmp), args.servers))
            (args.out / "endpoint.json").write_text(json.dumps(rows, indent=2) + "\n")
            (args.out / "ENDPOINT.md").write_text(markdown(rows, machine), encoding="utf-8")
    print(markdown(rows, machine))


if __name__ == "__main__":
    main()
