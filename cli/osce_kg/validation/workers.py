"""Shapes and checks shared out among worker processes (``--jobs``).

An in-memory store cannot be shared between processes, so each worker opens
the incremental cache's on-disk store read-only, and results come back
serialised.  (Within one process the queries already share the cores, in
threads: :func:`.oxistore.concurrently`; each worker does the same with its
share.)
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .checks import Check
from .compiled import Constraint
from .model import Result, Rule
from .oxistore import run_check_text, run_constraints
from .placement import deserialise, serialise
from .run import run_checks


def _check_worker(store_path: str, items: list[tuple[str, Rule]]) -> list[dict[str, Any]]:
    """Run checks given as (query text, rule) on the store at ``store_path``."""
    store = ox.Store.read_only(store_path)
    return [serialise(r) for text, rule in items for r in run_check_text(store, text, rule)]


def _constraint_worker(store_path: str, constraints: list[Constraint]) -> list[dict[str, Any]]:
    """Run compiled shape constraints on the store at ``store_path``."""
    return [serialise(r) for r in run_constraints(ox.Store.read_only(store_path), constraints)]


def _share_out(
    worker: Callable[[str, list[Any]], list[dict[str, Any]]],
    store_path: Path,
    parts: list[list[Any]],
    in_process: Callable[[], list[Result]],
) -> tuple[list[Result], int]:
    """``worker`` over each part in its own process, each opening the store read-only.

    The caller flushes the store first.  If a worker cannot start (e.g. an
    unguarded main script, see validate_corpus), ``in_process`` does the work here.
    Returns the results and the number of processes that found them.
    """
    context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    try:
        with ProcessPoolExecutor(len(parts), mp_context=context) as pool:
            found = list(pool.map(worker, [str(store_path)] * len(parts), parts))
    except BrokenProcessPool:
        return in_process(), 1
    return [deserialise(row) for rows in found for row in rows], len(parts)


def parallel_checks(store_path: Path, checks: list[Check], jobs: int) -> tuple[list[Result], int]:
    """The SPARQL checks, shared out among ``jobs`` processes that open the store read-only.

    An in-memory store cannot be shared between processes.  (Measured before the
    checks ran in threads: on the on-disk cache, at a million triples, the nine
    checks took 5.9 s in one process and 4.3 s in two.)
    """
    checks = list(checks)
    # Costliest first (selector checks compare texts), dealt out in turn.
    checks.sort(key=lambda c: (not c.name.startswith("selector"), c.name))
    parts = [[(c.text, c.rule) for c in checks[i::jobs]] for i in range(jobs)]

    return _share_out(
        _check_worker,
        store_path,
        parts,
        lambda: run_checks(ox.Store.read_only(str(store_path)), checks),
    )


def parallel_constraints(
    store_path: Path, constraints: list[Constraint], jobs: int
) -> tuple[list[Result], int]:
    """Every focus node of every compiled constraint checked, the constraints
    shared out among ``jobs`` processes that open the store read-only (a cold
    run, or a re-check after the shapes changed)."""
    parts = [constraints[i::jobs] for i in range(jobs)]
    return _share_out(
        _constraint_worker,
        store_path,
        parts,
        lambda: run_constraints(ox.Store.read_only(str(store_path)), constraints),
    )
