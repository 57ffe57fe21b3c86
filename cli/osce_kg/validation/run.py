"""One validation run, whatever the engine: :func:`run_units`.

Every run loads the data the same way (:func:`.units.load_units`: one named
graph per unit in an in-memory Oxigraph store).  Then one rule set runs:

1. the SHACL shapes of ``shapes/``, by one of two engines that differ only in
   speed: ``oxigraph`` runs them compiled to SPARQL (:mod:`.compiled`) on the
   store; ``pyshacl`` runs pySHACL on an rdflib copy of the same triples
   (:func:`rdflib_copy`), the reference the compiled engine is tested against;
2. the SPARQL checks of ``queries/checks/*-violation.rq``, each once, on the store.

Results are placed (file, line, article passage) by the store, so that both
engines report alike.  :mod:`.incremental` is a cache around the ``oxigraph``
engine.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from .. import loading
from ..errors import DataError, InputError
from ..layout import RDF_SUFFIXES, DataLayout
from .checks import Check, load_checks
from .compiled import PLAIN_DATATYPES, RAW_PREDICATE
from .compiler import compile_shapes
from .locate import display_paths, passage_of
from .model import REPORT_PREFIXES, Report, Result, dedupe
from .oxistore import (
    CONTROL,
    concurrently,
    mark_ill_typed,
    rdflib_terms,
    run_check_text,
    run_constraints,
)
from .placement import locate_results
from .shacl import node_shape_rules, run_shacl
from .units import INTERNAL, Unit, load_units

ENGINES = ("oxigraph", "pyshacl")


def rdflib_copy(store: ox.Store) -> rdflib.Graph:
    """The union of the store's data and closure graphs as one rdflib graph, literals
    as the files wrote them (from their raw copies: Oxigraph normalises some typed
    literals), without osce-kg's validation-only triples."""

    def triples() -> Iterator[tuple[object, object, object]]:
        for q in store:
            if q.graph_name == CONTROL:
                continue
            p, o = q.predicate.value, q.object
            if p.startswith(RAW_PREDICATE):
                yield q.subject, ox.NamedNode(p.removeprefix(RAW_PREDICATE)), o
            elif not p.startswith(INTERNAL) and not (
                isinstance(o, ox.Literal)
                and not o.language
                and o.datatype.value not in PLAIN_DATATYPES
            ):
                # (a typed literal is skipped: its raw copy is added instead)
                yield q.subject, q.predicate, o

    return loading.rdflib_graph(triples(), rdflib_terms())


def load_shapes(folders: Path | Sequence[Path]) -> rdflib.Graph:
    """The SHACL shapes (``*.ttl``) of ``folders`` (a layout's ``shapes_dirs``),
    parsed strictly."""
    folders = [folders] if isinstance(folders, Path) else list(folders)
    files = [p for f in folders if f.is_dir() for p in sorted(f.glob("*.ttl"))]
    if not files:
        raise DataError(f"{folders[-1]}: no SHACL shapes (*.ttl) found")
    shapes = rdflib.Graph()
    for path in files:
        loading.parse_into(shapes, path)
    return shapes


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """The files named, with each folder replaced by the RDF files under it."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in RDF_SUFFIXES
            )
            if not found:
                raise InputError(f"{path}: folder holds no RDF files")
            out += found
        else:
            out.append(path)
    return out


@dataclass
class Stats:
    """What a run did: the numbers the tests and benchmarks read."""

    engine: str
    mode: str  # "full" (in memory), "cold" (cache rebuilt), "incremental", "recheck"
    units: int = 0
    reloaded: list[str] = field(default_factory=list)
    focus_checked: int | None = None  # None: every focus node
    cached_results: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    reason: str = ""
    checks_from_cache: bool = False  # the SPARQL checks' results were reused (nothing changed)
    checks_rerun: int | None = None  # how many SPARQL checks ran (None: not run)
    terms_asked: int = 0  # of those, per-term checks asked about the changed terms only: how many
    workers: int = 1  # processes that ran the shapes or checks of this run (--jobs)


@dataclass
class CorpusValidation:
    report: Report
    stats: Stats


class Timer:
    def __init__(self, stats: Stats) -> None:
        self.stats = stats
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stats.seconds[name] = round(self.stats.seconds.get(name, 0.0) + now - self.last, 4)
        self.last = now


def run_checks(store: ox.Store, checks: Iterable[Check]) -> list[Result]:
    """The results of every check, several at a time (:func:`.oxistore.concurrently`)."""
    return concurrently(lambda check: run_check_text(store, check.text, check.rule), checks)


def finish(
    store: ox.Store,
    results: list[Result],
    shapes: rdflib.Graph,
    checks: Sequence[Check],
    units: Sequence[Unit],
) -> Report:
    """Place every result (file, line, passage), drop repeats, sort: the report."""
    locate_results(store, results, units)
    passages: dict[Any, str | None] = {}
    for result in results:
        if result.focus not in passages:
            passages[result.focus] = passage_of(store, result.focus)
        result.passage = passages[result.focus]
    results = dedupe(results)
    results.sort(key=Result.sort_key)
    files = display_paths(p for u in units for p in u.files)
    rules = node_shape_rules(shapes) + [c.rule for c in checks]
    return Report(results, rules, files, dict(REPORT_PREFIXES))


def run_units(
    ontology: Unit,
    units: Sequence[Unit],
    layout: DataLayout,
    *,
    engine: str = "oxigraph",
    checks: bool = True,
) -> CorpusValidation:
    """Validate ``units`` with the ontology, in memory, on one engine."""
    if engine not in ENGINES:
        raise InputError(f"--engine: unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    stats = Stats(engine, "full", units=len(units))
    timer = Timer(stats)
    shapes = load_shapes(layout.shapes_dirs)
    rules = load_checks(layout.checks_dirs)
    compiled = compile_shapes(shapes) if engine == "oxigraph" else None
    store = ox.Store()
    load_units(store, [ontology, *units])
    timer.lap("load")
    if compiled is not None:
        mark_ill_typed(store, compiled)
        results = run_constraints(store, compiled.constraints)
    else:
        results = run_shacl(rdflib_copy(store), shapes)
    timer.lap("shapes")
    if checks:
        results += run_checks(store, rules)
        timer.lap("checks")
    report = finish(store, results, shapes, rules if checks else [], [ontology, *units])
    timer.lap("report")
    return CorpusValidation(report, stats)


__all__ = [
    "ENGINES",
    "CorpusValidation",
    "Stats",
    "expand_paths",
    "finish",
    "load_shapes",
    "run_checks",
    "run_units",
]
