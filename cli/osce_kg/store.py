"""Where queries run: the store protocol, its back ends and a factory.

Every command that reads the graph goes through a :class:`Store`, so the same
stored queries run on

* :class:`OxigraphStore` — the default: the one persistent Oxigraph store of the
  dataset (ontology + graph + inferred triples), built once per version of the
  data into the cache folder (:func:`dataset_store`) and opened read-only;
* :class:`RdflibStore` — rdflib, in memory: a copy of the same store's triples,
  the reference the tests compare every query on;
* :class:`~osce_kg.endpoint.EndpointStore` — any SPARQL 1.1 endpoint.

(:class:`~osce_kg.resultset.Store` is the protocol; :meth:`osce_kg.specs.StoreSpec.open`
picks the back end a command's options name.)

Parameters are passed as RDF terms in ``bindings`` and checked by
:func:`osce_kg.sparql_bind.check_bindings`; no back end pastes them into query
text as such.  rdflib gets them as initBindings (and in its join planning);
Oxigraph and remote endpoints get a VALUES block of escaped terms first in the
WHERE group (:func:`osce_kg.sparql_bind.bind`).  Results come back as rdflib
terms; ``xsd:string`` literals are returned as plain literals (they are the
same RDF term, but rdflib would compare them unequal).  The rdflib copy is made
from the Oxigraph store, so literals that Oxigraph normalises (a derived
integer type becomes ``xsd:integer``) are the same in both: no answer depends
on which store ran.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .atomic import made_folder
from .errors import EndpointError, InputError, one_line
from .layout import DataLayout, cache_root
from .loading import TermConverter, quiet_rdflib_terms
from .namespaces import PREFIXES
from .recursion import deep_recursion
from .resultset import Bindings, Row, SelectResult
from .sparql_bind import bind, check_bindings, check_nesting

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib
    from rdflib.term import Identifier, Variable

# rdflib is imported where a method needs it: the default store (Oxigraph) answers
# a query without it, in less time than Python takes to import rdflib.


@contextlib.contextmanager
def service_errors() -> Iterator[None]:
    """A query's ``SERVICE`` call that fails (a closed port, a refused
    connection) as an :class:`EndpointError`, not a trace."""
    try:
        yield
    except OSError as exc:
        reason = getattr(exc, "reason", None) or exc.strerror or str(exc)
        message = one_line(str(reason))
        raise EndpointError(f"a SERVICE call of the query failed: {message}") from None


def normalise(term: Any) -> Any:
    """A result term with ``"x"^^xsd:string`` written as the plain literal ``"x"``
    (the same RDF term, but rdflib would compare them unequal); None stays None."""
    from rdflib.namespace import XSD
    from rdflib.term import Literal

    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


# --------------------------------------------------------------------------- embedded


class RdflibStore:
    """An in-memory rdflib graph or dataset: the reference the tests hold Oxigraph to."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    @classmethod
    def default(cls, layout: DataLayout | None = None) -> RdflibStore:
        """A copy of the dataset store (:func:`dataset_store`), named graphs and all: its
        default graph (the union, which queries read) and the graphs ``GRAPH ?g`` sees."""
        import pyoxigraph as ox
        import rdflib

        dataset = rdflib.Dataset()
        for prefix, iri in PREFIXES.items():
            dataset.bind(prefix, iri)
        graphs: dict[object, rdflib.Graph] = {ox.DefaultGraph(): dataset.default_graph}
        conv = TermConverter(fresh_bnodes=False)
        with quiet_rdflib_terms():
            for q in dataset_store(layout):
                graph = graphs.get(q.graph_name)
                if graph is None:
                    name = rdflib.URIRef(q.graph_name.value)
                    graph = graphs[q.graph_name] = dataset.graph(name)
                graph.add((conv(q.subject), conv(q.predicate), conv(q.object)))
        return cls(dataset)

    def _query(self, query: str, bindings: Bindings) -> Any:
        from rdflib.plugins.sparql import prepareQuery

        values = check_bindings(bindings)
        check_nesting(query, "query")
        with deep_recursion():
            try:
                prepared = prepareQuery(query)
            except Exception as exc:  # pyparsing raises many types
                raise InputError(f"query failed: {type(exc).__name__}: {exc}") from None
            if values:
                _substitute(prepared.algebra, values)
            try:
                initial = {str(k): v for k, v in values.items()}
                return self.graph.query(prepared, initBindings=initial)
            except Exception as exc:  # evaluation errors have many types
                raise InputError(f"query failed: {type(exc).__name__}: {exc}") from None

    def select(
        self, query: str, bindings: Bindings = None, *, native: bool = False
    ) -> SelectResult:
        with deep_recursion(), service_errors():
            result = self._query(query, bindings)
            variables = [str(v) for v in (result.vars or [])]
            rows: list[Row] = [tuple(normalise(t) for t in row) for row in result]
        return SelectResult(variables, rows)

    def construct(self, query: str, bindings: Bindings = None) -> rdflib.Graph:
        import rdflib

        out = rdflib.Graph()
        with deep_recursion(), service_errors():
            for s, p, o in self._query(query, bindings):
                out.add((s, p, normalise(o)))
        return out

    def ask(self, query: str, bindings: Bindings = None) -> bool:
        with deep_recursion(), service_errors():
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
    from rdflib.term import Variable

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


