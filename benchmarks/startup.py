"""The everyday path on the article: ``osce-kg query run`` against ``import rdflib``.

Target (issue 7): a stored query on the article takes at most 1.5× the wall
time of ``python -c "import rdflib"``, and ``osce-kg --help`` imports neither
rdflib nor networkx.  Each command runs ``--repeat`` times after one warm-up
(which builds the query cache); the median is reported.

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
        rdflib = median_wall([sys.executable, "-c", "import rdflib"], args.repeat, env)
        rows = [("python -c 'import rdflib'", rdflib)]
        for name in ("speeches", "timeline", "class-statistics"):
            cmd = [str(BIN / "osce-kg"), "query", "run", name]
            rows.append((f"osce-kg query run {name}", median_wall(cmd, args.repeat, env)))
        rows.append(
            (
                "osce-kg query run speeches --store rdflib",
                median_wall(
                    [str(BIN / "osce-kg"), "query", "run", "speeches", "--store", "rdflib"],
                    args.repeat,
                    env,
                ),
            )
        )
        for extra in (["query", "list"], ["query", "show", "speeches"]):
            cmd = [str(BIN / "osce-kg"), *extra]
            rows.append((f"osce-kg {' '.join(extra)}", median_wall(cmd, args.repeat, env)))
        rows.append(("osce-kg --help", median_wall([str(BIN / "osce-kg"), "--help"], 5, env)))
        probe = (
            "import sys\nfrom osce_kg.cli import main\ntry:\n    main(['--help'])\n"
            "except SystemExit:\n    pass\n"
            "print(*[m for m in ('rdflib', 'networkx') if m in sys.modules], file=sys.stderr)"
        )
        heavy = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env
        ).stderr.strip()
    print("| command | median wall time | × import rdflib |")
    print("|---|---|---|")
    for label, seconds in rows:
        print(f"| `{label}` | {seconds:.3f} s | {seconds / rdflib:.2f}× |")
    print(f"\n`osce-kg --help` imports: {heavy or 'neither rdflib nor networkx'}.")


if __name__ == "__main__":
    main()
