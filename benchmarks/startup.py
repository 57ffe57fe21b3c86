"""The everyday path on the article: each command against a bare import of the
library it stands on, medians in one run.

Targets (issues 7, 11 and 12): ``validate`` ≤ 1.5× ``import pyshacl``;
``stats``, ``query run`` and ``search`` ≤ 1.5× ``import rdflib``; ``network
analyze`` ≤ 1.5× ``import networkx``; ``osce-kg build`` on the article ≤ 3 s
wall (reported, not a ratio; the first build with an empty cache folder is
reported too, as it makes the dataset store and every kept answer);
``osce-kg --help`` imports neither rdflib nor networkx.  Each command runs
``--repeat`` times after one warm-up (which
builds the dataset store and the query memos); the median is reported.

    python benchmarks/startup.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
OSCE_KG = str(BIN / "osce-kg")

# (command, the library it stands on): each row's ratio is to that import.
COMMANDS: list[tuple[list[str], str]] = [
    (["query", "run", "speeches"], "rdflib"),
    (["query", "run", "timeline"], "rdflib"),
    (["query", "run", "class-statistics"], "rdflib"),
    (
        ["query", "run", "statements-by-person", "-p", "person=id:person/dzhurakhon-zoirov"],
        "rdflib",
    ),
    (["query", "run", "speeches", "--store", "rdflib"], "rdflib"),
    (["query", "list"], "rdflib"),
    (["query", "show", "speeches"], "rdflib"),
    (["stats"], "rdflib"),
    (["search", "O'Leary"], "rdflib"),
    (["search", "zoirov"], "rdflib"),
    (["validate"], "pyshacl"),
    (["validate", "--engine", "pyshacl"], "pyshacl"),
    (["network", "analyze", "speaker-event"], "networkx"),
    (["--help"], "rdflib"),
]


def median_wall(cmd: list[str], repeat: int, env: dict[str, str]) -> float:
    subprocess.run(cmd, check=True, capture_output=True, env=env)  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {"OSCE_KG_CACHE": cache, "PATH": str(BIN), "HOME": cache}
        imports = {
            lib: median_wall([sys.executable, "-c", f"import {lib}"], args.repeat, env)
            for lib in ("rdflib", "pyshacl", "networkx")
        }
        rows = [
            (" ".join(["osce-kg", *argv]), lib, median_wall([OSCE_KG, *argv], args.repeat, env))
            for argv, lib in COMMANDS
        ]
        # The first build with an empty cache folder (the dataset store, the layouts,
        # pictures and ontology page all made), then the median of later builds.
        with tempfile.TemporaryDirectory() as empty:
            t = time.perf_counter()
            subprocess.run(
                [OSCE_KG, "build", "-o", str(Path(empty) / "dist")],
                check=True,
                capture_output=True,
                env=env | {"OSCE_KG_CACHE": empty},
            )
            first_build = time.perf_counter() - t
        build = median_wall([OSCE_KG, "build", "-o", str(Path(cache) / "dist")], 3, env)
        probe = (
            "import sys\nfrom osce_kg.cli import main\ntry:\n    main(['--help'])\n"
            "except SystemExit:\n    pass\n"
            "print(*[m for m in ('rdflib', 'networkx') if m in sys.modules], file=sys.stderr)"
        )
        heavy = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env
        ).stderr.strip()
    print("| command | median wall time | × the import it stands on |")
    print("|---|---|---|")
    for lib, seconds in imports.items():
        print(f"| `python -c 'import {lib}'` | {seconds:.3f} s | 1.00× |")
    for label, lib, seconds in rows:
        print(f"| `{label}` | {seconds:.3f} s | {seconds / imports[lib]:.2f}× `{lib}` |")
    print(f"| `osce-kg build -o dist`, empty cache folder | {first_build:.2f} s | |")
    print(f"| `osce-kg build -o dist` (median of 3) | {build:.2f} s | (target: 3 s) |")
    print(f"\n`osce-kg --help` imports: {heavy or 'neither rdflib nor networkx'}.")


if __name__ == "__main__":
    main()
