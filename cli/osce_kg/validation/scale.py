"""Validate a whole corpus fast, and re-validate only what changed.

The library API behind ``osce-kg validate --engine oxigraph`` and the
benchmarks:

* :func:`validate_full` — load the corpus into an in-memory Oxigraph store (one
  named graph per unit: ontology, shared, reference, each source), add the
  ontology's closure, run the compiled shapes (:mod:`.compiled`) and the
  whole-graph SPARQL checks (``queries/checks``), each once, as single queries.
* :func:`validate_corpus` with ``incremental=True`` — the same, on a persistent
  store in a cache folder (default ``<data>/.osce-kg-cache``) with a manifest
  of content hashes.  A re-run reloads only the units whose files changed and
  re-checks only the focus nodes the change can affect (see
  :func:`affected_nodes`); the other results come from the cache.  A change of
  ontology (which changes the closure) rebuilds the store; a change of shapes,
  checks or osce-kg re-checks every focus node on the stored data.
* ``engine="pyshacl"`` runs the reference path instead (rdflib + pySHACL), for
  comparison and for shapes the compiler does not support.

The built-in Python checks of :mod:`.terms` (undeclared terms, selectors
against ``source.txt``) are not part of these runs: ``osce-kg validate``
without ``--engine oxigraph`` runs them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from .. import loading
from .. import namespaces as ns
from ..errors import DataError, InputError
from ..paths import data_root as default_root
from .checks import Check, load_checks
from .compiled import Compiled, UnsupportedShapes, compile_shapes
from .locate import display_path
from .model import REPORT_PREFIXES, Report, Result, dedupe
from .oxistore import (
    Closure,
    inferred_graph,
    load_files,
    mark_ill_typed,
    parse_quads,
    run_check_text,
    run_constraints,
    unit_name,
)
from .placement import locate_results
from .shacl import node_shape_rules

CACHE_FORMAT = 2  # 2: results keep terms as SPARQL JSON results do
ENGINES = ("auto", "oxigraph", "pyshacl")


@dataclass(frozen=True)
class Unit:
    """A part of the data loaded as one named graph: the ontology, shared, reference or a source."""

    name: str  # "ontology", "shared", "reference", "source/<slug>"
    graph: str
    files: tuple[Path, ...]
    extra: tuple[Path, ...] = ()  # hashed but not loaded (a source's source.txt)

    def digest(self) -> str:
        return loading.files_digest("unit", [(p.name, p) for p in sorted(self.files + self.extra)])


def corpus_units(root: Path) -> tuple[Unit, list[Unit]]:
    """The ontology unit and the data units of the data folder ``root``.

    One unit per named graph of :func:`osce_kg.loading.graph_files`, named after
    it (``shared``, ``reference``, ``source/<slug>``), in that order.
    """
    ontology_files = tuple(f.path for f in loading.ontology_files(root / "ontology"))
    ontology = Unit(unit_name(ns.ONTOLOGY_GRAPH), ns.ONTOLOGY_GRAPH, ontology_files)
    if not ontology.files:
        raise DataError(f"{root / 'ontology'}: no ontology files found")
    graph_dir = root / "graph"
    files: dict[str, list[Path]] = {}
    for f in loading.graph_files(graph_dir):
        files.setdefault(f.graph, []).append(f.path)
    units = []
    for graph, paths in files.items():
        name = unit_name(graph)
        extra: tuple[Path, ...] = ()
        if name.startswith("source/"):
            text = loading.source_text_path(name.removeprefix("source/"), graph_dir)
            extra = (text,) if text.is_file() else ()
        units.append(Unit(name, graph, tuple(paths), extra))
    return ontology, units


def _rule_key(root: Path) -> str:
    """What every result depends on besides the data: shapes, checks, this engine."""
    files = [
        (f"{folder.name}/{path.name}", path)
        for folder in (root / "shapes", root / "queries" / "checks")
        for path in (sorted(folder.glob("*")) if folder.is_dir() else [])
        if path.is_file()
    ]
    return loading.files_digest(f"rules {CACHE_FORMAT}", files)


@dataclass
class Stats:
    """What a run did: the numbers the tests and benchmarks read."""

    engine: str
    mode: (
        str  # "full" (in memory), "cold" (cache rebuilt), "incremental", "recheck" (rules changed)
    )
    units: int = 0
    reloaded: list[str] = field(default_factory=list)
    focus_checked: int | None = None  # None: every focus node
    cached_results: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    reason: str = ""
    checks_from_cache: bool = False  # the SPARQL checks' results were reused (nothing changed)
    checks_rerun: int | None = None  # how many SPARQL checks ran (None: not run)
    workers: int = 1  # processes that ran the shapes or checks of this run (--jobs)


@dataclass
class CorpusValidation:
    report: Report
    stats: Stats


class _Timer:
    def __init__(self, stats: Stats) -> None:
        self.stats = stats
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stats.seconds[name] = round(self.stats.seconds.get(name, 0.0) + now - self.last, 4)
        self.last = now


def _shapes(root: Path) -> rdflib.Graph:
    from .engine import load_shapes

    return load_shapes(root / "shapes")


def _report(
    results: list[Result], shapes: rdflib.Graph, checks: list[Check], units: list[Unit]
) -> Report:
    results = dedupe(results)
    results.sort(key=Result.sort_key)
    files = [display_path(p) for u in units for p in u.files]
    rules = node_shape_rules(shapes) + [c.rule for c in checks]
    return Report(results, rules, files, dict(REPORT_PREFIXES))


def all_checks(root: Path) -> list[Check]:
    """The whole-graph SPARQL checks of the data folder ``root``, read once per run."""
    return load_checks(root / "queries" / "checks")


def _checks(store: ox.Store, checks: list[Check]) -> list[Result]:
    results: list[Result] = []
    for check in checks:
        results += run_check_text(store, check.text, check.rule)
    return results


def _load_all(store: ox.Store, ontology: Unit, units: list[Unit], bulk: bool) -> None:
    """Every unit into its graph, and the closure of each into its inferred graph.

    ``bulk`` (for an on-disk store) makes two bulk loads in all, one for the
    data and one for the closure: each bulk load into RocksDB has a high fixed cost.
    """
    everything = [ontology, *units]
    if bulk:
        store.bulk_extend(
            q for u in everything for path in u.files for q in parse_quads(path, u.graph)
        )
    else:
        for unit in everything:
            load_files(store, unit.graph, unit.files)
    closure = Closure(store)
    inferred = [q for u in everything for q in closure.infer(store, u.graph)]
    if bulk:
        store.bulk_extend(inferred)
    else:
        store.extend(inferred)


def compile_or_none(shapes: rdflib.Graph) -> tuple[Compiled | None, str]:
    try:
        return compile_shapes(shapes), ""
    except UnsupportedShapes as exc:
        return None, str(exc)


def validate_full(
    root: Path | None = None, *, engine: str = "auto", checks: bool = True
) -> CorpusValidation:
    """Validate the data folder ``root`` in one in-memory run (no cache).

    ``checks=False`` runs the shapes only (to compare engines like for like).
    """
    root = root or default_root()
    if engine not in ENGINES:
        raise InputError(f"--engine: unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    shapes = _shapes(root)
    compiled, why = compile_or_none(shapes) if engine != "pyshacl" else (None, "")
    if compiled is None and engine == "oxigraph":
        raise UnsupportedShapes(why)
    ontology, units = corpus_units(root)
    rules = all_checks(root)
    if compiled is None:
        return _validate_pyshacl(shapes, rules, ontology, units, why, checks=checks)
    stats = Stats("oxigraph", "full", units=len(units))
    timer = _Timer(stats)
    store = ox.Store()
    _load_all(store, ontology, units, bulk=False)
    timer.lap("load")
    mark_ill_typed(store, compiled)
    results = run_constraints(store, compiled.constraints)
    timer.lap("shapes")
    if checks:
        results += _checks(store, rules)
        timer.lap("checks")
    locate_results(store, results, [ontology, *units])
    report = _report(results, shapes, rules, [ontology, *units])
    timer.lap("report")
    return CorpusValidation(report, stats)


def _validate_pyshacl(
    shapes: rdflib.Graph,
    rules: list[Check],
    ontology: Unit,
    units: list[Unit],
    why: str,
    checks: bool = True,
) -> CorpusValidation:
    """The reference path, as ``osce-kg validate`` runs it (:func:`.engine.load`,
    :func:`.engine.run_rules`): rdflib graph, closure, pySHACL, checks with rdflib."""
    from .engine import load, run_rules

    stats = Stats("pyshacl", "full", units=len(units), reason=why)
    timer = _Timer(stats)
    loaded = load([p for u in units for p in u.files], ontology.files, timer.lap)
    results = run_rules(loaded, shapes, rules if checks else [], timer.lap)
    loaded.locate(results)
    return CorpusValidation(_report(results, shapes, rules, [ontology, *units]), stats)


def run_files(
    data: list[Path],
    *,
    root: Path | None = None,
    engine: str = "oxigraph",
    checks: bool = True,
    shapes: rdflib.Graph | None = None,
) -> list[Result]:
    """Shape (and check) results for some RDF files with the ontology, on one engine.

    Each file is a unit of its own.  ``engine`` is ``"oxigraph"`` (compiled
    shapes) or ``"pyshacl"`` (the reference); the agreement tests compare them.
    """
    root = root or default_root()
    ontology, _ = corpus_units(root)
    units = [Unit(loading.base_iri(p), loading.base_iri(p), (p,)) for p in data]
    shapes = shapes if shapes is not None else _shapes(root)
    rules = all_checks(root)
    if engine == "pyshacl":
        run = _validate_pyshacl(shapes, rules, ontology, units, "", checks=checks)
        return run.report.results
    compiled = compile_shapes(shapes)
    store = ox.Store()
    _load_all(store, ontology, units, bulk=False)
    mark_ill_typed(store, compiled)
    results = run_constraints(store, compiled.constraints)
    if checks:
        results += _checks(store, rules)
    return dedupe(results)


def affected_nodes(store: ox.Store, delta: set[tuple[Any, Any, Any]]) -> set[Any]:
    """The focus nodes whose results a change of the triples ``delta`` can change.

    With the supported constraints a result about a focus node depends on the
    node's own triples (its types, its values), on the types of its values,
    and, for ``sh:targetObjectsOf``, on the triples pointing at it: so the
    subjects and objects of the changed triples, and the subjects of triples
    whose object is a changed subject.
    """
    nodes: set[Any] = set()
    subjects: set[Any] = set()
    for s, _, o in delta:
        nodes.add(s)
        subjects.add(s)
        if not isinstance(o, ox.Literal):
            nodes.add(o)
    for v in subjects:
        for q in store.quads_for_pattern(None, None, v, None):
            nodes.add(q.subject)
    return {n for n in nodes if isinstance(n, (ox.NamedNode, ox.BlankNode))}


def _graph_triples(store: ox.Store, graph: str) -> set[tuple[Any, Any, Any]]:
    out = set()
    for g in (graph, inferred_graph(graph)):
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g)):
            out.add((q.subject, q.predicate, q.object))
    return out


__all__ = ["CorpusValidation", "Stats", "Unit", "affected_nodes", "corpus_units", "validate_full"]
