"""The pages ``osce-kg serve`` makes for people: a home page with a search box,
the stored queries as forms, and a query editor; answers as HTML tables.

Each page is a function of the request's parameters that returns a
:class:`Response`; the front server (:mod:`osce_kg.gateway`) routes to them.
Queries run on the read-only Oxigraph server behind it, through the same
client as ``--endpoint`` (its timeout applies), and a stored query's
parameters are bound as RDF terms (:func:`osce_kg.queries.bind_values`),
never pasted into its text.  Nothing is loaded from a network: the style
sheet is inline and there is no script.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import namespaces as ns
from .errors import OsceKgError
from .queries import StoredQuery
from .resultset import Store

ID_NS = ns.PREFIXES["id"]
HTML = "text/html; charset=utf-8"
# How many rows a page shows; the CSV and JSON links give them all.
PAGE_ROWS = 500
# The prefixes the query editor starts with (the project's own and its vocabularies).
EDITOR_PREFIXES = ("okg", "id", "rdf", "rdfs", "schema", "foaf", "org", "prov", "oa", "skos")
EXAMPLE = """SELECT ?person ?name WHERE {
  ?person a okg:Person ; foaf:name ?name .
}
ORDER BY ?name"""


# What the IRIs of the site are served as: suffix -> media type, the server's
# preference first (a browser's Accept ranks HTML and */* alike).
MEDIA_TYPES: dict[str, str] = {
    ".html": "text/html",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
}


def negotiate(accept: str | None) -> str | None:
    """The suffix of the format ``accept`` (an HTTP Accept header) prefers among
    :data:`MEDIA_TYPES`: the highest q, the most specific range deciding each
    type's q, the server's order breaking ties; None if every type has q = 0."""
    if not accept or not accept.strip():
        return ".html"
    ranges: list[tuple[str, str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind, _, sub = fields[0].lower().partition("/")
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if kind and sub:
            ranges.append((kind, sub, q))
    best, best_q = None, 0.0
    for suffix, media in MEDIA_TYPES.items():
        kind, _, sub = media.partition("/")
        matches = [
            (3 if (k, s) == (kind, sub) else 2 if k == kind and s == "*" else 1, q)
            for k, s, q in ranges
            if (k, s) in ((kind, sub), (kind, "*"), ("*", "*"))
        ]
        if kind == "text" and sub == "html":
            matches += [(3, q) for k, s, q in ranges if (k, s) == ("application", "xhtml+xml")]
        q = max(matches)[1] if matches else 0.0
        if q > best_q:
            best, best_q = suffix, q
    return best


@dataclass
class Response:
    status: int
    media: str
    body: bytes


@dataclass
class WebApp:
    """What the pages need: the stored queries, and a store to run queries on."""

    queries: dict[str, StoredQuery]
    open_store: Callable[[], Store]
    check: Callable[[str], None] = lambda text: None  # the front server's query limits
    _env: Any = field(default=None, repr=False)

    def render(self, template: str, **values: Any) -> bytes:
        if self._env is None:
            import jinja2

            self._env = jinja2.Environment(
                loader=jinja2.PackageLoader("osce_kg.build", "templates"),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
            )
        return bytes(self._env.get_template(template).render(**values), "utf-8")


def page_of(iri: str) -> str:
    """The path ``serve`` answers ``iri`` at (the IRI's own path: /id/person/x)."""
    from .build.describe import site_path

    return "/" + site_path(iri)


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None


def cell(term: Any) -> Cell:
    """A result term for a table: an IRI of the graph links to its page."""
    from rdflib.term import URIRef

    from .sparql_results import short

    if term is None:
        return Cell("")
    text = str(term)
    if isinstance(term, URIRef) and text.startswith(ID_NS) and not text.endswith("/"):
        return Cell(short(term), page_of(text))
    return Cell(short(term) if hasattr(term, "n3") else text)


def _table(variables: list[str], rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    return {
        "columns": variables,
        "rows": [[cell(t) for t in row] for row in rows[:PAGE_ROWS]],
        "total": len(rows),
    }


def _error(app: WebApp, title: str, message: str, status: int = 400) -> Response:
    return Response(status, HTML, app.render("serve-error.html.j2", title=title, message=message))


def home(app: WebApp, params: Mapping[str, str]) -> Response:
    prefixes = "\n".join(f"PREFIX {p}: <{ns.PREFIXES[p]}>" for p in EDITOR_PREFIXES)
    return Response(
        200,
        HTML,
        app.render(
            "serve-home.html.j2",
            queries=sorted(app.queries.values(), key=lambda q: q.name),
            editor=prefixes + "\n\n" + EXAMPLE,
        ),
    )


def search(app: WebApp, params: Mapping[str, str]) -> Response:
    from .lookup import search as find

    text = params.get("q", "").strip()
    hits = find(app.open_store(), text, limit=25) if text else []
    rows = [
        (Cell(h.label, page_of(h.resource)) if h.resource.startswith(ID_NS)
         else Cell(h.label), ", ".join(h.types), h.matched)
        for h in hits
    ]  # fmt: skip
    return Response(200, HTML, app.render("serve-search.html.j2", q=text, rows=rows))


def stored_query(app: WebApp, name: str, params: Mapping[str, str]) -> Response:
    """The form of a stored query; with ``run``, its answer below it (or, with
    ``format=csv|json``, the answer as that file)."""
    from .queries import bind_values
    from .runner import select
    from .sparql_results import SELECT_WRITERS

    q = app.queries.get(name)
    if q is None:
        return _error(app, "No such query", f"There is no stored query {name!r}.", 404)
    values = {p.name: params[p.name] for p in q.params if params.get(p.name, "").strip()}
    table = None
    if "run" in params:
        if q.kind != "SELECT":
            return _error(app, q.name, f"A {q.kind} query: run it with osce-kg query run.")
        result = select(app.open_store(), q, bind_values(q, values))
        fmt = params.get("format", "html")
        if fmt in ("csv", "json"):
            writer = SELECT_WRITERS[fmt]
            media = "text/csv; charset=utf-8" if fmt == "csv" else "application/sparql-results+json"
            return Response(200, media, writer.rows(result).encode("utf-8"))
        table = _table(result.variables, result.rows)
    query_string = urllib.parse.urlencode({**values, "run": "1"})
    return Response(
        200,
        HTML,
        app.render("serve-query.html.j2", q=q, values=values, table=table, link=query_string),
    )


def editor(app: WebApp, params: Mapping[str, str]) -> Response:
    """An ad-hoc SELECT, ASK or CONSTRUCT from the editor, answered as a table."""
    from .queries import ad_hoc_query
    from .runner import select

    text = params.get("query", "")
    if not text.strip():
        return home(app, params)
    app.check(text)
    q = ad_hoc_query(text, "query")
    store = app.open_store()
    if q.kind == "SELECT":
        result = select(store, q, None)
        table = _table(result.variables, result.rows)
    elif q.kind == "ASK":
        table = _table(["answer"], [(store.ask(q.text),)])
    else:
        graph = store.construct(q.text)
        table = _table(["subject", "predicate", "object"], sorted(graph))
    return Response(200, HTML, app.render("serve-results.html.j2", query=text, table=table))


def respond(app: WebApp, path: str, params: Mapping[str, str]) -> Response | None:
    """The page at ``path``, or None if the path is not one of these pages.  A
    user's mistake (a malformed parameter or query) is a 400 page naming it."""
    try:
        if path == "/":
            return home(app, params)
        if path == "/search":
            return search(app, params)
        if path == "/sparql":
            return editor(app, params)
        if path.startswith("/queries/"):
            return stored_query(app, path.removeprefix("/queries/"), params)
    except OsceKgError as exc:
        return _error(app, "Cannot answer", str(exc), 504 if exc.exit_code == 3 else 400)
    return None
