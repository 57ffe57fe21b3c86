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

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from . import namespaces as ns
from .errors import InputError, ParseError
from .paths import data_dir

if TYPE_CHECKING:
    import rdflib

RDF_SUFFIXES: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}

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


@dataclass(frozen=True)
class RdfFile:
    """A file of the dataset and the named graph it belongs to."""

    path: Path
    graph: str


def guess_format(path: Path) -> str:
    """The rdflib format name for a file, from its suffix."""
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(RDF_SUFFIXES))
        raise InputError(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})")
    return fmt


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not an RDF file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(str(path), line, col, "not valid UTF-8") from None


def _ox_parse(
    path: Path, data: bytes, fmt: str, base: str | None
) -> list[pyoxigraph.Triple] | list[pyoxigraph.Quad]:
    text = _decode(path, data)
    try:
        return list(
            pyoxigraph.parse(text, format=OX_FORMATS[fmt], base_iri=base or path.resolve().as_uri())
        )
    except SyntaxError as exc:
        raise parse_error_from(path, exc) from None


def check_syntax(path: Path, data: bytes | None = None, fmt: str | None = None) -> None:
    """Raise :class:`ParseError` with line and column if ``path`` is not well-formed."""
    fmt = fmt or guess_format(path)
    _ox_parse(path, _read(path) if data is None else data, fmt, None)


def parse_error_from(path: Path, exc: SyntaxError) -> ParseError:
    """``FILE:LINE:COL: message`` for an Oxigraph syntax error (columns count from 1)."""
    message = exc.msg if isinstance(exc.msg, str) else str(exc)
    detail = _POSITION_PREFIX.sub("", message).strip()
    detail = detail.splitlines()[0] if detail else "syntax error"
    return ParseError(str(path), exc.lineno, exc.offset, detail)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _Converter:
    """pyoxigraph terms to rdflib terms, IRIs memoised (they repeat a lot)."""

    def __init__(self, path: Path) -> None:
        from rdflib import BNode, Literal, URIRef

        self.uriref, self.literal, self.bnode = URIRef, Literal, BNode
        self.path = path
        self.iris: dict[str, URIRef] = {}
        self.bnodes: dict[str, BNode] = {}

    def __call__(self, term: object) -> rdflib.term.Identifier:
        if isinstance(term, pyoxigraph.NamedNode):
            iri = self.iris.get(term.value)
            if iri is None:
                iri = self.iris[term.value] = self.uriref(term.value)
            return iri
        if isinstance(term, pyoxigraph.Literal):
            if term.language:
                return self.literal(term.value, lang=term.language)
            datatype = term.datatype.value
            if datatype == _XSD_STRING:
                # rdflib reads "x" as a plain literal; keep it so.
                return self.literal(term.value)
            return self.literal(term.value, datatype=self(term.datatype))
        if isinstance(term, pyoxigraph.BlankNode):
            # Fresh per file, as a parser gives them: _:b1 in two files are two nodes.
            node = self.bnodes.get(term.value)
            if node is None:
                node = self.bnodes[term.value] = self.bnode()
            return node
        raise ParseError(str(self.path), None, None, "RDF-star quoted triples are not supported")


def parse_into(
    graph: rdflib.Graph, path: Path, fmt: str | None = None, base: str | None = None
) -> rdflib.Graph:
    """Parse ``path`` strictly into ``graph`` (returned).

    Oxigraph parses (it follows the grammars and RFC 3986 to the letter, and
    reports line and column); its terms are then handed to rdflib.  Quads of a
    TriG or N-Quads file go to their named graphs when ``graph`` is a Dataset,
    and into ``graph`` itself otherwise.  ``base`` defaults to the file's URI.
    """
    import rdflib

    fmt = fmt or guess_format(path)
    parsed = _ox_parse(path, _read(path), fmt, base)
    conv = _Converter(path)
    dataset = graph if isinstance(graph, rdflib.Dataset) else None
    targets: dict[str, rdflib.Graph] = {}
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


def parse_file(path: Path, fmt: str | None = None, base: str | None = None) -> rdflib.Graph:
    """A new graph holding one file's triples."""
    import rdflib

    return parse_into(rdflib.Graph(), path, fmt, base)


def _ttl_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.suffix in RDF_SUFFIXES and p.is_file())


def source_slugs(graph_dir: Path | None = None) -> list[str]:
    """Slugs of the sources, in sorted order."""
    root = (graph_dir or data_dir("graph")) / "sources"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir())


def source_text_path(slug: str, graph_dir: Path | None = None) -> Path:
    """Where a source's verbatim text is kept."""
    return (graph_dir or data_dir("graph")) / "sources" / slug / "source.txt"


def ontology_files() -> list[RdfFile]:
    return [RdfFile(p, ns.ONTOLOGY_GRAPH) for p in _ttl_files(data_dir("ontology"))]


def graph_files(graph_dir: Path | None = None) -> list[RdfFile]:
    """Every RDF file under ``graph/`` with the named graph it belongs to."""
    root = graph_dir or data_dir("graph")
    files = [RdfFile(p, ns.SHARED_GRAPH) for p in _ttl_files(root / "shared")]
    files += [RdfFile(p, ns.REFERENCE_GRAPH) for p in _ttl_files(root / "reference")]
    for slug in source_slugs(root):
        graph = ns.source_graph(slug)
        files += [RdfFile(p, graph) for p in _ttl_files(root / "sources" / slug)]
    return files


def dataset_files(
    *, ontology: bool = True, graph: bool = True, graph_dir: Path | None = None
) -> list[RdfFile]:
    """The files of the shipped dataset, in a stable order."""
    files: list[RdfFile] = []
    if ontology:
        files += ontology_files()
    if graph:
        files += graph_files(graph_dir)
    return files


def load_dataset(files: Iterable[RdfFile]) -> rdflib.Dataset:
    """A dataset with one named graph per :attr:`RdfFile.graph`."""
    import rdflib

    ds = rdflib.Dataset()
    for prefix, iri in ns.PREFIXES.items():
        ds.bind(prefix, iri)
    for f in files:
        parse_into(ds.graph(rdflib.URIRef(f.graph)), f.path)
    return ds


def load_graph(files: Iterable[RdfFile]) -> rdflib.Graph:
    """All the files' triples in one graph (the union of the named graphs)."""
    import rdflib

    g = rdflib.Graph()
    for prefix, iri in ns.PREFIXES.items():
        g.bind(prefix, iri)
    for f in files:
        parse_into(g, f.path)
    return g


def load_default(*, ontology: bool = True, graph: bool = True) -> rdflib.Graph:
    """The shipped ontology and graph as one rdflib graph."""
    return load_graph(dataset_files(ontology=ontology, graph=graph))


def dataset_fingerprint() -> str:
    """A digest of the shipped data files (graphs, names and bytes) and of osce-kg's version.

    Stores built from the data (the quick path's cache, ``--store oxigraph:DIR``)
    are reused only while it is unchanged.
    """
    from . import __version__

    h = hashlib.sha256(f"osce-kg {__version__}\n".encode())
    for f in dataset_files():
        h.update(f"{f.graph}\n{f.path.name}\n".encode())
        h.update(hashlib.sha256(f.path.read_bytes()).digest())
    return h.hexdigest()
