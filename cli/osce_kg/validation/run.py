"""One validation, whatever the engine: :func:`validate`.

Every run loads the data the same way: each unit (the ontology, ``graph/shared``,
``graph/reference``, each source, each file a user names) becomes one named
graph of an in-memory Oxigraph store, with its closure beside it
(:mod:`.oxistore`) and, for a source, its verbatim ``source.txt`` (the only rule
input that is not RDF: :func:`source_text_quads`).  Then one rule set runs:

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
from .. import namespaces as ns
from ..errors import DataError, InputError
from ..layout import RDF_SUFFIXES, DataLayout
from .checks import Check, load_checks
from .compiled import PLAIN_DATATYPES, RAW_PREDICATE, compile_shapes
from .locate import display_path, passage_of
from .model import REPORT_PREFIXES, Report, Result, dedupe
from .oxistore import (
    CONTROL,
    Closure,
    mark_ill_typed,
    parse_quads,
    rdflib_terms,
    run_check_text,
    run_constraints,
    unit_name,
)
from .placement import locate_results
from .shacl import node_shape_rules, run_shacl

ENGINES = ("oxigraph", "pyshacl")

# What validation adds to a source's graph, and no export ever holds: the text of
# graph/sources/<slug>/source.txt, and that file's path, on the article's IRI.
SOURCE_TEXT = ox.NamedNode("urn:osce-kg:validation:source-text")
SOURCE_FILE = ox.NamedNode("urn:osce-kg:validation:source-file")
INTERNAL = "urn:osce-kg:"


@dataclass(frozen=True)
class Unit:
    """A part of the data loaded as one named graph: the ontology, shared, reference,
    a source or a user's file."""

    name: str  # "ontology", "shared", "reference", "source/<slug>", or a file's URI
    graph: str
    files: tuple[Path, ...]
    extra: tuple[Path, ...] = ()  # a source's source.txt: read as text, not as RDF

    def digest(self) -> str:
        return loading.files_digest("unit", [(p.name, p) for p in sorted(self.files + self.extra)])


def corpus_units(layout: DataLayout) -> tuple[Unit, list[Unit]]:
    """The ontology unit and the data units of ``layout``: one per named graph of
    :meth:`DataLayout.graph_files` (``shared``, ``reference``, ``source/<slug>``)."""
    ontology_files = tuple(f.path for f in layout.ontology_files())
    ontology = Unit(unit_name(ns.ONTOLOGY_GRAPH), ns.ONTOLOGY_GRAPH, ontology_files)
    if not ontology.files:
        raise DataError(f"{layout.ontology_dir}: no ontology files found")
    files: dict[str, list[Path]] = {}
    for f in layout.graph_files():
        files.setdefault(f.graph, []).append(f.path)
    units = []
    for graph, paths in files.items():
        name = unit_name(graph)
        extra: tuple[Path, ...] = ()
        if name.startswith("source/"):
            text = layout.source_text(name.removeprefix("source/"))
            extra = (text,) if text.exists() else ()
        units.append(Unit(name, graph, tuple(paths), extra))
    return ontology, units


def file_unit(path: Path) -> Unit:
    """A user's file as a unit of its own, named by its URI."""
    iri = loading.base_iri(path)
    return Unit(iri, iri, (path,))


def source_text_quads(unit: Unit) -> list[ox.Quad]:
    """The verbatim text of a source unit's ``source.txt`` on its article's IRI.

    The SPARQL checks compare selectors and the article's ``schema:text`` and
    ``okg:sha256`` with it; a file that is not UTF-8 is a ParseError naming it.
    """
    if not unit.name.startswith("source/"):
        return []
    slug = unit.name.removeprefix("source/")
    article = ox.NamedNode(ns.thing("source", slug))
    graph = ox.NamedNode(unit.graph)
    quads = []
    for path in unit.extra:
        text = loading.read_text(path)
        shown = "/".join(path.parts[-4:])  # graph/sources/<slug>/source.txt, wherever the data is
        quads += [
            ox.Quad(article, SOURCE_TEXT, ox.Literal(text), graph),
            ox.Quad(article, SOURCE_FILE, ox.Literal(shown), graph),
        ]
    return quads


def unit_quads(unit: Unit) -> Iterator[ox.Quad]:
    """Everything a unit puts into its named graph."""
    for path in unit.files:
        yield from parse_quads(path, unit.graph)
    yield from source_text_quads(unit)


