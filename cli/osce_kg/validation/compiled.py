"""SHACL Core shapes compiled into SPARQL queries, one per constraint: what a
compiled constraint is, and the store layout its queries rely on (the compiler
itself is :mod:`.compiler`).

pySHACL walks the data graph node by node in Python; on a million triples that
takes minutes.  The shapes of ``shapes/`` use a small part of SHACL Core, and
every constraint they use can be written as one SPARQL SELECT that returns the
focus nodes (and value nodes) that break it.  Oxigraph runs those queries
over the whole graph at native speed (see :mod:`.run`).

Only the constraint components listed in :data:`.compiler.SUPPORTED` are compiled.  A
shapes graph that uses anything else (``sh:node``, ``sh:sparql``, complex
property paths, ``sh:closed`` …) raises :class:`UnsupportedShapes` naming the
shape and the component, so the caller can fall back to pySHACL, which stays
the reference engine (``tests/test_compiled_engine.py`` checks that both give
the same results).

The semantics follow pySHACL where it differs from a literal reading of the
specification: a literal of the right datatype whose lexical form rdflib
cannot read (``"2012-13-01"^^xsd:date``) breaks ``sh:datatype``.  Which
literals are ill-typed is decided in Python, by rdflib itself, before the
queries run, and stored in a control graph the queries consult
(:data:`ILL_TYPED`).  Class membership is ``rdf:type/rdfs:subClassOf*``, as in
pySHACL; the data carries the ontology's closure as well (see :mod:`.units`).

Oxigraph stores typed literals by value: ``"05"^^xsd:nonNegativeInteger`` comes
back as ``"5"^^xsd:integer``, ill-typed ``"-1"^^xsd:nonNegativeInteger`` as
``"-1"^^xsd:integer``.  A datatype test on the stored literal would be wrong, so
the loader keeps beside every typed literal ``o`` of a triple ``s p o`` a raw
copy ``s raw(p) "lex"^^raw(datatype)`` (:func:`raw_predicate`,
:func:`raw_datatype`), which Oxigraph stores verbatim, and value tests read the
raw copy of typed literals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.namespace import RDF, XSD
from rdflib.term import Node, URIRef

from ..errors import DataError
from .model import Result, Severity

# Where the queries find the ill-typed literals and the focus nodes of an
# incremental run: a named graph of the store that no shape can reach (its
# predicates are private to osce-kg).
CONTROL_GRAPH = "urn:osce-kg:validation:control"
ILL_TYPED = "urn:osce-kg:validation:ill-typed"
FOCUS = "urn:osce-kg:validation:focus"

TARGET_PLACEHOLDER = "%TARGET%"
RAW_PREDICATE = "urn:osce-kg:raw:"
RAW_DATATYPE = "urn:osce-kg:raw-datatype:"
PLAIN_DATATYPES = frozenset({str(XSD.string), str(RDF.langString)})


def raw_predicate(predicate: str) -> str:
    """The predicate of the raw copies of ``predicate``'s typed literals."""
    return RAW_PREDICATE + predicate


def raw_datatype(datatype: str) -> str:
    """The datatype a raw copy carries for a literal of ``datatype``."""
    return RAW_DATATYPE + datatype


VALUE_SELECT = "SELECT DISTINCT ?focus ?value WHERE"


class UnsupportedShapes(DataError):
    """The shapes use a part of SHACL the compiler does not handle (use pySHACL)."""


@dataclass(frozen=True)
class Constraint:
    """One constraint of one shape, as a query returning what breaks it.

    ``query`` selects ``?focus`` and, when the result has a value node,
    ``?value``; :data:`TARGET_PLACEHOLDER` stands for the pattern binding
    ``?focus`` to the shape's focus nodes (see :meth:`render`).
    """

    rule: str  # the node shape a reader files the result under, e.g. "okgsh:EventShape"
    shape: str  # the shape that holds the constraint (N-Triples form; blank for property shapes)
    component: str  # "sh:MinCountConstraintComponent"
    path: str | None  # IRI of the property path, for a property shape
    severity: Severity
    message: str
    query: str
    targets: str  # SPARQL pattern binding ?focus to every focus node of the shape
    # Focus nodes as a DISTINCT sub-query (else the target pattern in line: the
    # form of the data says which, see forms.py).
    focus_subquery: bool = True

    @property
    def has_value(self) -> bool:
        """Whether the query reports a value node (value constraints do; counts do not)."""
        return self.query.startswith(VALUE_SELECT)

    def result(self, focus: Node, value: Node | None) -> Result:
        """The result of one answer (``?focus``, and ``?value`` where it has one), on
        whichever store the query ran."""
        return Result(
            severity=self.severity,
            focus=focus,
            message=self.message,
            rule=self.rule,
            path=URIRef(self.path) if self.path else None,
            value=value if self.has_value else None,
            component=self.component,
        )

    def render(self, restrict: bool = False) -> str:
        """The query to run; ``restrict`` limits focus nodes to those in :data:`FOCUS`.

        The focus nodes are a ``DISTINCT`` sub-query, or (without
        ``focus_subquery``) the target pattern itself, which may repeat a focus
        node; every query keeps only distinct results and counts distinct values,
        so the answer is the same.
        """
        if not self.focus_subquery:
            return self.query.replace(TARGET_PLACEHOLDER, f"{{ {self.targets} }}")
        guard = f"GRAPH <{CONTROL_GRAPH}> {{ ?focus <{FOCUS}> true }} " if restrict else ""
        # The guard goes outside the sub-query as well: Oxigraph does not push a
        # sub-query's bindings into the patterns that follow it, but it does
        # start from a pattern written first (1.3 s -> 0.05 s at 1M triples).
        target = f"{guard}{{ SELECT DISTINCT ?focus WHERE {{ {guard}{self.targets} }} }}"
        return self.query.replace(TARGET_PLACEHOLDER, target)


@dataclass
class Compiled:
    """The constraints of a shapes graph, and what the run must prepare for them."""

    constraints: list[Constraint] = field(default_factory=list)
    # datatype IRI -> predicates whose values it constrains (None: any value, e.g. a focus node)
    datatypes: dict[str, set[str] | None] = field(default_factory=dict)
    # predicates of sh:targetObjectsOf (their objects may be literals, which a
    # restricted run cannot name as focus nodes)
    object_targets: set[str] = field(default_factory=set)


__all__ = [
    "CONTROL_GRAPH",
    "FOCUS",
    "ILL_TYPED",
    "Compiled",
    "Constraint",
    "UnsupportedShapes",
]
