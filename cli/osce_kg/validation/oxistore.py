"""An Oxigraph store laid out for validation, and the runs of compiled constraints on it.

Every unit of the data (the ontology, ``graph/shared``, ``graph/reference``
and each source) is one named graph, loaded straight from its files by
Oxigraph's parsers (no rdflib terms on the way).  The ontology's closure
(``rdfs:subClassOf`` on types, ``rdfs:subPropertyOf``, ``owl:inverseOf``: the
dataset store's rules, :class:`osce_kg.inference.Rules`) is computed from
each unit's quads as they are read, into a graph of its own,
``…/graph/inferred/<unit>``: each derived triple follows from one stated
triple, so the closure of the union is the union of the closures and a
changed source only needs its own closure recomputed.

Queries read the union of all graphs (``use_default_graph_as_union``), so a
triple stated in two graphs is seen twice: every compiled query is
``DISTINCT`` or counts ``DISTINCT`` values.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time
from decimal import Decimal
from typing import TypeVar

import pyoxigraph as ox
from rdflib.namespace import XSD
from rdflib.term import BNode, Literal, Node, URIRef

from .. import inference, loading
from .. import namespaces as ns
from ..assembly import file_quads
from ..inference import ox_derived, ox_rules
from ..layout import RdfFile
from .compiled import (
    CONTROL_GRAPH,
    FOCUS,
    ILL_TYPED,
    PLAIN_DATATYPES,
    RAW_DATATYPE,
    RAW_PREDICATE,
    Compiled,
    Constraint,
    raw_datatype,
)
from .model import Result, Rule, check_result

RDF_TYPE = ox.NamedNode(inference.RDF_TYPE)
SUBCLASS = ox.NamedNode(inference.SUBCLASS)
SUBPROPERTY = ox.NamedNode(inference.SUBPROPERTY)
INVERSE = ox.NamedNode(inference.INVERSE)
CONTROL = ox.NamedNode(CONTROL_GRAPH)


def unit_name(graph: str) -> str:
    """A unit's name from its graph: ``ontology``, ``shared``, ``source/<slug>`` …"""
    return graph.removeprefix(ns.GRAPH_NS)


def inferred_graph(graph: str) -> str:
    """The graph holding the closure of ``graph``'s triples."""
    return ns.INFERRED_GRAPH + "/" + unit_name(graph)


def parse_quads(file: RdfFile, prefix: str) -> Iterator[ox.Quad]:
    """The triples of ``file`` as the dataset's assembly reads them
    (:func:`osce_kg.assembly.file_quads`), each typed literal followed by its raw
    copy: Oxigraph normalises some datatypes, and the shapes must see the
    literal as written."""
    raw_predicates: dict[ox.NamedNode, ox.NamedNode] = {}
    raw_datatypes: dict[str, ox.NamedNode] = {}
    for t in file_quads(file, prefix, graph=file.graph):
        yield t
        o = t.object
        if isinstance(o, ox.Literal) and not o.language:
            datatype = o.datatype.value
            if datatype in PLAIN_DATATYPES:
                continue
            p = raw_predicates.get(t.predicate)
            if p is None:
                p = raw_predicates[t.predicate] = ox.NamedNode(RAW_PREDICATE + t.predicate.value)
            d = raw_datatypes.get(datatype)
            if d is None:
                d = raw_datatypes[datatype] = ox.NamedNode(raw_datatype(datatype))
            yield ox.Quad(t.subject, p, ox.Literal(o.value, datatype=d), t.graph_name)


class Closure:
    """The closure rules of the ontology whose quads are ``axioms``
    (:class:`osce_kg.inference.Rules`), extended so that the raw copy of a typed
    literal follows its triple to every super-property."""

    def __init__(self, axioms: Iterable[ox.Quad]) -> None:
        wanted = {SUBCLASS, SUBPROPERTY, INVERSE}
        self.rules = ox_rules(q for q in axioms if q.predicate in wanted)
        for p, (_, literal_ok) in list(self.rules.derive.items()):
            if literal_ok:
                raw = [ox.NamedNode(RAW_PREDICATE + q.value) for q in literal_ok]
                self.rules.derive[ox.NamedNode(RAW_PREDICATE + p.value)] = ([], raw)

    @classmethod
    def of_store(cls, store: ox.Store, ontology_graph: str = ns.ONTOLOGY_GRAPH) -> Closure:
        """The rules of the ontology held in ``ontology_graph`` of ``store``."""
        return cls(store.quads_for_pattern(None, None, None, ox.NamedNode(ontology_graph)))

    def of(self, quads: Iterable[ox.Quad], graph: str) -> list[ox.Quad]:
        """The closure of ``quads`` (those of ``graph``), as quads of its inferred graph."""
        target = ox.NamedNode(inferred_graph(graph))
        return [ox.Quad(*t, target) for t in ox_derived(self.rules, quads)]


