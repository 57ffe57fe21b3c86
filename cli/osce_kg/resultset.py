"""What every back end shares: the :class:`Store` protocol and the answer to a
SELECT query (imports no RDF library)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import rdflib
    from rdflib.term import Identifier

    from .sparql_bind import Term

# Parameters: variable name -> an rdflib or Oxigraph term (osce_kg.sparql_bind.Term).
Bindings = Mapping[str, "Term"] | None
Row = tuple["Identifier | None", ...]


@dataclass
class SelectResult:
    """Variable names and rows of RDF terms (None = unbound).

    The back ends give rdflib terms, or with ``native=True`` their own (pyoxigraph's
    on Oxigraph), which the writers of :mod:`osce_kg.sparql_results` print identically.
    """

    variables: list[str]
    rows: list[tuple[Any, ...]]

    def reordered(self, names: list[str]) -> SelectResult:
        """The same answer with its columns in the order of ``names`` (columns
        not named there keep their order, after them)."""
        rank = {n: i for i, n in enumerate(names)}
        order = sorted(
            range(len(self.variables)), key=lambda i: rank.get(self.variables[i], len(rank) + i)
        )
        if order == list(range(len(order))):
            return self
        return SelectResult(
            [self.variables[i] for i in order], [tuple(r[i] for i in order) for r in self.rows]
        )

    def dicts(self) -> list[dict[str, Identifier | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


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