def load_units(store: ox.Store, units: Sequence[Unit], *, bulk: bool = False) -> None:
    """Every unit (the ontology first) into its graph, and the closure of each into its
    inferred graph.  ``bulk`` (an on-disk store) makes two bulk loads in all: each
    bulk load into RocksDB has a high fixed cost."""
    if bulk:
        store.bulk_extend(q for u in units for q in unit_quads(u))
    else:
        for unit in units:
            store.extend(list(unit_quads(unit)))
    closure = Closure(store)
    inferred = [q for u in units for q in closure.infer(store, u.graph)]
    if bulk:
        store.bulk_extend(inferred)
    else:
        store.extend(inferred)


def rdflib_copy(store: ox.Store) -> rdflib.Graph:
    """The union of the store's data and closure graphs as one rdflib graph, literals
    as the files wrote them (from their raw copies: Oxigraph normalises some typed
    literals), without osce-kg's validation-only triples."""
    convert = rdflib_terms()
    graph = rdflib.Graph()
    with loading.quiet_rdflib_terms():
        for q in store:
            if q.graph_name == CONTROL:
                continue
            p, o = q.predicate.value, q.object
            if p.startswith(RAW_PREDICATE):
                p = p.removeprefix(RAW_PREDICATE)
            elif p.startswith(INTERNAL) or (
                isinstance(o, ox.Literal)
                and not o.language
                and o.datatype.value not in PLAIN_DATATYPES
            ):
                continue  # validation-only, or a typed literal whose raw copy is added instead
            graph.add((convert(q.subject), rdflib.URIRef(p), convert(o)))
    return graph


def load_shapes(folder: Path) -> rdflib.Graph:
    """The SHACL shapes of ``folder`` (``*.ttl``), parsed strictly."""
    files = sorted(folder.glob("*.ttl")) if folder.is_dir() else []
    if not files:
        raise DataError(f"{folder}: no SHACL shapes (*.ttl) found")
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
    results: list[Result] = []
    for check in checks:
        results += run_check_text(store, check.text, check.rule)
    return results


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
    files = [display_path(p) for u in units for p in u.files]
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
    shapes = load_shapes(layout.shapes_dir)
    rules = load_checks(layout.checks_dir)
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


def validate(
    files: Sequence[Path] = (),
    *,
    layout: DataLayout | None = None,
    engine: str = "oxigraph",
    include_graph: bool = True,
    incremental: bool = False,
    cache: Path | None = None,
    jobs: int = 1,
) -> Report:
    """Validate the data of ``layout`` (no ``files``) or a user's files with the
    ontology and shapes; with ``files``, the data is loaded beside them unless
    ``include_graph`` is false, so that they may refer to its entities.

    ``incremental`` keeps a cache (``cache``, default in the data folder) and
    re-checks only what changed: the ``oxigraph`` engine only, data folder only.
    Raises :class:`~osce_kg.errors.InputError` / ``ParseError`` for unusable input.
    """
    return validate_run(
        files,
        layout=layout,
        engine=engine,
        include_graph=include_graph,
        incremental=incremental,
        cache=cache,
        jobs=jobs,
    ).report


def validate_run(
    files: Sequence[Path] = (),
    *,
    layout: DataLayout | None = None,
    engine: str = "oxigraph",
    include_graph: bool = True,
    incremental: bool = False,
    cache: Path | None = None,
    jobs: int = 1,
    checks: bool = True,
) -> CorpusValidation:
    """:func:`validate`, with the run's :class:`Stats` (for tests and benchmarks)."""
    layout = layout or DataLayout.default()
    user = expand_paths(files)
    if incremental:
        if user:
            raise InputError("--incremental validates the data folder; give no FILES")
        if engine != "oxigraph":
            raise InputError("--incremental: the cache is the oxigraph engine's")
        from .incremental import validate_corpus

        return validate_corpus(layout, cache=cache, checks=checks, jobs=jobs)
    ontology, shipped = corpus_units(layout)
    units = [file_unit(p) for p in user] + (shipped if include_graph or not user else [])
    return run_units(ontology, units, layout, engine=engine, checks=checks)


__all__ = [
    "ENGINES",
    "CorpusValidation",
    "Stats",
    "Unit",
    "corpus_units",
    "load_shapes",
    "load_units",
    "validate",
    "validate_run",
]
