"""The two forms of the data that compiled shapes query (:mod:`.compiler`).

* :class:`LocalForm`, the local validation store's (:mod:`.compiled`): each
  typed literal also as a raw copy (its lexical form under a raw datatype and
  predicate, so that an ill-typed value is still seen as written), and a control
  graph that names the ill-typed values;
* :class:`ServerForm`, a SPARQL server's that holds the data as published with
  its closure (``validate --endpoint``): what the control graph says is given
  from the server's answers instead.

Each says how a constant, the values of a property, a class test and a datatype
test are written; the compiler writes everything else the same for both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rdflib.namespace import RDF, XSD
from rdflib.term import Literal, Node

from .compiled import CONTROL_GRAPH, ILL_TYPED, PLAIN_DATATYPES, raw_datatype, raw_predicate

TYPE_PATH = f"<{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"

# Derived integer types and the range test of their values, for a server that
# stores them as xsd:integer.
INTEGER_RANGES = {
    str(XSD.nonNegativeInteger): ">= 0",
    str(XSD.positiveInteger): "> 0",
    str(XSD.nonPositiveInteger): "<= 0",
    str(XSD.negativeInteger): "< 0",
}


class LocalForm:
    """The local validation store's form of the data."""

    # A class test follows rdfs:subClassOf, as SHACL reads it from the data graph.
    type_path = TYPE_PATH
    # Focus nodes as a DISTINCT sub-query: Oxigraph starts from it.
    focus_subquery = True

    def n3(self, term: Node) -> str:
        """``term`` as it appears in the data: a typed literal as its raw copy."""
        if (
            isinstance(term, Literal)
            and term.datatype is not None
            and str(term.datatype) not in PLAIN_DATATYPES
        ):
            return f"{Literal(str(term)).n3()}^^<{raw_datatype(str(term.datatype))}>"
        return term.n3()

    def values(self, path: Node) -> str:
        """A pattern binding ``?value`` to the values of ``?focus`` for ``path``."""
        raw = f"<{raw_predicate(str(path))}>"
        return (
            f'{{ ?focus {path.n3()} ?value . FILTER(!isLiteral(?value) || LANG(?value) != "" || '
            f"DATATYPE(?value) = {XSD.string.n3()}) }} UNION {{ ?focus {raw} ?value }}"
        )

    def datatype(self, datatype: str, v: str) -> str:
        """True when the literal ``v`` is a well-typed value of ``datatype``."""
        ill = f"NOT EXISTS {{ GRAPH <{CONTROL_GRAPH}> {{ <{ILL_TYPED}> <{ILL_TYPED}> {v} }} }}"
        return f"DATATYPE({v}) = <{raw_datatype(datatype)}> && {ill}"


@dataclass(frozen=True)
class ServerForm(LocalForm):
    """The data as a SPARQL server holds it: as published, with its closure, and
    none of the local store's raw copies or control graph.  What those say is
    given instead: the ill-typed values the constrained properties hold there
    (per datatype IRI), and whether the server stores a derived integer type
    (``xsd:nonNegativeInteger`` …) as ``xsd:integer``."""

    ill_typed: Mapping[str, Sequence[Literal]] = field(default_factory=dict)
    integers: bool = False
    # The closure states every superclass type, so the rdfs:subClassOf* step adds
    # nothing (and Virtuoso 7.2 loses rows when it joins that path).
    type_path = f"<{RDF.type}>"
    # The target pattern in line: Virtuoso 7.2 joins a sub-query wrongly.
    focus_subquery = False

    def n3(self, term: Node) -> str:
        return term.n3()

    def values(self, path: Node) -> str:
        return f"{{ ?focus {path.n3()} ?value }}"

    def datatype(self, datatype: str, v: str) -> str:
        from ..sparql_bind import sparql_term

        test = f"DATATYPE({v}) = <{datatype}>"
        if self.integers and datatype in INTEGER_RANGES:
            in_range = f"{v} {INTEGER_RANGES[datatype]}"
            test = f"({test} || (DATATYPE({v}) = <{XSD.integer}> && {in_range}))"
        bad = self.ill_typed.get(datatype, [])
        if bad:
            test += " && !(" + " || ".join(f"sameTerm({v}, {sparql_term(b)})" for b in bad) + ")"
        return test


__all__ = ["INTEGER_RANGES", "TYPE_PATH", "LocalForm", "ServerForm"]
