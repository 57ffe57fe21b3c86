"""Validation on a SPARQL server: the compiled shapes and the SPARQL checks run
where the data is, and only their results come back.

The queries are the Oxigraph engine's own (:mod:`.compiler`, :mod:`.checks`),
compiled for a server that holds the data as it was published
(:class:`~.forms.ServerForm`): without the raw copies of typed literals and
without the control graph that the local store keeps beside the data
(:mod:`.compiled`).  What the control graph says locally is asked of the server
instead:

* which literals are ill-typed (pySHACL's verdict, decided by rdflib): the
  distinct values of the constrained properties are read from the server,
  judged in Python, and the ill-typed ones written into the queries as
  constants;
* derived integer types: a server that stores ``"76"^^xsd:nonNegativeInteger``
  as ``"76"^^xsd:integer`` (Oxigraph and Virtuoso do; :func:`normalises_integers`)
  cannot tell the two apart, so there an integer in the derived type's range is
  taken for it.  A value *written* as ``xsd:integer`` where a derived type is
  required is therefore not reported on such a server — the one known
  difference from a local run (docs/validation.md).

The server must hold the data with its closure (``osce-kg load``, the build's
``dataset/osce-kg.trig``, or the data followed by ``dataset/closure.ru``) and
the ontology in the named graph ``…/graph/ontology``; which graphs are read is
:func:`server_dataset`'s.  Results carry no file and line: the data is not here
to point into.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import Any

from rdflib.namespace import XSD
from rdflib.term import Literal

from .. import namespaces as ns
from ..errors import InputError
from ..resultset import Store
from ..specs import StoreSpec
from .checks import Check, load_checks
from .compiled import (
    RAW_PREDICATE,
    Compiled,
)
from .compiler import compile_shapes
from .forms import INTEGER_RANGES, ServerForm
from .model import REPORT_PREFIXES, Report, Result, check_result, dedupe
from .oxistore import is_ill_typed
from .run import CorpusValidation, Stats, Timer, load_shapes
from .shacl import node_shape_rules


def server_dataset(spec: StoreSpec) -> StoreSpec:
    """What a validation reads on the server: with ``--graph``, the graphs that hold
    the data with its closure (as ``osce-kg load --graph`` writes them) as the
    default graph, and those and the ontology's as the named graphs the checks
    look into; else the server's own default dataset (its union of graphs, on a
    server that keeps one)."""
    if not spec.graphs:
        return spec
    named = tuple(dict.fromkeys((*spec.graphs, ns.ONTOLOGY_GRAPH)))
    return dataclasses.replace(spec, named_graphs=named)


log = logging.getLogger(__name__)

# Graphs a server keeps of its own and counts in its default graph beside the data.
_SYSTEM_GRAPHS = {"http://www.openlinksw.com/schemas/virtrdf#": "Virtuoso"}


def warn_of_system_graphs(store: Store) -> None:
    """A warning when the server's default graph (the union of its graphs) holds the
    server's own system graphs, whose terms the checks would report."""
    for graph, server in _SYSTEM_GRAPHS.items():
        if store.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"):
            log.warning(
                "--endpoint: the server (%s) counts its own graph <%s> in its default graph; "
                "give --graph IRI to validate the data alone (docs/validation.md)",
                server,
                graph,
            )


def check_server_data(store: Store, *, checks: bool = True) -> None:
    """An InputError unless the server holds what a validation reads: data in the
    default graph and, for the checks, the ontology in its named graph (where they
    look for the declared terms) and the data in named graphs (which they read)."""
    if not store.ask("ASK { ?s ?p ?o }"):
        raise InputError(
            "--endpoint: the default graph is empty; give --graph IRI, the graph that holds "
            "the data (docs/validation.md)"
        )
    if not checks:
        return
    if not store.ask(f"ASK {{ GRAPH <{ns.ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"):
        raise InputError(
            f"--endpoint: the server holds no ontology in the named graph "
            f"<{ns.ONTOLOGY_GRAPH}>; load the data with `osce-kg load --named-graphs` "
            "(docs/validation.md)"
        )
    if not store.ask(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ns.ONTOLOGY_GRAPH}>) }}"):
        raise InputError(
            "--endpoint: no named graph but the ontology's holds data, and the checks on "
            "declared terms read the data's named graphs; load it with `osce-kg load "
            "--named-graphs` (Oxigraph: serve --union-default-graph), or give --graph IRI"
        )


