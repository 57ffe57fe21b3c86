"""Point a reader at the place a result is about.

* :class:`FileIndex` finds the line where a node is defined in one file: the
  first line where a statement starts with it.  The scan is textual and
  tolerant: prefixed names are expanded with the file's own ``@prefix``
  lines, relative IRIs resolved against its ``@base``; a file that cannot be
  scanned that way (JSON-LD, RDF/XML) falls back to the first line that
  mentions the IRI.  (:mod:`.placement` picks the file.)
* :func:`passage_of` finds the article passage a node derives from: the
  ``oa:exact`` of the first (by ``oa:start``) annotation whose body it is.
* :func:`display_path` is how every report names a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pyoxigraph as ox
from rdflib.term import BNode, Node, URIRef

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I)
_BASE = re.compile(r"^\s*(?:@base|BASE)\s+<([^>]*)>", re.I)
_TOKEN = re.compile(r"^\s*(<[^>\s]*>|(?:[A-Za-z][\w.-]*)?:(?:[^\s;,()\[\]\"'{}]|\\.)*)")
_UNESCAPE = re.compile(r"\\(.)")
_TURTLE_LIKE = {".ttl", ".turtle", ".nt", ".ntriples", ".nq", ".trig"}


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when inside it (as CI annotations want)."""
    return display_paths([path])[0]


def display_paths(paths: Iterable[Path]) -> list[str]:
    """:func:`display_path` of each path: the working directory and each folder are
    resolved once (a corpus has thousands of files in few folders), so a path is
    inside the working directory as written or through a symbolic link."""
    here = Path.cwd()
    real_here = here.resolve()
    folders: dict[Path, Path] = {}
    out = []
    for path in paths:
        full = path.absolute()
        if ".." not in full.parts and full.is_relative_to(here):
            out.append(str(full.relative_to(here)))
            continue
        if full.parent not in folders:  # ("a/link/.." is not "a": resolved, not normalised)
            folders[full.parent] = full.parent.resolve()
        real = folders[full.parent] / full.name
        inside = real.is_relative_to(real_here)
        out.append(str(real.relative_to(real_here)) if inside else str(path))
    return out


class FileIndex:
    """Where each IRI heads a line of one Turtle-like file.

    ``starts``: the first line where a statement starts with the IRI (its subject);
    ``line_heads``: the first line that begins with it, a statement's start or a
    continuation line (an object on a line of its own).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        self.starts: dict[str, int] = {}
        self.line_heads: dict[str, int] = {}
        if path.suffix.lower() in _TURTLE_LIKE:
            self._scan()

    def _scan(self) -> None:
        prefixes: dict[str, str] = {}
        base = self.path.resolve().as_uri()
        at_start = True
        in_long = False
        for number, line in enumerate(self.lines, start=1):
            quotes = line.count('"""') + line.count("'''")
            if in_long:
                # Inside a long string nothing starts a statement; its closing line may end one.
                if quotes % 2 == 1:
                    in_long = False
                    at_start = line.split(" #", 1)[0].rstrip().endswith(".")
                continue
            if (m := _PREFIX.match(line)) is not None:
                prefixes[m.group(1) or ""] = urljoin(base, m.group(2))
                at_start = True
                continue
            if (m := _BASE.match(line)) is not None:
                base = urljoin(base, m.group(1))
                at_start = True
                continue
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            token = _TOKEN.match(line)
            if token is not None:
                iri = self._expand(token.group(1), prefixes, base)
                if iri is not None:
                    self.line_heads.setdefault(iri, number)
                    if at_start:
                        self.starts.setdefault(iri, number)
            if quotes % 2 == 1:
                in_long = True
            code = stripped.split(" #", 1)[0].rstrip()
            at_start = code.endswith((".", "{", "}"))

    @staticmethod
    def _expand(token: str, prefixes: dict[str, str], base: str) -> str | None:
        if token.startswith("<"):
            return urljoin(base, token[1:-1])
        prefix, _, local = token.partition(":")
        ns = prefixes.get(prefix)
        if ns is None:
            return None
        return ns + _UNESCAPE.sub(r"\1", local.rstrip("."))

    def line_of(self, iri: str) -> int | None:
        found = self.starts.get(iri) or self.line_heads.get(iri)
        if found is not None:
            return found
        quoted = (f"<{iri}>", f'"{iri}"')
        for number, line in enumerate(self.lines, start=1):
            if any(q in line for q in quoted):
                return number
        return None


_OA = "http://www.w3.org/ns/oa#"
_HAS_BODY, _HAS_TARGET, _HAS_SELECTOR = (
    ox.NamedNode(_OA + name) for name in ("hasBody", "hasTarget", "hasSelector")
)
_EXACT, _START = ox.NamedNode(_OA + "exact"), ox.NamedNode(_OA + "start")


def _objects(store: ox.Store, subject: Any, predicate: ox.NamedNode) -> list[Any]:
    return [q.object for q in store.quads_for_pattern(subject, predicate, None, None)]


def _subjects(store: ox.Store, predicate: ox.NamedNode, obj: Any) -> list[Any]:
    return [q.subject for q in store.quads_for_pattern(None, predicate, obj, None)]


def _target_passage(store: ox.Store, target: Any) -> tuple[int, str] | None:
    """(start, exact) of a target's selectors, or None without an oa:exact."""
    exact: str | None = None
    start = 0
    for selector in _objects(store, target, _HAS_SELECTOR):
        for value in _objects(store, selector, _EXACT):
            exact = value.value
        for position in _objects(store, selector, _START):
            try:
                start = int(position.value)
            except ValueError:
                start = 0
    return (start, exact) if exact is not None else None


def passage_of(store: ox.Store, node: Node) -> str | None:
    """The article passage ``node`` derives from: the ``oa:exact`` of the first (by
    ``oa:start``) annotation whose body it is; for an annotation, its target or a
    selector, its own passage."""
    if not isinstance(node, URIRef | BNode):
        return None
    term = ox.NamedNode(str(node)) if isinstance(node, URIRef) else ox.BlankNode(str(node))
    found = [
        passage
        for annotation in _subjects(store, _HAS_BODY, term)
        for target in _objects(store, annotation, _HAS_TARGET)
        if (passage := _target_passage(store, target)) is not None
    ]
    if found:
        return min(found)[1]
    targets = _objects(store, term, _HAS_TARGET)
    if not targets and _objects(store, term, _HAS_SELECTOR):
        targets = [term]
    targets = targets or _subjects(store, _HAS_SELECTOR, term)
    for target in targets:
        passage = _target_passage(store, target)
        if passage is not None:
            return passage[1]
    return None