# -- ill-typed literals ---------------------------------------------------------------

_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    str(XSD.integer): int,
    str(XSD.float): float,
    str(XSD.decimal): Decimal,
    str(XSD.boolean): bool,
    str(XSD.date): date,
    str(XSD.time): time,
    str(XSD.dateTime): datetime,
}


def is_ill_typed(lexical: str, datatype: str) -> bool:
    """Whether pySHACL's sh:datatype rejects ``"lexical"^^datatype`` (rdflib decides, as there)."""
    with loading.quiet_rdflib_terms():
        lit = Literal(lexical, datatype=URIRef(datatype))
    if lit.ill_typed is True:
        return True
    expected = _PYTHON_TYPES.get(datatype)
    return expected is not None and not isinstance(lit.value, expected)


def mark_ill_typed(store: ox.Store, compiled: Compiled, graphs: Iterable[str] | None = None) -> int:
    """Record in the control graph every ill-typed literal a datatype constraint may meet.

    With ``graphs``, only the literals of those graphs are examined and earlier
    marks are kept (a mark stays true: it says a literal is ill-typed, wherever
    it occurs); without, the marks are recomputed for the whole store.
    """
    marker = ox.NamedNode(ILL_TYPED)
    scope = ""
    if graphs is None:
        store.update(
            f"DELETE WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ <{ILL_TYPED}> <{ILL_TYPED}> ?v }} }}"
        )
    else:
        names = " ".join(f"<{g}>" for g in graphs)
        if not names:
            return 0
        scope = f"VALUES ?g {{ {names} }}"
    bad: list[ox.Quad] = []
    for datatype, paths in sorted(compiled.datatypes.items()):
        values = " ".join(f"<{p}>" for p in sorted(paths)) if paths is not None else None
        triple = "GRAPH ?g { ?s ?p ?v }" if scope else "?s ?p ?v ."
        where = f"{scope} VALUES ?p {{ {values} }} {triple}" if values else f"{scope} {triple}"
        test = f"FILTER(isLiteral(?v) && DATATYPE(?v) = <{raw_datatype(datatype)}>)"
        for row in _select(store, f"SELECT DISTINCT ?v WHERE {{ {where} {test} }}"):
            value = row[0]
            if isinstance(value, ox.Literal) and is_ill_typed(value.value, datatype):
                bad.append(ox.Quad(marker, marker, value, CONTROL))
    store.extend(bad)
    return len(bad)


# -- running --------------------------------------------------------------------------

# Values given to a query's variables (SEP-0007 substitution), as RDF terms.
Bindings = dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


def _select(
    store: ox.Store, query: str, bound: Bindings | None = None
) -> Iterator[ox.QuerySolution]:
    solutions = store.query(query, use_default_graph_as_union=True, substitutions=bound)
    assert isinstance(solutions, ox.QuerySolutions)
    return iter(solutions)


def rdflib_terms() -> Callable[[object], Node]:
    """A converter of Oxigraph terms to rdflib's, for the terms that end up in results.

    A raw copy's datatype (:func:`~.compiled.raw_datatype`) becomes the datatype
    it stands for; blank nodes keep their labels.  Conversions are remembered:
    make one converter per run, and call it inside :func:`loading.quiet_rdflib_terms`.
    """
    convert = loading.TermConverter(fresh_bnodes=False)

    def with_datatype_restored(term: object) -> Node:
        if isinstance(term, ox.Literal) and term.datatype.value.startswith(RAW_DATATYPE):
            datatype = ox.NamedNode(term.datatype.value.removeprefix(RAW_DATATYPE))
            term = ox.Literal(term.value, datatype=datatype)
        return convert(term)

    return with_datatype_restored


def to_rdflib(term: object) -> Node:
    """One Oxigraph term as rdflib's (see :func:`rdflib_terms`)."""
    with loading.quiet_rdflib_terms():
        return rdflib_terms()(term)