def dataset_store(layout: DataLayout | None = None) -> pyoxigraph.Store:
    """The one persistent store of the dataset (:func:`osce_kg.assembly.load_dataset`:
    named graphs, the inferred graph, their union as the default graph), opened
    read-only.

    It lives in the cache folder (:func:`osce_kg.layout.cache_root`) under the
    fingerprint of the layout's files, so a store is only ever opened for the
    data it was built from (any change of a file, of osce-kg or of pyoxigraph
    makes a new one).  A missing one is built beside (in a temporary
    folder) and renamed into place, so a process that dies half-way leaves no
    half-built store, and two processes building at once both end with a whole
    one; older stores are removed.  Where no cache folder can be written, the
    same store is built in memory for the one command.
    """
    import pyoxigraph as ox

    from .assembly import load_dataset

    layout = layout or DataLayout.default()
    root = cache_root()
    # One store per data folder: the folder's name carries where the data is and its
    # fingerprint, and a rebuild removes only the same folder's older stores.
    where = hashlib.sha256(str(layout.root.resolve()).encode()).hexdigest()[:12]
    # The fingerprint covers osce-kg's code: a store of another form is never reopened.
    path = root / f"store-{where}-{layout.fingerprint()[:24]}"
    if not path.is_dir():

        def build(db: Path) -> None:
            built = ox.Store(str(db))
            load_dataset(built, layout.dataset_files())
            built.flush()

        if not made_folder(path, build, prefix=".store-"):
            # No cache folder to be had (read-only home, a file in its place): the same
            # store in memory, built for this command alone.
            memory = ox.Store()
            load_dataset(memory, layout.dataset_files())
            return memory
        for old in root.glob(f"store-{where}-*"):
            if old != path:
                shutil.rmtree(old, ignore_errors=True)
    return ox.Store.read_only(str(path))


# --------------------------------------------------------------------------- oxigraph


class OxigraphStore:
    """A pyoxigraph store, in memory or persistent in a folder."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    @classmethod
    def open(cls, layout: DataLayout | None = None) -> OxigraphStore:
        """The dataset store (:func:`dataset_store`)."""
        return cls(dataset_store(layout))

    def _query(self, query: str, bindings: Bindings) -> Any:
        # pyoxigraph's own `substitutions` only binds projected variables, so
        # parameters go in as a VALUES block of escaped terms; Oxigraph reads
        # escapes in its lexer, so the plain escapes give the exact value.
        text = bind(query, bindings)
        try:
            with service_errors():
                return self.store.query(text)
        except SyntaxError as exc:
            raise InputError(f"query failed: {exc}") from None

    def select(
        self, query: str, bindings: Bindings = None, *, native: bool = False
    ) -> SelectResult:
        with service_errors():
            return self._select(query, bindings, native)

    def _select(self, query: str, bindings: Bindings, native: bool) -> SelectResult:
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
        import rdflib

        out = rdflib.Graph()
        conv = TermConverter(fresh_bnodes=False)
        with quiet_rdflib_terms(), service_errors():
            for t in self._query(query, bindings):
                out.add((conv(t.subject), conv(t.predicate), conv(t.object)))
        return out

    def ask(self, query: str, bindings: Bindings = None) -> bool:
        return bool(self._query(query, bindings))
