"""Where a result of a store run points, and how results are kept in the cache.

* :func:`locate_results` gives each result the file and line where its focus
  node is defined, asking the store which unit (named graph) types the node and
  scanning only that unit's files (with :mod:`.locate`'s scanner), so that
  locating a few results does not mean reading the whole corpus.
* :func:`serialise` / :func:`deserialise` turn a :class:`Result` into JSON and
  back, terms kept exactly (IRI, blank node, literal with language or datatype).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib.term import BNode, Node, URIRef

from ..sparql_results import term_from_json, term_json
from .locate import FileIndex, display_path
from .model import Result, Severity
from .oxistore import RDF_TYPE, to_oxigraph

if TYPE_CHECKING:
    from .units import Unit


def _parent(store: ox.Store, node: ox.BlankNode) -> ox.NamedNode | ox.BlankNode | None:
    for q in store.quads_for_pattern(None, None, node, None):
        subject = q.subject
        if isinstance(subject, (ox.NamedNode, ox.BlankNode)):
            return subject
    return None


def locate_results(store: ox.Store, results: Sequence[Result], units: Iterable[Unit]) -> None:
    """Set ``file`` and ``line`` of every result whose focus node a unit defines."""
    by_graph = {u.graph: u for u in units}
    indexes: dict[Path, FileIndex] = {}
    found: dict[Node, tuple[str | None, int | None]] = {}
    for result in results:
        if result.focus not in found:
            found[result.focus] = _locate(store, result.focus, by_graph, indexes)
        result.file, result.line = found[result.focus]


def _locate(
    store: ox.Store, focus: Node, by_graph: dict[str, Unit], indexes: dict[Path, FileIndex]
) -> tuple[str | None, int | None]:
    if not isinstance(focus, (URIRef, BNode)):
        return None, None
    node: ox.NamedNode | ox.BlankNode | None = to_oxigraph(focus)
    for _ in range(8):  # a blank node has no name to search for: point at what refers to it
        if not isinstance(node, ox.BlankNode):
            break
        node = _parent(store, node)
    if node is None:
        return None, None
    unit = None
    for predicate in (RDF_TYPE, None):
        for q in store.quads_for_pattern(node, predicate, None, None):
            graph = q.graph_name
            if isinstance(graph, ox.NamedNode) and graph.value in by_graph:
                unit = by_graph[graph.value]
                break
        if unit is not None:
            break
    if unit is None:
        return None, None
    if isinstance(node, ox.BlankNode):
        return display_path(unit.files[0]), None

    def index_of(path: Path) -> FileIndex:
        index = indexes.get(path)
        if index is None:
            index = indexes[path] = FileIndex(path)
        return index

    # The file where a statement starts with the node; only if there is none, one where
    # a line starts with it (an object on a line of its own: a file that merely refers
    # to the node, which may come before the file that defines it).
    iri = node.value
    for path in unit.files:
        if iri in index_of(path).starts:
            return display_path(path), index_of(path).line_of(iri)
    for path in unit.files:
        if iri in index_of(path).line_heads:
            return display_path(path), index_of(path).line_of(iri)
    # A file the scan cannot read statement by statement (JSON-LD, RDF/XML, a TriG
    # graph block): the first line that names the node.
    for path in unit.files:
        line = index_of(path).line_of(iri)
        if line is not None:
            return display_path(path), line
    return display_path(unit.files[0]), None


def serialise(result: Result) -> dict[str, Any]:
    return {
        "severity": int(result.severity),
        "focus": term_json(result.focus),
        "message": result.message,
        "rule": result.rule,
        "path": None if result.path is None else term_json(result.path),
        "value": None if result.value is None else term_json(result.value),
        "component": result.component,
    }


def deserialise(data: dict[str, Any]) -> Result:
    focus = term_from_json(data["focus"])
    if focus is None:
        raise ValueError("a cached result has no focus node")
    return Result(
        severity=Severity(int(data["severity"])),
        focus=focus,
        message=str(data["message"]),
        rule=str(data["rule"]),
        path=term_from_json(data["path"]),
        value=term_from_json(data["value"]),
        component=data.get("component"),
    )


def focus_key(node: Node) -> str:
    """The key results are cached under: the focus node in N-Triples form."""
    return node.n3()
