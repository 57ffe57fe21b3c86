"""Incremental validation: re-check only what changed since the run that filled the cache.

The cache folder (:mod:`.cache`: store, manifest, results) is compared with the
files.  Changed, added and removed units are reloaded (their graphs and
closures replaced); the triples that changed decide which focus nodes are
re-checked (:func:`affected_nodes`), and only those; every other result comes
from the cached results.  A changed ontology rebuilds the store; changed rules
re-check every focus node on the stored data.  A SPARQL check runs again when
the change touched one of its predicates (``checks.json`` keeps the others'
rows), or, for a ``per-term`` check, for the terms the change touched only.
A missing or unreadable cache is rebuilt from scratch.

Before the store is changed, the manifest is rewritten with the changed units
marked dirty, so a run that is interrupted half-way is repaired by the next
(which checks everything again: what the interrupted run changed in the store is
no longer a difference it can see).  The changed files are all read first, so a
syntax error stops a run before it changes anything.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import InputError
from ..layout import DataLayout, files_digest
from ..version import code_version
from .cache import BUILD, CACHE_DIR, ResultCache, build_of, default_cache
from .checks import load_checks
from .compiled import Compiled
from .compiler import compile_shapes
from .model import Result
from .oxistore import (
    CONTROL,
    SUBCLASS,
    Closure,
    clear_focus,
    inferred_graph,
    mark_ill_typed,
    run_constraints,
    to_rdflib,
)
from .placement import focus_key
from .rechecks import Change, rerun_touched_checks
from .run import CorpusValidation, Stats, Timer, finish, load_shapes, run_checks
from .units import Unit, corpus_units, load_units, unit_quads
from .workers import parallel_checks, parallel_constraints


def _rule_key(layout: DataLayout) -> str:
    """What every result depends on besides the data: shapes, checks, this engine."""
    files = [
        (layout.relative(path), path)
        for folder in (*layout.shapes_dirs, *layout.checks_dirs)
        for path in (sorted(folder.glob("*")) if folder.is_dir() else [])
        if path.is_file()
    ]
    return files_digest("rules", files)  # osce-kg's code included


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


def _by_focus(results: list[Result]) -> dict[str, list[Result]]:
    out: dict[str, list[Result]] = {}
    for r in results:
        out.setdefault(focus_key(r.focus), []).append(r)
    return out


def validate_corpus(
    layout: DataLayout | None = None,
    *,
    cache: Path | None = None,
    checks: bool = True,
    jobs: int = 1,
) -> CorpusValidation:
    """Validate the data of ``layout`` on the oxigraph engine, re-checking only what
    changed since the run that filled the cache (``cache``, default in the data folder).

    ``checks=False`` leaves out the SPARQL checks (shapes only); ``jobs`` > 1
    runs a whole run of them (and a re-check of every focus node) in that many
    worker processes, each reading the cached store.
    """
    if jobs < 1:
        raise InputError(f"--jobs: must be at least 1, not {jobs}")
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        # A check worker re-importing an unguarded main script: it must not
        # rebuild the cache its parent is reading (multiprocessing's own rule).
        raise RuntimeError(
            "validate_corpus() called while a worker process starts: put the calling "
            "code under `if __name__ == '__main__':`"
        )
    layout = layout or DataLayout.default()
    root = layout.root
    shapes = load_shapes(layout.shapes_dirs)
    compiled = compile_shapes(shapes)
    folder = cache or default_cache(root)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--cache: {folder} is not a folder")
    ontology, units = corpus_units(layout)
    rules = load_checks(layout.checks_dirs)
    run = _Run(ResultCache(folder), compiled, ontology, units, _rule_key(layout), jobs)
    try:
        results = run.execute()
        if checks:
            kept = run.cache.load_checks() if run.unchanged else None
            run.stats.checks_from_cache = kept is not None
            # After a change: the rows a change cannot have changed are the previous ones,
            # and the few checks it touched run here, whatever --jobs says (worker
            # processes pay off for whole runs only).
            change = run.change if kept is None else None
            previous = run.cache.load_checks() if change is not None else None
            if change is not None and previous is not None:
                kept = rerun_touched_checks(run.store, rules, previous, change, run.stats)
            if kept is None:
                if jobs > 1 and run.unsaved is None:  # workers read the on-disk store
                    run.store.flush()  # the workers open the store read-only, from disk
                    kept, workers = parallel_checks(run.cache.store_path, rules, jobs)
                    run.stats.workers = max(run.stats.workers, workers)
                else:
                    kept = run_checks(run.store, rules)
                run.stats.checks_rerun = len(rules)
            if not run.stats.checks_from_cache:
                run.cache.save_checks(kept)
            results += kept
            run.timer.lap("checks")
        elif not run.unchanged:
            run.cache.checks_path.unlink(missing_ok=True)  # they no longer describe the data
        report = finish(run.store, results, shapes, rules if checks else [], [ontology, *units])
        run.timer.lap("report")
        run.persist()
        return CorpusValidation(report, run.stats)
    finally:
        # Close the on-disk store now, not when the cycle collector gets to it, so
        # the next run in this process (or a cache folder deleted meanwhile) is safe.
        run.store = ox.Store()
        gc.collect()


class _Run:
    def __init__(
        self,
        cache: ResultCache,
        compiled: Compiled,
        ontology: Unit,
        units: list[Unit],
        rules: str,
        jobs: int = 1,
    ) -> None:
        self.cache = cache
        self.jobs = jobs
        self.compiled = compiled
        self.ontology = ontology
        self.units = units
        self.graphs = {u.name: u.graph for u in units}
        self.rules = rules
        self.digests = {u.name: u.digest() for u in units}
        self.onto_digest = ontology.digest()
        self.stats = Stats("oxigraph", "incremental", units=len(units))
        self.timer = Timer(self.stats)
        self.store: ox.Store = ox.Store()
        self.build = ""
        self.unchanged = False  # no data and no rule changed since the cached run
        # Set by an incremental run whose rules did not change: what the changed
        # triples (and their closure) touch; None means "anything".
        self.change: Change | None = None
        # A cold run's shape results, saved with the manifest once its in-memory
        # store has been written to the cache folder (persist()).
        self.unsaved: dict[str, list[Result]] | None = None

    def manifest(self, digests: dict[str, str]) -> dict[str, Any]:
        return {
            "version": code_version(),
            "build": self.build,
            "ontology": self.onto_digest,
            "rules": self.rules,
            "units": {
                name: {"digest": d, "graph": self.graphs.get(name, "")}
                for name, d in sorted(digests.items())
            },
        }

    def execute(self) -> list[Result]:
        cached = self.cache.load()
        store = self.cache.open_store() if cached is not None else None
        if store is not None and cached is not None and build_of(store) != cached[0].get("build"):
            store = None  # a store that is not the one the manifest describes (replaced, emptied)
        if cached is None or store is None or cached[0].get("ontology") != self.onto_digest:
            self.stats.reason = (
                "no usable cache" if cached is None or store is None else "ontology changed"
            )
            del store  # release the RocksDB lock before the folder is replaced
            return self.cold()
        self.store = store
        clear_focus(self.store)  # flags an older osce-kg left would be data to the checks
        manifest, results = cached
        self.build = str(manifest.get("build"))
        old = manifest["units"]
        changed = [
            u for u in self.units if old.get(u.name, {}).get("digest") != self.digests[u.name]
        ]
        removed = [name for name in old if name not in self.digests]
        # Every changed unit is read before the store changes: a syntax error in one
        # stops the run with the cache as it was.
        parsed = [(u, list(unit_quads(u))) for u in changed]
        if changed or removed:
            # Mark what is about to change as dirty first: an interrupted run is redone.
            dirty = {
                name: entry.get("digest", "") for name, entry in old.items() if name not in removed
            }
            for u in changed:
                dirty[u.name] = "dirty"
            self.cache.save_manifest(self.manifest(dirty) | {"rules": manifest.get("rules")})
        # The changed triples: each unit's own difference, joined (a triple that two
        # units lose, or gain, in one run is changed, not cancelled out).
        delta: set[tuple[Any, Any, Any]] = set()
        closure = Closure.of_store(self.store)
        before: dict[str, set[tuple[Any, Any, Any]]] = {}
        for graph in [old[name].get("graph", "") for name in removed] + [u.graph for u in changed]:
            before[graph] = _graph_triples(self.store, graph)
            self.store.remove_graph(ox.NamedNode(graph))
            self.store.remove_graph(ox.NamedNode(inferred_graph(graph)))
        for u, quads in parsed:
            self.store.extend(quads)
            self.store.extend(closure.of(quads, u.graph))
        for graph, triples in before.items():
            delta |= triples ^ _graph_triples(self.store, graph)
        # A run interrupted after changing the store left units marked dirty: what it
        # changed is no longer in any difference, so everything is checked again.
        interrupted = any(entry.get("digest") == "dirty" for entry in old.values())
        self.stats.reloaded = [u.name for u in changed] + removed
        self.timer.lap("load")
        if manifest.get("rules") != self.rules or interrupted or self._needs_all(delta):
            mark_ill_typed(self.store, self.compiled)
            self.stats.mode = "recheck"
            self.stats.reason = (
                "rules changed"
                if manifest.get("rules") != self.rules
                else "an interrupted run is repaired"
                if interrupted
                else "class hierarchy changed"
            )
            results = _by_focus(self._every_focus_node())
        elif delta:
            # delta holds the changed triples of the closure too, with their predicates.
            self.change = Change.of(delta)
            mark_ill_typed(self.store, self.compiled, [u.graph for u in changed])
            nodes = affected_nodes(self.store, delta)
            fresh = run_constraints(self.store, self.compiled.constraints, focus=nodes)
            self.stats.focus_checked = len(nodes)
            for node in nodes:
                results.pop(focus_key(to_rdflib(node)), None)
            results.update(_by_focus(fresh))
        else:
            self.stats.focus_checked = 0
            self.unchanged = not removed and manifest.get("rules") == self.rules
        self.timer.lap("shapes")
        self.stats.cached_results = sum(len(v) for v in results.values())
        if changed or removed or interrupted or manifest.get("rules") != self.rules:
            self.cache.save(self.manifest(self.digests), results)
        return [r for found in results.values() for r in found]

    def _every_focus_node(self) -> list[Result]:
        """Every constraint on every focus node; in ``jobs`` processes if more than one."""
        if self.jobs == 1:
            return run_constraints(self.store, self.compiled.constraints)
        self.store.flush()  # the workers open the store read-only, from disk
        found, self.stats.workers = parallel_constraints(
            self.cache.store_path, self.compiled.constraints, self.jobs
        )
        return found

    def _needs_all(self, delta: set[tuple[Any, Any, Any]]) -> bool:
        """Changes a restricted run cannot follow: the class hierarchy, literal focus nodes."""
        for _, p, o in delta:
            if p == SUBCLASS:
                return True
            if isinstance(o, ox.Literal) and p.value in self.compiled.object_targets:
                return True
        return False

    def cold(self) -> list[Result]:
        """Build the cache from nothing.  The store is built and checked in memory,
        where the queries run about four times faster than on RocksDB, and written
        to the cache folder by :meth:`persist` when the run's report is ready."""
        self.stats.mode = "cold"
        if self.cache.store_path.is_dir():
            shutil.rmtree(self.cache.store_path)
        else:
            self.cache.store_path.unlink(missing_ok=True)
        self.cache.results_path.unlink(missing_ok=True)
        self.cache.checks_path.unlink(missing_ok=True)
        self.cache.manifest_path.unlink(missing_ok=True)
        self.cache.folder.mkdir(parents=True, exist_ok=True)
        self.store = ox.Store()
        load_units(self.store, [self.ontology, *self.units], bulk=True)
        self.build = uuid.uuid4().hex
        self.store.add(ox.Quad(BUILD, BUILD, ox.Literal(self.build), CONTROL))
        self.stats.reloaded = [u.name for u in self.units]
        self.timer.lap("load")
        mark_ill_typed(self.store, self.compiled)
        fresh = run_constraints(self.store, self.compiled.constraints)
        self.timer.lap("shapes")
        self.unsaved = _by_focus(fresh)
        return fresh

    def persist(self) -> None:
        """Write a cold run's in-memory store to the cache folder, then the manifest.

        The store goes through an N-Quads file (a bulk load into RocksDB), and the
        in-memory copy is freed first, so the two are never in memory together.
        The manifest is written last: a run interrupted before it leaves a cache
        the next run rebuilds.
        """
        if self.unsaved is None:
            return
        fd, name = tempfile.mkstemp(prefix=".store-", suffix=".nq", dir=self.cache.folder)
        os.close(fd)
        dump = Path(name)
        disk: ox.Store | None = None
        try:
            self.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
            self.store = ox.Store()
            gc.collect()
            disk = self.cache.open_empty_store()
            # bulk_extend of the parsed quads, not bulk_load of the file: the cached
            # results name blank nodes by their labels, which bulk_load would renew.
            disk.bulk_extend(ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS))
            # Compact the bulk-loaded files: later runs' queries on the store then run
            # about 40% faster (measured in docs/validation-at-scale.md).
            disk.optimize()
            disk.flush()
        finally:
            disk = None  # release the RocksDB lock now, even on an error
            gc.collect()
            dump.unlink(missing_ok=True)
        self.cache.save(self.manifest(self.digests), self.unsaved)
        self.unsaved = None
        self.timer.lap("persist")


__all__ = ["CACHE_DIR", "default_cache", "validate_corpus"]
