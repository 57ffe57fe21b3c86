"""The Python API, for notebooks and scripts: the commands' work as functions
that return Python values.

>>> import osce_kg
>>> rows = osce_kg.query("speeches")
>>> sorted(r["speakerLabel"] for r in rows)[0]
'Dzhurakhon Zoirov'

Every function takes ``data=`` (a workspace or data folder; default: as the
commands find it: ``$OSCE_KG_DATA``, the workspace around the working
directory, or the shipped data).  Queries run on the dataset's
Oxigraph store, as ``osce-kg query run`` does; parameters are bound as RDF
terms, never pasted into the query.  See docs/python-api.md.

The names are chosen so that no submodule of the package can shadow them
(``osce_kg.network`` is the networks package; the function is
:func:`network_graph`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from .entity import Entity
    from .layout import DataLayout
    from .lookup import Hit
    from .validation import Report


def _layout(data: str | Path | DataLayout | None) -> Any:
    from .layout import DataLayout

    if isinstance(data, DataLayout):
        return data
    return DataLayout.open(Path(data), "data") if data is not None else DataLayout.default()


def init_workspace(path: str | Path) -> DataLayout:
    """Make ``path`` a workspace on the shipped data (as ``osce-kg init``) and open it."""
    from .workspace import init_workspace as init

    return open_workspace(init(Path(path)))


def open_workspace(path: str | Path | None = None) -> DataLayout:
    """The workspace (or data folder) at ``path``, with its base; without ``path``,
    the one the commands would use.  Pass it as ``data=`` to the other functions."""
    return _layout(path)  # type: ignore[no-any-return]


def _store(data: str | Path | None) -> Any:
    from .specs import StoreSpec

    return StoreSpec().open(_layout(data))


def _python(term: Any) -> Any:
    """A result term as a Python value: an IRI or blank node as its string, a
    literal as the value its datatype gives (an int, a date …) or its text."""
    if term is None:
        return None
    from rdflib.term import Literal

    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return str(term)


def query(name: str, data: str | Path | None = None, **params: str) -> list[dict[str, Any]]:
    """The rows of the stored query ``name`` as dicts (variable -> Python value);
    ``params`` are its parameters (``person="id:person/zumrad-solieva"``).  A
    CONSTRUCT or DESCRIBE query gives ``{"subject", "predicate", "object"}`` rows."""
    from . import catalogue, queries, runner

    q = catalogue.find_query(name, _layout(data).queries_dirs)
    bindings = queries.bind_values(q, params)
    store = _store(data)
    if q.kind == "SELECT":
        result = runner.select(store, q, bindings)
        return [{k: _python(v) for k, v in row.items()} for row in result.dicts()]
    if q.kind == "ASK":
        return [{"answer": store.ask(q.text, bindings)}]
    graph = store.construct(q.text, bindings)
    return [
        {"subject": _python(s), "predicate": _python(p), "object": _python(o)}
        for s, p, o in sorted(graph)
    ]


def validate(data: str | Path | None = None, files: list[str | Path] | None = None) -> Report:
    """The validation report of the data (or of ``files``, with the data beside
    them): ``report.conforms()``, ``report.results``."""
    from .validation import validate as run

    return run([Path(f) for f in files or []], layout=_layout(data))


def network_graph(name: str, data: str | Path | None = None, *, roll_up: bool = False) -> nx.Graph:
    """The network ``name`` (speaker-event, actor-event, person-organisation,
    multigraph) as a NetworkX multigraph, with the analysis figures as node
    attributes (degree, betweenness, PageRank, component, community)."""
    from .network.analysis import annotate
    from .network.build import build_network

    return annotate(build_network(_store(data), name, roll_up=roll_up))


def search(text: str, data: str | Path | None = None, *, limit: int = 10) -> list[Hit]:
    """Resources whose names match ``text``, best first (as ``osce-kg search``)."""
    from .lookup import search as find

    return find(_store(data), text, limit=limit)


def show(iri: str, data: str | Path | None = None) -> Entity:
    """What the graph says about ``iri`` (``id:person/x`` or a full IRI)."""
    from .entity import entity
    from .queries import expand_iri
    from .sparql_bind import check_iri

    return entity(_store(data), str(check_iri(expand_iri(iri), "iri")))
