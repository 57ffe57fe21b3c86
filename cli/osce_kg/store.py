"""Where queries run: the store protocol and the embedded default.

Every command that reads the graph goes through a :class:`Store`, so the same
stored queries run on the embedded store (rdflib, in memory, over ontology +
graph + inferred standard types), on Oxigraph and on a remote SPARQL endpoint.
Parameters are passed as RDF terms in ``bindings`` — never pasted into text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import rdflib
from rdflib.term import Identifier, Variable


@dataclass
class SelectResult:
    """The answer to a SELECT query: variable names and rows of RDF terms (None = unbound)."""

    variables: list[str]
    rows: list[tuple[Identifier | None, ...]]

    def dicts(self) -> list[dict[str, Identifier | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


class Store(Protocol):
    """A read-only SPARQL store."""

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        ...

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> rdflib.Graph:
        ...

    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool:
        ...


class EmbeddedStore:
    """An in-memory rdflib graph: the ontology, the graph and their inferred triples."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    @classmethod
    def default(cls, extra: Sequence[rdflib.Graph] = ()) -> EmbeddedStore:
        from .inference import infer
        from .loading import load_default, ontology_files, load_graph

        data = load_default()
        ontology = load_graph(ontology_files())
        for g in extra:
            data += g
        data += infer(ontology, data)
        return cls(data)

    def _bindings(self, bindings: Mapping[str, Identifier] | None) -> dict[Variable, Identifier]:
        return {Variable(k): v for k, v in (bindings or {}).items()}

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        result = self.graph.query(query, initBindings=self._bindings(bindings))
        variables = [str(v) for v in (result.vars or [])]
        rows: list[tuple[Identifier | None, ...]] = [
            tuple(row) for row in result  # type: ignore[arg-type]
        ]
        return SelectResult(variables, rows)

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> rdflib.Graph:
        result = self.graph.query(query, initBindings=self._bindings(bindings))
        out = rdflib.Graph()
        for t in result:
            out.add(t)  # type: ignore[arg-type]
        return out

    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool:
        return bool(self.graph.query(query, initBindings=self._bindings(bindings)).askAnswer)
