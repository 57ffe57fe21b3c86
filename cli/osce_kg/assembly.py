"""The one assembly of the dataset: what every store, export and upload holds.

:func:`load_dataset` puts the data files into an Oxigraph store in one form:

* each file's triples in its named graph (``…/graph/ontology``,
  ``…/graph/shared``, ``…/graph/source/<slug>``, ``…/graph/reference``), as
  the TriG export, ``load --named-graphs`` and the Linked Data site give them;
* what the ontology's closure (:mod:`osce_kg.inference`) adds and no file
  states, in ``…/graph/inferred``;
* the union of all of them, as a set, in the default graph: what the stored
  queries read.  (Oxigraph's union-of-named-graphs option would give a triple
  stated in two graphs twice, and a query without ``DISTINCT`` two rows.)

A file's blank nodes are labelled by the file (its graph and name) and the
order in which they first appear there (:func:`bnode_prefix`), never at
random: the labels depend on the files' bytes only, so every export made from
the store is the same from one build to the next, and two files' ``_:b1``
stay two nodes.

The persistent store of this assembly, keyed by the data's fingerprint, is
:func:`osce_kg.store.dataset_store`.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from . import namespaces as ns
from .errors import ParseError
from .inference import ox_derived, ox_rules
from .loading import guess_format, ox_triples, quoted_triple_at

if TYPE_CHECKING:
    from .layout import RdfFile

DEFAULT = ox.DefaultGraph()
INFERRED = ox.NamedNode(ns.INFERRED_GRAPH)

# Order of the named graphs wherever they are listed: the ontology first, then
# what the sources say, then outside reference data, then what was inferred.
_GRAPH_RANK = {
    ns.ONTOLOGY_GRAPH: 0,
    ns.SHARED_GRAPH: 1,
    ns.REFERENCE_GRAPH: 3,
    ns.INFERRED_GRAPH: 4,
}


def graph_order(iri: str) -> tuple[int, str]:
    """Sort key for named graphs: ontology, shared, sources, reference, inferred."""
    return (_GRAPH_RANK.get(iri, 2), iri)


def bnode_prefix(f: RdfFile, earlier: int = 0) -> str:
    """The label prefix of a file's blank nodes: from its named graph and name (never
    its absolute path, which differs from one checkout to another) and, for a file
    named as ``earlier`` files of the same graph were (a workspace's file beside
    the shipped one), how many."""
    key = f"{f.graph}\n{f.path.name}" + (f"\n{earlier}" if earlier else "")
    # 64 bits: among a million files, two share a prefix with a chance of 3 in 10^8.
    return f"b{hashlib.sha256(key.encode()).hexdigest()[:16]}n"


Triple = tuple[
    ox.NamedNode | ox.BlankNode | ox.Triple,
    ox.NamedNode,
    ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
]


def labelled(files: Iterable[RdfFile]) -> Iterator[tuple[RdfFile, str]]:
    """Each file with the prefix of its blank nodes' labels (:func:`bnode_prefix`,
    counting the earlier files of the same graph and name)."""
    names: Counter[tuple[str, str]] = Counter()
    for f in files:
        yield f, bnode_prefix(f, names[f.graph, f.path.name])
        names[f.graph, f.path.name] += 1


def file_quads(
    f: RdfFile, prefix: str | None = None, *, graph: str | None = None
) -> Iterator[ox.Quad]:
    """The triples of one file as quads of the default graph (or of ``graph``), blank
    nodes labelled ``prefix`` (default ``bnode_prefix(f)``) + 1, 2 … in order of
    first appearance.  (The quads of a TriG or N-Quads file are taken as triples
    too.)  ParseError naming the file on bad syntax and on RDF-star."""
    target = DEFAULT if graph is None else ox.NamedNode(graph)
    prefix = prefix or bnode_prefix(f)
    labels: dict[ox.BlankNode, ox.BlankNode] = {}
    named, blank, quad = ox.NamedNode, ox.BlankNode, ox.Quad
    plain = {ox.NamedNode, ox.Literal}
    as_parsed = graph is None  # the parser's quads are already in the default graph

    def label(node: object) -> ox.BlankNode:
        if type(node) is not blank:
            raise _rdf_star(f)
        new = labels.get(node)
        if new is None:
            new = labels[node] = blank(f"{prefix}{len(labels) + 1}")
        return new

    for q in ox_triples(f.path):
        s, o = q.subject, q.object
        if type(s) is named and type(o) in plain:
            if as_parsed and type(q) is quad and type(q.graph_name) is ox.DefaultGraph:
                yield q
            else:
                yield quad(s, q.predicate, o, target)
        else:
            if type(s) is not named:
                s = label(s)
            if type(o) not in plain:
                o = label(o)
            yield quad(s, q.predicate, o, target)


def _rdf_star(f: RdfFile) -> ParseError:
    """The error for a file holding an RDF-star quoted triple, at the first one where
    the syntax shows it (Oxigraph parses them, without their position)."""
    where = None
    if guess_format(f.path) in ("turtle", "trig", "nt", "nquads"):
        with contextlib.suppress(OSError, UnicodeDecodeError):
            where = quoted_triple_at(f.path.read_text(encoding="utf-8"))
    line, column = where if where is not None else (None, None)
    return ParseError(str(f.path), line, column, "RDF-star quoted triples are not supported")


class Target(Protocol):
    """Where :func:`assemble_into` puts the dataset: an Oxigraph store
    (:class:`StoreTarget`) or the build's rdflib graphs
    (:class:`osce_kg.build.dataset.BuiltDataset`)."""

    def add_stated(self, quads: Sequence[ox.Quad], graph: str) -> None:
        """One file's triples (as quads of the default graph), each into the named
        graph ``graph`` and into the union."""

    def states(self, triple: Triple) -> bool:
        """Whether the union holds ``triple`` (called once everything is stated)."""

    def add_inferred(self, triples: Sequence[Triple]) -> None:
        """Into the inferred graph and into the union."""


def assemble_into(target: Target, files: Sequence[RdfFile], *, closure: bool = True) -> None:
    """The dataset of ``files`` into ``target``: every file's triples in its named
    graph (:func:`file_quads`) and, with ``closure``, what the rules of the
    ontology graph's files (:mod:`osce_kg.inference`) derive from them and no file
    states.  Each derived triple follows from one stated triple, so one pass gives
    the whole closure; its terms are the files' own (no store has normalised a
    literal yet)."""
    rules = ox_rules(
        t for f in files if closure and f.graph == ns.ONTOLOGY_GRAPH for t in ox_triples(f.path)
    )
    derived: dict[Triple, None] = {}
    for f, prefix in labelled(files):
        quads = list(file_quads(f, prefix))
        derived.update(dict.fromkeys(ox_derived(rules, quads)))
        target.add_stated(quads, f.graph)
    target.add_inferred([t for t in derived if not target.states(t)])


class StoreTarget:
    """The dataset in an Oxigraph store: named graphs, the inferred graph, and their
    union as the default graph.

    Quads go in by Oxigraph's bulk loader, :data:`BATCH` at a time: one call per
    file would cost more than a small file holds (on disk each call writes new
    files), and one call for everything holds it all in memory at once.
    """

    BATCH = 200_000

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._pending: list[ox.Quad] = []

    def _add(self, quads: Iterable[ox.Quad], *, last: bool = False) -> None:
        self._pending.extend(quads)
        if last or len(self._pending) >= self.BATCH:
            self.store.bulk_extend(self._pending)
            self._pending = []

    def add_stated(self, quads: Sequence[ox.Quad], graph: str) -> None:
        named = ox.NamedNode(graph)
        self._add(quads)
        self._add([ox.Quad(q.subject, q.predicate, q.object, named) for q in quads])

    def states(self, triple: Triple) -> bool:
        if self._pending:
            self._add((), last=True)
        return ox.Quad(*triple, DEFAULT) in self.store

    def add_inferred(self, triples: Sequence[Triple]) -> None:
        self._add((ox.Quad(*t, g) for t in triples for g in (INFERRED, DEFAULT)), last=True)


def load_dataset(store: ox.Store, files: Sequence[RdfFile], *, closure: bool = True) -> None:
    """``files`` into ``store`` as described above (:func:`assemble_into`)."""
    assemble_into(StoreTarget(store), files, closure=closure)


def assemble(files: Sequence[RdfFile], *, closure: bool = True) -> ox.Store:
    """A new in-memory store holding ``files`` as :func:`load_dataset` puts them."""
    store = ox.Store()
    load_dataset(store, files, closure=closure)
    return store


def named_graphs(store: ox.Store) -> list[str]:
    """The store's named graphs that hold triples, in :func:`graph_order`."""
    names = [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    return sorted(
        (
            g
            for g in names
            if next(store.quads_for_pattern(None, None, None, ox.NamedNode(g)), None)
        ),
        key=graph_order,
    )


def graph_triples(store: ox.Store, graph: str | None = None) -> Iterator[Triple]:
    """The triples of one named graph of ``store`` (default: the default graph, the union)."""
    target = DEFAULT if graph is None else ox.NamedNode(graph)
    for q in store.quads_for_pattern(None, None, None, target):
        yield q.subject, q.predicate, q.object


def triple_count(store: ox.Store, graph: str | None = None) -> int:
    """How many triples one graph of ``store`` holds (default: the union), counted by
    Oxigraph."""
    target = DEFAULT if graph is None else ox.NamedNode(graph)
    solutions = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=target)
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT query
    count = next(iter(solutions))[0]
    assert isinstance(count, ox.Literal)
    return int(count.value)
