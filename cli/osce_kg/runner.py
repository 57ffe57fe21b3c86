"""Run a parsed query on the chosen store and render its answer in the chosen format.

Kept apart from the click command so that tests and other commands can run a
stored query the way ``osce-kg query run`` does; the command writes the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .queries import StoredQuery
from .resultset import Bindings, SelectResult, Store
from .sparql_results import ASK_FORMATS, GRAPH_FORMATS, SELECT_FORMATS
from .specs import StoreSpec

if TYPE_CHECKING:
    from .sparql_bind import Term


def output_format(kind: str, fmt: str | None, output: Path | None = None) -> str:
    """The format to write a ``kind`` answer in: ``fmt``, else the one the output
    file's suffix names, else the kind's default; InputError if ``fmt`` does not
    fit the answer or contradicts the suffix."""
    from .rows import choose_format
    from .sparql_results import GRAPH_WRITERS, SELECT_WRITERS

    graph_answer = kind in ("CONSTRUCT", "DESCRIBE")
    allowed = GRAPH_FORMATS if graph_answer else ASK_FORMATS if kind == "ASK" else SELECT_FORMATS
    writers: dict[str, Any] = {**SELECT_WRITERS, **GRAPH_WRITERS}
    fitting = {x: n for n in allowed for x in writers[n].suffixes}
    if fmt is None and output is not None and output.suffix.lower() not in fitting:
        other = next((n for n, w in writers.items() if output.suffix.lower() in w.suffixes), None)
        if other is not None:
            raise InputError(
                f"-o {output}: a {kind} query gives {'a graph' if graph_answer else 'rows'}, "
                f"not {other}; use one of {', '.join(allowed)}"
            )
    fmt = choose_format(fmt, output, fitting, allowed[0])
    assert fmt is not None  # the default is given
    if fmt not in allowed:
        raise InputError(
            f"--format {fmt}: a {kind} query gives "
            f"{'a graph' if graph_answer else 'rows'}; use one of {', '.join(allowed)}"
        )
    return fmt


def select(
    store: Store, q: StoredQuery, bindings: Bindings, *, native: bool = False
) -> SelectResult:
    """The rows of the SELECT query ``q``: for ``SELECT *`` the columns come in the
    order the query names them, whichever store ran it."""
    from .sparql_bind import variable_order

    result = store.select(q.text, bindings, native=native)
    return result.reordered(variable_order(q.text)) if q.star else result


def render_answer(
    q: StoredQuery,
    bindings: Mapping[str, Term],
    fmt: str | None,
    store: StoreSpec,
    output: Path | None = None,
) -> str:
    """The answer of ``q`` on ``store`` as text in ``fmt`` (None: the one ``output``'s
    suffix names, else the kind's default)."""
    from .sparql_results import render_boolean, render_graph, render_select

    fmt = output_format(q.kind, fmt, output)
    s = store.open()
    if q.kind == "SELECT":
        text = render_select(select(s, q, bindings, native=True), fmt)
    elif q.kind == "ASK":
        text = render_boolean(s.ask(q.text, bindings), fmt)
    else:
        text = render_graph(s.construct(q.text, bindings), fmt)
    return text
