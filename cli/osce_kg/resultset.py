"""The answer to a SELECT query, shared by every back end (imports no RDF library)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib.term import Identifier


@dataclass
class SelectResult:
    """Variable names and rows of RDF terms (None = unbound).

    The back ends give rdflib terms; the quick path of ``osce-kg query run``
    gives pyoxigraph terms, which the writers of :mod:`osce_kg.sparql_results`
    print identically.
    """

    variables: list[str]
    rows: list[tuple[Any, ...]]

    def dicts(self) -> list[dict[str, Identifier | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]
