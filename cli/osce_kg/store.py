"""Where queries run: the store protocol, its three back ends and a factory.

Every command that reads the graph goes through a :class:`Store`, so the same
stored queries run on

* :class:`EmbeddedStore` — rdflib, in memory, over ontology + graph + inferred
  standard types (the default);
* :class:`OxigraphStore` — pyoxigraph, in memory or persistent in a folder;
* :class:`~osce_kg.endpoint.EndpointStore` — any SPARQL 1.1 endpoint.

Parameters are passed as RDF terms in ``bindings`` and checked by
:func:`osce_kg.sparql_bind.check_bindings`; no back end pastes them into query
text as such.  rdflib gets them as initBindings (and in its join planning);
Oxigraph and remote endpoints get a VALUES block of escaped terms first in the
WHERE group (:func:`osce_kg.sparql_bind.bind`).  Both mean "the variable has
this value"; stored queries use parameter variables in the required patterns
of the WHERE group, where the two agree exactly.  Results come back as
rdflib terms; ``xsd:string`` literals are returned as plain literals (they are
the same RDF term, but rdflib would compare them unequal).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import rdflib
from rdflib.namespace import XSD
from rdflib.term import Identifier, Literal, Variable

from .errors import InputError
from .loading import TermConverter, bulk_load_dataset, dataset_fingerprint, quiet_rdflib_terms
from .resultset import SelectResult as SelectResult
from .sparql_bind import bind, check_bindings

if TYPE_CHECKING:
    import pyoxigraph

Bindings = Mapping[str, Identifier] | None
Row = tuple[Identifier | None, ...]


class Store(Protocol):
    """A read-only SPARQL store."""

    def select(
        self, query: str, bindings: Bindings = None, *, native: bool = False
    ) -> SelectResult:
        """The answer's rows.  ``native=True`` lets a back end keep its own term
        objects (pyoxigraph's, on Oxigraph) for a caller that only writes them
        with :mod:`osce_kg.sparql_results`; otherwise the terms are rdflib's."""
        ...

    def construct(self, query: str, bindings: Bindings = None) -> rdflib.Graph: ...

    def ask(self, query: str, bindings: Bindings = None) -> bool: ...


def normalise(term: Any) -> Any:
    """A result term with ``"x"^^xsd:string`` written as the plain literal ``"x"``
    (the same RDF term, but rdflib would compare them unequal); None stays None."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


# --------------------------------------------------------------------------- embedded


class EmbeddedStore:
    """An in-memory rdflib graph: the ontology, the graph and their inferred triples."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    @classmethod
    def default(cls) -> EmbeddedStore:
        return cls(default_graph())

    def _query(self, query: str, bindings: Bindings) -> Any:
        from rdflib.plugins.sparql import prepareQuery

        values = check_bindings(bindings)
        try:
            prepared = prepareQuery(query)
        except Exception as exc:  # pyparsing raises many types
            raise InputError(f"query failed: {type(exc).__name__}: {exc}") from None
        if values:
            _substitute(prepared.algebra, values)
        try:
            return self.graph.query(prepared, initBindings={str(k): v for k, v in values.items()})
        except Exception as exc:  # evaluation errors have many types
            raise InputError(f"query failed: {type(exc).__name__}: {exc}") from None

    def select(
        self, query: str, bindings: Bindings = None, *, native: bool = False
    ) -> SelectResult:
        result = self._query(query, bindings)
        variables = [str(v) for v in (result.vars or [])]
        rows: list[Row] = [tuple(normalise(t) for t in row) for row in result]
        return SelectResult(variables, rows)

    def construct(self, query: str, bindings: Bindings = None) -> rdflib.Graph:
        out = rdflib.Graph()
        for s, p, o in self._query(query, bindings):
            out.add((s, p, normalise(o)))
        return out

    def ask(self, query: str, bindings: Bindings = None) -> bool:
        return bool(self._query(query, bindings).askAnswer)


def _substitute(node: Any, values: Mapping[Variable, Identifier]) -> None:
    """Put bound values into every basic graph pattern and re-plan its join order.

    rdflib orders a pattern's triples when the query is parsed, before it knows
    the parameters; without this, a pattern whose only selective term is a
    parameter is planned as a cross product (seconds instead of milliseconds).
    The same values are also passed as initBindings, so the result is that of
    binding the variables (SPARQL 1.2 / SEP-0007 substitution).
    """
    from rdflib.plugins.sparql.algebra import reorderTriples

    if isinstance(node, dict):
        if getattr(node, "name", None) == "BGP":
            triples = [
                tuple(values.get(t, t) if isinstance(t, Variable) else t for t in triple)
                for triple in dict.get(node, "triples", [])
            ]
            node["triples"] = reorderTriples(cast(Any, triples))
        for child in dict.values(node):
            _substitute(child, values)
    elif isinstance(node, list | tuple):
        for child in node:
            _substitute(child, values)


def default_graph() -> rdflib.Graph:
    """Ontology + shipped graph + their inferred standard-vocabulary triples."""
    from .inference import infer
    from .loading import load_default, load_graph, ontology_files

    ontology = load_graph(ontology_files())
    data = load_default(ontology=False)
    data += ontology
    data += infer(ontology, data)
    return data


# --------------------------------------------------------------------------- oxigraph

_META_GRAPH = "https://w3id.org/osce-kg/graph/store-meta"
_FINGERPRINT = "https://w3id.org/osce-kg/ontology#datasetFingerprint"


class OxigraphStore:
    """A pyoxigraph store, in memory or persistent in a folder."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    @classmethod
    def from_graph(cls, graph: rdflib.Graph, path: Path | None = None) -> OxigraphStore:
        import pyoxigraph as ox

        store = ox.Store(str(path)) if path is not None else ox.Store()
        data = graph.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES)
        return cls(store)

    @classmethod
    def open(cls, path: Path | None = None) -> OxigraphStore:
        """The shipped dataset (+ inferred triples) in memory, or in ``path``.

        A folder already holding the current dataset is used as it is (the fast
        path: no parsing); one holding an older version is emptied and reloaded.
        """
        import pyoxigraph as ox

        if path is None:
            store = ox.Store()
            bulk_load_dataset(store)
            return cls(store)
        if path.exists() and not path.is_dir():
            raise InputError(f"{path}: not a folder (--store oxigraph:DIR)")
        try:
            store = ox.Store(str(path))
        except OSError as exc:
            raise InputError(f"{path}: cannot open the Oxigraph store: {exc}") from None
        fingerprint = dataset_fingerprint()
        meta = ox.NamedNode(_META_GRAPH)
        stored = [
            str(getattr(q.object, "value", ""))
            for q in store.quads_for_pattern(meta, ox.NamedNode(_FINGERPRINT), None, meta)
        ]
        if stored != [fingerprint]:
            store.clear()
            bulk_load_dataset(store)
            store.add(ox.Quad(meta, ox.NamedNode(_FINGERPRINT), ox.Literal(fingerprint), meta))
            store.flush()
        return cls(store)

    def _query(self, query: str, bindings: Bindings) -> Any:
        # pyoxigraph's own `substitutions` only binds projected variables, so
        # parameters go in as a VALUES block of escaped terms; Oxigraph reads
        # escapes in its lexer, so the plain escapes give the exact value.
        text = bind(query, bindings)
        try:
            return self.store.query(text)
        except SyntaxError as exc:
            raise InputError(f"query failed: {exc}") from None

    def select(
        self, query: str, bindings: Bindings = None, *, native: bool = False
    ) -> SelectResult:
        result = self._query(query, bindings)
        variables = [v.value for v in result.variables]
        if native:
            # Written as they are: the writers read pyoxigraph terms directly,
            # and converting every term to rdflib cost up to half the query.
            return SelectResult(variables, [tuple(sol) for sol in result])
        # The converter writes xsd:string literals plain and converts each
        # distinct term once (answers repeat the same speaker, event, class).
        conv = TermConverter(fresh_bnodes=False)
        with quiet_rdflib_terms():
            rows: list[Row] = [
                tuple(None if term is None else conv(term) for term in sol) for sol in result
            ]
        return SelectResult(variables, rows)

    def construct(self, query: str, bindings: Bindings = None) -> rdflib.Graph:
        out = rdflib.Graph()
        conv = TermConverter(fresh_bnodes=False)
        with quiet_rdflib_terms():
            for t in self._query(query, bindings):
                out.add((conv(t.subject), conv(t.predicate), conv(t.object)))
        return out

    def ask(self, query: str, bindings: Bindings = None) -> bool:
        return bool(self._query(query, bindings))


# --------------------------------------------------------------------------- factory


def open_store(
    store_spec: str | None = None,
    endpoint: str | None = None,
    *,
    timeout: float = 30.0,
    retries: int = 2,
) -> Store:
    """The store a command should read: ``--endpoint URL`` wins, else ``--store``.

    ``store_spec`` is ``embedded`` (default), ``oxigraph`` (in memory) or
    ``oxigraph:DIR`` (persistent in DIR).
    """
    if endpoint:
        from .endpoint import EndpointStore

        return EndpointStore(endpoint, timeout=timeout, retries=retries)
    spec = (store_spec or "embedded").strip()
    kind, _, where = spec.partition(":")
    if kind == "embedded" and not where:
        return EmbeddedStore.default()
    if kind == "oxigraph":
        return OxigraphStore.open(Path(where) if where else None)
    raise InputError(f"--store: unknown store {spec!r} (use embedded, oxigraph or oxigraph:DIR)")
