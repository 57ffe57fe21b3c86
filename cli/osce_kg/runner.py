"""Run a parsed query on the chosen store and write its answer in the chosen format.

Kept apart from the click command so that tests and other commands can run a
stored query the way ``osce-kg query run`` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rdflib.term import Identifier

from .errors import InputError
from .queries import StoredQuery
from .sparql_results import GRAPH_FORMATS, SELECT_FORMATS


def output_format(kind: str, fmt: str | None) -> str:
    """The format to write a ``kind`` answer in; InputError if ``fmt`` does not fit it."""
    graph_answer = kind in ("CONSTRUCT", "DESCRIBE")
    if fmt is None:
        return "turtle" if graph_answer else "table"
    allowed: tuple[str, ...] = GRAPH_FORMATS if graph_answer else SELECT_FORMATS
    if kind == "ASK":
        allowed = ("table", "json")
    if fmt not in allowed:
        raise InputError(
            f"--format {fmt}: a {kind} query gives "
            f"{'a graph' if graph_answer else 'rows'}; use one of {', '.join(allowed)}"
        )
    return fmt


def run_and_render(
    q: StoredQuery,
    bindings: Mapping[str, Identifier],
    fmt: str | None,
    output: Path | None,
    *,
    store: str | None = None,
    endpoint: str | None = None,
    timeout: float = 30.0,
    retries: int = 2,
) -> None:
    from .output import emit
    from .sparql_results import render_boolean, render_graph, render_select
    from .store import open_store

    fmt = output_format(q.kind, fmt)
    s = open_store(store, endpoint, timeout=timeout, retries=retries)
    if q.kind == "SELECT":
        text = render_select(s.select(q.text, bindings, native=True), fmt)
    elif q.kind == "ASK":
        text = render_boolean(s.ask(q.text, bindings), fmt)
    else:
        text = render_graph(s.construct(q.text, bindings), fmt)
    emit(text, output)
