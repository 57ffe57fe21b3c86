"""The units of the data and how they are loaded for validation.

A unit is one part of the data loaded as one named graph: the ontology,
``graph/shared``, ``graph/reference``, each source (with its verbatim
``source.txt``, the only rule input that is not RDF: :func:`source_text_quads`)
and each file a user names.  :func:`load_units` puts units into an Oxigraph
store, each with its closure in a graph beside it (:mod:`.oxistore`); the full
run (:mod:`.run`) and the incremental cache (:mod:`.incremental`) both load
through it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import loading
from .. import namespaces as ns
from ..assembly import labelled
from ..errors import DataError
from ..layout import DataLayout, RdfFile, files_digest
from ..textfiles import read_text
from .oxistore import Closure, parse_quads, unit_name

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
    text: Path | None = None  # a source's source.txt: read as text, not as RDF

    def digest(self) -> str:
        read = self.files if self.text is None else (*self.files, self.text)
        return files_digest("unit", [(p.name, p) for p in sorted(read)])


def corpus_units(layout: DataLayout) -> tuple[Unit, list[Unit]]:
    """The ontology unit and the data units of ``layout``: one per named graph of
    :meth:`DataLayout.graph_files` (``shared``, ``reference``, ``source/<slug>``)."""
    ontology_files = tuple(f.path for f in layout.ontology_files())
    ontology = Unit(unit_name(ns.ONTOLOGY_GRAPH), ns.ONTOLOGY_GRAPH, ontology_files)
    if not ontology.files:
        raise DataError(f"{layout.layers[0].ontology_dir}: no ontology files found")
    files: dict[str, list[Path]] = {}
    for f in layout.graph_files():
        files.setdefault(f.graph, []).append(f.path)
    units = []
    for graph, paths in files.items():
        name = unit_name(graph)
        # A source's text is required: a missing, unreadable or non-UTF-8
        # source.txt stops validation (exit 2), as it stops the build.
        text = (
            layout.source_text(name.removeprefix("source/")) if name.startswith("source/") else None
        )
        units.append(Unit(name, graph, tuple(paths), text))
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
    if unit.text is None:
        return []
    article = ox.NamedNode(ns.thing("source", unit.name.removeprefix("source/")))
    graph = ox.NamedNode(unit.graph)
    shown = "/".join(unit.text.parts[-4:])  # graph/sources/<slug>/source.txt, wherever it is
    return [
        ox.Quad(article, SOURCE_TEXT, ox.Literal(read_text(unit.text)), graph),
        ox.Quad(article, SOURCE_FILE, ox.Literal(shown), graph),
    ]


def unit_quads(unit: Unit) -> Iterator[ox.Quad]:
    """Everything a unit puts into its named graph (blank nodes labelled as the
    dataset store labels them: :func:`osce_kg.assembly.bnode_prefix`)."""
    for f, prefix in labelled(RdfFile(path, unit.graph) for path in unit.files):
        yield from parse_quads(f, prefix)
    yield from source_text_quads(unit)


def load_units(store: ox.Store, units: Sequence[Unit], *, bulk: bool = False) -> None:
    """Every unit into its graph, and the closure of each into its inferred graph
    (the rules of the ontology, which is ``units[0]``).  ``bulk`` (an on-disk store)
    makes two bulk loads in all: each bulk load into RocksDB has a high fixed cost."""
    ontology = list(unit_quads(units[0]))
    closure = Closure(ontology)
    inferred = closure.of(ontology, units[0].graph)

    def each_unit() -> Iterator[list[ox.Quad]]:
        yield ontology
        for unit in units[1:]:
            quads = list(unit_quads(unit))
            inferred.extend(closure.of(quads, unit.graph))
            yield quads

    if bulk:
        store.bulk_extend(q for quads in each_unit() for q in quads)
        store.bulk_extend(inferred)
    else:
        for quads in each_unit():
            store.extend(quads)
        store.extend(inferred)
