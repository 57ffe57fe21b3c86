"""Load the project's RDF files into rdflib, strictly.

rdflib's parsers are lenient (they accept, e.g., IRIs with spaces that the Turtle
grammar forbids), so every file is first checked by Oxigraph's strict parser;
a syntax error becomes a :class:`~osce_kg.errors.ParseError` whose message is
``FILE:LINE:COL: message``.

The on-disk layout of the data (see README, "The data"):

* ``ontology/*.ttl`` — the ontology (named graph ``…/graph/ontology``);
* ``graph/shared/*.ttl`` — entities shared across sources (``…/graph/shared``);
* ``graph/reference/*.ttl`` — facts from outside the sources, e.g. ISO codes
  (``…/graph/reference``);
* ``graph/sources/<slug>/`` — one source: ``source.txt`` (verbatim) and its
  ``*.ttl`` triples (``…/graph/source/<slug>``).
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from . import namespaces as ns
from .errors import InputError, ParseError
from .layout import RDF_SUFFIXES, RdfFile
from .textfiles import check_regular, decode_utf8, read_regular
from .xml_entities import check_entities

if TYPE_CHECKING:
    import rdflib


OX_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
    "json-ld": pyoxigraph.RdfFormat.JSON_LD,
}

# Oxigraph's messages start with where the error is ("Parser error at line 2
# column 7: …", "… between line 2 column 7 and line 3 column 1: …"); the
# position is also on the exception, so the message keeps only what is wrong.
_POSITION_PREFIX = re.compile(r"^Parser error [^:]*: ")


def quoted_triple_at(text: str) -> tuple[int, int] | None:
    """Line and column (1-based) of the first ``<<`` that opens an RDF-star quoted
    triple (or an RDF 1.2 triple term), or ``{|`` that opens an annotation, in
    Turtle, TriG, N-Triples or N-Quads text: outside comments, IRIs, strings and
    escaped characters of prefixed names (``ex:it\\'s``), where a ``<`` can only
    start an IRI and ``<<`` only a quoted triple.  None if there is none."""
    i, n, line, start = 0, len(text), 1, 0
    while i < n:
        c = text[i]
        if c == "\n":
            line, start = line + 1, i + 1
        elif c == "\\":  # an escaped character of a prefixed name: not a quote, not a "#"
            i += 2
            continue
        elif c == "{" and text.startswith("{|", i):
            return line, i - start + 1
        elif c == "#":  # a comment, to the end of the line
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif c == "<":
            if text.startswith("<<", i):
                return line, i - start + 1
            end = text.find(">", i)  # an IRI holds neither "<" nor ">" nor a line break
            i = n if end < 0 else end + 1
            continue
        elif c in "\"'":
            quote = text[i : i + 3] if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                if text[i] == "\\":
                    i += 1
                elif text[i] == "\n":
                    line, start = line + 1, i + 1
                i += 1
            i += len(quote)
            continue
        i += 1
    return None


def guess_format(path: Path) -> str:
    """The rdflib format name for a file, from its suffix."""
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(RDF_SUFFIXES))
        raise InputError(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})")
    return fmt


_read = read_regular


def base_iri(path: Path) -> str:
    """The base IRI a data file is parsed with: its own absolute ``file:`` URI."""
    return path.resolve().as_uri()


def _ox_parse(
    path: Path, data: bytes, fmt: str, base: str | None
) -> list[pyoxigraph.Triple] | list[pyoxigraph.Quad]:
    if fmt == "xml":
        check_entities(str(path), data)
    text = decode_utf8(path, data)
    with parsing(path):
        return list(pyoxigraph.parse(text, format=OX_FORMATS[fmt], base_iri=base or base_iri(path)))


def ox_triples(path: Path) -> Iterator[pyoxigraph.Triple | pyoxigraph.Quad]:
    """One file's triples as Oxigraph terms, streamed (no rdflib); ParseError on bad
    syntax, InputError if the file cannot be read."""
    check_readable(path)
    try:
        with parsing(path):
            yield from pyoxigraph.parse(
                path=str(path), format=OX_FORMATS[guess_format(path)], base_iri=base_iri(path)
            )
    except OSError as exc:
        if not path.exists():
            raise InputError(f"{path}: no such file") from None
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def check_readable(path: Path) -> None:
    """Before a parser opens ``path`` itself: InputError unless it is a regular
    file, ParseError for RDF/XML whose entities would expand beyond reason
    (:mod:`osce_kg.xml_entities`)."""
    if guess_format(path) == "xml":
        check_entities(str(path), read_regular(path))
    else:
        check_regular(path)


@contextlib.contextmanager
def parsing(path: Path | str) -> Iterator[None]:
    """Oxigraph's parse errors as :class:`ParseError` naming ``path``: a syntax
    error with its line and column, a term over the parser's size limit, XML
    nested too deeply or expanding entities."""
    try:
        yield
    except SyntaxError as exc:
        raise parse_error_from(path, exc) from None
    except MemoryError as exc:
        if "maximal size" not in str(exc):
            raise
        raise ParseError(
            str(path), None, None, "a term (literal or IRI) is longer than the parser's 16 MB limit"
        ) from None


def parse_error_from(path: Path | str, exc: SyntaxError) -> ParseError:
    """``FILE:LINE:COL: message`` for an Oxigraph syntax error (columns count from 1)."""
    message = exc.msg if isinstance(exc.msg, str) else str(exc)
    detail = _POSITION_PREFIX.sub("", message).strip()
    detail = detail.splitlines()[0] if detail else "syntax error"
    return ParseError(str(path), exc.lineno, exc.offset, detail)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class TermConverter:
    """pyoxigraph terms to rdflib terms, each distinct IRI and literal converted once.

    ``fresh_bnodes``: each blank node becomes a new rdflib BNode, as a parser
    gives them (``_:b1`` in two files are two nodes); otherwise it keeps its
    label, as query answers need (the same node on two rows stays the same).
    """

    def __init__(self, *, fresh_bnodes: bool, where: str = "") -> None:
        from rdflib import BNode, Literal, URIRef

        self.uriref, self.literal, self.bnode = URIRef, Literal, BNode
        self.fresh_bnodes = fresh_bnodes
        self.where = where
        self.seen: dict[object, rdflib.term.Identifier] = {}

    def __call__(self, term: object) -> rdflib.term.Identifier:
        converted = self.seen.get(term)
        if converted is None:
            converted = self.seen[term] = self._convert(term)
        return converted

    def _convert(self, term: object) -> rdflib.term.Identifier:
        if isinstance(term, pyoxigraph.NamedNode):
            return self.uriref(term.value)
        if isinstance(term, pyoxigraph.Literal):
            if term.language:
                return self.literal(term.value, lang=term.language)
            datatype = term.datatype.value
            if datatype == _XSD_STRING:
                # rdflib reads "x" as a plain literal; keep it so.
                return self.literal(term.value)
            return self.literal(term.value, datatype=self(term.datatype))
        if isinstance(term, pyoxigraph.BlankNode):
            return self.bnode() if self.fresh_bnodes else self.bnode(term.value)
        raise ParseError(self.where, None, None, "RDF-star quoted triples are not supported")


_QUIET = threading.local()


class _QuietInThisThread(logging.Filter):
    """Drops rdflib.term's records made by a thread inside :func:`quiet_rdflib_terms`."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(_QUIET, "depth", 0)


_QUIET_FILTER = _QuietInThisThread()


@contextlib.contextmanager
def quiet_rdflib_terms() -> Iterator[None]:
    """Silence rdflib's logged traceback for an ill-typed literal such as
    ``"abc"^^xsd:integer``: the data keeps it, and validation reports it.

    Per thread (a filter, not the logger's level, which is the whole process's):
    threads that query a server at once each silence their own conversions."""
    logging.getLogger("rdflib.term").addFilter(_QUIET_FILTER)  # once: addFilter keeps one
    _QUIET.depth = getattr(_QUIET, "depth", 0) + 1
    try:
        yield
    finally:
        _QUIET.depth -= 1


def parse_into(
    graph: rdflib.Graph,
    path: Path,
    fmt: str | None = None,
    base: str | None = None,
) -> rdflib.Graph:
    """Parse ``path`` strictly into ``graph`` (returned).

    Oxigraph parses (it follows the grammars and RFC 3986 to the letter, and
    reports line and column); its terms are then handed to rdflib.  Quads of a
    TriG or N-Quads file go to their named graphs when ``graph`` is a Dataset,
    and into ``graph`` itself otherwise.  ``base`` defaults to the file's URI.
    """

    fmt = fmt or guess_format(path)
    parsed = _ox_parse(path, _read(path), fmt, base)
    return add_parsed(graph, parsed, str(path))


def add_parsed(
    graph: rdflib.Graph,
    parsed: Iterable[pyoxigraph.Triple | pyoxigraph.Quad],
    where: str,
) -> rdflib.Graph:
    """Oxigraph's parsed triples (or quads) added to ``graph`` (returned) as rdflib
    terms: each blank node a fresh one, quads to their named graphs when ``graph``
    is a Dataset.  ParseError naming ``where`` for RDF-star, which is not read."""
    import rdflib

    conv = TermConverter(fresh_bnodes=True, where=where)
    dataset = graph if isinstance(graph, rdflib.Dataset) else None
    targets: dict[str, rdflib.Graph] = {}
    with quiet_rdflib_terms():
        for item in parsed:
            triple = (conv(item.subject), conv(item.predicate), conv(item.object))
            target = graph
            if dataset is not None and isinstance(item, pyoxigraph.Quad):
                name = item.graph_name
                if isinstance(name, pyoxigraph.NamedNode | pyoxigraph.BlankNode):
                    key = str(name)
                    if key not in targets:
                        targets[key] = dataset.graph(conv(name))
                    target = targets[key]
            target.add(triple)
    return graph


def rdflib_graph(
    triples: Iterable[tuple[object, object, object]],
    convert: Callable[[object], rdflib.term.Node] | None = None,
) -> rdflib.Graph:
    """Oxigraph's triples (subject, predicate, object) as an rdflib graph bound to the
    project's prefixes, each term converted by ``convert`` (default: as
    :class:`TermConverter` does, blank nodes keeping their labels)."""
    import rdflib

    graph = rdflib.Graph()
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri)
    conv = convert or TermConverter(fresh_bnodes=False)
    with quiet_rdflib_terms():
        for s, p, o in triples:
            graph.add((conv(s), conv(p), conv(o)))
    return graph


def parse_file(path: Path, fmt: str | None = None, base: str | None = None) -> rdflib.Graph:
    """A new graph holding one file's triples."""
    import rdflib

    return parse_into(rdflib.Graph(), path, fmt, base)


def load_graph(files: Iterable[RdfFile]) -> rdflib.Graph:
    """All the files' triples in one graph (the union of the named graphs)."""
    import rdflib

    g = rdflib.Graph()
    for prefix, iri in ns.PREFIXES.items():
        g.bind(prefix, iri)
    for f in files:
        parse_into(g, f.path)
    return g


CLOSURE_HEADER = """\
# The osce-kg closure: what the ontology's rdfs:subClassOf, rdfs:subPropertyOf
# and owl:inverseOf axioms imply, as one SPARQL 1.1 Update over the default
# graph.  Run it over your data (with or without the ontology) before you run
# the osce-kg shapes in any SHACL engine without inference, and the engine
# gives osce-kg's verdict.  RDFS domain and range are deliberately not applied.
# Made by osce-kg from the ontology it was built with; see docs/validation.md.
"""


def closure_update(ontology: Iterable[RdfFile]) -> str | None:
    """The ``ontology`` files' rules (:func:`osce_kg.inference.ox_rules`) as one
    SPARQL update (:func:`osce_kg.inference.sparql_closure`); None if they imply
    nothing.  The build publishes it (``dataset/closure.ru``) so that any engine
    can close data as the dataset store does (:func:`osce_kg.assembly.load_dataset`)."""
    from .inference import ox_rules, sparql_closure

    rules = ox_rules(t for f in ontology for t in ox_triples(f.path))
    if not (rules.supers or rules.derive):
        return None
    return sparql_closure(rules)
