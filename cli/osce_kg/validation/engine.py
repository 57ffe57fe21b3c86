"""Run every kind of validation over a set of files and gather one report.

:func:`validate` loads the ontology, the shipped graph and/or a user's files,
materialises the ontology's subclass/subproperty/inverse closure (so that a
shape on ``okg:Event`` applies to an ``okg:Meeting``, without the RDFS
domain/range inference that would hide errors), and then runs, in one pass:

1. pySHACL with the shapes of ``shapes/`` (no inference of its own);
2. the SPARQL checks of ``queries/checks/*-violation.rq``, each once;
3. the checks of :mod:`osce_kg.validation.terms`.

Each result is then given the file and line where its focus node is defined
and the article passage that node derives from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import rdflib

from .. import loading
from ..errors import DataError, InputError
from ..inference import infer
from ..paths import data_dir
from .checks import Check, load_checks, run_check
from .locate import Locator, Passages, display_path
from .model import REPORT_PREFIXES, Report, Result, Rule, Severity, dedupe, show_term
from .shacl import node_shape_rules, run_shacl
from .terms import (
    PYTHON_RULES,
    article_texts,
    selector_mismatches,
    undeclared_terms,
    undocumented_terms,
)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """The files named, with each folder replaced by the RDF files under it."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in loading.RDF_SUFFIXES
            )
            if not found:
                raise InputError(f"{path}: folder holds no RDF files")
            out += found
        else:
            out.append(path)
    return out


_CACHE: dict[tuple[str, int, int], rdflib.Graph] = {}


def read_cached(path: Path) -> rdflib.Graph:
    """:func:`osce_kg.loading.parse_file`, remembered for the process (ontology and
    shapes, read on every run).

    The graph returned is shared: callers copy it, never change it.
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = loading.parse_file(path)
    return _CACHE[key]


def load_shapes(folder: Path | None = None) -> rdflib.Graph:
    folder = folder or data_dir("shapes")
    files = sorted(folder.glob("*.ttl")) if folder.is_dir() else []
    if not files:
        raise DataError(f"{folder}: no SHACL shapes (*.ttl) found")
    shapes = rdflib.Graph()
    for path in files:
        shapes += read_cached(path)
    return shapes


def _no_lap(name: str) -> None:
    pass


@dataclass
class Loaded:
    """Data and ontology files read by rdflib, with the closure the rules run on."""

    data: rdflib.Graph  # the data files' triples
    ontology: rdflib.Graph
    closure: rdflib.Graph  # ontology + data + what the ontology implies (see module doc)
    locator: Locator
    files: list[str]  # every file read, ontology first, as reports name them

    def locate(self, results: Iterable[Result]) -> None:
        """Give each result the file and line where its focus node is defined."""
        for result in results:
            result.file, result.line = self.locator.locate(result.focus)


def load(
    data_paths: Sequence[Path],
    ontology_paths: Sequence[Path],
    lap: Callable[[str], None] = _no_lap,
) -> Loaded:
    """Read the files (data first, so that a malformed user file fails before anything
    large is read) and build the closure; ``lap("load")``, ``lap("infer")`` after each step.

    Every file is parsed strictly (:func:`osce_kg.loading.parse_file`): a syntax
    error is a ParseError ``FILE:LINE:COL``.
    """
    locator = Locator({p: display_path(p) for p in [*data_paths, *ontology_paths]})
    data = rdflib.Graph()
    for path in data_paths:
        graph = loading.parse_file(path)
        locator.add(path, graph)
        data += graph
    ontology = rdflib.Graph()
    for path in ontology_paths:
        graph = read_cached(path)
        locator.add(path, graph)
        ontology += graph
    lap("load")
    # The closure is built in place: at scale a third copy of the data would cost more than
    # the inference itself.
    closure = rdflib.Graph()
    closure += ontology
    closure += data
    closure += infer(ontology, closure)
    lap("infer")
    files = [display_path(p) for p in [*ontology_paths, *data_paths]]
    return Loaded(data, ontology, closure, locator, files)


def run_rules(
    loaded: Loaded,
    shapes: rdflib.Graph,
    checks: Sequence[Check],
    lap: Callable[[str], None] = _no_lap,
) -> list[Result]:
    """pySHACL with ``shapes``, then each SPARQL check once, on the closure
    (``lap("shapes")``, ``lap("checks")`` after each)."""
    results = run_shacl(loaded.closure, shapes)
    lap("shapes")
    for check in checks:
        results += run_check(check, loaded.closure)
    lap("checks")
    return results


def validate(
    files: Sequence[Path] = (),
    *,
    include_graph: bool = True,
) -> Report:
    """Validate the shipped graph (no ``files``) or a user's files with the ontology and shapes.

    With ``files``, the shipped graph is loaded too unless ``include_graph`` is
    false, so that the user's data may refer to our entities.  Raises
    :class:`~osce_kg.errors.InputError`/``ParseError`` for unusable input.
    """
    user = expand_paths(files)
    graph_dir = data_dir("graph")
    shipped = loading.graph_files(graph_dir) if (include_graph or not user) else []
    ontology_paths = [f.path for f in loading.ontology_files()]
    if not ontology_paths:
        raise DataError(f"{data_dir('ontology')}: no ontology files found")

    loaded = load(user + [f.path for f in shipped], ontology_paths)
    shapes = load_shapes()
    checks = load_checks(data_dir("queries") / "checks")
    results = run_rules(loaded, shapes, checks)
    results += undeclared_terms(loaded.data, loaded.ontology)
    results += undocumented_terms(loaded.ontology)

    def source_file(slug: str) -> Path | None:
        path = loading.source_text_path(slug, graph_dir)
        return path if path.is_file() else None

    texts, text_results = article_texts(loaded.closure, source_file)
    results += text_results
    results += selector_mismatches(loaded.closure, texts)

    loaded.locate(results)
    passages = Passages(loaded.closure)
    for result in results:
        result.passage = passages.passage(result.focus)
    results = dedupe(results)
    results.sort(key=Result.sort_key)

    rules = node_shape_rules(shapes) + [c.rule for c in checks] + list(PYTHON_RULES)
    return Report(results=results, rules=rules, files=loaded.files, prefixes=dict(REPORT_PREFIXES))


__all__ = [
    "Loaded",
    "Report",
    "Result",
    "Rule",
    "Severity",
    "display_path",
    "load",
    "run_rules",
    "show_term",
    "validate",
]
