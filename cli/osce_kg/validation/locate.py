"""Point a reader at the place a result is about.

* :class:`Locator` finds the file and line where a node is defined: the file
  that types it (else the first that has it as a subject), and in that file the
  first line where a statement starts with it.  The scan is textual and
  tolerant: prefixed names are expanded with the file's own ``@prefix``
  lines, relative IRIs resolved against its ``@base``; a file that cannot be
  scanned that way (JSON-LD, RDF/XML) falls back to the first line that
  mentions the IRI.
* :class:`Passages` finds the article passage a node derives from: the
  ``oa:exact`` of the first (by ``oa:start``) annotation whose body it is.
* :func:`display_path` is how every report names a file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin

import rdflib
from rdflib.namespace import RDF
from rdflib.term import BNode, Literal, Node

from .model import OA

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I)
_BASE = re.compile(r"^\s*(?:@base|BASE)\s+<([^>]*)>", re.I)
_TOKEN = re.compile(r"^\s*(<[^>\s]*>|(?:[A-Za-z][\w.-]*)?:(?:[^\s;,()\[\]\"'{}]|\\.)*)")
_UNESCAPE = re.compile(r"\\(.)")
_TURTLE_LIKE = {".ttl", ".turtle", ".nt", ".ntriples", ".nq", ".trig"}


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when inside it (as CI annotations want)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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


class Locator:
    """File and line of a node's definition, among the files that were loaded."""

    def __init__(self, display: dict[Path, str]) -> None:
        self._display = display  # path -> how to print it
        self._typed_in: dict[Node, Path] = {}
        self._subject_in: dict[Node, Path] = {}
        self._parents: dict[BNode, Node] = {}
        self._indexes: dict[Path, FileIndex] = {}

    def add(self, path: Path, graph: rdflib.Graph) -> None:
        """Record what ``graph`` (the triples of ``path``) defines; call in priority order."""
        for s, p, o in graph:
            if p == RDF.type:
                self._typed_in.setdefault(s, path)
            self._subject_in.setdefault(s, path)
            if isinstance(o, BNode):
                self._parents.setdefault(o, s)

    def locate(self, node: Node) -> tuple[str | None, int | None]:
        """``(file, line)`` where ``node`` is defined, or ``(None, None)``."""
        seen: set[Node] = set()
        # A blank node has no name to search for: point at what refers to it.
        while isinstance(node, BNode) and node in self._parents and node not in seen:
            seen.add(node)
            node = self._parents[node]
        path = self._typed_in.get(node) or self._subject_in.get(node)
        if path is None or isinstance(node, (BNode, Literal)):
            return (self._display.get(path) if path else None), None
        index = self._indexes.get(path)
        if index is None:
            index = self._indexes[path] = FileIndex(path)
        return self._display.get(path, str(path)), index.line_of(str(node))


class Passages:
    """The article passage each annotated node derives from."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self._graph = graph
        self._by_body: dict[Node, list[tuple[int, str]]] = defaultdict(list)
        self._own: dict[Node, tuple[int, str]] = {}
        for annotation, target in graph.subject_objects(OA.hasTarget):
            found = self._passage_of_target(target)
            if found is None:
                continue
            self._own[annotation] = found
            self._own[target] = found
            for selector in graph.objects(target, OA.hasSelector):
                self._own[selector] = found
            for body in graph.objects(annotation, OA.hasBody):
                self._by_body[body].append(found)

    def _passage_of_target(self, target: Node) -> tuple[int, str] | None:
        exact: str | None = None
        start = 0
        for selector in self._graph.objects(target, OA.hasSelector):
            value = self._graph.value(selector, OA.exact)
            if value is not None:
                exact = str(value)
            position = self._graph.value(selector, OA.start)
            if isinstance(position, Literal):
                try:
                    start = int(position)
                except (TypeError, ValueError):
                    start = 0
        return (start, exact) if exact is not None else None

    def passage(self, node: Node) -> str | None:
        """The quoted passage for ``node`` (its own, if it is an annotation or selector)."""
        found = sorted(self._by_body.get(node, []))
        if found:
            return found[0][1]
        own = self._own.get(node)
        return own[1] if own else None