def run_constraint(store: ox.Store, constraint: Constraint, restrict: bool = False) -> list[Result]:
    """The results of one compiled constraint."""
    results = []
    term = rdflib_terms()
    with loading.quiet_rdflib_terms():
        for row in _select(store, constraint.render(restrict)):
            focus = row["focus"]
            if focus is None:
                continue
            value = row["value"] if constraint.has_value else None
            results.append(constraint.result(term(focus), None if value is None else term(value)))
    return results


T = TypeVar("T")


def concurrently(run: Callable[[T], list[Result]], items: Iterable[T]) -> list[Result]:
    """``run`` over ``items``, one thread per core, results in the items' order.

    Oxigraph evaluates a query without Python's global lock, so the queries of
    a run share the cores; converting their answers is the only serial part.
    """
    todo = list(items)
    workers = min(
        len(todo),
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
    )
    if workers <= 1:
        return [r for item in todo for r in run(item)]
    with ThreadPoolExecutor(workers, thread_name_prefix="osce-kg-query") as pool:
        return [r for results in pool.map(run, todo) for r in results]


def run_constraints(
    store: ox.Store,
    constraints: Iterable[Constraint],
    focus: Collection[ox.NamedNode | ox.BlankNode] | None = None,
) -> list[Result]:
    """The results of every constraint, several at a time (:func:`concurrently`);
    about the nodes ``focus`` only, when it is given.

    The focus nodes are flagged in the control graph for the run (the compiled
    queries read the flags, :meth:`Constraint.render`) and unflagged after it,
    so no later query, a check reading every graph among them, sees them.
    """
    if focus is None:
        return concurrently(lambda c: run_constraint(store, c), constraints)
    flag, predicate = ox.Literal(True), ox.NamedNode(FOCUS)
    store.extend([ox.Quad(n, predicate, flag, CONTROL) for n in focus])
    try:
        return concurrently(lambda c: run_constraint(store, c, restrict=True), constraints)
    finally:
        clear_focus(store)


def clear_focus(store: ox.Store) -> None:
    """Remove every focus flag (:func:`run_constraints`) from the control graph."""
    store.update(f"DELETE WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ ?f <{FOCUS}> ?x }} }}")


def run_check_text(
    store: ox.Store, text: str, rule: Rule, bound: Bindings | None = None
) -> list[Result]:
    """One whole-graph SPARQL check (``queries/checks``; ``text`` is its query), once,
    reporting as ``rule``; ``bound`` gives variables a value (as RDF terms, SEP-0007
    substitution).  The arguments are picklable, for worker processes."""
    results = []
    term = rdflib_terms()
    with loading.quiet_rdflib_terms():
        for row in _select(store, text, bound):
            focus = row["focus"]
            if focus is None:
                continue
            message, path, value = row["message"], row["path"], row["value"]
            results.append(
                check_result(
                    rule,
                    term(focus),
                    None if path is None else term(path),
                    None if value is None else term(value),
                    None if message is None else term(message),
                )
            )
        for result in results:
            restore_value(store, result, term)
    return results


def restore_value(
    store: ox.Store, result: Result, term: Callable[[object], Node] | None = None
) -> None:
    """Give a check result the typed literal as written, not as Oxigraph normalised it.

    A check selects values from the stored (normalised) triples; the raw copy
    of the same triple says how the data wrote it.
    """
    value = result.value
    if not (
        isinstance(value, Literal)
        and value.datatype is not None
        and isinstance(result.path, URIRef)
    ):
        return
    if not isinstance(result.focus, (URIRef, BNode)):
        return
    raw = ox.NamedNode(RAW_PREDICATE + str(result.path))
    term = term or to_rdflib
    candidates = [
        term(q.object) for q in store.quads_for_pattern(to_oxigraph(result.focus), raw, None, None)
    ]
    same = [
        c
        for c in candidates
        if isinstance(c, Literal) and c.value is not None and c.value == value.value
    ]
    if len(set(same)) == 1:
        result.value = same[0]


def to_oxigraph(node: Node) -> ox.NamedNode | ox.BlankNode:
    """An rdflib IRI or blank node as Oxigraph's."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    raise TypeError(f"not a resource: {node!r}")


__all__ = [
    "Closure",
    "clear_focus",
    "concurrently",
    "inferred_graph",
    "is_ill_typed",
    "mark_ill_typed",
    "rdflib_terms",
    "run_check_text",
    "run_constraints",
    "to_rdflib",
]