def _constrained(compiled: Compiled, datatype: str, var: str) -> str:
    """A pattern binding ``var`` to the values the shapes constrain to ``datatype``:
    those of its properties, or (a focus node constrained) every object."""
    paths = compiled.datatypes[datatype]
    if paths is None:
        return f"?s ?p {var} ."
    values = " ".join(f"<{p.removeprefix(RAW_PREDICATE)}>" for p in sorted(paths))
    return f"VALUES ?p {{ {values} }} ?s ?p {var} ."


def normalises_integers(store: Store, compiled: Compiled) -> bool:
    """Whether the server may store a derived integer type as ``xsd:integer``.

    Oxigraph says so of a constant; Virtuoso keeps the type of a constant but not
    of a stored value.  So the server is taken to normalise unless it keeps the
    type of a constant and holds a value of a derived type under a property the
    shapes constrain to one (a server that keeps types, with data to show it).
    """
    probe = f'SELECT (DATATYPE("1"^^<{XSD.nonNegativeInteger}>) AS ?d) WHERE {{}}'
    rows = store.select(probe).rows
    if not rows or str(rows[0][0]) == str(XSD.integer):
        return True
    for datatype in INTEGER_RANGES:
        if datatype not in compiled.datatypes:
            continue
        where = _constrained(compiled, datatype, "?o")
        kept = f"SELECT ?o WHERE {{ {where} FILTER(DATATYPE(?o) = <{datatype}>) }} LIMIT 1"
        if store.select(kept).rows:
            return False
    return True


def ill_typed_literals(store: Store, compiled: Compiled) -> dict[str, list[Literal]]:
    """Per datatype, the ill-typed values the constrained properties hold on the server."""
    found: dict[str, list[Literal]] = {}
    for datatype in sorted(compiled.datatypes):
        where = _constrained(compiled, datatype, "?v")
        query = (
            f"SELECT DISTINCT ?v WHERE {{ {where} "
            f"FILTER(isLiteral(?v) && DATATYPE(?v) = <{datatype}>) }}"
        )
        bad = [
            v
            for (v,) in store.select(query).rows
            if isinstance(v, Literal) and is_ill_typed(str(v), datatype)
        ]
        if bad:
            found[datatype] = bad
    return found


# Queries in flight at once: the server does the work, the client mostly waits.
CONCURRENT = 4


def _results(store: Store, query: str, make: Any) -> list[Result]:
    out = []
    answer = store.select(query)
    for row in answer.rows:
        values = dict(zip(answer.variables, row, strict=True))
        if values.get("focus") is not None:
            out.append(make(values))
    return out


def _shape_query(c: Any) -> tuple[str, Any]:
    return c.render(), lambda v: c.result(v["focus"], v.get("value"))


def _check_query(check: Check) -> tuple[str, Any]:
    return check.text, lambda v: check_result(
        check.rule, v["focus"], v.get("path"), v.get("value"), v.get("message")
    )


def run_remote(
    store: Store, shapes_dirs: Sequence[Any], checks_dirs: Sequence[Any], *, checks: bool = True
) -> CorpusValidation:
    """Validate the data of ``store`` (a SPARQL endpoint) with the shapes and checks,
    :data:`CONCURRENT` queries at a time."""
    from concurrent.futures import ThreadPoolExecutor

    stats = Stats("oxigraph", "endpoint")
    timer = Timer(stats)
    check_server_data(store, checks=checks)
    shapes = load_shapes(shapes_dirs)
    # Compiled once to learn which datatypes the shapes constrain and where, then
    # for the server's form of the data, as the answers to those questions give it.
    local = compile_shapes(shapes)
    form = ServerForm(ill_typed_literals(store, local), normalises_integers(store, local))
    compiled = compile_shapes(shapes, form)
    rules: list[Check] = load_checks(checks_dirs) if checks else []
    timer.lap("load")
    queries = [_shape_query(c) for c in compiled.constraints]
    queries += [_check_query(check) for check in rules]
    with ThreadPoolExecutor(CONCURRENT) as pool:
        answers = list(pool.map(lambda qm: _results(store, *qm), queries))
    timer.lap("queries")
    results = dedupe([r for found in answers for r in found])
    results.sort(key=Result.sort_key)
    report = Report(
        results, node_shape_rules(shapes) + [c.rule for c in rules], [], dict(REPORT_PREFIXES)
    )
    return CorpusValidation(report, stats)


__all__ = [
    "check_server_data",
    "ill_typed_literals",
    "normalises_integers",
    "run_remote",
    "server_dataset",
    "warn_of_system_graphs",
]
