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

from collections.abc import Iterable, Sequence
from pathlib import Path

import rdflib
from rdflib.term import URIRef

from .. import loading
from .. import namespaces as ns
from ..errors import DataError, InputError
from ..inference import infer
from ..paths import data_dir
from .checks import load_checks, run_check
from .locate import Locator, Passages
from .model import SHAPES_NS, Report, Result, Rule, Severity, show_term
from .shacl import node_shape_rules, run_shacl
from .terms import (
    PYTHON_RULES,
    article_texts,
    selector_mismatches,
    undeclared_terms,
    undocumented_terms,
)

SCHEMA_TEXT = URIRef("http://schema.org/text")
_NESTED_FORMATS = {"trig", "nquads"}


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


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when inside it (as CI annotations want)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_CACHE: dict[tuple[str, int, int], rdflib.Graph] = {}


def read_cached(path: Path) -> rdflib.Graph:
    """:func:`read_rdf`, remembered for the process (ontology and shapes, read on every run).

    The graph returned is shared: callers copy it, never change it.
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = read_rdf(path)
    return _CACHE[key]


def read_rdf(path: Path) -> rdflib.Graph:
    """One file's triples (every named graph's, for TriG/N-Quads), strictly checked first."""
    fmt = loading.guess_format(path)
    if fmt in _NESTED_FORMATS:
        dataset = rdflib.Dataset()
        loading.parse_into(dataset, path, fmt)
        graph = rdflib.Graph()
        for s, p, o, _ in dataset.quads():
            graph.add((s, p, o))
        return graph
    return loading.parse_into(rdflib.Graph(), path, fmt)


def load_shapes(folder: Path | None = None) -> rdflib.Graph:
    folder = folder or data_dir("shapes")
    files = sorted(folder.glob("*.ttl")) if folder.is_dir() else []
    if not files:
        raise DataError(f"{folder}: no SHACL shapes (*.ttl) found")
    shapes = rdflib.Graph()
    for path in files:
        shapes += read_cached(path)
    return shapes


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
    # Fail fast, before loading anything large, on a missing or malformed user file.
    for path in user:
        loading.check_syntax(path)
    graph_dir = data_dir("graph")
    shipped = loading.graph_files(graph_dir) if (include_graph or not user) else []
    ontology_paths = [f.path for f in loading.ontology_files()]
    if not ontology_paths:
        raise DataError(f"{data_dir('ontology')}: no ontology files found")

    data_paths = user + [f.path for f in shipped]
    locator = Locator({p: display_path(p) for p in data_paths + ontology_paths})
    data = rdflib.Graph()
    for path in data_paths:
        graph = read_rdf(path)
        locator.add(path, graph)
        data += graph
    ontology = rdflib.Graph()
    for path in ontology_paths:
        graph = read_cached(path)
        locator.add(path, graph)
        ontology += graph

    # The closure is built in place: at scale a third copy of the data would cost more than
    # the inference itself.
    closure = rdflib.Graph()
    closure += ontology
    closure += data
    closure += infer(ontology, closure)

    shapes = load_shapes()
    checks = load_checks(data_dir("queries") / "checks")
    results: list[Result] = []
    results += run_shacl(closure, shapes)
    for check in checks:
        results += run_check(check, closure)
    results += undeclared_terms(data, ontology)
    results += undocumented_terms(ontology)

    def source_file(slug: str) -> Path | None:
        path = loading.source_text_path(slug, graph_dir)
        return path if path.is_file() else None

    texts, text_results = article_texts(closure, source_file)
    results += text_results
    with_text = {a for a in texts if closure.value(a, SCHEMA_TEXT) is not None}
    results += selector_mismatches(closure, texts, with_text)

    passages = Passages(closure)
    for result in results:
        result.file, result.line = locator.locate(result.focus)
        result.passage = passages.passage(result.focus)
    results = _dedupe(results)
    results.sort(key=Result.sort_key)

    rules = node_shape_rules(shapes) + [c.rule for c in checks] + list(PYTHON_RULES)
    prefixes = dict(ns.PREFIXES)
    prefixes["okgsh"] = SHAPES_NS
    return Report(
        results=results,
        rules=rules,
        files=[display_path(p) for p in ontology_paths + data_paths],
        prefixes=prefixes,
    )


def _dedupe(results: list[Result]) -> list[Result]:
    """Drop exact repeats (pySHACL reports a shape reached twice by two targets twice)."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for r in results:
        key = (r.severity, r.focus, r.path, r.value, r.rule, r.message)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


__all__ = ["Report", "Result", "Rule", "Severity", "display_path", "show_term", "validate"]
